/**
 * The flows module in the bot core, on memory stores and a memory desk:
 * tickets created during the turn (number, due time and card in the reply,
 * idempotent per delivery), handoff without a handoff service, no desk at
 * all, a report linked to a known outage, feedback on articles after the
 * turn, leaving a flow for a knowledge answer, and a flow that disappeared.
 */
import { describe, expect, it } from 'vitest';
import type { IntentRecognizer } from '../../../src/core/handle-turn.ts';
import type { Lang } from '../../../src/core/lang.ts';
import type { KnowledgeAnswer, KnowledgeBase } from '../../../src/core/ports.ts';
import type { NewTicket } from '../../../src/core/tickets.ts';
import { createFlowsModule, type FlowsModuleDeps } from '../../../src/flows/module.ts';
import { assetTags, errorCodes } from '../../../src/nlu/entities.ts';
import { FakeChannel, memoryDeps } from '../../helpers/fake-channel.ts';
import { memoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';
import { article, realFlows } from './flow-driver.ts';

const flows = realFlows();

/** Starts flows on fixed sentences (the classifier has its own tests). */
const intents: IntentRecognizer = {
  recognize: (text) => {
    const table: Record<string, string> = { 'le vpn ne marche pas': 'vpn', 'erreur 809 sur le vpn depuis LT-004223': 'vpn', 'mon PC est très lent': 'slow-computer', 'pas de notification authenticator': 'mfa' };
    return table[text] ? { name: table[text]!, confidence: 0.9 } : { name: null, confidence: 0.1 };
  },
};

class Knowledge implements KnowledgeBase {
  readonly feedback: { articleId: string; helpful: boolean }[] = [];
  constructor(private readonly answers: (query: string, lang: Lang) => KnowledgeAnswer = () => ({ kind: 'none' })) {}
  answer(query: string, options: { lang: Lang }) {
    return this.answers(query, options.lang);
  }
  article() {
    return undefined;
  }
  async recordFeedback(input: { articleId: string; helpful: boolean }) {
    this.feedback.push({ articleId: input.articleId, helpful: input.helpful });
  }
  async recordGap() {}
}

function chat(deps: Partial<FlowsModuleDeps> = {}) {
  const module = createFlowsModule({ flows, ...deps });
  const core = memoryDeps({ modules: [module], intents, knowledge: deps.knowledge, offerHelp: deps.desk !== undefined });
  return new FakeChannel(core);
}

/** The real desk in memory; people are those of the memory user directory, services those the flows name. */
function flowsDesk() {
  const memory = memoryTicketDesk({ anyoneIsKnown: true });
  for (const id of ['workstation', 'vpn', 'identity', 'email']) memory.repository.addService({ id });
  return memory;
}

const LAPTOP = { tag: 'LT-004223', kind: 'laptop', name: 'Dell Latitude 5440', status: 'in-use' };

describe('tickets from a flow', () => {
  it('are created during the turn: the reply gives the number, the due time and the card; a retried delivery creates none', async () => {
    const { desk, repository } = flowsDesk();
    repository.addAsset(undefined, LAPTOP);
    const c = chat({ desk, timeZone: 'Europe/Paris' });
    for (const text of ['mon PC est très lent', 'slow', 'oui', 'non']) await c.user(text);
    const first = await c.user('days', { deliveryId: 'last' });
    expect(c.lastText()).toContain('Ticket #1001 ouvert. Résolution prévue avant le');
    expect(first.replies.find((m) => m.type === 'ticket')).toMatchObject({ ticket: { number: 1001 }, lang: 'fr', timeZone: 'Europe/Paris' });
    const [ticket] = repository.tickets;
    expect(ticket).toMatchObject({ originKey: 'web:last', serviceId: 'workstation', diagnosis: { flowId: 'slow-computer' } });
    expect((await repository.events(ticket!.number))[0]).toMatchObject({ kind: 'created', actorId: null, actorKind: 'bot' });
    expect((ticket!.diagnosis as { assets: unknown[] }).assets).toEqual([{ tag: 'LT-004223', kind: 'laptop', name: 'Dell Latitude 5440' }]);
    await c.user('days', { deliveryId: 'last' });
    expect(repository.tickets).toHaveLength(1);
  });

  it('"agent" mid-flow hands over with a ticket and the response due time, even without a handoff service', async () => {
    const { desk, repository } = flowsDesk();
    const c = chat({ desk });
    await c.user('le vpn ne marche pas');
    await c.user('home');
    await c.user('humain');
    expect(c.lastText()).toMatch(/Un technicien va reprendre la conversation \(ticket #1001\), prise en charge avant le /);
    expect(repository.tickets[0]).toMatchObject({ title: 'Le VPN ne se connecte pas : demande à parler à un technicien' });
    expect(repository.tickets[0]!.description).toContain('Où êtes-vous en ce moment ? → À la maison');
  });

  it('without a desk, the user is told to contact the service desk, and "agent" outside a flow falls back to the core', async () => {
    const c = chat();
    for (const text of ['mon PC est très lent', 'slow', 'oui', 'non', 'days']) await c.user(text);
    await c.user('LT-004223');
    expect(c.lastText()).toContain('Je ne peux pas ouvrir de ticket depuis cette discussion');
    await c.user('agent');
    expect(c.lastText()).toMatch(/^Je ne peux pas joindre de technicien/);
  });
});

describe('a known outage', () => {
  it('is announced; "yes, that’s it" shows the incident and links the report to it', async () => {
    const { desk, incidents } = flowsDesk();
    const outage = await incidents.declare(
      { serviceId: 'vpn', title: { fr: 'VPN indisponible', en: 'VPN down' }, impact: 'high', declaredById: 'nadia', at: new Date('2026-11-23T08:40:00Z') },
      { actorId: 'nadia', actorKind: 'agent', action: 'major-incident.declare', after: {}, at: new Date('2026-11-23T08:40:00Z') },
    );
    const linked: { incident: number; report: NewTicket }[] = [];
    const c = chat({ desk, incidents: { linkReport: async (incident, report) => (linked.push({ incident, report }), desk.create(report)) } });
    await c.user('le vpn ne marche pas');
    expect(c.lastText()).toContain('« VPN indisponible »');
    await c.user('oui');
    expect(c.lastReplies().some((m) => m.type === 'incident' && m.incident.number === outage.number)).toBe(true);
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ incident: outage.number, report: { serviceId: 'vpn', title: 'le vpn ne marche pas' } });
    expect(c.lastText()).toContain('Votre signalement est rattaché à l’incident (ticket #1001)');
  });
});

describe('the knowledge base in a flow', () => {
  it('feedback on an article shown by the flow is recorded once the turn is committed', async () => {
    const knowledge = new Knowledge((_q, lang) => ({ kind: 'answer', article: article('FAQ-0031', lang, ['identity']), confidence: 0.8 }));
    const c = chat({ knowledge });
    // The first message already answers "what is happening?" (no notification): the search comes at once.
    await c.user('pas de notification authenticator');
    expect(c.lastReplies().some((m) => m.type === 'article' && m.article.id === 'FAQ-0031')).toBe(true);
    await c.user('yes');
    expect(knowledge.feedback).toEqual([{ articleId: 'FAQ-0031', helpful: true }]);
  });

  it('a question the knowledge base answers well, which is no answer to the flow’s question, asks before leaving the flow', async () => {
    const signature = article('FAQ-0099', 'fr', ['email']);
    const knowledge = new Knowledge((q) => (q.includes('signature') ? { kind: 'answer', article: signature, confidence: 0.9 } : { kind: 'none' }));
    const c = chat({ knowledge, desk: flowsDesk().desk });
    await c.user('le vpn ne marche pas');
    await c.user('comment ajouter une signature dans outlook ?');
    expect(c.lastText()).toContain('j’ai peut-être une réponse toute prête. Voulez-vous laisser ce parcours ?');
    await c.user('oui');
    expect(c.lastReplies()[0]).toEqual({ type: 'text', text: 'D’accord, je laisse « Le VPN ne se connecte pas » de côté.' });
    expect(c.lastReplies()[1]).toMatchObject({ type: 'article', article: { id: 'FAQ-0099' } });
  });
});

describe('entities of the first message', () => {
  it('answer the flow’s questions into slots of their type, which are then not asked', async () => {
    const { desk, repository } = flowsDesk();
    const c = chat({ desk, entities: (text) => ({ 'error-code': errorCodes(text)[0], 'asset-tag': assetTags(text)[0] }) });
    await c.user('erreur 809 sur le vpn depuis LT-004223');
    for (const text of ['home', 'oui', 'fails']) await c.user(text);
    // "Which error code?" was answered by the first message: the flow goes on to the next question.
    expect(c.lastText()).toContain('J’ai noté d’après votre message : 809.');
    expect(c.lastText()).toContain('Avez-vous déjà quitté complètement Cisco Secure Client');
    for (const text of ['oui']) await c.user(text);
    // No knowledge base, no device in the inventory: the laptop question takes the tag of the first message too.
    expect(c.lastText()).toContain('J’ai noté d’après votre message : LT-004223.');
    expect(repository.tickets[0]!.description).toContain('LT-004223');
    expect(repository.tickets[0]!.description).toContain('→ 809');
  });
});

it('a conversation whose flow was removed is asked to start over', async () => {
  const c = chat();
  await c.user('le vpn ne marche pas');
  c.deps.modules = [createFlowsModule({ flows: flows.filter((f) => f.id !== 'vpn') })];
  await c.user('home');
  expect(c.lastText()).toBe('Désolé, je ne retrouve plus où nous en étions. Pouvez-vous me redécrire votre problème ?');
  await c.user('home');
  expect(c.lastText()).not.toContain('je ne retrouve plus');
});

it('"ouvrir un ticket" in a flow ends it with a ticket carrying the diagnosis so far', async () => {
  const { desk, repository } = flowsDesk();
  const c = chat({ desk });
  await c.user('le vpn ne marche pas');
  await c.user('home');
  await c.user('ouvrir un ticket');
  expect(c.lastText()).toContain('Ticket #1001 ouvert.');
  const [ticket] = repository.tickets;
  expect(ticket).toMatchObject({ title: 'Le VPN ne se connecte pas', serviceId: 'vpn', category: 'remote-access' });
  expect(ticket!.description).toContain('Message initial : « le vpn ne marche pas »');
  expect(ticket!.description).toContain('Où êtes-vous en ce moment ? → À la maison');
  expect(ticket!.description).toContain('L’utilisateur a demandé à ouvrir un ticket');
  await c.user('home');
  expect(repository.tickets).toHaveLength(1);
});
