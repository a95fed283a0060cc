/**
 * The admin console's personal data page in Chromium (issue #19): an admin exports a person's data as a
 * JSON file and erases them (a confirmation is required); employees get a 403, a form without its CSRF
 * token is refused; both actions are audited.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { rowsContaining } from '../helpers/every-row.ts';
import { axeViolations } from '../helpers/axe.ts';

let running: Running;
let testDb: TestDatabase;
let browser: Browser;
const emma = { externalId: 'U0EMMA42', displayName: 'Emma Lefebvre', email: 'emma.lefebvre@example.org', locale: 'fr-FR' };

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0' }));
  browser = await launchChromium();
  // Emma chats and opens a ticket (through the core, as a channel would).
  let n = 0;
  const say = (text: string) => running.guichet.turn({ channel: 'terminal', deliveryId: `e2e-${++n}`, user: emma, conversation: { externalId: 'emma-chat' }, text });
  await say('bonjour');
  await say('ouvrir un ticket : le scanner du 3e étage ne scanne plus vers mon mail');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await testDb?.cleanup();
});


/** axe-core's WCAG 2.1 A/AA violations on the page, as "rule: selector" lines (as test/e2e/accessibility.test.ts). */
async function audit(page: Page): Promise<string[]> {
  return axeViolations(page);
}

async function signIn(email: string) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${running.url}/portal/signin`);
  await page.getByLabel('Adresse e-mail professionnelle').fill(email);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${running.url}/portal`);
  return { context, page };
}

describe('the personal data page', () => {
  it('is for admins only, and refuses a form without its CSRF token', async () => {
    const { context, page } = await signIn('bruno.petit@example.org');
    const response = await page.goto(`${running.url}/portal/admin/privacy`);
    expect(response?.status()).toBe(403);
    await context.close();
    const admin = await signIn('claire.fontaine@example.org');
    const forged = await admin.page.request.post(`${running.url}/portal/admin/privacy/erase`, { form: { who: emma.email, confirm: 'yes' } });
    expect(forged.status()).toBe(403);
    expect(await testDb.db.client.user.count({ where: { email: emma.email, erasedAt: null } })).toBe(1);
    await admin.context.close();
  });

  it('exports a JSON file, then erases after the confirmation; both audited', async () => {
    const { context, page } = await signIn('claire.fontaine@example.org');
    await page.getByRole('link', { name: 'Données personnelles' }).click();
    await page.waitForURL(`${running.url}/portal/admin/privacy`);
    expect(await page.locator('main').textContent()).toMatch(/restées vides : 365 jours \(transcripts\)/);
    expect(await page.locator('main').textContent()).toMatch(/est passée : 1 jour \(rateLimits\)/);
    expect(await audit(page)).toEqual([]);

    await page.locator('#export-who').fill(emma.email.toUpperCase());
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter (JSON)' }).click()]);
    const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(data.profile).toMatchObject({ displayName: 'Emma Lefebvre', email: emma.email });
    expect(data.tickets).toHaveLength(1);
    expect(data.conversations[0].messages.map((m: { text: string }) => m.text)).toContain('bonjour');

    await page.locator('#erase-who').fill(emma.email);
    await page.getByRole('button', { name: 'Effacer définitivement' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Cochez la confirmation/);
    expect(await audit(page)).toEqual([]);
    expect(await testDb.db.client.user.count({ where: { email: emma.email } })).toBe(1);

    await page.locator('#erase-who').fill(emma.email);
    await page.getByLabel("Je confirme l'effacement (irréversible)").check();
    await page.getByRole('button', { name: 'Effacer définitivement' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toMatch(/Emma Lefebvre est effacé\(e\) : désormais « ancien utilisateur #[0-9a-f]{6} »\. 1 ticket\(s\) gardé\(s\)/);
    for (const trace of [emma.displayName, emma.email, emma.externalId]) expect({ trace, rows: await rowsContaining(testDb.db, trace) }).toEqual({ trace, rows: {} });
    await page.screenshot({ path: join(process.env.SCREENSHOTS_DIR ?? 'docs/screenshots', 'admin-privacy.png'), fullPage: true });
    // Fits a phone screen.
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1100, height: 900 });

    const claire = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'claire.fontaine@example.org' } });
    const audited = await testDb.db.client.auditLog.findMany({ where: { action: { startsWith: 'privacy.' } }, orderBy: { at: 'asc' } });
    expect(audited.map((a) => [a.action, a.actorId, a.actorKind])).toEqual([
      ['privacy.export', claire.id, 'admin'],
      ['privacy.erase', claire.id, 'admin'],
    ]);
    // Erased: nobody to export any more.
    await page.locator('#export-who').fill(emma.email);
    await page.getByRole('button', { name: 'Exporter (JSON)' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Personne ne correspond/);
    await context.close();
  });
});
