/**
 * A person's data exported and erased (issue #19), on the database of the run (SQLite, or PostgreSQL with
 * DATABASE_URL): through the store as the admin console uses it and through `npm run db -- export-user |
 * erase-user`. After an erasure, every table is searched: nothing of the person is left but the tombstone
 * their kept tickets point to (their portal sessions and abuse-limit counts included).
 */
import { createHash, randomBytes } from 'node:crypto';
import { RateLimiterPrisma } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { openJobs } from '../../src/app/jobs.ts';
import { OutboundChannels } from '../../src/core/channel-contract.ts';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { PrismaPrivacyStore } from '../../src/persistence/stores/privacy.ts';
import { PrismaPortalSessions } from '../../src/persistence/stores/sessions.ts';
import type { PersonalDataExport } from '../../src/privacy/ports.ts';
import { tombstoneName } from '../../src/privacy/tombstone.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { rowsContaining } from '../helpers/every-row.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { finished, runTs } from '../helpers/process.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

let testDb: TestDatabase;
let guichet: Guichet;
let store: PrismaPrivacyStore;
const clock = new FakeClock(new Date('2026-11-24T08:00:00Z'));
const poster = new RecordingPoster('slack', (address, index) => ({ channelId: (address as { channelId: string }).channelId, ts: `1700000000.00000${index}` }));
let sequence = 0;
const admin = { id: 'admin-1', kind: 'admin' as const, via: 'portal' as const };

const people = {
  alice: { externalId: 'U0ALICE7', displayName: 'Alice Martin', email: 'alice.martin@example.org', locale: 'en-GB' },
  bruno: { externalId: 'U0BRUNO', displayName: 'Bruno Petit', email: 'bruno.petit@example.org', locale: 'en-GB' },
  dora: { externalId: 'U0DORA9', displayName: 'Dora Quintero', email: 'dora.quintero@example.org', locale: 'en-GB' },
} as const;
type Who = keyof typeof people;

const say = (who: Who, text: string): Promise<TurnResult> =>
  guichet.turn({ channel: 'slack', tenantId: 'T0ACME', deliveryId: `Ev${++sequence}`, user: people[who], conversation: { externalId: `D-${people[who].externalId}`, kind: 'personal' }, text });
const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');
const userId = async (who: Who) => (await testDb.db.client.user.findFirstOrThrow({ where: { email: people[who].email } })).id;

/** Alice's life in Guichet: a question nobody answered, a ticket taken, relayed, resolved and rated, an asset, a rating, audit entries. */
async function aliceLives(who: Who, topic: string): Promise<number> {
  await say(who, `how do I recalibrate the ${topic} plotter`);
  await say(who, 'cancel');
  expect(plain(await say(who, `open a ticket: the ${topic} badge reader refuses my badge`))).toMatch(/#\d+/);
  const number = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
  await guichet.handoff!.escalate(number, { live: true });
  expect(plain(await say('bruno', `take #${number}`))).toMatch(new RegExp(`#${number}`));
  await say(who, `it says ${topic} error 42 and my name ${people[who].displayName} is shown`);
  await say('bruno', `resolve #${number}: re-enrolled the badge of ${people[who].displayName} (${people[who].email})`);
  await say(who, `#${number} fixed`);
  await say(who, '4');
  await say(who, `thanks Bruno, ${topic} works`);
  const id = await userId(who);
  const article = await testDb.db.client.article.findFirstOrThrow();
  await testDb.db.client.answerFeedback.create({ data: { articleRowId: article.id, userId: id, helpful: true, query: `${topic} plotter` } });
  await testDb.db.client.configurationItem.create({ data: { tag: `LT-${topic}`, kind: 'laptop', name: 'Laptop', ownerId: id, attributes: {} } });
  await testDb.db.client.auditLog.create({ data: { actorKind: 'system', action: 'directory.unlock', entity: 'user', entityId: id, after: { account: people[who].email, requester: `slack:${people[who].externalId}` } } });
  await signsIn(who);
  return number;
}

/** Session ids (hashes of cookie tokens) and abuse-limit keys made for each person by `signsIn`. */
const sessionIds: Record<string, string[]> = {};
const countedKeys: Record<string, string[]> = {};

/**
 * `who` signs in to the portal twice (the first session signed out) and is counted by the abuse limits
 * under their id and the e-mail they typed, in the RateLimit table, by rate-limiter-flexible's own store.
 */
async function signsIn(who: Who): Promise<void> {
  const id = await userId(who);
  const sessions = new PrismaPortalSessions(testDb.db);
  const ids = [0, 1].map(() => createHash('sha256').update(randomBytes(32)).digest('hex'));
  const at = clock.now();
  const then = new Date(at.getTime() + 60_000);
  await sessions.create({ id: ids[0]!, userId: id, at, expiresAt: new Date(at.getTime() + 12 * 3_600_000) });
  await sessions.revoke(ids[0]!, then);
  await sessions.create({ id: ids[1]!, userId: id, at: then, expiresAt: new Date(then.getTime() + 12 * 3_600_000) });
  sessionIds[who] = ids;
  const limiter = (keyPrefix: string) => new RateLimiterPrisma({ storeClient: testDb.db.client, tableName: 'rateLimit', keyPrefix, points: 100, duration: 60, clearExpiredByTimeout: false });
  await limiter('chat-user').consume(id);
  await limiter('api-user').consume(id, 3);
  await limiter('signin-email').consume(people[who].email);
  countedKeys[who] = [`api-user:${id}`, `chat-user:${id}`, `signin-email:${people[who].email}`];
}

const ON_PG = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

/**
 * Jobs that carry `id` as the queue leaves them: an SLA tell waiting (its requester), a dead one
 * (the id in its steps and its last error too), a done one, and a done relay of their ticket's
 * thread (their words, no id). On PostgreSQL also pg-boss's record of a failure naming them.
 */
async function jobsNaming(id: string, number: number): Promise<Record<'pending' | 'dead' | 'done' | 'relayed', number>> {
  const job = async (key: string, status: string, payload: Record<string, string | number | null>, extra: { progress?: string[]; lastError?: string } = {}) =>
    (await testDb.db.client.job.create({ data: { queue: key.split(':')[0]!, key, status, payload, runAt: clock.now(), ...extra } })).id;
  const tell = { kind: 'sla-breach', number, title: 'badge reader', requesterId: id, assigneeId: null, groupId: 'service-desk' };
  const ids = {
    pending: await job(`sla.tell:${number}:pending`, 'pending', tell),
    dead: await job(`sla.tell:${number}:dead`, 'dead', tell, { progress: [`to:${id}`], lastError: `GuichetError: SLA sla-breach of ticket #${number}: to ${id} reached no channel (slack)` }),
    done: await job(`sla.tell:${number}:done`, 'done', tell),
    relayed: await job(`handoff.relay:${number}:done`, 'done', { number, thread: 'my badge was refused at the gate', lane: `ticket:${number}` }),
  };
  if (ON_PG) {
    // pg-boss's tables as a running queue leaves them (this test's Guichet starts no queue).
    const queue = openJobs(testDb.db, { url: testDb.url, clock, settings: { pollMs: 200, leaseSeconds: 30, graceSeconds: 0, maxAttempts: 5, concurrency: 4, backoffSeconds: 1 } });
    queue.handle('ticket.tell', async () => {});
    await queue.drain();
    await queue.stop();
    await testDb.db.client.$executeRawUnsafe(
      `INSERT INTO pgboss.job (name, data, state, output) VALUES ('ticket.tell', $1::jsonb, 'failed', $2::jsonb)`,
      JSON.stringify({ outboxId: ids.dead, lane: `ticket:${number}` }),
      JSON.stringify({ message: `ticket #${number}: notification to ${id} reached no channel` }),
    );
  }
  return ids;
}

/** pg-boss's rows (waiting, done, failed, archived) that still carry `id` (none off PostgreSQL). */
async function pgBossRowsWith(id: string): Promise<number> {
  if (!ON_PG) return 0;
  let found = 0;
  for (const table of ['pgboss.job', 'pgboss.archive']) {
    const [row] = await testDb.db.client.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${table} WHERE data::text LIKE $1 OR output::text LIKE $1`, `%${id}%`);
    found += row?.n ?? 0;
  }
  return found;
}

/** Everything that would name `who`, for searching every table. */
/** (What they added to the ticket — "error 42" — stays on it, their name replaced: the desk's record.) */
const traces = (who: Who, topic: string) => [people[who].displayName, people[who].email, people[who].externalId, `recalibrate the ${topic}`, `${topic} works`, ...sessionIds[who]!];

/** After an erasure their id is only where the tombstone is: the User row, the tickets they asked for and what they did on them, the audit log. */
const TOMBSTONE_TABLES = ['auditLog', 'ticket', 'ticketEvent', 'user'];

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({
    databaseUrl: testDb.url,
    defaultLang: 'en',
    knowledgeDir: 'knowledge',
    configDir: 'config',
    clock,
    notifier: new RecordingNotifier(),
    channels: new OutboundChannels([{ poster, threadKeyOf: (post) => `slack|T0ACME|${(post as { channelId: string; ts: string }).channelId}:${(post as { ts: string }).ts}` }]),
    publicUrl: 'https://guichet.example.org',
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });
  store = new PrismaPrivacyStore(testDb.db);
  await testDb.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'slack', address: { teamId: 'T0ACME', channelId: 'C0DESK' } } });
}, 60_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

describe('export and erase through the store', () => {
  let number = 0;
  let data: PersonalDataExport;

  it('exports the profile, conversations, tickets, comments, ratings, gaps, audit entries, sessions and counts, and audits the export', async () => {
    number = await aliceLives('alice', 'zorglub');
    await signsIn('bruno');
    const id = await userId('alice');
    expect(await store.find('ALICE.MARTIN@example.org')).toMatchObject({ id, displayName: 'Alice Martin' });
    expect(await store.find(id)).toMatchObject({ id });
    data = await store.exportData(id, admin, clock.now());
    expect(data.profile).toMatchObject({ id, displayName: 'Alice Martin', email: 'alice.martin@example.org' });
    expect(data.identities).toEqual([expect.objectContaining({ platform: 'slack', externalId: 'U0ALICE7' })]);
    const lines = data.conversations.flatMap((c) => c.messages.map((m) => m.text));
    expect(lines).toEqual(expect.arrayContaining(['how do I recalibrate the zorglub plotter', 'thanks Bruno, zorglub works']));
    expect(data.tickets.map((t) => t.number)).toEqual([number]);
    expect(data.tickets[0]!.csatScore).toBe(4);
    expect(data.tickets[0]!.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['created', 'resolved']));
    expect(data.ticketEvents.some((e) => JSON.stringify(e.data).includes('zorglub error 42'))).toBe(true);
    expect(data.ratings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'answer', helpful: true }), expect.objectContaining({ kind: 'ticket', csatScore: 4 })]));
    expect(data.gaps.map((g) => g.text)).toContain('how do I recalibrate the zorglub plotter');
    expect(data.assets.map((a) => a.tag)).toContain('LT-zorglub');
    expect(data.audit.map((a) => a.action)).toContain('directory.unlock');
    // Their sessions, when and until when, but never what identifies a session (the hash of the cookie's token).
    const iso = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();
    expect(data.sessions).toEqual([
      { createdAt: iso(0), lastSeenAt: iso(0), expiresAt: iso(720), revokedAt: iso(1) },
      { createdAt: iso(1), lastSeenAt: iso(1), expiresAt: iso(721), revokedAt: null },
    ]);
    for (const session of [...sessionIds.alice!, ...sessionIds.bruno!]) expect(JSON.stringify(data)).not.toContain(session);
    expect(data.rateLimits.map((r) => [r.key, r.points])).toEqual([
      [`api-user:${id}`, 3],
      [`chat-user:${id}`, 1],
      ['signin-email:alice.martin@example.org', 1],
    ]);
    const audited = await testDb.db.client.auditLog.findMany({ where: { action: 'privacy.export', entityId: id } });
    expect(audited).toEqual([expect.objectContaining({ actorId: 'admin-1', actorKind: 'admin', after: { via: 'portal' } })]);
  });

  it('erases: the ticket kept under the tombstone, nothing else of the person in any table', async () => {
    const id = await userId('alice');
    const before = await rowsContaining(testDb.db, 'Alice Martin');
    expect(Object.keys(before).length).toBeGreaterThan(3);
    const tombstone = tombstoneName(id, 'en');
    expect(tombstone).toMatch(/^former user #[0-9a-f]{6}$/);
    const jobs = await jobsNaming(id, number);
    const report = await store.erase(id, admin, tombstone, clock.now());
    expect(report).toMatchObject({ userId: id, tombstone, ticketsKept: 1, identitiesDeleted: 1, gapsDeleted: 1, ratingsAnonymised: 1, sessionsDeleted: 2, rateLimitsDeleted: 3 });
    expect(report.jobsScrubbed).toBeGreaterThanOrEqual(4);
    // Done jobs that named them, or told of their ticket, are gone; waiting and dead ones tell others still, without their id.
    expect(await testDb.db.client.job.count({ where: { id: { in: [jobs.done, jobs.relayed] } } })).toBe(0);
    const kept = await testDb.db.client.job.findMany({ where: { id: { in: [jobs.pending, jobs.dead] } }, orderBy: { id: 'asc' } });
    expect(kept.map((j) => [j.status, (j.payload as { requesterId: string }).requesterId])).toEqual([['pending', tombstone], ['dead', tombstone]]);
    expect(kept[1]!.lastError).toContain(tombstone);
    expect(await pgBossRowsWith(id)).toBe(0);
    expect(report.messagesDeleted).toBeGreaterThan(5);
    expect(report.mentionsScrubbed).toBeGreaterThan(0);

    for (const trace of traces('alice', 'zorglub')) expect({ trace, rows: await rowsContaining(testDb.db, trace) }).toEqual({ trace, rows: {} });
    // Every table searched for their id: no session, no count, nothing but the tombstone and what points to it.
    expect(Object.keys(await rowsContaining(testDb.db, id)).sort()).toEqual(TOMBSTONE_TABLES);
    const sessions = new PrismaPortalSessions(testDb.db);
    for (const session of sessionIds.alice!) expect(await sessions.find(session)).toBeUndefined();
    // Bruno is still signed in and counted.
    expect(await sessions.find(sessionIds.bruno![1]!)).toMatchObject({ userId: await userId('bruno'), revokedAt: null });
    expect(await testDb.db.client.rateLimit.count({ where: { key: { in: countedKeys.bruno! } } })).toBe(3);
    const user = await testDb.db.client.user.findUniqueOrThrow({ where: { id } });
    expect(user).toMatchObject({ displayName: tombstone, email: null, locale: null, department: null, jobTitle: null, timeZone: null, managerId: null, vip: false });
    expect(user.erasedAt).not.toBeNull();
    const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number }, include: { requester: true, events: true } });
    expect(ticket).toMatchObject({ requesterId: id, csatScore: 4, csatComment: null, status: 'closed' });
    expect(ticket.requester.displayName).toBe(tombstone);
    expect(ticket.resolution).toContain(tombstone);
    expect(ticket.events.length).toBeGreaterThan(3);
    expect(await testDb.db.client.conversation.count({ where: { userId: id } })).toBe(0);
    expect(await testDb.db.client.answerFeedback.count({ where: { query: 'zorglub plotter' } })).toBe(0);
    expect(await testDb.db.client.answerFeedback.count({ where: { userId: null, helpful: true } })).toBeGreaterThan(0);
    expect(await testDb.db.client.configurationItem.findUniqueOrThrow({ where: { tag: 'LT-zorglub' } })).toMatchObject({ ownerId: null });
    const audited = await testDb.db.client.auditLog.findMany({ where: { action: 'privacy.erase', entityId: id } });
    expect(audited).toHaveLength(1);
    expect(audited[0]!.after).toMatchObject({ via: 'portal', tombstone, ticketsKept: 1 });
    // Bruno, who worked on the ticket, keeps his own records.
    expect(await testDb.db.client.message.count({ where: { user: { email: people.bruno.email } } })).toBeGreaterThan(0);
  });

  it('finds nobody to erase or export twice', async () => {
    const id = await userId('bruno');
    expect(await store.find('alice.martin@example.org')).toBeUndefined();
    const erasedId = (await testDb.db.client.user.findFirstOrThrow({ where: { erasedAt: { not: null } } })).id;
    expect(await store.find(erasedId)).toBeUndefined();
    await expect(store.erase(erasedId, admin, 'x', clock.now())).rejects.toMatchObject({ code: 'privacy.unknown-person' });
    await expect(store.exportData(erasedId, admin, clock.now())).rejects.toMatchObject({ code: 'privacy.unknown-person' });
    expect(await store.find(id)).toBeDefined();
  });
});

describe('npm run db -- export-user | erase-user', () => {
  const db = (...args: string[]) => finished(runTs('src/cli/db.ts', args, { DATABASE_URL: testDb.url, DEFAULT_LOCALE: 'fr' }));

  it('exports as JSON, refuses to erase without --yes, erases with it; each audited', async () => {
    await aliceLives('dora', 'quuxotron');
    const id = await userId('dora');
    const exported = await db('export-user', 'dora.quintero@example.org');
    expect(exported.code).toBe(0);
    const json = JSON.parse(exported.stdout) as PersonalDataExport;
    expect(json.profile).toMatchObject({ id, email: 'dora.quintero@example.org' });
    expect(json.tickets).toHaveLength(1);
    expect(json.sessions).toHaveLength(2);
    expect(json.rateLimits.map((r) => r.key)).toEqual(countedKeys.dora);

    const unconfirmed = await db('erase-user', id);
    expect(unconfirmed.code).toBe(64);
    expect(unconfirmed.stderr).toMatch(/add --yes/);
    expect(await store.find(id)).toBeDefined();

    const erased = await db('erase-user', id, '--yes');
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(/is now "ancien utilisateur #[0-9a-f]{6}": 1 ticket\(s\) kept/);
    expect(await testDb.db.client.ticketEvent.count({ where: { ticket: { requesterId: id }, kind: 'info' } })).toBeGreaterThan(0);
    for (const trace of traces('dora', 'quuxotron')) expect({ trace, rows: await rowsContaining(testDb.db, trace) }).toEqual({ trace, rows: {} });
    expect(Object.keys(await rowsContaining(testDb.db, id)).sort()).toEqual(TOMBSTONE_TABLES);
    const audit = await testDb.db.client.auditLog.findMany({ where: { entityId: id, action: { startsWith: 'privacy.' } }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorKind, a.actorId])).toEqual([
      ['privacy.export', 'system', null],
      ['privacy.erase', 'system', null],
    ]);

    const nobody = await db('export-user', 'nobody@example.org');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/nobody matches "nobody@example.org"/);
  }, 60_000);
});
