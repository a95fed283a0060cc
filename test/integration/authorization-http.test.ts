/**
 * Every portal and console cell of the authorization table (src/core/authorization.ts) over real
 * HTTP against the whole server on a real database: each role signs in (the local sign-in) and
 * calls the route on a fresh ticket; the status says whether it was allowed (200) or refused (403,
 * or 404 for a ticket they may not read), and for changes the database says whether anything
 * happened. The system never signs in: its cells are run through the desk (authorization-chat).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import type { Action } from '../../src/core/authorization.ts';
import { configWithLead, expected, openTicket, PERSON_ROLES, ROLE_PEOPLE, HELPER_AGENT, type Prepared, type World } from '../helpers/authz-cells.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import type { Browser } from '../helpers/http.ts';
import { csrfOf, signIn } from '../helpers/portal-session.ts';

let testDb: TestDatabase;
let running: Running;
let configDir: string;
let world: World;
const sessions = new Map<string, { browser: Browser; csrf: string }>();

beforeAll(async () => {
  testDb = await createTestDatabase();
  configDir = configWithLead();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0', CONFIG_DIR: configDir }));
  world = {
    db: testDb.db,
    desk: running.guichet.desk!,
    id: async (email) => (await testDb.db.client.user.findFirstOrThrow({ where: { email } })).id,
    send: () => Promise.reject(new Error('no chat in the HTTP test')),
  };
  for (const role of PERSON_ROLES) {
    const browser = await signIn(running.url, ROLE_PEOPLE[role].email);
    sessions.set(role, { browser, csrf: await csrfOf(browser) });
  }
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await testDb?.cleanup();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

async function resolved(w: World): Promise<Prepared> {
  const p = await openTicket(w);
  const hugo = { id: await w.id(HELPER_AGENT.email), role: 'agent' as const };
  await w.desk.take(p.number, hugo);
  await w.desk.resolve(p.number, hugo, 'Dock firmware updated');
  return p;
}

interface HttpCell {
  action: Action;
  prepare?: (w: World) => Promise<Prepared>;
  call(s: { browser: Browser; csrf: string }, p: Prepared | undefined): Promise<Response>;
  /** For changes: whether the database shows it done. */
  done?: (p: Prepared) => Promise<boolean>;
  /** The refusal's status (403 unless a ticket they may not read: 404). */
  refused?: number[];
}

const post = (s: { browser: Browser; csrf: string }, path: string, body: unknown) => s.browser.postJson(path, body, { 'x-csrf-token': s.csrf });
const today = '2026-12-01';
let ids = 0;

const HTTP_CELLS: HttpCell[] = [
  { action: 'tickets.own', call: (s) => s.browser.get('/portal/api/tickets') },
  { action: 'ticket.read', prepare: openTicket, call: (s, p) => s.browser.get(`/portal/api/tickets/${p!.number}`), refused: [404] },
  {
    action: 'ticket.add-info',
    prepare: openTicket,
    call: (s, p) => post(s, `/portal/api/tickets/${p!.number}/info`, { text: 'It happens on the spare dock too', id: `info-${++ids}-abcdef` }),
    done: async (p) => (await testDb.db.client.ticketEvent.count({ where: { ticket: { number: p.number }, kind: 'info' } })) > 0,
    refused: [403, 404],
  },
  {
    action: 'ticket.confirm',
    prepare: resolved,
    call: (s, p) => post(s, `/portal/api/tickets/${p!.number}/confirm`, { fixed: true, id: `confirm-${++ids}-abcdef` }),
    done: async (p) => (await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: p.number } })).status === 'closed',
    refused: [403, 404],
  },
  { action: 'queue.read', call: (s) => s.browser.get('/portal/admin/queue') },
  { action: 'incidents.manage', call: (s) => s.browser.get('/portal/api/admin/incidents') },
  { action: 'analytics.read', call: (s) => s.browser.get(`/portal/api/admin/metrics?from=${today}&to=${today}`) },
  { action: 'knowledge.curate', call: (s) => s.browser.get('/portal/api/admin/articles') },
  { action: 'config.read', call: (s) => s.browser.get('/portal/admin/config') },
  { action: 'kb.search', call: (s) => s.browser.get('/portal/api/kb?q=vpn') },
];

describe('the authorization table over HTTP', () => {
  for (const cell of HTTP_CELLS) {
    describe(cell.action, () => {
      for (const role of PERSON_ROLES) {
        const allowed = expected(cell.action, role);
        it(`${allowed ? 'lets' : 'refuses'} the ${role}`, async () => {
          const prepared = cell.prepare ? await cell.prepare(world) : undefined;
          const response = await cell.call(sessions.get(role)!, prepared);
          const body = await response.text();
          if (allowed) expect(response.status, body).toBe(200);
          else expect(cell.refused ?? [403], body).toContain(response.status);
          if (cell.done) expect(await cell.done(prepared!)).toBe(allowed);
        });
      }
    });
  }
});
