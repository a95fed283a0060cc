/**
 * The console's queue in Chromium: a user waiting for a person appears in their desk's queue with
 * position and minutes waited, each desk's figures and waits by hour; the page passes axe-core (WCAG 2.1 A/AA) and its desk table is
 * reachable from the keyboard.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let running: Running;
let testDb: TestDatabase;
let browser: Browser;
let number = 0;
let henrisNumber = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0' }));
  browser = await launchChromium();
  const alice = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' } });
  const { ticket } = await running.guichet.desk!.create({ type: 'incident', title: 'Outlook asks for my password', description: 'Since this morning', category: 'incident', serviceId: 'email', impact: 3, urgency: 2, requesterId: alice.id, createdBy: { id: alice.id, kind: 'user' } });
  number = ticket.number;
  await running.guichet.handoff!.escalate(number, { live: true });
  // A second user who left the queue: the desk's figures count an abandoned wait.
  const emma = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'emma.lefebvre@example.org' } });
  const left = await running.guichet.desk!.create({ type: 'incident', title: 'Teams crashes', description: 'When I share my screen', category: 'incident', serviceId: 'collaboration', impact: 3, urgency: 2, requesterId: emma.id, createdBy: { id: emma.id, kind: 'user' } });
  await running.guichet.handoff!.escalate(left.ticket.number, { live: true });
  await running.guichet.desks!.desks.abandon(left.ticket.number);
  // Henri works in Logistics: his ticket is the Lyon desk's.
  const henri = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'henri.blanc@example.org' } });
  henrisNumber = (await running.guichet.desk!.create({ type: 'incident', title: 'Scanner de quai hors service', description: 'Quai 3', category: 'incident', serviceId: 'workstation', impact: 3, urgency: 2, requesterId: henri.id, createdBy: { id: henri.id, kind: 'user' } })).ticket.number;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await testDb?.cleanup();
});

it('shows the waiting user in their desk’s queue, passes axe, is searchable and reachable by keyboard, with a due-time countdown', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${running.url}/portal/signin`);
  await page.locator('input[type="email"]').fill('bruno.petit@example.org');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${running.url}/portal`);
  await page.goto(`${running.url}/portal/admin/queue`);
  await page.locator('#waiting-title').waitFor();
  const row = page.locator(`#waiting-0 + .table-scroll tr[data-number="${number}"]`);
  expect((await row.locator('td').allTextContents()).slice(0, 4)).toEqual(['1', `#${number}`, 'P4', 'Alice Martin']);
  expect(await page.locator('#waiting-0').textContent()).toMatch(/: 1 (waiting|en attente)$/);
  expect(await page.locator('#desk-stats + .table-scroll tbody tr').first().locator('td').allTextContents()).toEqual(['1', '—', '—', '100 %', '—', '—']);
  expect(await page.locator('#desk-hours-0').isVisible()).toBe(true);

  expect(await axeViolations(page)).toEqual([]);

  // Tab until the desk's table region has the focus.
  let reached = false;
  for (let i = 0; i < 40 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby') === 'waiting-0');
  }
  expect(reached).toBe(true);
  // Keyboard only: search the queue by number, then the countdown is filled in by queue.js.
  await page.locator('#q').focus();
  await page.keyboard.type(`#${number}`);
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=%23/);
  const rows = page.locator('#queue-title ~ #queue-live .table-scroll[aria-labelledby="queue-title"] tbody tr');
  expect(await rows.count()).toBe(1);
  expect(await rows.first().getAttribute('data-number')).toBe(String(number));
  expect(await rows.first().locator('td.due').textContent()).toMatch(/^(\d+ h \d{2}|\d+ min|(overdue by|dépassée de) .+)$/);

  // Keyboard only: the desk filter (arrow keys on the select), then Enter in the search box submits.
  await page.locator('#q').fill('');
  await page.locator('#desk').focus();
  for (let i = 0; i < 6 && (await page.locator('#desk').inputValue()) !== 'lyon'; i += 1) await page.keyboard.press('ArrowDown');
  expect(await page.locator('#desk').inputValue()).toBe('lyon');
  await page.keyboard.press('Tab');
  await page.locator('#q').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/desk=lyon/);
  const deskColumn = async () => page.locator('#queue-live .table-scroll[aria-labelledby="queue-title"] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-number'), tr.children[3]?.textContent]));
  expect(await deskColumn()).toEqual([[String(henrisNumber), 'the Lyon desk']]);
  // By the requester's e-mail, across desks.
  await page.goto(`${running.url}/portal/admin/queue`);
  await page.locator('#q').focus();
  await page.keyboard.type('alice.martin@');
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=alice/);
  expect(await deskColumn()).toEqual([[String(number), 'the Paris desk']]);
  await context.close();
});
