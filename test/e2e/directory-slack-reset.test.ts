/**
 * The directory's first-level actions through a chat adapter and the portal, end to end: the running
 * server (start() from the environment, DIRECTORY=ldap) with Slack's Events API (signed requests,
 * Bolt's calls to the local fake Web API), a real OpenLDAP (slapd with ppolicy), a local SMTP server
 * for one-time codes, and a real OpenID Connect provider (oidc-provider) for the portal sign-in in
 * headless Chromium. In Slack: a locked account is seen and unlocked (the time from the first
 * message to the unlocked entry is printed), a forgotten password gets a mailed code then a one-time
 * link; in Chromium: the link's page (signed in as its owner, checked with axe-core) shows the
 * directory's policy refusal, then sets the password, which binds on slapd; another person is
 * refused the link.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { Client } from 'ldapts';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { SLAPD_BIND_DN, SLAPD_BIND_PASSWORD, SLAPD_POLICY_DN } from '../../scripts/slapd.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeSlackApi, type FakeUser } from '../helpers/fake-slack-api.ts';
import { codeIn, startMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { freePort } from '../helpers/process.ts';
import { SIGNING_SECRET, TEAM, dmEvent, prepareEvent, send } from '../helpers/slack-signing.ts';
import { personDn, SLAPD_BASE_DN, useSlapd } from '../helpers/slapd.ts';
import { axeViolations } from '../helpers/axe.ts';

const slapd = useSlapd();
let running: Running;
let testDb: TestDatabase;
let fake: FakeSlackApi;
let mailbox: Mailbox;
let browser: Browser;
let provider: Server;

/** The identity provider's people: the OIDC e-mail is what maps them to their directory entry. */
const ACCOUNTS: Record<string, { email: string; name: string }> = {
  alice: { email: 'alice@example.org', name: 'Alice Martin' },
  carol: { email: 'carol@example.org', name: 'Carol Petit' },
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeSlackApi.start();
  mailbox = await startMailbox();
  const [port, providerPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${providerPort}`;
  const oidc = new Provider(issuer, {
    clients: [{ client_id: 'guichet', client_secret: 'test-secret', redirect_uris: [`http://127.0.0.1:${port}/portal/oidc/callback`], response_types: ['code'], grant_types: ['authorization_code'] }],
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'locale'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: ACCOUNTS[sub]?.email, name: ACCOUNTS[sub]?.name, locale: 'fr-FR' }) }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['a-test-cookie-key'] },
  });
  provider = oidc.listen(providerPort);
  running = await start(
    loadConfig({
      PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', CHANNELS: 'web,slack', DATABASE_URL: testDb.url, SLA_TICK_SECONDS: '0', PUBLIC_URL: `http://127.0.0.1:${port}`,
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: TEAM,
      OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: 'guichet', OIDC_CLIENT_SECRET: 'test-secret',
      DIRECTORY: 'ldap', LDAP_URL: slapd().slapd.url, LDAP_BIND_DN: SLAPD_BIND_DN, LDAP_BIND_PASSWORD: SLAPD_BIND_PASSWORD, LDAP_BASE_DN: SLAPD_BASE_DN,
      LDAP_OBJECT_ID_ATTRIBUTE: 'employeeNumber', LDAP_PASSWORD_POLICY_DN: SLAPD_POLICY_DN, SMTP_URL: mailbox.url, SMTP_FROM: 'Guichet <guichet@example.org>',
      SESSION_SECRET: 'a-test-session-secret-of-enough-length',
    }),
  );
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await new Promise((resolve) => provider?.close(resolve));
  await mailbox?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

function slackUser(email: string): FakeUser {
  const id = `U${randomBytes(5).toString('hex').toUpperCase()}`;
  const user: FakeUser = { id, team_id: TEAM, name: email.split('@')[0], real_name: email, tz: 'Europe/Paris', locale: 'fr-FR', profile: { real_name: email, email } };
  fake.addUser(user);
  return user;
}

/**
 * Sends a DM and waits until its turn is committed and its replies posted, and until a post contains
 * `awaited` (proactive notices may come between); returns what was posted.
 */
async function say(user: FakeUser, text: string, awaited = ''): Promise<string> {
  const before = fake.ok('chat.postMessage').length;
  const event = dmEvent(user.id, text);
  expect((await send(running.url, prepareEvent(event))).status).toBe(200);
  let delivery = null;
  for (let i = 0; i < 400 && !delivery; i += 1) {
    delivery = await testDb.db.client.processedDelivery.findFirst({ where: { channel: 'slack', deliveryId: event.event_id } });
    if (!delivery) await new Promise((r) => setTimeout(r, 25));
  }
  expect(delivery, `the turn of "${text}" was not committed`).toBeTruthy();
  await fake.waitForOk('chat.postMessage', before + (delivery!.replies as unknown[]).length, 15_000);
  const posted = () =>
    fake
      .ok('chat.postMessage')
      .slice(before)
      .map((c) => `${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? [])}`)
      .join('\n');
  for (let i = 0; i < 200 && !posted().includes(awaited); i += 1) await new Promise((r) => setTimeout(r, 25));
  return posted();
}

async function ldapEntry(uid: string): Promise<Record<string, unknown>> {
  const client = new Client({ url: slapd().slapd.url });
  try {
    await client.bind(SLAPD_BIND_DN, SLAPD_BIND_PASSWORD);
    const { searchEntries } = await client.search(personDn(uid), { scope: 'base', attributes: ['pwdAccountLockedTime'] });
    return searchEntries[0] ?? {};
  } finally {
    await client.unbind();
  }
}
const locked = async (uid: string) => [(await ldapEntry(uid)).pwdAccountLockedTime ?? []].flat().length > 0;

async function canBind(uid: string, password: string): Promise<boolean> {
  const client = new Client({ url: slapd().slapd.url });
  try {
    await client.bind(personDn(uid), password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind();
  }
}

async function signIn(login: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${running.url}/portal/signin`);
  await page.getByRole('link', { name: 'Se connecter avec son compte de l’entreprise' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click(); // consent
  await page.waitForURL(`${running.url}/portal`);
  return page;
}

async function axe(page: Page): Promise<string[]> {
  return axeViolations(page);
}

describe('directory actions in Slack, against slapd', () => {
  it('sees the lockout and unlocks the account from the first message (time printed)', async () => {
    const bob = slackUser('bob@example.org');
    expect(await locked('bob')).toBe(true);
    const started = performance.now();
    const first = await say(bob, 'mon compte est verrouillé, je ne peux plus me connecter');
    expect(first).toContain('il est verrouillé après trop d');
    // The button's value, as a click on "Oui" sends it back.
    const yes = await say(bob, 'Oui', 'Votre compte est déverrouillé');
    expect(yes).toContain('Votre compte est déverrouillé');
    expect(await locked('bob')).toBe(false);
    const elapsed = performance.now() - started;
    console.log(`directory: first message to unlocked account in Slack (2 messages, slapd, real database): ${elapsed.toFixed(0)} ms`);
    expect(await canBind('bob', 'bob-initial-pass-1')).toBe(true);
  });

  it('resets a forgotten password through a mailed code and the portal page, checked by the directory policy', async () => {
    const alice = slackUser('alice@example.org');
    expect(await say(alice, 'j’ai oublié mon mot de passe', 'ni verrouillé')).toContain('ni verrouillé ni désactivé');
    const before = mailbox.mails.length;
    expect(await say(alice, 'Oui', 'a***@home.example')).toContain('a***@home.example');
    const code = codeIn(await mailbox.next(before));
    const linked = await say(alice, code, '/portal/reset/');
    const link = new RegExp(`${running.url}/portal/reset/[A-Za-z0-9_-]+`).exec(linked)?.[0];
    expect(link, linked).toBeTruthy();

    // Someone else signed in cannot use it, and it stays valid for its owner.
    const carol = await signIn('carol');
    await carol.goto(link!);
    await expect.poll(() => carol.locator('[role="alert"]').textContent()).toContain('créé pour un autre compte');

    const page = await signIn('alice');
    await page.goto(link!);
    await expect.poll(() => page.locator('h2').textContent()).toBe('Choisir un nouveau mot de passe');
    expect(await axe(page)).toEqual([]);
    await page.getByLabel('Nouveau mot de passe').fill('short');
    await page.getByLabel('Confirmez le mot de passe').fill('short');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('ne respecte pas la politique de l\'annuaire');
    expect(await page.getByLabel('Nouveau mot de passe').inputValue()).toBe('');
    expect(await axe(page)).toEqual([]);

    await page.getByLabel('Nouveau mot de passe').fill('Alice-New-Secret-2026');
    await page.getByLabel('Confirmez le mot de passe').fill('Alice-New-Secret-2027');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('ne sont pas identiques');

    await page.getByLabel('Nouveau mot de passe').fill('Alice-New-Secret-2026');
    await page.getByLabel('Confirmez le mot de passe').fill('Alice-New-Secret-2026');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await expect.poll(() => page.locator('[role="status"]').last().textContent()).toContain('Votre mot de passe est changé');
    expect(await canBind('alice', 'Alice-New-Secret-2026')).toBe(true);
    expect(await page.content()).not.toContain('Alice-New-Secret-2026');

    // Used once: the link is gone.
    await page.goto(link!);
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('a expiré ou a déjà servi');
    const results = (await testDb.db.client.directoryAudit.findMany({ where: { accountId: personDn('alice') }, orderBy: { at: 'asc' } })).map((e) => `${e.action}:${e.result}`);
    expect(results).toEqual(['status:done', 'reset-password:code-sent', 'reset-password:done', 'reset-password:refused:password-policy', 'reset-password:password-set']);
  });
});
