/**
 * A signed-in person's portal session and abuse-limit counts, over real HTTP on the database of the run
 * (SQLite, or PostgreSQL with DATABASE_URL, where the counts are in the RateLimit table): the export
 * lists the session's dates and the counts but never what identifies the session; erasing them ends the
 * session (a copy of the cookie is refused) and deletes the counts kept under their id and e-mail.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { PrismaPrivacyStore } from '../../src/persistence/stores/privacy.ts';
import { SESSION_COOKIE } from '../../src/portal/session.ts';
import { tombstoneName } from '../../src/privacy/tombstone.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { signIn } from '../helpers/portal-session.ts';

let testDb: TestDatabase;
let running: Running;
const EMAIL = 'alice.martin@example.org';
const system = { id: null, kind: 'system' as const, via: 'cli' as const };

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0' }));
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await testDb?.cleanup();
});

/** A browser that only replays this cookie header (a copy taken before the erasure). */
const replay = (cookie: string, path: string) => fetch(new URL(path, running.url), { headers: { cookie } });

describe('a signed-in person exported and erased', () => {
  it('exports their session without its id, then erasing ends it and deletes their counts', async () => {
    const alice = await signIn(running.url, EMAIL);
    const copied = `${SESSION_COOKIE}=${alice.cookie(SESSION_COOKIE)!}`;
    expect((await replay(copied, '/portal/api/me')).status).toBe(200);
    expect((await alice.postJson('/api/web/messages', { id: randomUUID(), text: 'bonjour' })).status).toBe(200);
    const id = (await testDb.db.client.user.findFirstOrThrow({ where: { email: EMAIL } })).id;
    const [session] = await testDb.db.client.portalSession.findMany({ where: { userId: id } });
    // The counts are in the database on PostgreSQL (shared by instances), in memory on SQLite.
    const counted = (await testDb.db.client.rateLimit.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key);
    const theirs = [`api-user:${id}`, `chat-user:${id}`, `signin-email:${EMAIL}`];
    expect(counted.filter((k) => theirs.includes(k))).toEqual(testDb.db.provider === 'postgres' ? theirs : []);

    const store = new PrismaPrivacyStore(testDb.db);
    const data = await store.exportData(id, system, new Date());
    expect(data.sessions).toEqual([{ createdAt: session!.createdAt.toISOString(), lastSeenAt: expect.any(String), expiresAt: session!.expiresAt.toISOString(), revokedAt: null }]);
    expect(JSON.stringify(data)).not.toContain(session!.id);
    expect(data.rateLimits.map((r) => r.key)).toEqual(counted.filter((k) => theirs.includes(k)));

    const report = await store.erase(id, system, tombstoneName(id, 'fr'), new Date());
    expect(report).toMatchObject({ sessionsDeleted: 1, rateLimitsDeleted: testDb.db.provider === 'postgres' ? 3 : 0 });
    const after = await replay(copied, '/portal/api/me');
    expect(after.status).toBe(401);
    expect(await (await replay(copied, '/api/web/session')).json()).toMatchObject({ signedIn: false });
    expect(await testDb.db.client.portalSession.count({ where: { userId: id } })).toBe(0);
    expect((await testDb.db.client.rateLimit.findMany()).map((r) => r.key).filter((k) => k.includes(id) || k.includes(EMAIL))).toEqual([]);
    // Other counts (the IP's) stay: they are no one's in particular.
    expect((await testDb.db.client.rateLimit.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key)).toEqual(counted.filter((k) => !theirs.includes(k)));
  }, 60_000);
});
