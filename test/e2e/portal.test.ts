/**
 * The portal in a real browser (Debian's Chromium driven by playwright-core):
 * an employee signs in, opens a ticket by chatting with Guichet, sees it in
 * "my tickets" change live when an agent takes and resolves it, confirms the
 * fix, sees a major-incident banner appear, and searches the knowledge base
 * and rates an answer. Screenshots go to docs/screenshots/ (or SCREENSHOTS_DIR).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let running: Running;
let testDb: TestDatabase;
let browser: Browser;
let page: Page;

// Each page's screenshot goes to docs/screenshots/ (shown in the README); SCREENSHOTS_DIR sends them elsewhere.
const SHOTS_DIR = process.env.SCREENSHOTS_DIR ?? 'docs/screenshots';
const shotPath = (name: string) => join(SHOTS_DIR, `${name}.png`);
const shot = (name: string) => page.screenshot({ path: shotPath(name), fullPage: true });

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', WEB_DEV_SIGNIN: 'true', SLA_TICK_SECONDS: '0' }));
  browser = await launchChromium();
  page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1100, height: 800 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await testDb?.cleanup();
});

describe('the self-service portal in Chromium', () => {
  it('refuses the portal without a session and signs an employee in', async () => {
    await page.goto(`${running.url}/portal`);
    expect(new URL(page.url()).pathname).toBe('/portal/signin');
    await shot('portal-signin');
    await page.getByLabel('Adresse e-mail professionnelle').fill('alice.martin@example.org');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${running.url}/portal`);
    await expect.poll(() => page.locator('#tickets').textContent()).toContain('Aucun ticket');
  });

  it('opens a ticket by chatting, then follows it live: taken, resolved, confirmed', async () => {
    await page.goto(`${running.url}/`);
    await page.getByLabel('Votre message').fill('ouvrir un ticket : mon deuxième écran reste noir sur le dock');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#log').textContent()).toMatch(/J’ai ouvert le ticket #(\d+)/);
    const number = Number(/#(\d+)/.exec((await page.locator('#log').textContent())!)![1]);
    await shot('portal-chat');

    await page.goto(`${running.url}/portal`);
    const row = page.locator(`tr[data-number="${number}"]`);
    await expect.poll(() => row.textContent()).toContain('Nouveau');
    const agent = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'camille.roux@example.org' } });
    await running.guichet.desk!.take(number, { id: agent.id, role: 'agent' });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Camille Roux');
    await shot('portal-tickets');

    await running.guichet.desk!.resolve(number, { id: agent.id, role: 'agent' }, 'Câble DisplayPort remplacé');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Résolu');
    await page.goto(`${running.url}/portal/tickets/${number}`);
    await expect.poll(() => page.locator('#ticket').textContent()).toContain('Câble DisplayPort remplacé');
    await shot('portal-ticket');
    await page.getByRole('button', { name: 'Oui, c’est réglé' }).click();
    await expect.poll(() => page.locator('#ticket dd.status').textContent()).toBe('Clos');
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('closed');
  });

  it('shows a major incident banner as soon as it is declared', async () => {
    await page.goto(`${running.url}/portal`);
    const admin = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'claire.fontaine@example.org' } });
    await running.guichet.incidents!.declare({ id: admin.id, role: 'admin' }, { serviceId: 'email', title: { fr: 'Messagerie indisponible', en: 'Email unavailable' }, impact: 'high' });
    await expect.poll(() => page.locator('#incidents').textContent(), { timeout: 10_000 }).toContain('Messagerie indisponible');
    await shot('portal-incident');
  });

  it('searches the knowledge base and records a rating', async () => {
    await page.goto(`${running.url}/portal/kb`);
    await page.getByLabel('Rechercher une solution').fill('mdp oublié');
    await page.getByRole('button', { name: 'OK' }).click();
    const article = page.locator('article[data-id="FAQ-0002"]');
    await expect.poll(() => article.locator('h3').textContent()).toContain('Mot de passe oublié');
    await article.getByRole('button', { name: /Cela m’a aidé/ }).click();
    await expect.poll(() => article.textContent()).toContain('Merci pour votre retour');
    await shot('portal-kb');
    const rating = await testDb.db.client.answerFeedback.findFirstOrThrow({ where: { article: { articleId: 'FAQ-0002' } } });
    expect(rating).toMatchObject({ helpful: true, query: 'mdp oublié' });
  });

  it('shows what users wrote as text, never as markup', async () => {
    const alice = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' } });
    const hostile = '<img src=x onerror="window.pwned=1"> **gras** [lien](javascript:alert(1))';
    const shot = { name: '<b>capture</b>.png', url: 'https://contoso-my.sharepoint.com/personal/alice/capture.png', contentType: 'image/png' };
    const { ticket } = await running.guichet.desk!.create({ type: 'incident', title: hostile, description: hostile, category: 'other', impact: 3, urgency: 3, requesterId: alice.id, createdBy: { id: alice.id, kind: 'user' }, files: [shot] });
    await page.goto(`${running.url}/portal`);
    const row = page.locator(`tr[data-number="${ticket.number}"]`);
    await expect.poll(() => row.textContent()).toContain('<img src=x onerror="window.pwned=1">');
    expect(await row.locator('img').count()).toBe(0);
    await page.goto(`${running.url}/portal/tickets/${ticket.number}`);
    await expect.poll(() => page.locator('#ticket h2').textContent()).toContain(hostile);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('#ticket a[href^="javascript:"]').count()).toBe(0);
    // The attached file is a link to where it was sent, its name shown as text.
    const link = page.locator('#ticket a.file');
    await expect.poll(() => link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe(shot.url);
    expect(await link.textContent()).toBe('📎 <b>capture</b>.png');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('refuses a mutation without the CSRF token, changing nothing', async () => {
    const response = await page.request.post(`${running.url}/portal/api/tickets/1001/confirm`, { data: { fixed: false, id: 'forged-request-1' } });
    expect(response.status()).toBe(403);
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: 1001 } })).status).toBe('closed');
  });

  it('refuses the service desk pages to an employee', async () => {
    const response = await page.goto(`${running.url}/portal/admin/analytics`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('réservée au support');
  });

  it('shows an agent the analytics, with charts drawn from real data', async () => {
    const alice = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' } });
    await running.guichet.desk!.rate(1001, { id: alice.id, role: 'employee' }, 5);
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
    const agentPage = await context.newPage();
    await agentPage.goto(`${running.url}/portal/signin`);
    await agentPage.getByLabel('Work e-mail address').fill('camille.roux@example.org');
    await agentPage.getByRole('button', { name: 'Sign in' }).click();
    await agentPage.waitForURL(`${running.url}/portal`);
    await agentPage.getByRole('link', { name: 'Analytics' }).click();
    await expect.poll(() => agentPage.locator('#figures').textContent()).toMatch(/Conversations\s*[1-9]/);
    await expect.poll(() => agentPage.locator('#chart-conversations canvas').count()).toBe(1);
    await expect.poll(() => agentPage.locator('#chart-sla canvas').count()).toBe(1);
    expect(await agentPage.locator('#figures').textContent()).toMatch(/Satisfaction\s*5\.0 \/ 5 \(1 answers\)/);
    await expect.poll(() => agentPage.locator('#intents li').count()).toBeGreaterThan(0);
    // The chart has drawn something: its canvas is not blank.
    const inked = await agentPage.locator('#chart-conversations canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
      return painted;
    });
    expect(inked).toBeGreaterThan(100);
    await agentPage.screenshot({ path: shotPath('analytics'), fullPage: true });
    // Each page stays under 200 KB of JavaScript.
    const scripts = await agentPage.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).map((r) => (r as PerformanceResourceTiming).decodedBodySize));
    expect(scripts.reduce((a, b) => a + b, 0)).toBeLessThan(200 * 1024);
    await context.close();
  });

  it('lets an admin edit and publish an article that users then find, and declare a major incident that shows on the banner', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } });
    const admin = await context.newPage();
    await admin.goto(`${running.url}/portal/signin`);
    await admin.getByLabel('Adresse e-mail professionnelle').fill('claire.fontaine@example.org');
    await admin.getByRole('button', { name: 'Se connecter' }).click();
    await admin.waitForURL(`${running.url}/portal`);
    await admin.getByRole('link', { name: 'Articles' }).click();
    await admin.getByLabel('Filtrer').fill('FAQ-0016');
    await expect.poll(() => admin.locator('#articles tr').count()).toBe(2);
    await admin.screenshot({ path: shotPath('admin-knowledge'), fullPage: true });
    // Export, then import: a bad file imports nothing and says where; a good one adds its article.
    const exported = await admin.request.get(`${running.url}/portal/api/admin/export`);
    expect(exported.status()).toBe(200);
    expect((await exported.text()).trim().split('\n').length).toBeGreaterThanOrEqual(120);
    const row = { id: 'FAQ-0201', type: 'faq', lang: 'fr', title: 'Réserver une salle avec écran', tags: ['salle', 'réservation', 'écran'], services: ['collaboration'], symptoms: ['réserver une salle de réunion', 'salle avec écran'], status: 'published', body: 'Dans Outlook, **Nouvelle réunion › Assistant Salles**.' };
    await admin.setInputFiles('#import-file', { name: 'bad.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${JSON.stringify({ ...row, services: ['cafeteria'] })}\n`) });
    await admin.getByRole('button', { name: 'Importer', exact: true }).click();
    await expect.poll(() => admin.locator('#import-status').textContent()).toMatch(/line 1: services: .*cafeteria/);
    expect(await testDb.db.client.article.count({ where: { articleId: 'FAQ-0201' } })).toBe(0);
    await admin.setInputFiles('#import-file', { name: 'good.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${JSON.stringify(row)}\n`) });
    await admin.getByRole('button', { name: 'Importer', exact: true }).click();
    // The import rebuilds the search index: under a full parallel run it has taken more than the default 5 s.
    await expect.poll(() => admin.locator('#import-status').textContent(), { timeout: 10_000 }).toBe('1 ✓');
    expect(await testDb.db.client.article.count({ where: { articleId: 'FAQ-0201', status: 'published' } })).toBe(1);

    await admin.goto(`${running.url}/portal/admin/knowledge/FAQ-0016/fr`);
    const source = admin.getByLabel('Article (front matter + Markdown)');
    await expect.poll(() => source.inputValue()).toContain('id: FAQ-0016');
    const edited = (await source.inputValue()).replace(/^title: .*$/m, 'title: "Casque Jabra muet dans Teams : pas de son ni de micro"');
    await source.fill(edited);
    await expect.poll(() => admin.locator('#preview').innerHTML()).not.toBe('');
    await admin.screenshot({ path: shotPath('admin-editor'), fullPage: true });
    await admin.getByRole('button', { name: 'Publier' }).click();
    await expect.poll(() => admin.locator('#editor-status').textContent()).toContain('FAQ-0016 (fr): published');
    expect((await testDb.db.client.articleRevision.count({ where: { article: { articleId: 'FAQ-0016', lang: 'fr' } } }))).toBeGreaterThanOrEqual(2);

    await page.goto(`${running.url}/portal/kb`);
    await page.getByLabel('Rechercher une solution').fill('casque jabra muet');
    await page.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => page.locator('article[data-id="FAQ-0016"] h3').textContent()).toContain('Casque Jabra muet');

    await admin.goto(`${running.url}/portal/admin/incidents`);
    await admin.getByLabel('Service').selectOption('vpn');
    await admin.getByLabel('Titre').fill('VPN indisponible depuis l’extérieur');
    await admin.getByRole('button', { name: 'Déclarer' }).click();
    await expect.poll(() => admin.locator('#incident-list').textContent()).toContain('VPN indisponible');
    const open = await testDb.db.client.majorIncident.findFirstOrThrow({ where: { serviceId: 'vpn', status: 'open' } });
    await admin.getByLabel(`Mise à jour ou résolution #${open.number}`).fill('La passerelle redémarre, retour prévu vers 15 h');
    await admin.getByRole('button', { name: `Publier la mise à jour #${open.number}` }).click();
    await expect.poll(() => admin.locator('#incident-list').textContent()).toContain('retour prévu vers 15 h');
    await admin.screenshot({ path: shotPath('admin-incidents'), fullPage: true });
    await page.goto(`${running.url}/portal`);
    await expect.poll(() => page.locator('#incidents').textContent(), { timeout: 10_000 }).toContain('VPN indisponible');

    // The queue per group with SLA state, the knowledge gaps and drafts, the configuration.
    await admin.goto(`${running.url}/portal/admin/queue`);
    expect(await admin.locator('h2').textContent()).toBe('File des tickets');
    await admin.screenshot({ path: shotPath('admin-queue'), fullPage: true });
    await admin.goto(`${running.url}/portal/admin/gaps`);
    expect(await admin.locator('main').textContent()).toContain('Questions sans bonne réponse');
    await admin.screenshot({ path: shotPath('admin-gaps'), fullPage: true });
    await admin.goto(`${running.url}/portal/admin/config`);
    expect(await admin.locator('main').textContent()).toContain('Workplace and devices (N2)');
    await admin.screenshot({ path: shotPath('admin-config'), fullPage: true });
    await context.close();
  });

  it('refuses the admin pages and their API to an employee', async () => {
    expect((await page.goto(`${running.url}/portal/admin/knowledge`))?.status()).toBe(403);
    expect((await page.request.get(`${running.url}/portal/api/admin/articles`)).status()).toBe(403);
  });
});
