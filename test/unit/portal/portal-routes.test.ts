/**
 * The portal's routers on the in-memory ports (no database): the dev sign-in, the signed-in
 * person's JSON, and the service desk's pages refused to employees (403) and shown to agents.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryMetricsQuery } from '../../../src/analytics/memory-metrics.ts';
import { MemoryArticleStore } from '../../../src/knowledge/memory-article-store.ts';
import { MemoryDeskOverview, MemoryPortalActivity, MemoryPortalPeople, MemoryPortalSessions } from '../../../src/portal/memory-ports.ts';
import { createPortal } from '../../../src/portal/routes.ts';
import { Browser, listenLocal, type Listening } from '../../helpers/http.ts';
import { memoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';

let server: Listening;
const people = new MemoryPortalPeople();

beforeAll(async () => {
  people.add({ id: 'alice', displayName: 'Alice Martin', role: 'employee', locale: 'fr', email: 'alice@example.org' });
  people.add({ id: 'nadia', displayName: 'Nadia Benali', role: 'agent', locale: 'en', email: 'nadia@example.org' });
  const overview = new MemoryDeskOverview({
    tickets: [{ number: 1042, title: 'VPN <down>', priority: 2, status: 'assigned', group: 'Network', groupId: 'network', assignee: 'Nadia Benali', requester: 'Alice Martin', requesterEmail: 'alice@example.org', responseBreached: false, resolutionBreached: false, warned: true, paused: false, resolutionDueAt: null }],
    groups: [{ id: 'network', name: 'Network', level: 1, escalatesTo: null, members: [] }],
  });
  const portal = createPortal({
    desk: memoryTicketDesk({ anyoneIsKnown: true }).desk,
    people,
    sessions: new MemoryPortalSessions(),
    activity: new MemoryPortalActivity(),
    metrics: new MemoryMetricsQuery({}),
    secret: 'test-secret',
    secureCookies: false,
    devSignIn: true,
    admin: { overview, articles: new MemoryArticleStore(), serviceIds: ['vpn'], changed: async () => undefined },
  });
  const app = express();
  app.use('/portal', portal.router);
  server = await listenLocal(app);
});

afterAll(async () => {
  await server?.close();
});

/** Signs `email` in with the local development sign-in; returns the browser holding the session. */
async function signIn(email: string): Promise<Browser> {
  const browser = new Browser(server.url);
  const form = await (await browser.get('/portal/signin')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
  const done = await browser.request('/portal/signin', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email }).toString() });
  expect(done.headers.get('location')).toBe('/portal');
  return browser;
}

describe('the portal on in-memory ports', () => {
  it('answers 401 to the API before sign-in, and the person after, in their language', async () => {
    expect((await new Browser(server.url).get('/portal/api/me')).status).toBe(401);
    const browser = await signIn('nadia@example.org');
    expect(await (await browser.get('/portal/api/me')).json()).toEqual({ displayName: 'Nadia Benali', role: 'agent', lang: 'en' });
    expect(people.identities.get('portal|nadia')).toBe('nadia');
  });

  it('sends an unknown e-mail back to the sign-in page', async () => {
    const browser = new Browser(server.url);
    const form = await (await browser.get('/portal/signin')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    const done = await browser.request('/portal/signin', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email: 'nobody@example.org' }).toString() });
    expect(done.headers.get('location')).toBe('/portal/signin?unknown=1');
  });

  it('refuses the queue to employees and shows it, escaped, with its SLA state, to agents', async () => {
    expect((await (await signIn('alice@example.org')).get('/portal/admin/queue')).status).toBe(403);
    const page = await (await signIn('nadia@example.org')).get('/portal/admin/queue');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<td>VPN &lt;down&gt;</td>');
    expect(html).toContain('<td class="sla at-risk">at risk</td>');
  });

  it('answers a bad analytics period with the field zod named', async () => {
    const response = await (await signIn('nadia@example.org')).get('/portal/api/admin/metrics?from=yesterday&to=2026-11-30');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid', field: 'from' });
  });
});
