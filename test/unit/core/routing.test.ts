/**
 * How handleTurn routes a message: the core's own commands, the modules (in
 * order, first before the core commands they may own), the intent
 * recogniser's paraphrases and ticket rewrites, reminders of what a module
 * waits for, the knowledge base's "nothing found" offer, and the language of
 * short answers.
 */
import { describe, expect, it } from 'vitest';
import type { IntentRecognizer, RecognizedIntent } from '../../../src/core/handle-turn.ts';
import type { KnowledgeBase } from '../../../src/core/ports.ts';
import type { TurnContext, TurnModule } from '../../../src/core/turn-module.ts';
import { FakeChannel, memoryDeps } from '../../helpers/fake-channel.ts';

/** A module that records what it is asked and takes the messages `takes` accepts. */
function recorder(name: string, takes: (ctx: TurnContext) => boolean = () => false, reminder?: string) {
  const seen: TurnContext[] = [];
  const module: TurnModule = {
    name,
    async handle(ctx) {
      seen.push(ctx);
      return takes(ctx) ? { replies: [{ type: 'text', text: `${name} took "${ctx.text}"` }], state: { ...ctx.state, flow: { busy: true } } } : undefined;
    },
    ...(reminder ? { remind: async (ctx: TurnContext) => [{ type: 'text' as const, text: `${reminder} (${ctx.lang})` }] } : {}),
  };
  return { module, seen };
}

function intents(table: Record<string, RecognizedIntent>): IntentRecognizer {
  return { recognize: (text) => table[text] ?? { name: null, confidence: 0 } };
}

const nothing: KnowledgeBase = {
  answer: () => ({ kind: 'none' }),
  article: () => undefined,
  recordFeedback: async () => {},
  recordGap: async () => {},
};

describe('global commands', () => {
  it('annuler, recommencer and humain get the core’s answer when no module has anything in progress', async () => {
    const chat = new FakeChannel();
    await chat.user('annuler');
    expect(chat.lastText()).toMatch(/^Rien n’est en cours/);
    await chat.user('recommencer');
    expect(chat.lastText()).toMatch(/^D’accord, on repart de zéro/);
    await chat.user('parler à quelqu’un');
    expect(chat.lastText()).toMatch(/^Je ne peux pas joindre de technicien/);
  });

  it('cancel, restart and agent are offered to the modules first; help and greetings are not', async () => {
    const flows = recorder('flows', (ctx) => /^(annuler|humain)$/.test(ctx.text));
    const chat = new FakeChannel(memoryDeps({ modules: [flows.module] }));
    await chat.user('annuler');
    expect(chat.lastText()).toBe('flows took "annuler"');
    await chat.user('humain');
    expect(chat.lastText()).toBe('flows took "humain"');
    await chat.user('aide');
    expect(chat.lastText()).toContain('Ce que je sais faire');
    expect(flows.seen.map((c) => c.text)).toEqual(['annuler', 'humain']);
  });

  it('after help or a language switch, modules remind what they wait for, in the new language', async () => {
    const flows = recorder('flows', () => false, 'Where were we');
    const chat = new FakeChannel(memoryDeps({ modules: [flows.module] }));
    await chat.user('aide');
    expect(chat.lastReplies().at(-1)).toEqual({ type: 'text', text: 'Where were we (fr)' });
    await chat.user('english please');
    expect(chat.lastReplies()).toEqual([
      { type: 'text', text: 'Sure, I’ll continue in English.' },
      { type: 'text', text: 'Where were we (en)' },
    ]);
  });
});

describe('intents', () => {
  it('a paraphrase of a global command counts as the command outside a flow', async () => {
    const chat = new FakeChannel(memoryDeps({ intents: intents({ 'je préfère causer avec un vrai gars': { name: 'agent', confidence: 0.8 }, 'merci mille fois l’ami': { name: 'thanks', confidence: 0.9 } }) }));
    await chat.user('merci mille fois l’ami');
    expect(chat.lastText()).toBe('Avec plaisir ! Autre chose ?');
    await chat.user('je préfère causer avec un vrai gars');
    expect(chat.lastText()).toMatch(/^Je ne peux pas joindre de technicien/);
  });

  it('modules get the intent, and a ticket intent’s rewrite as their text', async () => {
    const tickets = recorder('tickets', (ctx) => ctx.text === 'status #1042');
    const recognizer = intents({ 'des nouvelles du 1042 ?': { name: 'ticket-status', confidence: 0.7, rewrite: 'status #1042' }, 'vpn ko': { name: 'vpn', confidence: 0.9 } });
    const chat = new FakeChannel(memoryDeps({ modules: [tickets.module], intents: recognizer }));
    await chat.user('des nouvelles du 1042 ?');
    expect(chat.lastText()).toBe('tickets took "status #1042"');
    await chat.user('vpn ko');
    expect(tickets.seen.at(-1)).toMatchObject({ text: 'vpn ko', intent: { name: 'vpn', confidence: 0.9 } });
  });

  it('inside a flow, a paraphrase is not a command and the text is not rewritten: the flow decides', async () => {
    const flows = recorder('flows', () => true);
    const recognizer = intents({ 'merci mille fois l’ami': { name: 'thanks', confidence: 0.9 }, 'où en est le 1042': { name: 'ticket-status', confidence: 0.9, rewrite: 'status #1042' } });
    const chat = new FakeChannel(memoryDeps({ modules: [flows.module], intents: recognizer }));
    await chat.user('vpn ko'); // the module takes it and starts "a flow"
    await chat.user('merci mille fois l’ami');
    expect(chat.lastText()).toBe('flows took "merci mille fois l’ami"');
    await chat.user('où en est le 1042');
    expect(chat.lastText()).toBe('flows took "où en est le 1042"');
  });
});

it('an answer to the knowledge base’s question is not taken for a paraphrase ("non" is no cancel there)', async () => {
  const feedback: boolean[] = [];
  const article = { id: 'FAQ-0001', lang: 'fr' as const, type: 'faq' as const, title: 'Mot de passe oublié', markdown: 'Étapes', services: ['identity'] };
  const knowledge: KnowledgeBase = { ...nothing, answer: () => ({ kind: 'answer', article, confidence: 0.9 }), recordFeedback: async (f) => void feedback.push(f.helpful) };
  const chat = new FakeChannel(memoryDeps({ knowledge, intents: intents({ non: { name: 'cancel', confidence: 0.9 } }) }));
  await chat.user('mdp oublié');
  await chat.user('non');
  expect(chat.lastText()).toMatch(/^Désolé que cela n’ait pas suffi/);
  expect(feedback).toEqual([false]);
});

describe('nothing found', () => {
  it('offers a ticket about the question or a person, where tickets exist', async () => {
    const chat = new FakeChannel(memoryDeps({ knowledge: nothing, offerHelp: true }));
    await chat.user('Comment réserver un vélo de fonction ?');
    expect(chat.lastReplies()[1]).toEqual({
      type: 'choices',
      text: 'Voulez-vous que j’ouvre un ticket au support avec votre question, ou préférez-vous parler à quelqu’un ?',
      choices: [
        { label: '🎫 Ouvrir un ticket', value: 'ouvrir un ticket : Comment réserver un vélo de fonction ?' },
        { label: '👤 Parler à quelqu’un', value: 'humain' },
      ],
    });
    await chat.user('How do I book a company bike?');
    expect(chat.lastReplies()[1]).toMatchObject({ choices: [{ value: 'open a ticket: How do I book a company bike?' }, { value: 'agent' }] });
  });

  it('offers nothing without a ticket desk', async () => {
    const chat = new FakeChannel(memoryDeps({ knowledge: nothing }));
    await chat.user('Comment réserver un vélo de fonction ?');
    expect(chat.lastReplies()).toHaveLength(1);
  });
});

describe('language of short answers', () => {
  it('a button value like "yes" in a French flow keeps French; a sentence in English switches', async () => {
    const flows = recorder('flows', () => true);
    const chat = new FakeChannel(memoryDeps({ modules: [flows.module] }));
    await chat.user('le vpn ne marche pas');
    const yes = await chat.user('yes');
    expect(yes.lang).toBe('fr');
    const sentence = await chat.user('sorry, I would rather continue in English now');
    expect(sentence.lang).toBe('en');
  });
});
