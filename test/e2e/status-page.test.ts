/**
 * The portal's status page in Chromium, for a signed-in employee: the current major incident with
 * the services it reaches, since when and its latest update, the history of resolved ones; no axe-core
 * (WCAG 2.1 A/AA) violation in French or English; following an incident with its button (no script
 * needed) stores the follower (who then gets its updates) and stopping removes it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { axeViolations } from '../helpers/axe.ts';


let running: Running;
let testDb: TestDatabase;
let browser: Browser;
let current = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0', ALERT_WEBHOOK_SECRET: 'status-page-secret-42' }));
  browser = await launchChromium();
  const admin = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'claire.fontaine@example.org' } });
  const staff = { id: admin.id, role: 'admin' as const };
  const incidents = running.guichet.incidents!;
  const old = await incidents.declare(staff, { serviceId: 'printing', title: { fr: 'Impression bloquée à Lyon', en: 'Printing stuck in Lyon' }, impact: 'low', sites: ['Lyon'] });
  await incidents.resolve(staff, old.number, { fr: 'File d’impression purgée', en: 'Print queue purged' });
  const now = await incidents.declare(staff, { serviceId: 'identity', title: { fr: 'Connexion unique en panne', en: 'Single sign-on down' }, impact: 'high' });
  await incidents.update(staff, now.number, { fr: 'Le fournisseur a identifié la cause', en: 'The provider found the cause' });
  current = now.number;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await testDb?.cleanup();
});

async function signedIn(email: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${running.url}/portal/signin`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${running.url}/portal`);
  return page;
}

async function audit(page: Page): Promise<string[]> {
  return axeViolations(page);
}

describe('the status page', () => {
  it('shows the current incident, the services it reaches and its latest update, and the history, with no axe violation', async () => {
    const page = await signedIn('henri.blanc@example.org', 'en-GB');
    await page.locator('nav a[href="/portal/status"]').click();
    await page.waitForURL(`${running.url}/portal/status`);
    const article = page.locator('article.incident');
    await expect.poll(() => article.count()).toBe(1);
    const text = (await article.textContent()) ?? '';
    expect(text).toContain(`#${current} Accounts, passwords and MFA : Single sign-on down`);
    // The CMDB's dependencies: business applications, Microsoft 365 and the VPN need single sign-on.
    for (const service of ['Business applications (ERP, CRM, HR)', 'Email and calendar', 'Remote access (VPN)']) expect(text).toContain(service);
    expect(text).toContain('The provider found the cause');
    expect((await page.locator('ul.history').textContent()) ?? '').toContain('Printing stuck in Lyon — Resolved on');
    expect(await audit(page)).toEqual([]);
    await page.context().close();
  });

  it('is clean in French too, and its buttons stop and start following an incident', async () => {
    const page = await signedIn('henri.blanc@example.org', 'fr-FR');
    await page.goto(`${running.url}/portal/status`);
    expect(await audit(page)).toEqual([]);
    // Henri was told of it (his phone signs in with single sign-on): he follows it already.
    const henri = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'henri.blanc@example.org' } });
    expect((await page.locator('article.incident').textContent()) ?? '').toContain('Vous suivez cet incident');
    expect(await running.guichet.incidents!.followedBy(henri.id)).toEqual([current]);
    await page.getByRole('button', { name: 'Ne plus suivre' }).click();
    await page.waitForURL(`${running.url}/portal/status`);
    await expect.poll(() => running.guichet.incidents!.followedBy(henri.id)).toEqual([]);
    await page.getByRole('button', { name: `Suivre cet incident #${current}` }).click();
    await page.waitForURL(`${running.url}/portal/status`);
    expect((await page.locator('article.incident').textContent()) ?? '').toContain('Vous suivez cet incident');
    expect(await running.guichet.incidents!.followedBy(henri.id)).toEqual([current]);
    expect(await audit(page)).toEqual([]);
    await page.context().close();
  });

  it('signing in to the web chat replays no notice: the history is the conversation, new notices start from now', async () => {
    const page = await signedIn('henri.blanc@example.org', 'fr-FR');
    const henri = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'henri.blanc@example.org' } });
    // Henri chats once, then leaves the page: the notices of the following hours reach his conversation.
    await page.goto(`${running.url}/`);
    await page.locator('#message').fill('bonjour');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#log li').count()).toBeGreaterThanOrEqual(2);
    await page.goto(`${running.url}/portal`);
    for (const text of ['ℹ️ Correctif en cours de déploiement', '✅ Ticket #1042 résolu']) await running.guichet.notifier.notify(henri.id, [{ type: 'text', text }]);
    const stored = await testDb.db.client.message.count({ where: { conversation: { userId: henri.id, channel: 'web' }, kind: 'proactive' } });
    expect(stored).toBeGreaterThan(0);
    await page.goto(`${running.url}/`);
    const history = await (await page.request.get(`${running.url}/api/web/history`)).json();
    expect(JSON.stringify(history.messages)).not.toMatch(/Correctif|#1042/);
    expect(history.messages.map((m: { message: { text?: string } }) => m.message.text)).toContain('bonjour');
    expect((await (await page.request.get(`${running.url}/api/web/notices`)).json()).messages).toEqual([]);
    expect((await (await page.request.get(`${running.url}/api/web/notices?after=${encodeURIComponent(history.now)}`)).json()).messages).toEqual([]);
    await page.waitForTimeout(4_500); // one poll of the page
    const shown = (await page.locator('#log').textContent()) ?? '';
    expect(shown).toContain('bonjour');
    expect(shown).not.toMatch(/Correctif|#1042/);
    await page.context().close();
  });

  it('the server takes monitoring alerts with the secret only (ALERT_WEBHOOK_SECRET)', async () => {
    const alert = JSON.stringify({ service: 'printing', severity: 'info', summary: 'Toner low on PR-PAR-2-01' });
    const refused = await fetch(`${running.url}/alerts/generic`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-secret-000000' }, body: alert });
    expect(refused.status).toBe(401);
    const taken = await fetch(`${running.url}/alerts/generic`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer status-page-secret-42' }, body: alert });
    expect(await taken.json()).toMatchObject({ received: 1, results: [{ outcome: 'below-threshold' }] });
    expect(await testDb.db.client.monitoringAlert.count()).toBe(1);
  });

  it('refuses a follow without the CSRF token and changes nothing', async () => {
    const response = await fetch(`${running.url}/portal/status/${current}/follow`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'follow=1', redirect: 'manual' });
    expect([303, 401, 403]).toContain(response.status);
    expect(response.headers.get('location') ?? '').not.toBe('/portal/status');
  });
});
