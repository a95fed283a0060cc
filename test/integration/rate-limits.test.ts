/**
 * Abuse limits over real HTTP against the whole server on a real database (run it with
 * DATABASE_URL=postgresql://… for PostgreSQL): sign-in per e-mail, web chat messages per person,
 * portal API calls per person — each answered 429 with Retry-After and the strict security headers
 * once over, with nothing done (no message stored). With PostgreSQL two instances share the counts
 * (the database store); with SQLite (one instance) the counts stay in memory.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { Browser } from '../helpers/http.ts';
import { signIn } from '../helpers/portal-session.ts';

let testDb: TestDatabase;
let first: Running;
let second: Running;
const postgres = (process.env.DATABASE_URL ?? '').startsWith('postgres');

const settings = (url: string) =>
  loadConfig({
    DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0',
    SESSION_SECRET: 'one-secret-for-both-instances', RATE_LIMIT_SIGNIN_PER_MINUTE: '3', RATE_LIMIT_CHAT_PER_MINUTE: '4', RATE_LIMIT_API_PER_MINUTE: '5',
  });

beforeAll(async () => {
  testDb = await createTestDatabase();
  first = await start(settings(testDb.url));
  // Several instances are a PostgreSQL set-up (SQLite is one process's file).
  if (postgres) second = await start(settings(testDb.url));
}, 120_000);

afterAll(async () => {
  await second?.stop();
  await first?.stop();
  await testDb?.cleanup();
});

/** A 429 as the limits answer it: Retry-After in whole seconds, the JSON refusal, the security headers kept. */
async function expectLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  const retry = Number(response.headers.get('retry-after'));
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(60);
  expect(await response.json()).toMatchObject({ error: 'too-many-requests', retryAfter: retry });
  expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

function signInAttempt(browser: Browser, csrf: string, email: string): Promise<Response> {
  return browser.request('/portal/signin', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email }).toString() });
}

describe('abuse limits', () => {
  it('refuses a fourth sign-in attempt on one e-mail within the minute, not another e-mail', async () => {
    const browser = new Browser(first.url);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await browser.get('/portal/signin')).text())![1]!;
    for (let i = 0; i < 3; i += 1) expect((await signInAttempt(browser, csrf, 'nobody@example.org')).status).toBe(303);
    await expectLimited(await signInAttempt(browser, csrf, 'nobody@example.org'));
    expect((await signInAttempt(browser, csrf, 'alice.martin@example.org')).headers.get('location')).toBe('/portal');
  });

  it('refuses a web chat visitor’s fifth message within the minute, and stores none of the refused ones', async () => {
    const visitor = `v${randomUUID().replaceAll('-', '')}`;
    const post = (text: string) =>
      fetch(`${first.url}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json', origin: first.url, cookie: `guichet_visitor=${visitor}` }, body: JSON.stringify({ text, id: randomUUID() }) });
    for (let i = 0; i < 4; i += 1) expect((await post(`bonjour ${i}`)).status).toBe(200);
    await expectLimited(await post('le cinquième message'));
    const identity = await testDb.db.client.identity.findFirstOrThrow({ where: { platform: 'web', externalId: visitor } });
    const stored = await testDb.db.client.message.findMany({ where: { conversation: { userId: identity.userId }, direction: 'in' } });
    expect(stored.map((m) => m.text)).toEqual(['bonjour 0', 'bonjour 1', 'bonjour 2', 'bonjour 3']);
  });

  it('refuses a signed-in person’s sixth API call within the minute; another person goes on', async () => {
    const chloe = await signIn(first.url, 'chloe.bernard@example.org');
    for (let i = 0; i < 5; i += 1) expect((await chloe.get('/portal/api/me')).status).toBe(200);
    await expectLimited(await chloe.get('/portal/api/me'));
    const david = await signIn(first.url, 'david.nguyen@example.org');
    expect((await david.get('/portal/api/me')).status).toBe(200);
  });

  it(
    postgres
      ? 'counts a web chat message in one statement per limiter on PostgreSQL (was two: the expired row deleted, then an upsert); an expired window starts again'
      : 'counts a web chat message in memory on SQLite (no statement)',
    async () => {
      const visitor = `v${randomUUID().replaceAll('-', '')}`;
      // The visitor's window ended with the limit reached: the next message starts a new one.
      if (postgres) await testDb.db.client.rateLimit.create({ data: { key: `chat-user:${visitor}`, points: 4, expire: new Date(Date.now() - 1_000) } });
      const statements: string[] = [];
      const stop = first.guichet.db.observeStatements((sql) => void (sql.includes('RateLimit') && statements.push(sql)));
      try {
        const response = await fetch(`${first.url}/api/web/messages`, {
          method: 'POST', headers: { 'content-type': 'application/json', origin: first.url, cookie: `guichet_visitor=${visitor}` }, body: JSON.stringify({ text: 'bonjour', id: randomUUID() }),
        });
        expect(response.status).toBe(200);
      } finally {
        stop();
      }
      // Two limiters (the visitor's, the address's), one statement each.
      expect(statements).toHaveLength(postgres ? 2 : 0);
      if (!postgres) return;
      const row = await testDb.db.client.rateLimit.findUniqueOrThrow({ where: { key: `chat-user:${visitor}` } });
      expect(row.points).toBe(1);
      expect(row.expire!.getTime()).toBeGreaterThan(Date.now());
    },
  );

  it(postgres ? 'shares the counts between two instances on PostgreSQL' : 'counts in memory on SQLite, nothing in the database', async () => {
    const emma = await signIn(first.url, 'emma.lefebvre@example.org');
    const cookie = `guichet_session=${emma.cookie('guichet_session')!}`;
    const on = (server: Running) => fetch(`${server.url}/portal/api/me`, { headers: { cookie } });
    const other = postgres ? second : first;
    for (let i = 0; i < 3; i += 1) expect((await on(first)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await on(other)).status).toBe(200);
    // Five calls in all, on two instances with PostgreSQL: the sixth is over the shared limit.
    await expectLimited(await on(other));
    if (postgres) expect(await testDb.db.client.rateLimit.count({ where: { key: { startsWith: 'api-user' } } })).toBeGreaterThan(0);
    else expect(await testDb.db.client.rateLimit.count()).toBe(0);
  });
});
