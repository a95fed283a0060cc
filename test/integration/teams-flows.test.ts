/**
 * Whole diagnoses in Teams, over real HTTP against the local fake Bot
 * Connector: the VPN guide in French to its resolution, and the account
 * lockout guide in English to a ticket carrying the diagnosis — each answer
 * given as Teams sends it (typed text or a card button's value).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { personalActivity, postActivity, TEAMS_TENANT } from '../helpers/teams-activity.ts';


let running: Running;
let testDb: TestDatabase;
let fake: FakeBotConnector;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeBotConnector.start();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web,teams', TEAMS_TENANT_IDS: TEAMS_TENANT, SLA_TICK_SECONDS: '0' }));
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

beforeEach(() => fake.reset());

/** Alice Martin, known to the CMDB (laptop LT-004223), as Teams names her. */
function teamsUser(locale: string) {
  const key = randomUUID();
  fake.addMember(`29:${key}`, { name: 'Alice Martin', aadObjectId: `aad-${key}`, email: 'alice.martin@example.org', userPrincipalName: 'alice.martin@example.org' });
  return { key, locale };
}

async function say(who: { key: string; locale: string }, text: string): Promise<string> {
  fake.reset();
  const activity = personalActivity(fake.url, { key: who.key, name: 'Alice Martin', locale: who.locale }, { text });
  const response = await postActivity(running.url, activity);
  expect(response.status).toBe(200);
  // Everything Teams received for this conversation, as words: texts and the cards' text runs.
  const words = (node: unknown): string[] =>
    node == null ? [] : Array.isArray(node) ? node.flatMap(words) : typeof node === 'object' ? [...('text' in (node as object) && typeof (node as { text: unknown }).text === 'string' ? [(node as { text: string }).text] : []), ...Object.values(node as object).flatMap(words)] : [];
  return fake.activities().filter((a) => a.conversation?.id === `a:${who.key}`).flatMap(words).join('\n');
}

async function nodeOf(who: { key: string }): Promise<string | undefined> {
  const row = await testDb.db.client.conversation.findFirst({ where: { channel: 'teams', externalId: `a:${who.key}` } });
  return (row?.state as { flow?: { nodeId?: string } } | null)?.flow?.nodeId;
}

/** Answers each question by its node until the flow ends. */
async function follow(who: { key: string; locale: string }, answers: Record<string, string>): Promise<string> {
  let last = '';
  for (let turn = 0; turn < 20; turn += 1) {
    const node = await nodeOf(who);
    if (!node) return last;
    const answer = answers[node];
    if (answer === undefined) throw new Error(`no answer for node "${node}"; Teams last showed:\n${last}`);
    last = await say(who, answer);
  }
  throw new Error('the flow did not end');
}

describe('diagnoses in Teams', () => {
  it('runs the VPN guide in French to a resolution the user confirms, opening no ticket', async () => {
    const alice = teamsUser('fr-FR');
    const first = await say(alice, 'le vpn ne se connecte pas depuis chez moi');
    expect(await nodeOf(alice), first).toBeDefined();
    const end = await follow(alice, { where: 'home', internet: 'yes', symptom: 'fails', error: 'erreur 809', restarted: 'no', 'restart-check': 'yes' });
    expect(end).toMatch(/content que ce soit réglé|Parfait/);
    expect(await testDb.db.client.ticket.count()).toBe(0);
  });

  it('runs the account lockout guide in English to a ticket whose description holds the diagnosis', async () => {
    const alice = teamsUser('en-GB');
    const first = await say(alice, 'my account keeps getting locked');
    expect(await nodeOf(alice), first).toBeDefined();
    const end = await follow(alice, { problem: 'locked', relocks: 'yes', 'search-relock': 'no', fixed: 'no', message: '"Your account has been locked" on Windows' });
    const ticket = await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' }, include: { requester: true } });
    expect(end).toContain(`#${ticket.number}`);
    expect(ticket.requester.email).toBe('alice.martin@example.org');
    expect(ticket.serviceId).toBe('identity');
    expect(ticket.description).toContain('"Your account has been locked" on Windows');
    expect(ticket.description).toMatch(/Diagnosis done with Guichet/);
  });
});
