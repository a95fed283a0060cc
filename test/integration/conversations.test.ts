/**
 * Guided conversations through the whole bot (createGuichet on a real
 * database, the shipped dialogs/, knowledge/ and config/): every flow in
 * French and English from the user's own first message, on its resolved path
 * and on its ticket path (the ticket exists, with the diagnosis record in its
 * description: steps, answers, articles and their outcome, the device). The
 * user's answers are given per question (node), so a search that finds an
 * article or not in the real knowledge base does not break the script.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import type { Lang, Localized } from '../../src/core/lang.ts';
import type { InboundFile } from '../../src/core/messages.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

let testDb: TestDatabase;
let guichet: Guichet;
const clock = new FakeClock(new Date('2026-11-23T09:00:00Z')); // Monday 10:00 in Paris

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await open('dialogs', true);
}, 120_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

/** A Guichet on the test database; the ones opened after the first find it migrated (as a second process would). */
function open(dialogsDir = 'dialogs', migrate = false): Promise<Guichet> {
  return createGuichet({
    databaseUrl: testDb.url,
    migrate,
    defaultLang: 'fr',
    configDir: 'config',
    knowledgeDir: 'knowledge',
    dialogsDir,
    clock,
    notifier: new RecordingNotifier(),
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });
}

type Said = string | Localized;
const inLang = (s: Said, lang: Lang): string => (typeof s === 'string' ? s : s[lang]);
const fr = (f: string, e: string): Localized => ({ fr: f, en: e });

/** Alice is in the CMDB (config/cmdb.yml) with one laptop, LT-004223. */
const ALICE = { externalId: 'u-alice', displayName: 'Alice Martin', email: 'alice.martin@example.org' };
const LAPTOP = 'LT-004223';
let sequence = 0;

/** One conversation of Alice's, on the web channel. */
class Chat {
  readonly results: TurnResult[] = [];
  constructor(
    readonly id: string,
    readonly bot: () => Guichet = () => guichet,
  ) {}

  async user(text: string, options: { deliveryId?: string; files?: InboundFile[] } = {}): Promise<TurnResult> {
    const result = await this.bot().turn({
      channel: 'web',
      deliveryId: options.deliveryId ?? `d-${this.id}-${++sequence}`,
      user: ALICE,
      conversation: { externalId: this.id, kind: 'personal' },
      text,
      ...(options.files ? { files: options.files } : {}),
    });
    this.results.push(result);
    return result;
  }

  lastText(): string {
    return (this.results.at(-1)?.replies ?? []).map(renderPlainText).join('\n');
  }

  allText(): string {
    return this.results.flatMap((r) => r.replies.map(renderPlainText)).join('\n');
  }

  async row() {
    return testDb.db.client.conversation.findFirstOrThrow({ where: { channel: 'web', externalId: this.id } });
  }

  /** The node the flow waits at, or undefined when no flow is in progress. */
  async node(): Promise<string | undefined> {
    const state = (await this.row()).state as { flow?: { nodeId: string } };
    return state.flow?.nodeId;
  }

  async tickets() {
    const row = await this.row();
    return testDb.db.client.ticket.findMany({ where: { conversationId: row.id }, orderBy: { number: 'asc' } });
  }

  /** Answers each question by its node until the flow ends; fails on a question the script has no answer for. */
  async follow(answers: Record<string, Said>, lang: Lang): Promise<string[]> {
    const visited: string[] = [];
    for (let turn = 0; turn < 25; turn += 1) {
      const node = await this.node();
      if (node === undefined) return visited;
      visited.push(node);
      const answer = answers[node];
      if (answer === undefined) throw new Error(`test: no answer for node "${node}" (visited ${visited.join(' → ')}); bot said:\n${this.lastText()}`);
      // A search that offers a few articles: "yes" picks the first one (then "did it fix it?" is asked), "no" is "none of these".
      const asked = this.results.at(-1)?.replies.at(-1);
      const choosing = asked?.type === 'choices' && asked.choices.some((c) => c.value === 'none') && !asked.choices.some((c) => c.value === 'yes');
      await this.user(choosing && answer === 'yes' ? asked.choices[0]!.value : inLang(answer, lang));
    }
    throw new Error(`test: the flow did not end (visited ${visited.join(' → ')})`);
  }
}

interface Paths {
  /** Answers of the path that ends resolved with the user's confirmation. */
  resolved: Record<string, Said>;
  /** Answers of the path that ends in a ticket. */
  ticket: Record<string, Said>;
  /** Free text the ticket description must quote. */
  quotes: Said[];
  type: 'incident' | 'request';
  service: string;
}

const SCRIPTS: Record<string, Paths> = {
  vpn: {
    resolved: { where: 'home', internet: 'yes', symptom: 'fails', error: fr('erreur 809', 'error 809'), restarted: 'no', 'restart-check': 'yes' },
    ticket: { where: 'home', internet: 'yes', symptom: 'fails', error: fr('erreur 809', 'error 809'), restarted: 'no', 'restart-check': 'no', 'search-error': 'no', fixed: 'no', 'which-laptop': LAPTOP },
    quotes: ['809', LAPTOP],
    type: 'incident',
    service: 'vpn',
  },
  password: {
    resolved: { problem: 'expired', 'search-change': 'yes', fixed: 'yes', message: fr('le message dit que le mot de passe a expiré', 'it says my password expired') },
    ticket: {
      problem: 'locked',
      relocks: 'yes',
      'search-relock': 'no',
      fixed: 'no',
      message: fr('« Votre compte a été verrouillé » sur Windows', '"Your account has been locked" on Windows'),
    },
    quotes: [fr('« Votre compte a été verrouillé » sur Windows', '"Your account has been locked" on Windows')],
    type: 'incident',
    service: 'identity',
  },
  mfa: {
    resolved: { issue: 'no-push', 'search-push': 'yes', fixed: 'yes' },
    ticket: { issue: 'other', error: fr("j'ai l'erreur AADSTS50076", 'I get error AADSTS50076'), 'search-code': 'no', fixed: 'no' },
    quotes: ['AADSTS50076'],
    type: 'incident',
    service: 'identity',
  },
  wifi: {
    resolved: { where: 'office', 'device-type': 'personal', 'guest-check': 'yes' },
    ticket: { where: 'office', 'device-type': 'company', neighbours: 'yes', 'sees-corp': 'yes', 'search-cert': 'no', fixed: 'no', 'which-laptop': LAPTOP },
    quotes: [LAPTOP],
    type: 'incident',
    service: 'network',
  },
  outlook: {
    resolved: { symptom: 'mail-flow', webmail: 'yes', 'app-check': 'yes' },
    ticket: {
      symptom: 'password-loop',
      'search-loop': 'no',
      fixed: 'no',
      details: fr('Depuis ce matin, la fenêtre de mot de passe revient sans arrêt', 'Since this morning the password prompt keeps coming back'),
    },
    quotes: [fr('la fenêtre de mot de passe revient sans arrêt', 'the password prompt keeps coming back')],
    type: 'incident',
    service: 'email',
  },
  printer: {
    resolved: { problem: 'quality', 'quality-check': 'yes' },
    ticket: { problem: 'error', 'printer-error': fr('Erreur E000-0001, remplacer le toner', 'Error E000-0001, replace toner'), printer: 'PR-PAR-3-01' },
    quotes: ['E000-0001', 'PR-PAR-3-01'],
    type: 'incident',
    service: 'printing',
  },
  'slow-computer': {
    resolved: { symptom: 'slow', restarted: 'no', 'restart-check': 'yes' },
    ticket: { symptom: 'slow', restarted: 'yes', disk: 'no', since: 'days', 'which-laptop': LAPTOP },
    quotes: [LAPTOP],
    type: 'incident',
    service: 'workstation',
  },
  'software-request': {
    resolved: { what: 'Notepad++', portal: 'found', 'install-check': 'yes' },
    ticket: {
      what: 'Adobe Acrobat Pro',
      portal: 'missing',
      licence: 'paid',
      reason: fr('Signer et modifier les contrats PDF des clients', 'Sign and edit customer PDF contracts'),
      'request-which': LAPTOP,
    },
    quotes: ['Adobe Acrobat Pro', fr('contrats PDF des clients', 'customer PDF contracts'), LAPTOP],
    type: 'request',
    service: 'software',
  },
  'access-request': {
    resolved: { 'had-access': 'yes', 'search-lost': 'yes', fixed: 'yes', 'lost-resource': 'folder', 'lost-path': 'S:\\Finance' },
    ticket: {
      'had-access': 'no',
      resource: 'folder',
      path: 'S:\\Finance\\Budget 2027',
      access: 'write',
      reason: fr('Je remplace Paul pendant son congé', 'Covering for Paul during his leave'),
      owner: 'Marie.Durand@example.org',
    },
    quotes: ['S:\\Finance\\Budget 2027', 'marie.durand@example.org'],
    type: 'request',
    service: 'file-shares',
  },
  hardware: {
    resolved: { what: 'broken', 'broken-kind': 'laptop', damage: 'no-power', 'power-check': 'yes' },
    ticket: {
      what: 'lost',
      'lost-kind': 'laptop',
      'lost-which': LAPTOP,
      circumstances: fr('Oublié dans le train Paris-Lyon hier soir', 'Left it on the Paris-Lyon train last night'),
      police: 'yes',
    },
    quotes: [LAPTOP, fr('Oublié dans le train Paris-Lyon', 'Left it on the Paris-Lyon train')],
    type: 'incident',
    service: 'workstation',
  },
};

describe('every flow, in both languages, from the first message', () => {
  it('loaded the ten flows and trained the intent classifier on their examples', () => {
    expect(guichet.flows?.map((f) => f.id).sort()).toEqual(Object.keys(SCRIPTS).sort());
    expect(guichet.flowsReport).toMatchObject({ flows: 10 });
    expect(guichet.flowsReport!.examples).toBeGreaterThan(10 * 2 * 10);
  });

  for (const [id, script] of Object.entries(SCRIPTS)) {
    for (const lang of ['fr', 'en'] as const) {
      describe(`${id} (${lang})`, () => {
        it('ends resolved once the user confirms, with no ticket', async () => {
          const flow = guichet.flows!.find((f) => f.id === id)!;
          const chat = new Chat(`c-${id}-${lang}-resolved`);
          await chat.user(flow.examples[lang][0]!);
          expect(await chat.node(), `"${flow.examples[lang][0]}" did not start ${id}: ${chat.lastText()}`).toBeDefined();
          await chat.follow(script.resolved, lang);
          expect(chat.results.at(-1)?.lang).toBe(lang);
          expect(chat.lastText()).toMatch(lang === 'fr' ? /content que ce soit réglé|Parfait/ : /glad it’s sorted|Great/);
          expect(await chat.tickets()).toEqual([]);
          // Kept for analytics: this conversation was resolved by self-service.
          expect(await testDb.db.client.auditLog.count({ where: { action: 'flow.resolved', entityId: (await chat.row()).id } })).toBe(1);
        });

        it('ends in a ticket carrying the diagnosis record', async () => {
          const flow = guichet.flows!.find((f) => f.id === id)!;
          const chat = new Chat(`c-${id}-${lang}-ticket`);
          await chat.user(flow.examples[lang][1]!);
          expect(await chat.node(), `"${flow.examples[lang][1]}" did not start ${id}: ${chat.lastText()}`).toBeDefined();
          await chat.follow(script.ticket, lang);
          const [ticket, ...more] = await chat.tickets();
          expect(more).toEqual([]);
          expect(ticket).toMatchObject({ type: script.type, serviceId: script.service, status: 'new' });
          // The user was told the number and the due time, with the ticket's card, in the turn that created it.
          const told = chat.allText();
          expect(told).toContain(lang === 'fr' ? `Ticket #${ticket!.number} ouvert. Résolution prévue avant le` : `Ticket #${ticket!.number} opened. Resolution due by`);
          expect(chat.results.some((r) => r.replies.some((m) => m.type === 'ticket' && m.ticket.number === ticket!.number))).toBe(true);
          // The description holds the diagnosis record, in the user's language.
          const description = ticket!.description;
          expect(description).toContain(lang === 'fr' ? 'Diagnostic mené avec Guichet' : 'Diagnosis done with Guichet');
          for (const quote of script.quotes) expect(description).toContain(inLang(quote, lang));
          const diagnosis = ticket!.diagnosis as { flowId: string; steps: { node: string; text: Localized; answer?: Localized }[]; articles: { id: string; helpful: boolean | null }[] };
          expect(diagnosis.flowId).toBe(id);
          expect(diagnosis.steps.length).toBeGreaterThan(1);
          for (const s of diagnosis.steps) {
            expect(description).toContain(s.text[lang].slice(0, 50));
            if (s.answer) expect(description).toContain(`→ ${s.answer[lang]}`);
          }
          // Articles shown on the way are listed with their outcome.
          for (const a of diagnosis.articles) {
            expect(description).toContain(a.id);
            expect(a.helpful).toBe(false);
          }
          if (diagnosis.articles.length > 0) expect(description).toContain(lang === 'fr' ? 'n’a pas résolu le problème' : 'did not fix the problem');
        });
      });
    }
  }
});

/** Starts the VPN flow in French and answers the first question ("at home"): the flow then asks whether the internet works. */
async function vpnAtHome(chat: Chat): Promise<void> {
  await chat.user('le vpn ne marche pas');
  expect(await chat.node()).toBe('where');
  await chat.user('home');
  expect(await chat.node()).toBe('internet');
}

describe('a flow survives', () => {
  it('a restart of Guichet mid-flow: the new process resumes at the same question', async () => {
    const chat = new Chat('c-restart');
    await vpnAtHome(chat);
    await guichet.close();
    guichet = await open();
    await chat.user('oui');
    expect(await chat.node()).toBe('symptom');
    expect(chat.lastText()).toContain('Qu\'est-ce qui se passe exactement ?');
  });

  it('an edit of the flow: continues where the question still exists, starts again politely where it does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guichet-dialogs-'));
    try {
      await cp('dialogs', dir, { recursive: true });
      const edited = (await open(dir)) as Guichet;
      const chat = new Chat('c-edited', () => edited);
      const other = new Chat('c-edited-kept', () => edited);
      await vpnAtHome(chat);
      await vpnAtHome(other);
      await edited.close();
      // Version 2: the "internet" question is renamed (conversations waiting at it cannot go on), the rest is kept.
      const source = await readFile(join(dir, 'vpn.yml'), 'utf8');
      await writeFile(join(dir, 'vpn.yml'), source.replace('version: 1', 'version: 2').replace(/^  internet:$/m, '  internet-ok:').replace('default: internet\n', 'default: internet-ok\n'));
      const v2 = await open(dir);
      try {
        const restarted = new Chat('c-edited', () => v2);
        await restarted.user('oui');
        expect(restarted.lastText()).toContain('Ce parcours a été mis à jour entre-temps');
        expect(restarted.lastText()).toContain('Où êtes-vous en ce moment ?');
        expect(await restarted.node()).toBe('where');
        // The state now carries version 2, and the conversation goes on normally.
        expect(((await restarted.row()).state as { flow: { flowVersion: number } }).flow.flowVersion).toBe(2);
        await restarted.user('home');
        expect(await restarted.node()).toBe('internet-ok');
      } finally {
        await v2.close();
      }
      // A flow edited where the question still exists continues.
      await writeFile(join(dir, 'vpn.yml'), source.replace('version: 1', 'version: 3'));
      const v3 = await open(dir);
      try {
        const kept = new Chat('c-edited-kept', () => v3);
        await kept.user('oui');
        expect(kept.lastText()).not.toContain('mis à jour');
        expect(await kept.node()).toBe('symptom');
      } finally {
        await v3.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a retried delivery: the ticket is created once and the same answer is replayed', async () => {
    const chat = new Chat('c-retry');
    // « très lent » answers the first question (slow), which is not asked again.
    await chat.user('mon PC est très lent');
    await chat.user('oui');
    await chat.user('non');
    const first = await chat.user('days', { deliveryId: 'retry-days' });
    const again = await chat.user('days', { deliveryId: 'retry-days' });
    expect(again.duplicate).toBe(true);
    expect(again.replies).toEqual(first.replies);
    expect(await chat.tickets()).toHaveLength(1);
  });
});

describe('global commands inside a flow', () => {
  it('annuler stops the flow, with no ticket', async () => {
    const chat = new Chat('c-cancel');
    await vpnAtHome(chat);
    await chat.user('annuler');
    expect(chat.lastText()).toContain('D’accord, j’arrête là.');
    expect(await chat.node()).toBeUndefined();
    expect(await chat.tickets()).toEqual([]);
    await chat.user('annuler');
    expect(chat.lastText()).toContain('Rien n’est en cours');
  });

  it('humain hands over to a person: a ticket with the diagnosis so far, queued for agents, the SLA due time given', async () => {
    const chat = new Chat('c-agent');
    await vpnAtHome(chat);
    await chat.user('je veux parler à un humain');
    expect(await chat.node()).toBeUndefined();
    const [ticket] = await chat.tickets();
    expect(ticket).toMatchObject({ serviceId: 'vpn', relay: 'queued' });
    expect(ticket!.description).toContain('Diagnostic mené avec Guichet');
    expect(ticket!.description).toContain('Où êtes-vous en ce moment ? → À la maison');
    expect(chat.lastText()).toContain(`Je transmets votre demande à un technicien (ticket #${ticket!.number})`);
    expect(chat.lastText()).toMatch(/avant le/);
    // What the user writes next goes to the ticket for whoever takes it.
    await chat.user('c’est urgent, j’ai une démo à 14 h');
    expect(chat.lastText()).toContain(`Ajouté au ticket #${ticket!.number}`);
  });

  it('ouvrir un ticket opens the ticket right away, with the diagnosis so far, and ends the flow', async () => {
    const chat = new Chat('c-open-ticket');
    await vpnAtHome(chat);
    await chat.user('ouvrir un ticket');
    const [ticket] = await chat.tickets();
    expect(ticket).toMatchObject({ serviceId: 'vpn' });
    expect(ticket!.description).toContain('Diagnostic mené avec Guichet');
    expect(ticket!.description).toContain('Où êtes-vous en ce moment ? → À la maison');
    expect(chat.lastText()).toContain(`#${ticket!.number}`);
    expect(await chat.node()).toBeUndefined();
  });

  it('a screenshot sent mid-flow is kept for the ticket, and the question is asked again', async () => {
    const chat = new Chat('c-flow-file');
    await vpnAtHome(chat);
    const file = { name: 'erreur-809.png', url: 'https://contoso-my.sharepoint.com/personal/alice/erreur-809.png', contentType: 'image/png' };
    await chat.user('', { files: [file] });
    expect(chat.lastText()).toContain('📎 Bien reçu : « erreur-809.png ». Je le joindrai au ticket si nous en ouvrons un.');
    expect(chat.lastText()).toContain('arrivez-vous à ouvrir un site internet public');
    expect(await chat.node()).toBe('internet');
    await chat.user('ouvrir un ticket');
    const [ticket] = await chat.tickets();
    const attached = await testDb.db.client.ticketEvent.findFirstOrThrow({ where: { ticketId: ticket!.id, kind: 'files' } });
    expect(attached.data).toEqual({ files: [file] });
    expect(((await chat.row()).state as { heldFiles?: unknown }).heldFiles).toBeUndefined();
  });

  it('recommencer starts the flow again from its first question', async () => {
    const chat = new Chat('c-restart-command');
    await vpnAtHome(chat);
    await chat.user('recommencer');
    expect(chat.lastText()).toContain('je reprends ce parcours depuis le début');
    expect(chat.lastText()).toContain('Où êtes-vous en ce moment ?');
    expect(await chat.node()).toBe('where');
  });

  it('a language switch repeats the current question in the new language, and the flow goes on in it', async () => {
    const chat = new Chat('c-language');
    await vpnAtHome(chat);
    await chat.user('english please');
    expect(chat.lastText()).toContain('Sure, I’ll continue in English.');
    expect(chat.lastText()).toContain('With the VPN disconnected, can you open a public website');
    expect(await chat.node()).toBe('internet');
    await chat.user('yes');
    expect(chat.lastText()).toContain('What exactly happens?');
  });

  it('aide shows the help and recalls the current question', async () => {
    const chat = new Chat('c-help');
    await vpnAtHome(chat);
    await chat.user('aide');
    expect(chat.lastText()).toContain('Ce que je sais faire');
    expect(chat.lastText()).toContain('arrivez-vous à ouvrir un site internet public');
    expect(await chat.node()).toBe('internet');
  });

  it('mes tickets is answered by the ticket module and the flow waits at the same question', async () => {
    const chat = new Chat('c-my-tickets');
    await vpnAtHome(chat);
    await chat.user('mes tickets');
    expect(chat.results.at(-1)!.replies[0]!.type).toMatch(/^tickets?|text$/);
    expect(await chat.node()).toBe('internet');
    await chat.user('oui');
    expect(await chat.node()).toBe('symptom');
  });
});

describe('leaving a flow', () => {
  it('a message about something else asks before leaving; yes starts the other flow', async () => {
    const chat = new Chat('c-leave');
    await vpnAtHome(chat);
    await chat.user('mon imprimante n’imprime plus rien du tout');
    expect(chat.lastText()).toContain('Nous étions en train de voir « Le VPN ne se connecte pas »');
    expect(await chat.node()).toBe('internet');
    await chat.user('oui');
    expect(chat.lastText()).toContain('je laisse « Le VPN ne se connecte pas » de côté');
    expect(((await chat.row()).state as { flow: { flowId: string } }).flow.flowId).toBe('printer');
  });

  it('no keeps the flow and asks its question again', async () => {
    const chat = new Chat('c-stay');
    await vpnAtHome(chat);
    await chat.user('mon imprimante n’imprime plus rien du tout');
    await chat.user('non');
    expect(chat.lastText()).toContain('D’accord, on continue.');
    expect(chat.lastText()).toContain('arrivez-vous à ouvrir un site internet public');
    expect(((await chat.row()).state as { flow: { flowId: string; nodeId: string } }).flow).toMatchObject({ flowId: 'vpn', nodeId: 'internet' });
  });
});

describe('out of scope', () => {
  const question = 'Comment réserver un vélo de fonction pour la semaine prochaine ?';

  it('goes to the knowledge base; nothing good found → a ticket or a person is offered', async () => {
    const chat = new Chat('c-oos');
    await chat.user(question);
    expect(await chat.node()).toBeUndefined();
    const replies = chat.results.at(-1)!.replies;
    expect(replies[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/pas trouvé de réponse fiable/) });
    expect(replies[1]).toMatchObject({ type: 'choices', choices: [{ value: `ouvrir un ticket : ${question}` }, { value: 'humain' }] });
    await chat.user('humain');
    const [ticket] = await chat.tickets();
    expect(ticket).toMatchObject({ title: question.slice(0, 80), relay: 'queued' });
    expect(ticket!.description).toContain(question);
    expect(chat.lastText()).toContain(`ticket #${ticket!.number}`);
  });

  it('the "open a ticket" button opens a ticket about the question', async () => {
    const chat = new Chat('c-oos-ticket');
    await chat.user(question);
    const offer = chat.results.at(-1)!.replies[1];
    expect(offer?.type).toBe('choices');
    await chat.user(offer?.type === 'choices' ? offer.choices[0]!.value : '');
    const [ticket] = await chat.tickets();
    expect(ticket!.description).toContain(question);
    expect(chat.lastText()).toContain(`J’ai ouvert le ticket #${ticket!.number}`);
  });
});

describe('a known outage on the flow’s service', () => {
  it('is announced from the desk’s open major incidents; "yes, that’s it" shows the incident and makes the user a follower, no ticket of their own', async () => {
    const incident = await testDb.db.client.majorIncident.create({
      data: { number: 901, serviceId: 'vpn', title: { fr: 'Passerelle VPN indisponible', en: 'VPN gateway down' }, impact: 'high', status: 'open', startedAt: new Date('2026-11-23T08:42:00Z') },
    });
    try {
      const chat = new Chat('c-outage');
      await chat.user('le vpn ne marche pas');
      expect(chat.lastText()).toContain('Un incident est en cours depuis 09:42 : « Passerelle VPN indisponible »');
      await chat.user('oui');
      expect(chat.results.at(-1)!.replies.some((m) => m.type === 'incident' && m.incident.number === 901)).toBe(true);
      expect(chat.lastText()).toContain('je vous préviens dès que l’incident est résolu');
      expect(await chat.node()).toBeUndefined();
      // No ticket to work on separately: the user follows the incident, so that its updates and its end reach them.
      expect(await chat.tickets()).toEqual([]);
      expect(await testDb.db.client.majorIncidentFollower.count({ where: { majorIncidentId: incident.id, userId: (await chat.row()).userId! } })).toBe(1);
    } finally {
      await testDb.db.client.majorIncident.update({ where: { id: incident.id }, data: { status: 'resolved', resolvedAt: new Date() } });
    }
  });
});

describe('the turn router on first messages (issue 14)', () => {
  it('a complaint: acknowledged, the open tickets found, and the manager alerted when the user asks', async () => {
    const opening = new Chat('c-complaint-ticket');
    await opening.user('le vpn ne marche pas');
    await opening.follow(SCRIPTS.vpn!.ticket, 'fr');
    const [ticket] = await opening.tickets();
    expect(ticket?.status).toBe('new');

    const chat = new Chat('c-complaint');
    const result = await chat.user("c'est la troisième fois que je vous écris pour le vpn, personne ne fait rien !");
    expect(result.decision).toMatchObject({ route: 'ticket', reason: expect.stringMatching(/^complaint: \d+ open$/) });
    expect(chat.lastText()).toContain('Je comprends votre agacement');
    expect(result.replies.some((r) => r.type === 'tickets' && r.tickets.some((t) => t.number === ticket!.number))).toBe(true);
    const offer = result.replies.at(-1)!;
    expect(offer.type).toBe('choices');
    const escalate = offer.type === 'choices' ? offer.choices.find((c) => c.value.startsWith(`escalate #${ticket!.number}:`)) : undefined;
    expect(escalate?.value).toContain('personne ne fait rien');
    // Nothing escalated until the user asks; then a hierarchical escalation on the timeline, state and owner unchanged.
    expect(await testDb.db.client.ticketEvent.count({ where: { ticketId: ticket!.id, kind: 'escalated' } })).toBe(0);
    await chat.user(escalate!.value);
    const events = await testDb.db.client.ticketEvent.findMany({ where: { ticketId: ticket!.id, kind: 'escalated' } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.data)).toContain('hierarchical');
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticket!.number } })).status).toBe('new');
  });

  it('two problems in one message: the first guide, then « shall we look at the other one? » starts the second', async () => {
    const chat = new Chat('c-two-problems');
    const first = await chat.user('mon VPN ne se connecte pas et en plus outlook plante sans arrêt');
    expect(first.decision).toMatchObject({ route: 'flow', flow: 'vpn' });
    expect(chat.lastText()).toContain('deux problèmes');
    // The VPN guide to its end (resolved): then the second problem is offered, not forgotten.
    await chat.follow(SCRIPTS.vpn!.resolved, 'fr');
    expect(await chat.node()).toBeUndefined();
    const offer = chat.results.at(-1)!.replies.at(-1)!;
    expect(offer).toMatchObject({ type: 'choices', choices: [{ value: 'yes' }, { value: 'no' }] });
    expect(renderPlainText(offer)).toContain('Outlook');
    const second = await chat.user('oui');
    expect(second.decision).toMatchObject({ route: 'flow', flow: 'outlook', reason: 'next problem' });
    expect(await chat.node()).toBeDefined();
  });

  it('the other problem declined: nothing starts and it is not offered again', async () => {
    const chat = new Chat('c-two-problems-no');
    await chat.user('my vpn keeps failing and also outlook crashes every time I open it');
    await chat.follow(SCRIPTS.vpn!.resolved, 'en');
    expect(chat.lastText()).toContain('Outlook');
    const declined = await chat.user('nope');
    expect(declined.decision).toMatchObject({ route: 'smalltalk', reason: 'next problem declined' });
    expect(await chat.node()).toBeUndefined();
    expect(((await chat.row()).state as { nextProblem?: unknown }).nextProblem).toBeUndefined();
  });

  it('a phishing click with the password typed: advice now and a P1 ticket for the security team', async () => {
    const chat = new Chat('c-route-phishing');
    const result = await chat.user("j'ai cliqué sur un lien dans un mail bizarre et j'ai tapé mon mot de passe");
    expect(result.decision).toMatchObject({ route: 'ticket', urgent: true, reason: 'safety:phishing' });
    expect(chat.lastText()).toContain('changez votre mot de passe depuis un autre appareil');
    const [ticket, ...more] = await chat.tickets();
    expect(more).toEqual([]);
    expect(ticket).toMatchObject({ serviceId: 'identity', category: 'security', priority: 1, groupId: 'infrastructure' });
  });

  it('the canteen menu is not IT: where to go, no ticket, no language picker', async () => {
    const chat = new Chat('c-route-canteen');
    const result = await chat.user("c'est quoi le menu de la cantine ?");
    expect(result.decision).toMatchObject({ route: 'out_of_scope', reason: 'other-service:canteen' });
    expect(chat.lastText()).toContain('Ce n’est pas une question informatique');
    expect(result.replies.some((r) => r.type === 'choices')).toBe(false);
    expect(await chat.tickets()).toEqual([]);
  });

  it('an outage question with no outage declared asks what does not work', async () => {
    const chat = new Chat('c-route-outage');
    const result = await chat.user("est-ce qu'il y a une panne en ce moment ?");
    expect(result.decision?.route).toBe('outage');
    expect(chat.lastText()).toBe('Aucune panne générale n’est déclarée en ce moment. Qu’est-ce qui ne marche pas chez vous ?');
  });

  it('a locked account starts the lockout branch of the password guide', async () => {
    const chat = new Chat('c-route-locked');
    const result = await chat.user('mon compte est bloqué depuis ce matin');
    expect(result.decision).toMatchObject({ route: 'flow', flow: 'password' });
    expect(await chat.node()).toBe('relocks');
  });

  it('the VPN from home does not ask where the user is', async () => {
    const chat = new Chat('c-route-vpn-home');
    await chat.user('le VPN ne se connecte pas depuis chez moi');
    expect(chat.lastText()).not.toContain('Où êtes-vous');
    expect(await chat.node()).toBe('internet');
  });

  it('an urgent problem raises the urgency of the guide’s ticket', async () => {
    const chat = new Chat('c-route-urgent');
    const result = await chat.user("l'imprimante affiche une erreur et toute l'équipe compta est bloquée");
    expect(result.decision).toMatchObject({ route: 'flow', flow: 'printer', urgent: true });
  });
});
