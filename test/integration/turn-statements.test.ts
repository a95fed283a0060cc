/**
 * How many SQL statements a web chat turn sends to the database (issue #20: Prisma's per-statement
 * cost was most of a turn's latency). Counted with Database.observeStatements on the running server's
 * database (SQLite, or PostgreSQL with DATABASE_URL), only the statements of the turn itself: the
 * turn runs inside an AsyncLocalStorage scope, so the job runner's polling in the same process is not
 * counted. The turn is the web channel's (same message as src/channels/web/routes.ts builds), from a
 * first-time visitor as in `npm run bench:turn`, and again from a returning one.
 *
 * Before the direct statements (src/persistence/direct-sql.ts), on SQLite and PostgreSQL alike: 21 for an
 * FAQ answer to a first-time visitor, 16 to a returning one, 71 for a ticket opening (and 32 for the first
 * turn of a guide). The ticket's opening through a Prisma unit of work then still sent 45 / 38 (SQLite /
 * PostgreSQL); in direct statements (stores/ticket-opening.ts) 41 / 29. Upper bounds (BOUNDS below), no
 * timing. The handoff's relayed-ticket lookup, run twice by every turn, runs once since (FAQ answer 14 / 7
 * → 13 / 6 for a new visitor, 9 / 5 → 8 / 4 for a returning one). A first contact (TurnContext.created) skips it
 * and the lookup of a ticket waiting for the user: nothing names a user or conversation written in this turn
 * (FAQ answer 13 / 6 → 11 / 4, greeting 12 / 5 → 11 / 4, ticket opening 23 / 11 → 22 / 10), and a guide's read of the
 * user's devices (their contact: three statements beside the open major incidents' one; guide 17 / 10 → 12 / 5). On PostgreSQL a first
 * contact's user, identity and conversation are written by the turn's first read when it finds nothing
 * (ConversationStore.openTurn with a first contact; FAQ answer and greeting 4 → 2, guide 5 → 3, ticket opening 10 → 8). The round trips a turn waits for one after the other are counted too
 * (a statement sent while another of the turn is in flight adds none): a ticket opening's number is drawn with its
 * first reads, the open major incident read with the new ticket's view (8 → 5 on PostgreSQL, with the first contact written by the first read).
 *
 * On PostgreSQL, a first contact's user and conversation and a job's claim commit without waiting for the
 * WAL flush (raw-sql.ts NO_FLUSH_WAIT); the turn's commit and the ticket's opening wait for it.
 *
 * A new ticket's card job (18 statements on either database) runs right after the turn's reply
 * (JobQueue.runAfterReply), no longer before it: a ticket opening 41 / 29 → 23 / 11 before the reply.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { start, type Running } from '../../src/main.ts';
import { portable } from '../../src/persistence/stores/raw-sql.ts';
import { createTestDatabase } from '../helpers/database.ts';

let running: Running;
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
const scope = new AsyncLocalStorage<string[]>();
/** Per turn (its statements' list): the direct statements in flight, and how many the turn waited for in turn. */
const waits = new WeakMap<string[], { inFlight: number; waited: number }>();
let stopObserving: () => void;

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', SLA_TICK_SECONDS: '0' }));
  stopObserving = running.guichet.db.observeStatements((sql) => scope.getStore()?.push(sql));
  // The direct statements' round trips a turn waits for one after the other: a statement sent while another of the
  // turn is in flight (Promise.all on PostgreSQL's pool) adds no wait of its own.
  const { direct } = running.guichet.db;
  const timed = <A extends unknown[], R>(send: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const mine = scope.getStore();
    const trips = mine ? waits.get(mine) : undefined;
    if (!trips) return send(...args);
    if (trips.inFlight === 0) trips.waited += 1;
    trips.inFlight += 1;
    try {
      return await send(...args);
    } finally {
      trips.inFlight -= 1;
    }
  };
  direct.all = timed(direct.all.bind(direct));
  direct.run = timed(direct.run.bind(direct));
});

afterAll(async () => {
  stopObserving?.();
  await running?.stop();
  await testDb?.cleanup();
});

/**
 * One web turn of `visitor`; its reply, the SQL it sent before the reply, and (`after`, once the runs it
 * started after its reply are over) the SQL of those runs: they start in the turn's scope.
 */
async function turn(visitor: string, text: string): Promise<{ result: TurnResult; statements: string[]; roundTrips: number; after: () => Promise<string[]> }> {
  const all: string[] = [];
  const trips = { inFlight: 0, waited: 0 };
  waits.set(all, trips);
  const result = await scope.run(all, () =>
    running.guichet.turn({
      channel: 'web',
      tenantId: '',
      deliveryId: `${visitor}:${randomUUID()}`,
      user: { externalId: visitor },
      conversation: { externalId: visitor, kind: 'personal', reference: { tenantId: '', externalId: visitor } },
      text,
    }),
  );
  const statements = [...all];
  const roundTrips = trips.waited;
  waits.delete(all);
  const after = async () => {
    await running.guichet.jobs.afterReplyDone();
    return all.slice(statements.length);
  };
  return { result, statements, roundTrips, after };
}

const visitor = () => randomUUID().replace(/-/g, '');
/**
 * The upper bounds per provider. PostgreSQL writes a new user, a ticket's opening and a turn's commit in
 * one statement each (data-modifying CTEs; the opening draws its number first); SQLite in a transaction
 * of four, seven and five (synchronous, microseconds each).
 */
const BOUNDS = {
  sqlite: { faqFirst: 11, faqReturning: 8, ticket: 22, greetingFirst: 11, guideFirst: 12 },
  postgres: { faqFirst: 2, faqReturning: 4, ticket: 8, greetingFirst: 2, guideFirst: 3 },
};
/** The writes that commit without waiting for the WAL flush (PostgreSQL). */
const noFlushWait = (statements: string[]) => statements.filter((s) => s.includes(`set_config('synchronous_commit', 'off', true)`)).map((s) => /(INSERT INTO|UPDATE) "(\w+)"/.exec(s)?.[2]);
const bound = () => BOUNDS[running.guichet.db.provider];
const listing = (statements: string[]) => `${statements.length} statements:\n${statements.map((s) => s.replace(/\s+/g, ' ').slice(0, 140)).join('\n')}`;

describe('SQL statements of a web chat turn', () => {
  it('an FAQ answer: at most 11 / 2 (SQLite / PostgreSQL) for a first-time visitor (was 21, then 14 / 7, 13 / 6), 8 / 4 for a returning one (was 16, then 9 / 5); a greeting 11 / 2 for a first-time visitor (was 12 / 5)', async () => {
    const first = await turn(visitor(), 'how to set up voicemail');
    expect(first.result.decision?.route).toBe('article');
    expect(first.result.replies[0]).toMatchObject({ type: 'article', article: { id: 'FAQ-0028' } });
    expect(first.statements.length, listing(first.statements)).toBeLessThanOrEqual(bound().faqFirst);

    const someone = visitor();
    const greeting = await turn(someone, 'bonjour');
    expect(greeting.statements.length, listing(greeting.statements)).toBeLessThanOrEqual(bound().greetingFirst);
    const again = await turn(someone, 'how to set up voicemail');
    expect(again.result.decision?.route).toBe('article');
    expect(again.statements.length, listing(again.statements)).toBeLessThanOrEqual(bound().faqReturning);
    // What the turns wrote is all there: two turns of one conversation, in order.
    const lines = await running.guichet.deps.conversations.transcript({ channel: 'web', tenantId: '', externalId: someone }, 10);
    expect(lines.map((l) => `${l.author}:${l.kind}`)).toEqual(['user:text', 'bot:text', 'user:text', 'bot:article', 'bot:choices']);
  });

  it('a guide’s first question: at most 12 / 3 for a first-time visitor (was 17 / 10: the relayed ticket, the tickets waiting for the user and their contact read)', async () => {
    const { result, statements } = await turn(visitor(), 'mot de passe oublié');
    expect(result.decision).toMatchObject({ route: 'flow', flow: 'password' });
    expect(statements.length, listing(statements)).toBeLessThanOrEqual(bound().guideFirst);
    // The open major incidents are still read (the guide may ask about one).
    expect(statements.filter((s) => s.includes('FROM "MajorIncident"'))).toHaveLength(1);
  });

  it('a first contact from two deliveries at once: both answered, in one conversation of one user, and no user without an identity', async () => {
    const since = new Date();
    const someone = visitor();
    const both = await Promise.all([turn(someone, 'bonjour'), turn(someone, 'merci')]);
    expect(both.map((t) => t.result.duplicate)).toEqual([false, false]);
    const { client } = running.guichet.db;
    const identities = await client.identity.findMany({ where: { platform: 'web', tenantId: '', externalId: someone } });
    expect(identities).toHaveLength(1);
    const conversations = await client.conversation.findMany({ where: { channel: 'web', tenantId: '', externalId: someone } });
    expect(conversations.map((c) => c.userId)).toEqual([identities[0]!.userId]);
    const lines = await running.guichet.deps.conversations.transcript({ channel: 'web', tenantId: '', externalId: someone }, 10);
    expect(lines.filter((l) => l.author === 'user').map((l) => l.text).sort()).toEqual(['bonjour', 'merci']);
    // The first read writes a first contact only when it found nothing: not for a known identity in a new
    // conversation, nor a new identity in a known conversation (they go the usual way), nor with an e-mail (which may
    // name a known person); on SQLite never.
    const store = running.guichet.deps.conversations;
    const open = (identityOf: string, keyOf: string, profile: { email?: string } = {}) =>
      store.openTurn!({ channel: 'web', deliveryId: randomUUID() }, { platform: 'web', tenantId: '', externalId: identityOf }, { channel: 'web', tenantId: '', externalId: keyOf }, { profile, reference: null, kind: 'personal' });
    const stranger = visitor();
    expect(await open(someone, stranger)).toMatchObject({ user: { id: identities[0]!.userId }, conversation: null });
    expect((await open(stranger, someone)).written).toBeUndefined();
    expect((await open(stranger, stranger, { email: 'someone@example.org' })).written).toBeUndefined();
    expect(await client.conversation.count({ where: { externalId: stranger } })).toBe(0);
    expect(await client.identity.count({ where: { externalId: stranger } })).toBe(0);
    expect(await client.user.count({ where: { createdAt: { gte: since }, identities: { none: {} } } })).toBe(0);
    const written = await open(stranger, stranger);
    expect(written).toMatchObject({ replies: null, user: null, conversation: null });
    if (running.guichet.db.provider === 'sqlite') return expect(written.written).toBeUndefined();
    expect(written.written).toMatchObject({ user: { created: true }, conversation: { created: true, version: 0 } });
    expect(await client.conversation.findFirstOrThrow({ where: { externalId: stranger } })).toMatchObject({ id: written.written!.conversation.id, userId: written.written!.user.id });
  });

  it('a first contact written while another delivery writes it: the read is made again, nothing written twice', async () => {
    const someone = visitor();
    const { direct } = running.guichet.db;
    const store = running.guichet.deps.conversations;
    const userId = `u${someone}`;
    let opening: ReturnType<NonNullable<typeof store.openTurn>> | undefined;
    // The other delivery's user and identity, not committed yet when the first read (and its writes) starts.
    await direct.transaction(async (tx) => {
      const now = new Date();
      await tx.run(portable(direct.provider, 'INSERT INTO "User" ("id", "displayName", "role", "vip", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?t, ?t)'), [userId, '', 'employee', false, now, now]);
      await tx.run(portable(direct.provider, 'INSERT INTO "Identity" ("id", "userId", "platform", "tenantId", "externalId", "createdAt") VALUES (?, ?, ?, ?, ?, ?t)'), [`i${someone}`, userId, 'web', '', someone, now]);
      opening = store.openTurn!({ channel: 'web', deliveryId: randomUUID() }, { platform: 'web', tenantId: '', externalId: someone }, { channel: 'web', tenantId: '', externalId: someone }, { profile: {}, reference: null, kind: 'personal' });
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    const read = await opening!;
    expect(read.written).toBeUndefined();
    expect(read.user?.id).toBe(userId);
    expect(await running.guichet.db.client.identity.count({ where: { externalId: someone } })).toBe(1);
    expect(await running.guichet.db.client.conversation.count({ where: { externalId: someone } })).toBe(0);
  });

  it('a ticket opening: at most 22 / 8 before the reply for a first-time visitor (was 71, then 45 / 38 through a Prisma unit of work, then 41 / 29 with the card before the reply, 23 / 11 with the relayed-ticket lookup and the first contact in two statements); 5 round trips in sequence on PostgreSQL (was 8)', async () => {
    const { result, statements, roundTrips, after } = await turn(visitor(), 'ouvrir un ticket : écran noir sur le poste de la salle B');
    expect(result.replies.map((r) => r.type)).toEqual(['text', 'ticket']);
    // The card's job runs right after the reply (its statements are no longer the turn's): it ran, and posted nothing
    // here (no agents' channel), reading and writing the outbox.
    const card = await after();
    expect(card.filter((s) => s.includes('"Job"')).length, listing(card)).toBeGreaterThanOrEqual(2);
    expect(statements.length, listing(statements)).toBeLessThanOrEqual(bound().ticket);
    if (running.guichet.db.provider !== 'postgres') return;
    // Waited for one after the other: the first read (which writes the first contact), the opening's number drawn with
    // its first reads (person, service), the ticket, its view with the open major incidents, the commit (was 8).
    expect(roundTrips, listing(statements)).toBeLessThanOrEqual(5);
    // Only the first contact's rows (the user, their identity and the conversation, with the first read), and after the reply
    // the job's claim and its end, skip the flush wait; the opening, the job's steps (its messages) and the turn's commit wait for it.
    expect(noFlushWait(statements)).toEqual(['User']);
    expect(statements.filter((s) => s.includes('INSERT INTO "Conversation"')).length, listing(statements)).toBe(1);
    expect(statements.find((s) => s.includes('INSERT INTO "Conversation"'))).toContain('INSERT INTO "User"');
    expect(noFlushWait(card)).toEqual(['Job', 'Job']);
    // The setting is the transaction's own: the pool's connections keep the server's.
    const settings = await Promise.all(Array.from({ length: 4 }, () => running.guichet.db.direct.all('SHOW synchronous_commit')));
    expect(settings.map(([row]) => row?.synchronous_commit)).toEqual(['on', 'on', 'on', 'on']);
  });
});
