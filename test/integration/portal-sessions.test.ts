/**
 * Portal sessions kept on the server, over real HTTP on a real database: a cookie copied before
 * sign-out is refused after it (portal API and web chat), each sign-in makes a new session id and
 * ends the browser's previous one, only the token's hash is stored, the idle and absolute timeouts
 * end a session on a controlled clock, and cookies are Secure when the public URL is https.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { MemoryMetricsQuery } from '../../src/analytics/memory-metrics.ts';
import { portalStores } from '../../src/persistence/stores/portal.ts';
import { createPortal } from '../../src/portal/routes.ts';
import { SESSION_COOKIE } from '../../src/portal/session.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { Browser, listenLocal, type Listening } from '../helpers/http.ts';
import { memoryTicketDesk } from '../helpers/memory-ticket-desk.ts';
import { csrfOf, signIn } from '../helpers/portal-session.ts';

let testDb: TestDatabase;
let running: Running;

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0' }));
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await testDb?.cleanup();
});

/** A browser that only replays this cookie header (an attacker's copy). */
const replay = (cookie: string) => ({
  get: (path: string) => fetch(new URL(path, running.url), { headers: { cookie } }),
});

describe('portal sessions on the server', () => {
  it('refuses a cookie copied before sign-out, on the portal and in the web chat', async () => {
    const alice = await signIn(running.url, 'alice.martin@example.org');
    const copied = `${SESSION_COOKIE}=${alice.cookie(SESSION_COOKIE)!}`;
    expect((await replay(copied).get('/portal/api/me')).status).toBe(200);
    expect(await (await replay(copied).get('/api/web/session')).json()).toMatchObject({ signedIn: true });

    const out = await alice.request('/portal/signout', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: await csrfOf(alice) }).toString() });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/portal/signin');

    const after = await replay(copied).get('/portal/api/me');
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: 'unauthenticated', message: 'portal: sign in first' });
    expect(await (await replay(copied).get('/api/web/session')).json()).toMatchObject({ signedIn: false });
    const stored = await testDb.db.client.portalSession.findMany({ where: { user: { email: 'alice.martin@example.org' } } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.revokedAt).not.toBeNull();
  });

  it('makes a new session id at each sign-in, ends the previous one and stores only the token’s hash', async () => {
    const browser = await signIn(running.url, 'chloe.bernard@example.org');
    const first = browser.cookie(SESSION_COOKIE)!;
    // Signing in again in the same browser (or after an attacker planted a cookie): a new id, the old one ends.
    const form = await (await browser.get('/portal/signin')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    await browser.request('/portal/signin', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email: 'chloe.bernard@example.org' }).toString() });
    const second = browser.cookie(SESSION_COOKIE)!;
    expect(second).not.toBe(first);
    expect((await replay(`${SESSION_COOKIE}=${first}`).get('/portal/api/me')).status).toBe(401);
    expect((await browser.get('/portal/api/me')).status).toBe(200);
    const token = decodeURIComponent(second).slice(2).split('.')[0]!; // "s:<token>.<signature>"
    const rows = await testDb.db.client.portalSession.findMany({ where: { user: { email: 'chloe.bernard@example.org' } }, orderBy: { createdAt: 'asc' } });
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.id)).not.toContain(token);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.id))).toBe(true);
    expect(rows.filter((r) => r.revokedAt === null)).toHaveLength(1);
  });

  it('refuses a forged or unsigned cookie', async () => {
    expect((await replay(`${SESSION_COOKIE}=s%3A${'A'.repeat(43)}.forged`).get('/portal/api/me')).status).toBe(401);
    expect((await replay(`${SESSION_COOKIE}=${'A'.repeat(43)}`).get('/portal/api/me')).status).toBe(401);
  });
});

describe('session timeouts on a controlled clock', () => {
  let server: Listening;
  let at = new Date('2026-12-01T08:00:00Z');
  const minutes = (n: number) => {
    at = new Date(at.getTime() + n * 60_000);
  };

  beforeAll(async () => {
    await testDb.db.client.user.update({ where: { id: (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' } })).id }, data: { locale: 'en' } });
    const stores = portalStores(testDb.db);
    const portal = createPortal({
      ...stores,
      desk: memoryTicketDesk({ anyoneIsKnown: true }).desk,
      metrics: new MemoryMetricsQuery({}),
      secret: 'test-secret',
      secureCookies: false,
      devSignIn: true,
      sessionIdleMinutes: 30,
      sessionMaxHours: 2,
      now: () => at,
    });
    const app = express();
    app.use('/portal', portal.router);
    server = await listenLocal(app);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('ends a session after the idle time without a request', async () => {
    const browser = await signIn(server.url, 'alice.martin@example.org');
    minutes(29);
    expect((await browser.get('/portal/api/me')).status).toBe(200);
    minutes(29); // 29 minutes after the last request: still on
    expect((await browser.get('/portal/api/me')).status).toBe(200);
    minutes(31);
    expect((await browser.get('/portal/api/me')).status).toBe(401);
  });

  it('ends a session at its absolute end however busy it is', async () => {
    const browser = await signIn(server.url, 'alice.martin@example.org');
    for (let i = 0; i < 4; i += 1) {
      minutes(25);
      expect((await browser.get('/portal/api/me')).status).toBe(200);
    }
    minutes(25); // 125 minutes after sign-in, used every 25 minutes: over the 2 hours
    expect((await browser.get('/portal/api/me')).status).toBe(401);
  });
});

describe('cookies over https', () => {
  it('marks the session and CSRF cookies Secure when PUBLIC_URL is https', async () => {
    const db = await createTestDatabase();
    const secure = await start(loadConfig({ DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0', PUBLIC_URL: 'https://guichet.example.org' }));
    try {
      const browser = new Browser(secure.url);
      const page = await browser.get('/portal/signin');
      expect(page.headers.getSetCookie().find((c) => c.startsWith('__Host-guichet.csrf='))).toMatch(/; Secure/i);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const done = await browser.request('/portal/signin', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email: 'alice.martin@example.org' }).toString() });
      const cookie = done.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
    } finally {
      await secure.stop();
      await db.cleanup();
    }
  }, 120_000);
});
