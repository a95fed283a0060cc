/**
 * Forged Teams requests and malformed activities, over real HTTP against the real Teams channel
 * (botbuilder's authentication, wrapped by src/channels/teams/auth.ts) with a local OpenID
 * metadata server publishing the trusted signing key, on a real database. Each forged token gets
 * 401 with a fixed body, exactly one structured log line naming the reason and holding no key
 * material, nothing on stderr, nothing written; a correctly signed token passes (the control);
 * malformed activities get 400 and nothing written; unreachable metadata gets 503 (fails closed).
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { Writable } from 'node:stream';
import express from 'express';
import jwt from 'jsonwebtoken';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { createTeamsChannel } from '../../src/channels/teams/channel.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { freePort } from '../helpers/process.ts';
import { listenLocal, type Listening } from '../helpers/http.ts';
import { personalActivity, postActivity, teamsPerson } from '../helpers/teams-activity.ts';

const APP_ID = '00000000-0000-4000-8000-00000000a11d';
const APP_PASSWORD = 'the-app-password-never-logged';
const ISSUER = 'https://api.botframework.com'; // the public cloud's channel token issuer, as botbuilder expects it
const KID = 'trusted-key-1';
const SERVICE_URL = 'http://127.0.0.1:9/teams/'; // never called: nothing is answered in these tests

const trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
const trustedJwk = trusted.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs1' }).toString();

let testDb: TestDatabase;
let guichet: Guichet;
let metadata: Listening;
let server: Listening;
let unreachable: Listening;
const lines: Record<string, unknown>[] = [];
/** What reached console.error past the channel's filter of the SDK's own lines (installed over this sink). */
const consoleErrors: string[] = [];
const realConsoleError = console.error;

function capture(): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push({ ...(JSON.parse(line) as Record<string, unknown>), raw: line });
      done();
    },
  });
}

async function mountTeams(metadataUrl: string): Promise<Listening> {
  const channel = createTeamsChannel({
    // Activities come from a tenant this server does not serve: a token that passes is ignored, nothing is sent.
    config: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: APP_PASSWORD, MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: undefined, TEAMS_TENANT_IDS: ['tenant-served'], TEAMS_OPENID_METADATA_URL: metadataUrl },
    turn: (message) => guichet.turn(message),
    log: pino({ level: 'info' }, capture()),
  });
  const app = express();
  app.use(channel.mount.path, channel.mount.handler);
  return listenLocal(app);
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({ databaseUrl: testDb.url, defaultLang: 'en' });
  console.error = (...args: unknown[]) => {
    consoleErrors.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
  };
  const keys = express();
  keys.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({ issuer: ISSUER, jwks_uri: `${metadata.url}/keys`, id_token_signing_alg_values_supported: ['RS256'] });
  });
  keys.get('/keys', (_req, res) => {
    res.json({ keys: [{ kty: 'RSA', use: 'sig', kid: KID, n: trustedJwk.n, e: trustedJwk.e, endorsements: ['msteams'] }] });
  });
  metadata = await listenLocal(keys);
  server = await mountTeams(`${metadata.url}/.well-known/openid-configuration`);
  unreachable = await mountTeams(`http://127.0.0.1:${await freePort()}/.well-known/openid-configuration`);
}, 60_000);

afterAll(async () => {
  console.error = realConsoleError;
  await server?.close();
  await unreachable?.close();
  await metadata?.close();
  await guichet?.close();
  await testDb?.cleanup();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const activity = () => personalActivity(SERVICE_URL, teamsPerson('Eve Forger'), { text: 'hello', id: randomUUID() }, 'tenant-elsewhere');
const claims = (over: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, ...over });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

const FORGED: [string, () => string, string][] = [
  ['alg none with a trusted kid', () => `${b64({ alg: 'none', typ: 'JWT', kid: KID })}.${b64({ ...claims(), exp: now() + 3600 })}.`, 'algorithm-not-allowed'],
  ['a wrong key under the trusted kid', () => jwt.sign(claims(), pem(attacker.privateKey), { algorithm: 'RS256', keyid: KID, expiresIn: '1h' }), 'bad-signature'],
  ['nbf in the future', () => jwt.sign(claims(), pem(trusted.privateKey), { algorithm: 'RS256', keyid: KID, expiresIn: '2h', notBefore: '1h' }), 'not-yet-valid'],
  ['HS256 signed with the app password', () => jwt.sign(claims(), APP_PASSWORD, { algorithm: 'HS256', keyid: KID, expiresIn: '1h' }), 'algorithm-not-allowed'],
  ['an expired token', () => jwt.sign({ ...claims(), exp: now() - 3600, iat: now() - 7200 }, pem(trusted.privateKey), { algorithm: 'RS256', keyid: KID }), 'expired'],
  ['a wrong audience', () => jwt.sign(claims({ aud: 'another-bot' }), pem(trusted.privateKey), { algorithm: 'RS256', keyid: KID, expiresIn: '1h' }), 'wrong-audience'],
  ['a wrong issuer', () => jwt.sign(claims({ iss: 'https://issuer.invalid' }), pem(trusted.privateKey), { algorithm: 'RS256', keyid: KID, expiresIn: '1h' }), 'untrusted-issuer-or-token'],
  ['an unknown kid', () => jwt.sign(claims(), pem(attacker.privateKey), { algorithm: 'RS256', keyid: 'attacker-key', expiresIn: '1h' }), 'unknown-key'],
  ['garbage', () => 'not.a.jwt', 'untrusted-issuer-or-token'],
];

/** Nothing of the request reached the database. */
async function nothingWritten(): Promise<void> {
  expect(await testDb.db.client.processedDelivery.count()).toBe(0);
  expect(await testDb.db.client.identity.count()).toBe(0);
  expect(await testDb.db.client.message.count()).toBe(0);
}

/** Posts, and returns the status, the body, the log lines it produced and what reached stderr. */
async function attempt(url: string, body: unknown, authorization?: string) {
  const before = lines.length;
  const errorsBefore = consoleErrors.length;
  const stderr: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  const response = await postActivity(url, body, authorization ? { authorization } : {});
  const text = await response.text();
  await new Promise((r) => setTimeout(r, 50)); // pino writes asynchronously
  vi.restoreAllMocks();
  return { status: response.status, text, logged: lines.slice(before), stderr: [...stderr, ...consoleErrors.slice(errorsBefore)] };
}

function expectNoSecrets(texts: string[], token?: string): void {
  for (const text of texts) {
    expect(text).not.toContain('BEGIN');
    expect(text).not.toContain(trustedJwk.n.slice(0, 40));
    expect(text).not.toContain(APP_PASSWORD);
    const payload = token?.split('.')[1] ?? '';
    if (payload.length >= 20) expect(text).not.toContain(payload.slice(0, 20));
  }
}

describe('Teams refuses forged tokens cleanly', () => {
  it('lets a correctly signed token through (the control): no refusal logged', async () => {
    const token = jwt.sign(claims(), pem(trusted.privateKey), { algorithm: 'RS256', keyid: KID, expiresIn: '1h' });
    const result = await attempt(server.url, activity(), `Bearer ${token}`);
    expect(result.status).toBe(200);
    expect(result.logged.filter((l) => l.event === 'teams.auth-refused')).toEqual([]);
    expect(result.logged.some((l) => String(l.msg).includes('tenant not in TEAMS_TENANT_IDS'))).toBe(true);
    await nothingWritten();
  });

  it('answers no token at all with 401', async () => {
    const result = await attempt(server.url, activity());
    expect(result.status).toBe(401);
    expect(JSON.parse(result.text)).toEqual({ error: 'unauthenticated', message: 'teams: not authenticated' });
    expect(result.logged).toHaveLength(1);
    expect(result.logged[0]).toMatchObject({ event: 'teams.auth-refused', reason: 'no-token', status: 401, level: 40 });
  });

  for (const [name, forge, reason] of FORGED) {
    it(`answers ${name} with 401, one log line without keys, nothing written`, async () => {
      const token = forge();
      const result = await attempt(server.url, activity(), `Bearer ${token}`);
      expect(result.status).toBe(401);
      expect(JSON.parse(result.text)).toEqual({ error: 'unauthenticated', message: 'teams: not authenticated' });
      expect(result.logged).toHaveLength(1);
      expect(result.logged[0]).toMatchObject({ event: 'teams.auth-refused', reason, status: 401 });
      expect(result.stderr).toEqual([]);
      expectNoSecrets([result.text, ...result.logged.map((l) => String(l.raw))], token);
      await nothingWritten();
    });
  }

  it('fails closed with 503 when the OpenID metadata cannot be reached', async () => {
    const token = jwt.sign(claims(), pem(trusted.privateKey), { algorithm: 'RS256', keyid: KID, expiresIn: '1h' });
    const result = await attempt(unreachable.url, activity(), `Bearer ${token}`);
    expect(result.status).toBe(503);
    expect(JSON.parse(result.text)).toEqual({ error: 'unavailable', message: 'teams: cannot check the request now; try again later' });
    expect(result.logged).toHaveLength(1);
    expect(result.logged[0]).toMatchObject({ event: 'teams.auth-refused', reason: 'openid-metadata-unreachable', status: 503, level: 50 });
    expect(result.stderr).toEqual([]);
    expectNoSecrets([result.text, String(result.logged[0]!.raw)], token);
    await nothingWritten();
  });
});

describe('Teams refuses malformed activities with 400', () => {
  const token = () => `Bearer ${jwt.sign(claims(), pem(trusted.privateKey), { algorithm: 'RS256', keyid: KID, expiresIn: '1h' })}`;
  const cases: [string, (a: Record<string, any>) => Record<string, any>, string][] = [
    ['no sender', ({ from: _from, ...rest }) => rest, 'from'],
    ['no conversation', ({ conversation: _conversation, ...rest }) => rest, 'conversation'],
    ['a serviceUrl that is not a URL', (a) => ({ ...a, serviceUrl: 'not a url' }), 'serviceUrl'],
    ['a serviceUrl that is no http URL', (a) => ({ ...a, serviceUrl: 'file:///etc/passwd' }), 'serviceUrl'],
    ['a sender without id', (a) => ({ ...a, from: { name: 'Eve' } }), 'from.id'],
  ];
  for (const [name, change, field] of cases) {
    it(`refuses ${name}, naming the field, with nothing written`, async () => {
      const result = await attempt(server.url, change(activity()), token());
      expect(result.status).toBe(400);
      const body = JSON.parse(result.text) as { error: string; message: string };
      expect(body.error).toBe('invalid-activity');
      expect(body.message).toMatch(new RegExp(`^teams: ${field.replace('.', '\\.')}`));
      expect(result.logged).toHaveLength(1);
      expect(result.logged[0]).toMatchObject({ event: 'teams.invalid-activity' });
      expect(result.stderr).toEqual([]);
      await nothingWritten();
    });
  }
});
