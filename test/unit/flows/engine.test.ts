/**
 * The engine on its fixture flow (test/fixtures/dialogs/demo/demo.yml): every
 * node kind, re-asks and the human offer, the diagnosis, resuming from JSON
 * and from an edited flow, and no input that makes it throw.
 */
import { describe, expect, it } from 'vitest';
import { GuichetError } from '../../../src/core/errors.ts';
import { cancelFlow, handOffFlow, resumeFlow, startFlow, step } from '../../../src/flows/engine.ts';
import type { Flow } from '../../../src/flows/schema.ts';
import type { FlowState, MajorIncident } from '../../../src/flows/types.ts';
import { FakeKnowledge, FlowDriver, LAPTOP, PHONE, article, context, fixtureFlows, realFlows } from './flow-driver.ts';

const flows = fixtureFlows('demo');
const demo = flows[0] as Flow;
const VPN_DOWN: MajorIncident = { id: 'MI-7', serviceId: 'vpn', title: { fr: 'VPN indisponible', en: 'VPN down' }, startedAt: '2026-11-23T08:42:00Z' };

/** The way out every guide question offers: leave the guide, or talk to a person. */
const OUT_FR = [{ label: 'Autre chose', value: 'cancel' }, { label: 'Parler à un technicien', value: 'agent' }];
const OUT_EN = [{ label: 'Something else', value: 'cancel' }, { label: 'Talk to an agent', value: 'agent' }];

describe('flow engine: asking', () => {
  it('starts at the first question, with a button per option (values are language-neutral)', () => {
    const chat = new FlowDriver(flows, 'demo');
    const result = chat.start('le vpn plante');
    expect(result.replies).toEqual([
      { type: 'choices', text: 'Où êtes-vous ?', choices: [{ label: 'À la maison', value: 'home' }, { label: 'Au bureau', value: 'office' }, { label: 'Ailleurs', value: 'away' }, ...OUT_FR] },
    ]);
    expect(result.state).toMatchObject({ flowId: 'demo', flowVersion: 1, nodeId: 'where', slots: { utterance: 'le vpn plante' }, retries: 0, pending: null });
  });

  it.each([
    ['office', 'count'],
    ['Au bureau', 'count'],
    ['at the office', 'count'],
    ['je suis chez moi', 'search'],
    ['3', 'advice-check'],
  ])('reads the choice "%s" (value, label in any language, also-word, position)', (text, node) => {
    const chat = new FlowDriver(flows, 'demo');
    chat.start();
    expect(chat.user(text).state?.nodeId).toBe(node);
  });

  it('re-asks an invalid answer with the slot error, then offers a human after the node retries', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'fr' });
    chat.start('vpn');
    chat.user('office');
    expect(chat.user('beaucoup').replies).toEqual([
      { type: 'text', text: 'Un nombre entre 1 et 50, svp.' },
      { type: 'choices', text: 'Combien de personnes ?', choices: OUT_FR },
    ]);
    expect(chat.user('51').replies[0]).toEqual({ type: 'text', text: 'Un nombre entre 1 et 50, svp.' }); // out of range: invalid too
    expect(chat.user('plein').replies).toEqual([
      {
        type: 'choices',
        text: 'Je n’arrive pas à comprendre votre réponse. Voulez-vous que je vous passe un technicien du support ?',
        choices: [{ label: 'Parler à un technicien', value: 'agent' }, { label: 'Réessayer', value: 'retry' }],
      },
    ]);
    const handoff = chat.user('agent');
    expect(handoff.state).toBeNull();
    expect(handoff.outcome).toBe('handoff');
    expect(handoff.effects).toEqual([
      expect.objectContaining({ kind: 'handoff', reason: 'Réponse incomprise à la question : Combien de personnes ?', flowId: 'demo', serviceId: 'vpn' }),
    ]);
    const [effect] = handoff.effects;
    expect(effect?.kind === 'handoff' && effect.summary).toContain('1. Où êtes-vous ? → Au bureau');
  });

  it('takes a valid answer while the human offer shows, and starts counting again after "try again"', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'en' });
    chat.start();
    chat.say(['x', 'y']); // `where` allows 1 retry: the second invalid answer brings the offer
    expect(chat.lastText()).toBe('I can’t make sense of your answer. Would you like me to pass you to a service desk agent?');
    chat.user('retry');
    expect(chat.lastText()).toBe('Where are you?');
    chat.user('z');
    expect(chat.lastReplies()[0]).toEqual({ type: 'text', text: 'Please pick one of the options below.' });
    chat.user('w');
    expect(chat.lastText()).toMatch(/^I can’t make sense/);
    chat.user('elsewhere');
    expect(chat.lastText()).toBe('Does it work now?');
  });

  it('branches on a number, fills placeholders with values, and shows "I don\'t know" as not given', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'fr' });
    chat.start();
    chat.say(['office', 'nous sommes 12']);
    expect(chat.lastReplies()).toEqual([
      { type: 'text', text: 'Beaucoup (12) !' },
      { type: 'choices', text: 'Votre manager ?', choices: [{ label: 'Je ne sais pas', value: 'none' }, ...OUT_FR] },
    ]);
    chat.say(['je ne sais pas', "j'ai l'erreur 0x80070005", 'non']);
    const [ticket] = chat.tickets();
    expect(ticket?.diagnosis.steps.filter((s) => s.kind === 'answer').map((s) => [s.node, s.answer?.fr])).toEqual([
      ['where', 'Au bureau'],
      ['count', '12'],
      ['email', 'non précisé'],
      ['code', '0x80070005'],
    ]);
    const small = new FlowDriver(flows, 'demo');
    small.start();
    expect(small.say(['office', '3']).state?.nodeId).toBe('search');
  });
});

describe('flow engine: search, checks and endings', () => {
  it('shows the best article and, when it fixed the problem, ends resolved without asking twice', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'fr' });
    chat.start('vpn ko');
    expect(chat.user('home').replies).toEqual([
      { type: 'article', article: article('KB-1', 'fr'), confidence: 0.8 },
      { type: 'choices', text: 'Est-ce que cela a résolu votre problème ?', choices: [{ label: 'Oui, c’est réglé', value: 'yes' }, { label: 'Non, toujours pas', value: 'no' }] },
    ]);
    const done = chat.user('oui');
    expect(done.outcome).toBe('resolved');
    expect(done.effects).toEqual([
      { kind: 'record-feedback', articleId: 'KB-1', lang: 'fr', helpful: true, query: 'vpn À la maison vpn ko' },
      { kind: 'resolved', flowId: 'demo', serviceId: 'vpn' },
    ]);
    expect(done.replies).toEqual([{ type: 'text', text: 'Parfait, content que ce soit réglé ! Revenez me voir si besoin.' }]);
  });

  it('builds the query from slots (labels) and the first message, on the flow service', () => {
    const knowledge = new FakeKnowledge();
    const chat = new FlowDriver(flows, 'demo', { knowledge, lang: 'en' });
    chat.start('vpn drops');
    chat.user('home');
    expect(knowledge.queries).toEqual([{ query: 'vpn At home vpn drops', services: ['vpn'] }]);
  });

  it('opens a ticket with the diagnosis when the article did not help, naming the laptop from the inventory', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'fr', assets: [LAPTOP, PHONE] });
    chat.start('vpn ko');
    const result = chat.say(['home', 'non']);
    expect(result.effects[0]).toEqual({ kind: 'record-feedback', articleId: 'KB-1', lang: 'fr', helpful: false, query: 'vpn À la maison vpn ko' });
    expect(result.replies.map(FlowDriver.textOf)).toEqual([
      'Dans l’inventaire, je vois : Dell Latitude 5440 (LT-004211).',
      'J’ouvre un ticket avec tout ce que nous avons vérifié ensemble ; vous recevez son numéro dans un instant.',
      'Cette demande doit d’abord être approuvée par votre manager ; je vous préviens dès qu’il ou elle a répondu.',
      'Le support revient vers vous ici même.',
    ]);
    expect(result.outcome).toBe('ticket');
    const [ticket] = chat.tickets();
    expect(ticket).toMatchObject({ type: 'incident', category: 'demo', serviceId: 'vpn', impact: 'low', urgency: 'medium', approval: 'manager', title: 'Démo (À la maison) sur LT-004211' });
    expect(ticket?.description).toBe(
      [
        'Premier message : vpn ko',
        '',
        'Diagnostic mené avec Guichet (parcours « Parcours de démonstration ») :',
        '1. Où êtes-vous ? → À la maison',
        '2. Article KB-1 « Article KB-1 » : n’a pas résolu le problème',
        '3. Appareil trouvé dans l’inventaire : Dell Latitude 5440 (LT-004211)',
        '',
        'Articles proposés :',
        '- KB-1 « Article KB-1 » : n’a pas résolu le problème',
        '',
        'Appareils concernés :',
        '- Dell Latitude 5440 (LT-004211, laptop)',
      ].join('\n'),
    );
    expect(ticket?.diagnosis.articles).toEqual([{ id: 'KB-1', lang: 'fr', title: 'Article KB-1', helpful: false }]);
  });

  it('offers close articles to choose from, then asks about the one picked; "none of these" moves on', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'en', knowledge: new FakeKnowledge('choose') });
    chat.start();
    expect(chat.user('home').replies).toEqual([
      {
        type: 'choices',
        text: 'A few articles could match. Which one looks most like your problem?',
        choices: [
          { label: 'Article in English KB-1a', value: 'KB-1a' },
          { label: 'Article in English KB-1b', value: 'KB-1b' },
          { label: 'None of these', value: 'none' },
        ],
      },
    ]);
    expect(chat.user('KB-1b').replies[0]).toEqual({ type: 'article', article: article('KB-1b', 'en'), confidence: 0.8 });
    expect(chat.user('yes').effects[0]).toEqual({ kind: 'record-feedback', articleId: 'KB-1b', lang: 'en', helpful: true, query: 'vpn At home' });

    const other = new FlowDriver(flows, 'demo', { lang: 'en', knowledge: new FakeKnowledge('choose'), assets: [] });
    other.start();
    other.say(['home', 'none of these']);
    expect(other.lastText()).toBe('Which laptop?');
    expect(other.effects).toEqual([]);
  });

  it('goes on to not-fixed when no article is found, and records it', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'fr', knowledge: new FakeKnowledge('none') });
    chat.start('vpn');
    chat.user('home');
    expect(chat.tickets()[0]?.diagnosis.steps.map((s) => s.text.fr)).toEqual([
      'Où êtes-vous ?',
      'Aucun article trouvé pour « vpn À la maison vpn »',
      'Appareil trouvé dans l’inventaire : Dell Latitude 5440 (LT-004211)',
    ]);
  });

  it('asks which laptop when the inventory has several (buttons) or none (typed tag, re-asked when invalid)', () => {
    const second = { tag: 'LT-009001', kind: 'laptop', name: 'Dell Latitude 7440' };
    const chat = new FlowDriver(flows, 'demo', { lang: 'fr', assets: [LAPTOP, second, PHONE] });
    chat.start();
    chat.say(['home', 'non']);
    expect(chat.lastReplies().at(-1)).toEqual({
      type: 'choices',
      text: 'Quel PC ?',
      choices: [
        { label: 'Dell Latitude 5440 (LT-004211)', value: 'LT-004211' },
        { label: 'Dell Latitude 7440 (LT-009001)', value: 'LT-009001' },
        ...OUT_FR,
      ],
    });
    chat.user('le latitude 7440');
    expect(chat.tickets()[0]?.title).toBe('Démo (À la maison) sur LT-009001');

    const none = new FlowDriver(flows, 'demo', { lang: 'en', assets: [] });
    none.start();
    none.say(['home', 'no']);
    expect(none.lastReplies().at(-1)).toEqual({ type: 'choices', text: 'Which laptop?', choices: OUT_EN });
    expect(none.user('the grey one').replies[0]).toEqual({ type: 'text', text: 'I didn’t recognise an asset tag (like LT-004211, on the label under the device).' });
    none.user('tag lt-123456');
    expect(none.tickets()[0]?.title).toBe('Demo (At home) on LT-123456');
  });

  it('asks "is it working now?" at an end: resolved reached without an article, and goes on when it is not', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'fr' });
    chat.start();
    expect(chat.user('away').replies.map(FlowDriver.textOf)).toEqual(['Redémarrez la box.', 'Ça marche maintenant ?']);
    expect(chat.user('toujours pas').state?.nodeId).toBe('search');
    const yes = new FlowDriver(flows, 'demo', { lang: 'fr' });
    yes.start();
    yes.user('away');
    expect(yes.user('oui ça marche').effects).toEqual([{ kind: 'resolved', flowId: 'demo', serviceId: 'vpn' }]);
  });

  it('announces an open major incident on the flow service and links the user who confirms it', () => {
    const other = { ...VPN_DOWN, id: 'MI-1', serviceId: 'email' };
    const chat = new FlowDriver(flows, 'demo', { lang: 'fr', incidents: [other, VPN_DOWN] });
    expect(chat.start().replies).toEqual([
      {
        type: 'choices',
        text: '⚠️ Un incident est en cours depuis 09:42 : « VPN indisponible ». Nos équipes travaillent dessus. Est-ce bien ce que vous constatez ?',
        choices: [{ label: 'Oui, c’est ça', value: 'yes' }, { label: 'Non, c’est autre chose', value: 'no' }],
      },
    ]);
    const linked = chat.user('oui');
    expect(linked.effects).toEqual([{ kind: 'link-major-incident', id: 'MI-7' }]);
    expect(linked.outcome).toBe('major-incident');

    const notMine = new FlowDriver(flows, 'demo', { lang: 'en', incidents: [VPN_DOWN], now: new Date('2026-11-24T10:00:00Z') });
    expect(notMine.start().replies[0]?.type === 'choices' && notMine.lastText()).toContain('since 23 Nov, 09:42');
    expect(notMine.user('no, something else').state?.nodeId).toBe('where');
    expect(JSON.parse(notMine.stored ?? '{}').diagnosis.steps[0].text.en).toBe('Major incident MI-7 “VPN down” open: the user says it is not their problem');
  });

  it('hands off with the flow reason from a handoff node', () => {
    const chat = new FlowDriver(flows, 'demo', { lang: 'en' });
    const started = chat.start();
    // `done` (end resolved) only follows a fixed article; its not-fixed target is the handoff node.
    const state = { ...(started.state as FlowState), nodeId: 'done' };
    const result = step(demo, state, { text: 'no' }, chat.ctx);
    expect(result.outcome).toBe('handoff');
    expect(result.effects[0]).toMatchObject({ kind: 'handoff', reason: 'Still broken (…)' });
  });
});

describe('flow engine: state', () => {
  it('never changes the state it is given, and its state survives a JSON round trip unchanged', () => {
    const ctx = context({ lang: 'fr' });
    const first = startFlow(demo, ctx, { text: 'vpn' });
    const state = first.state as FlowState;
    const frozen = JSON.stringify(state);
    const next = step(demo, state, { text: 'home' }, ctx);
    expect(JSON.stringify(state)).toBe(frozen);
    const revived = JSON.parse(JSON.stringify(next.state)) as FlowState;
    expect(revived).toEqual(next.state);
    // A restart between turns: the revived state gives the same turn as the live one.
    expect(step(demo, revived, { text: 'non' }, ctx)).toEqual(step(demo, next.state as FlowState, { text: 'non' }, ctx));
  });

  it('resumes a stored state: same version, or a new version where the waiting node still exists', () => {
    const ctx = context();
    const state = JSON.parse(JSON.stringify(startFlow(demo, ctx).state));
    expect(resumeFlow(flows, state, ctx)).toEqual({ kind: 'continue', flow: demo, state });
    const edited: Flow = { ...demo, version: 2, nodes: { ...demo.nodes, many: { kind: 'say', text: { fr: 'Ok', en: 'Ok' }, next: 'search' } } };
    const resumed = resumeFlow([edited], state, ctx);
    expect(resumed).toEqual({ kind: 'continue', flow: edited, state: { ...state, flowVersion: 2 } });
    if (resumed.kind === 'continue') expect(step(edited, resumed.state, { text: 'office' }, ctx).state?.nodeId).toBe('count');
  });

  it('restarts politely when the node the conversation waits at was removed from the flow', () => {
    const ctx = context({ lang: 'en' });
    const chat = new FlowDriver(flows, 'demo', { lang: 'en' });
    chat.start('vpn is dead');
    chat.user('office'); // now waiting at `count`
    const { count: _removed, ...nodes } = demo.nodes;
    const edited: Flow = { ...demo, version: 2, nodes: { ...nodes, route: { kind: 'branch', cases: [], default: 'search' } as never } };
    const resumed = resumeFlow([edited], JSON.parse(chat.stored ?? 'null'), ctx);
    expect(resumed.kind).toBe('restarted');
    if (resumed.kind !== 'restarted') return;
    expect(resumed.result.replies.map(FlowDriver.textOf)).toEqual([
      'This guide was updated in the meantime, so I’m starting it again from the beginning to keep things straight.',
      'Where are you?',
    ]);
    expect(resumed.result.state).toMatchObject({ flowVersion: 2, nodeId: 'where', slots: { utterance: 'vpn is dead' } });
  });

  it('restarts when the waiting node changed kind under a pending article, and gives up on a removed flow or garbage', () => {
    const ctx = context({ lang: 'fr' });
    const chat = new FlowDriver(flows, 'demo');
    chat.start();
    chat.user('home'); // article shown, pending at `search`
    const stored = JSON.parse(chat.stored ?? 'null');
    const edited: Flow = { ...demo, version: 3, nodes: { ...demo.nodes, search: { kind: 'say', text: { fr: 'x', en: 'x' }, next: 'device' } } };
    expect(resumeFlow([edited], stored, ctx).kind).toBe('restarted');
    for (const saved of [stored, { nonsense: true }, null]) {
      const gone = resumeFlow(saved === stored ? [] : flows, saved, ctx);
      expect(gone).toEqual({
        kind: 'gone',
        result: { state: null, replies: [{ type: 'text', text: 'Désolé, je ne retrouve plus où nous en étions. Pouvez-vous me redécrire votre problème ?' }], effects: [], outcome: 'cancelled' },
      });
    }
  });

  it('throws a coded error on a state that does not belong to the flow given (programmer error)', () => {
    const ctx = context();
    const state = startFlow(demo, ctx).state as FlowState;
    expect(() => step({ ...demo, version: 2 }, state, { text: 'home' }, ctx)).toThrow(GuichetError);
    expect(() => step(demo, { ...state, nodeId: 'advice' }, { text: 'home' }, ctx)).toThrow(/does not wait at node "advice"/);
  });

  it('cancels on request, and hands off on request with the diagnosis so far', () => {
    const ctx = context({ lang: 'en' });
    const started = startFlow(demo, ctx, { text: 'vpn' });
    const asked = step(demo, started.state as FlowState, { text: 'office' }, ctx).state as FlowState;
    expect(cancelFlow(demo, asked, ctx)).toEqual({
      state: null,
      replies: [{ type: 'text', text: 'OK, I’ll stop here. Tell me about another problem whenever you like.' }],
      effects: [],
      outcome: 'cancelled',
    });
    const handed = handOffFlow(demo, asked, ctx);
    expect(handed.outcome).toBe('handoff');
    expect(handed.effects[0]).toMatchObject({ kind: 'handoff', reason: 'The user asked to talk to an agent', diagnosis: { steps: [expect.objectContaining({ node: 'where' })] } });
  });
});

describe('flow engine: robustness', () => {
  /** A small deterministic generator (mulberry32), so a failure replays. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const NOISE = ['', '?', 'asdf', '🙂', 'oui mais non', '0', '99999', 'x'.repeat(5000), '{utterance}', 'DROP TABLE', 'agent', 'retry', 'none', 'LT-000001', 'a@b.co'];

  it('never throws on any input, in any real flow, and always answers while the flow runs', () => {
    for (const flow of realFlows()) {
      for (const lang of ['fr', 'en'] as const) {
        for (let seed = 1; seed <= 15; seed += 1) {
          const next = random(seed * 31 + flow.id.length);
          const modes = ['answer', 'choose', 'none'] as const;
          const chat = new FlowDriver([flow], flow.id, {
            lang,
            knowledge: new FakeKnowledge(modes[seed % 3]),
            assets: seed % 2 ? [LAPTOP, PHONE] : [],
            incidents: seed % 5 === 0 ? [{ ...VPN_DOWN, serviceId: flow.service }] : [],
          });
          chat.start(flow.examples[lang][seed % 10] ?? '');
          for (let turn = 0; turn < 40 && !chat.ended; turn += 1) {
            const last = chat.lastReplies().at(-1);
            const buttons = last?.type === 'choices' ? last.choices.map((c) => c.value) : [];
            const pool = next() < 0.7 && buttons.length > 0 ? buttons : NOISE;
            const result = chat.user(pool[Math.floor(next() * pool.length)] ?? '');
            expect(result.replies.length, `${flow.id} ${lang} seed ${seed}`).toBeGreaterThan(0);
          }
        }
      }
    }
  });
});
