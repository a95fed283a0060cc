/**
 * Portal sign-in with OpenID Connect, in Chromium, against a real local
 * provider (oidc-provider with its development login pages): authorization
 * code + PKCE through openid-client; the person is recognised by the e-mail in
 * the ID token (an agent of config/groups.yml keeps their role), a newcomer is
 * created, a groups claim makes an admin, and a tampered return is refused: a forged callback, and
 * a sign-in whose state, nonce or PKCE challenge was changed on the way to the provider.
 */
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { freePort } from '../helpers/process.ts';

let running: Running;
let testDb: TestDatabase;
let browser: Browser;
let provider: Server;
let issuer: string;

const ACCOUNTS: Record<string, { email: string; name: string; groups: string[] }> = {
  bruno: { email: 'bruno.petit@example.org', name: 'Bruno Petit', groups: [] },
  newcomer: { email: 'zoe.lambert@example.org', name: 'Zoé Lambert', groups: ['it-admins'] },
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  const [guichetPort, providerPort] = [await freePort(), await freePort()];
  issuer = `http://127.0.0.1:${providerPort}`;
  const oidc = new Provider(issuer, {
    clients: [{ client_id: 'guichet', client_secret: 'test-secret', redirect_uris: [`http://127.0.0.1:${guichetPort}/portal/oidc/callback`], response_types: ['code'], grant_types: ['authorization_code'] }],
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'locale', 'groups'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: ACCOUNTS[sub]?.email, name: ACCOUNTS[sub]?.name, locale: 'fr-FR', groups: ACCOUNTS[sub]?.groups ?? [] }) }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['a-test-cookie-key'] },
  });
  provider = oidc.listen(providerPort);
  running = await start(
    loadConfig({
      DATABASE_URL: testDb.url, PORT: String(guichetPort), LOG_LEVEL: 'silent', CHANNELS: 'web', SLA_TICK_SECONDS: '0',
      OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: 'guichet', OIDC_CLIENT_SECRET: 'test-secret', OIDC_REDIRECT_URL: `http://127.0.0.1:${guichetPort}/portal/oidc/callback`, OIDC_ADMIN_GROUPS: 'it-admins',
    }),
  );
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await new Promise((resolve) => provider?.close(resolve));
  await testDb?.cleanup();
});

async function signIn(login: string) {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${running.url}/portal/signin`);
  await page.getByRole('link', { name: 'Se connecter avec son compte de l’entreprise' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click(); // consent
  await page.waitForURL(`${running.url}/portal`);
  return { context, page };
}

describe('OpenID Connect sign-in', () => {
  it('recognises an agent of the configuration by the e-mail in the ID token, keeping their role', async () => {
    const { context, page } = await signIn('bruno');
    expect(await page.locator('header .who').textContent()).toBe('Bruno Petit');
    expect(await page.getByRole('link', { name: 'File' }).count()).toBe(1);
    const identity = await testDb.db.client.identity.findFirstOrThrow({ where: { platform: 'web', externalId: 'bruno' }, include: { user: true } });
    expect(identity.user).toMatchObject({ email: 'bruno.petit@example.org', role: 'agent' });
    await context.close();
  });

  it('creates a newcomer and makes them an admin from the groups claim', async () => {
    const { context, page } = await signIn('newcomer');
    expect(await page.locator('header .who').textContent()).toBe('Zoé Lambert');
    const user = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'zoe.lambert@example.org' } });
    expect(user.role).toBe('admin');
    expect((await page.goto(`${running.url}/portal/admin/knowledge`))?.status()).toBe(200);
    await context.close();
  });

  it('refuses a return from the provider that this browser did not start', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${running.url}/portal/oidc/callback?code=forged&state=forged`);
    expect(new URL(page.url()).pathname).toBe('/portal/signin');
    expect(await page.locator('[role="alert"]').textContent()).toContain('La connexion a échoué');
    expect((await page.goto(`${running.url}/portal`)) && new URL(page.url()).pathname).toBe('/portal/signin');
    await context.close();
  });

  for (const [param, value] of [['state', 'tampered-state'], ['nonce', 'tampered-nonce'], ['code_challenge', 'A'.repeat(43)]] as const) {
    it(`refuses a sign-in whose ${param} was changed on the way to the provider`, async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      // Guichet's redirect to the provider, rewritten (a redirect's target cannot be routed itself).
      await context.route(
        (url) => url.pathname === '/portal/signin/oidc',
        async (route) => {
          const response = await route.fetch({ maxRedirects: 0 });
          const location = new URL(response.headers().location!);
          expect(location.origin).toBe(issuer);
          location.searchParams.set(param, value);
          await route.fulfill({ response, headers: { ...response.headers(), location: location.href } });
        },
      );
      const page = await context.newPage();
      await page.goto(`${running.url}/portal/signin`);
      await page.getByRole('link', { name: 'Se connecter avec son compte de l’entreprise' }).click();
      await page.locator('input[name="login"]').fill('bruno');
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]').click(); // consent
      await page.waitForURL(/\/portal\/signin\?failed=1$/);
      expect(await page.locator('[role="alert"]').textContent()).toContain('La connexion a échoué');
      expect((await context.cookies()).some((c) => c.name === 'guichet_session')).toBe(false);
      await context.close();
    });
  }
});
