/** The console's queue page shows, to agents, who waits for a person in each desk's queue (escaped). */
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryMetricsQuery } from '../../../src/analytics/memory-metrics.ts';
import { MemoryArticleStore } from '../../../src/knowledge/memory-article-store.ts';
import { MemoryDeskOverview, MemoryPortalActivity, MemoryPortalPeople, MemoryPortalSessions } from '../../../src/portal/memory-ports.ts';
import { createPortal } from '../../../src/portal/routes.ts';
import { Browser, listenLocal, type Listening } from '../../helpers/http.ts';
import { memoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';

let server: Listening;
let lines: { position: number; number: number; priority: number; user: string; waitedMinutes: number }[] = [];

beforeAll(async () => {
  const people = new MemoryPortalPeople();
  people.add({ id: 'nadia', displayName: 'Nadia Benali', role: 'agent', locale: 'en', email: 'nadia@example.org' });
  const portal = createPortal({
    desk: memoryTicketDesk({ anyoneIsKnown: true }).desk,
    people,
    sessions: new MemoryPortalSessions(),
    activity: new MemoryPortalActivity(),
    metrics: new MemoryMetricsQuery({}),
    secret: 'test-secret',
    secureCookies: false,
    devSignIn: true,
    admin: {
      overview: new MemoryDeskOverview({ tickets: [], groups: [] }),
      articles: new MemoryArticleStore(),
      serviceIds: ['vpn'],
      changed: async () => undefined,
      waiting: {
        waiting: async () => (lines.length ? [{ desk: 'Paris <desk>', lines }] : []),
        stats: async (days) => [{ desk: `Paris ${days}`, deskId: 'paris', volume: 4, taken: 3, abandoned: 1, abandonmentRate: 0.25, waitMedianMinutes: 10, waitP90Minutes: 30, firstContactResolutionRate: 0.5, slaMetRate: null, byHour: Array.from({ length: 24 }, (_, h) => (h === 9 ? 3 : h === 14 ? 1 : 0)) }],
      },
    },
  });
  const app = express();
  app.use('/portal', portal.router);
  server = await listenLocal(app);
});

afterAll(async () => {
  await server?.close();
});

async function queuePage(): Promise<string> {
  const browser = new Browser(server.url);
  const form = await (await browser.get('/portal/signin')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
  await browser.request('/portal/signin', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email: 'nadia@example.org' }).toString() });
  return (await browser.get('/portal/admin/queue')).text();
}

it('says nobody waits, then lists the desk queue in order with minutes waited, escaped', async () => {
  expect(await queuePage()).toContain('<h3 id="waiting-title">Waiting for a person</h3><p>Nobody is waiting in your desks’ queues.</p>');
  lines = [
    { position: 1, number: 1042, priority: 1, user: 'Alice <b>Martin</b>', waitedMinutes: 12 },
    { position: 2, number: 1043, priority: 4, user: 'Emma Lefebvre', waitedMinutes: 3 },
  ];
  const html = await queuePage();
  expect(html).toContain('<h4 id="waiting-0">Paris &lt;desk&gt; queue: 2 waiting</h4>');
  expect(html).toContain('<tr data-number="1042"><td>1</td><td>#1042</td><td>P1</td><td>Alice &lt;b&gt;Martin&lt;/b&gt;</td><td>12</td></tr>');
  expect(html.indexOf('#1042')).toBeLessThan(html.indexOf('#1043'));
});

it('shows each desk’s figures over 30 days, and its waits by hour of day as an accessible chart', async () => {
  const html = await queuePage();
  expect(html).toContain('<h3 id="desk-stats">Desks: figures of the last 30 days</h3>');
  expect(html).toContain('<tr><th scope="row">Paris 30</th><td>4</td><td>10</td><td>30</td><td>25 %</td><td>50 %</td><td>—</td></tr>');
  expect(html).toMatch(/<svg id="desk-hours-0" class="desk-hours" role="img" aria-labelledby="desk-hours-0-title"[^>]*><title id="desk-hours-0-title">Waits by hour of day — Paris 30: 0h 0, .*9h 3, .*14h 1, /);
});
