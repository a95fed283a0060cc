/**
 * Secrets typed in chat never kept (issue #19), through the core on a real database: what is stored
 * (transcript, tickets, their timeline, gaps, every table), what reaches the agents' channel through the
 * relay, what is logged (pino at debug level, captured); the user told once, the reset offered.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { OutboundChannels } from '../../src/core/channel-contract.ts';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { SECRET_MASK } from '../../src/core/secrets.ts';
import { createLogger } from '../../src/log.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { rowsContaining } from '../helpers/every-row.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

let testDb: TestDatabase;
let guichet: Guichet;
const clock = new FakeClock(new Date('2026-11-24T08:00:00Z')); // Tuesday 09:00 in Paris
const poster = new RecordingPoster('slack', (address, index) => ({ channelId: (address as { channelId: string }).channelId, ts: `1700000000.00000${index}` }));
const logged: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logged.push(String(chunk));
    done();
  },
});
const log = createLogger('debug', sink);
let sequence = 0;

const people = {
  alice: { externalId: 'U0ALICE', displayName: 'Alice Martin', email: 'alice.martin@example.org', locale: 'fr-FR' },
  bruno: { externalId: 'U0BRUNO', displayName: 'Bruno Petit', email: 'bruno.petit@example.org', locale: 'en-GB' },
  carla: { externalId: 'U0CARLA', displayName: 'Carla Diaz', email: 'carla.diaz@example.org', locale: 'en-GB' },
} as const;
type Who = keyof typeof people;

const say = (who: Who, text: string, action?: { verb: string; data: Record<string, unknown> }): Promise<TurnResult> =>
  guichet.turn({
    channel: 'slack',
    tenantId: 'T0ACME',
    deliveryId: `Ev${++sequence}`,
    user: people[who],
    conversation: { externalId: `D-${people[who].externalId}`, kind: 'personal' },
    text,
    ...(action ? { action } : {}),
  });
const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');

/** The secrets typed in this file: none may be found anywhere. */
const SECRETS = ['Soleil2024!', '482913', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'Azerty!9', 'hunter2', 'Tr0ub4dor&3'];

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({
    databaseUrl: testDb.url,
    defaultLang: 'fr',
    knowledgeDir: 'knowledge',
    configDir: 'config',
    dialogsDir: 'dialogs',
    clock,
    notifier: new RecordingNotifier(),
    logger: log,
    onEffectError: (err) => log.warn({ err }, 'work after a turn failed'),
    channels: new OutboundChannels([{ poster, threadKeyOf: (post) => `slack|T0ACME|${(post as { channelId: string; ts: string }).channelId}:${(post as { ts: string }).ts}` }]),
    publicUrl: 'https://guichet.example.org',
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });
  await testDb.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'slack', address: { teamId: 'T0ACME', channelId: 'C0DESK' } } });
}, 60_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

describe('a password typed in chat', () => {
  it('is masked in the transcript, the user warned once and offered the reset', async () => {
    const first = await say('alice', "mon mdp c'est Soleil2024! ça marche pas");
    const text = plain(first);
    expect(text).toMatch(/J'ai masqué ce qui ressemblait à un mot de passe/);
    expect(text).toMatch(/considéré comme compromis/);
    // The password guide runs (the masked words still say "password problem"), or its button is offered.
    const offered = first.replies.some((r) => r.type === 'choices' && r.choices.some((c) => c.value === 'réinitialiser mon mot de passe'));
    expect(offered || first.decision?.flow === 'password').toBe(true);
    const lines = await testDb.db.client.message.findMany({ where: { direction: 'in' }, orderBy: { createdAt: 'asc' } });
    expect(lines.map((l) => l.text)).toEqual([`mon mdp c'est ${SECRET_MASK} ça marche pas`]);

    // Told once per conversation: the next secret is masked without the lecture.
    const again = await say('alice', 'pwd: Azerty!9');
    expect(plain(again)).not.toMatch(/J'ai masqué/);
    expect(plain(again)).toMatch(/compromis/);
    expect((await testDb.db.client.conversation.findFirstOrThrow({ where: { externalId: 'D-U0ALICE' } })).state).toMatchObject({ secretWarned: true });
  });

  it('never reaches the ticket, the agents’ card or the relayed thread', async () => {
    await say('alice', 'annuler');
    const opened = await say('alice', 'ouvrir un ticket : Outlook refuse, my password is hunter2');
    const number = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
    expect(plain(opened)).toMatch(new RegExp(`#${number}`));
    const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } });
    expect(`${ticket.title}\n${ticket.description}`).toContain(SECRET_MASK);

    await guichet.handoff!.escalate(number, { live: true });
    const card = poster.posted.find((p) => p.kind === 'post')!.messages[0]!;
    expect(JSON.stringify(card)).toContain(SECRET_MASK);
    expect(plain(await say('bruno', `take #${number}`))).toMatch(new RegExp(`#${number}`));

    // Live relay: the requester's code goes to the thread masked.
    const before = poster.posted.filter((p) => p.kind === 'reply').length;
    const relayed = await say('alice', 'le code reçu est 482913');
    expect(plain(relayed)).not.toMatch(/J'ai masqué/);
    const thread = poster.posted.filter((p) => p.kind === 'reply').slice(before);
    expect(thread.map((p) => p.messages.map(renderPlainText).join('\n')).join('\n')).toBe(`Alice Martin : le code reçu est ${SECRET_MASK}`);
    const info = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'info' } });
    expect(JSON.stringify(info.map((i) => i.data))).toContain(`le code reçu est ${SECRET_MASK}`);
  });

  it('is masked in a card submit and in a knowledge gap', async () => {
    const gap = await say('carla', 'the zorglub synchroniser says token: ghp_16C7e42F292c6912E7710c838347Ae178B4a');
    expect(plain(gap)).toMatch(/I masked what looked like a password/);
    const gaps = await testDb.db.client.unansweredQuery.findMany();
    expect(gaps.map((g) => g.text)).toContain(`the zorglub synchroniser says token: ${SECRET_MASK}`);
    const rows = await testDb.db.client.message.findMany({ where: { direction: 'in', user: { email: people.carla.email } } });
    expect(rows.map((r) => r.text)).toEqual([`the zorglub synchroniser says token: ${SECRET_MASK}`]);

    // A ticket form's fields are masked like typed text.
    const data = { service: 'email', impact: 3, urgency: 3, title: 'Mail client sign-in', description: 'It refuses my password=Tr0ub4dor&3 since this morning' };
    expect(plain(await say('carla', '', { verb: 'ticket.create-form', data }))).toMatch(/#\d+/);
    const made = await testDb.db.client.ticket.findFirstOrThrow({ where: { title: 'Mail client sign-in' } });
    expect(made.description).toBe(`It refuses my password=${SECRET_MASK} since this morning`);
  });

  it('is found in no table and no log line', async () => {
    for (const secret of SECRETS) expect({ secret, rows: await rowsContaining(testDb.db, secret) }).toEqual({ secret, rows: {} });
    expect(logged.length).toBeGreaterThan(0);
    const all = logged.join('');
    for (const secret of SECRETS) expect(all).not.toContain(secret);
  });
});
