/**
 * Accessibility of every web page, audited in Chromium with axe-core (WCAG 2.1 A and AA rules:
 * labels, names, landmarks, contrast, ARIA use), as an employee and as an admin, in French and
 * English, plus the keyboard: the chat and the sign-in work without a mouse.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { axeViolations } from '../helpers/axe.ts';


let running: Running;
let testDb: TestDatabase;
let browser: Browser;

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0' }));
  browser = await launchChromium();
  // Something to show: a ticket with a timeline, and an open major incident (the banner).
  const alice = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' } });
  const admin = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'claire.fontaine@example.org' } });
  await running.guichet.desk!.create({ type: 'incident', title: 'Second screen stays black', description: 'On the dock since Monday', category: 'workstation', serviceId: 'workstation', impact: 3, urgency: 2, requesterId: alice.id, createdBy: { id: alice.id, kind: 'user' } });
  await running.guichet.incidents!.declare({ id: admin.id, role: 'admin' }, { serviceId: 'email', title: { fr: 'Messagerie indisponible', en: 'Email unavailable' }, impact: 'high' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await testDb?.cleanup();
});

/** A signed-in browser context (the audit script is evaluated through the DevTools protocol, under the pages' CSP). */
async function signedIn(email: string, locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${running.url}/portal/signin`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${running.url}/portal`);
  return { context, page };
}

/** axe-core's WCAG 2.1 A/AA violations on the page, as "rule: selector" lines (empty when clean). */
async function audit(page: Page): Promise<string[]> {
  return axeViolations(page);
}

/** Opens `path` and waits until the page's script has filled `ready` (a selector with content). */
async function visit(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${running.url}${path}`);
  await expect.poll(async () => ((await page.locator(ready).first().textContent()) ?? '').trim().length, { timeout: 10_000 }).toBeGreaterThan(0);
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  it('finds nothing on the sign-in page and the web chat, both usable with the keyboard alone', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${running.url}/portal/signin`);
    expect(await audit(page)).toEqual([]);
    // Keyboard only: Tab reaches the e-mail field (after the page's links), typing and Enter sign in.
    const focused: (string | null)[] = [];
    for (let i = 0; i < 8 && focused.at(-1) !== 'email'; i += 1) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.getAttribute('type') ?? document.activeElement?.tagName ?? null));
    }
    expect(focused.at(-1), `focus went through ${focused.join(', ')}`).toBe('email');
    await page.keyboard.type('alice.martin@example.org');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${running.url}/portal`);

    await page.goto(`${running.url}/`);
    expect(await audit(page)).toEqual([]);
    await page.locator('textarea, input[type="text"]').first().focus();
    await page.keyboard.type('bonjour');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#log').textContent()).toMatch(/Bonjour/);
    expect(await audit(page)).toEqual([]);
    await context.close();
  });

  it('finds nothing on the employee’s pages, in French and in English', async () => {
    for (const locale of ['fr-FR', 'en-GB']) {
      const { context, page } = await signedIn('alice.martin@example.org', locale);
      await visit(page, '/portal', '#tickets tr[data-number]');
      expect(await audit(page), `my tickets (${locale})`).toEqual([]);
      const number = await page.locator('#tickets tr[data-number]').first().getAttribute('data-number');
      await visit(page, `/portal/tickets/${number}`, '#ticket h2');
      expect(await audit(page), `ticket (${locale})`).toEqual([]);
      await page.goto(`${running.url}/portal/kb`);
      await page.locator('input[type="search"]').fill(locale === 'fr-FR' ? 'mot de passe oublié' : 'forgot password');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#kb-results > *').count()).toBeGreaterThan(0);
      expect(await audit(page), `knowledge base (${locale})`).toEqual([]);
      await context.close();
    }
  });

  it('finds nothing on the service desk’s and the admin’s pages', async () => {
    const { context, page } = await signedIn('claire.fontaine@example.org', 'fr-FR');
    const pages: [string, string][] = [
      ['/portal/admin/analytics', '#figures'],
      ['/portal/admin/queue', 'main table, main p'],
      ['/portal/admin/incidents', 'main h2'],
      ['/portal/admin/knowledge', 'main table'],
      ['/portal/admin/knowledge/FAQ-0002/fr', 'main h2'],
      ['/portal/admin/gaps', 'main h2'],
      ['/portal/admin/config', 'main table'],
    ];
    for (const [path, ready] of pages) {
      await visit(page, path, ready);
      expect(await audit(page), path).toEqual([]);
    }
    await context.close();
  });

  it('fits a phone screen: no page scrolls sideways at 375 pixels', async () => {
    const { context, page } = await signedIn('claire.fontaine@example.org', 'fr-FR');
    await page.setViewportSize({ width: 375, height: 740 });
    const number = await testDb.db.client.ticket.findFirstOrThrow({ select: { number: true } });
    const paths = ['/', '/portal', `/portal/tickets/${number.number}`, '/portal/kb', '/portal/admin/analytics', '/portal/admin/queue', '/portal/admin/incidents', '/portal/admin/knowledge', '/portal/admin/gaps', '/portal/admin/config'];
    const overflowing: string[] = [];
    for (const path of paths) {
      await page.goto(`${running.url}${path}`);
      await page.waitForLoadState('networkidle');
      const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      if (scroll > width) overflowing.push(`${path}: ${scroll}px in ${width}px`);
    }
    expect(overflowing).toEqual([]);
    await context.close();
  });
});
