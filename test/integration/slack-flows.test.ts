/**
 * Whole diagnoses in Slack, through signed requests to the running server and
 * Bolt's calls to the local fake Web API: the account lockout guide in French
 * to a ticket carrying the diagnosis, and the VPN guide in English to a
 * resolution the user confirms.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeSlackApi, type FakeUser } from '../helpers/fake-slack-api.ts';
import { SIGNING_SECRET, TEAM, dmEvent, prepareEvent, send } from '../helpers/slack-signing.ts';

let running: Running;
let testDb: TestDatabase;
let fake: FakeSlackApi;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeSlackApi.start();
  running = await start(
    loadConfig({
      PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web,slack', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: TEAM, DATABASE_URL: testDb.url, SLA_TICK_SECONDS: '0',
    }),
  );
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

/** Alice Martin of the CMDB, as Slack's users.info describes her. */
function alice(locale: string): FakeUser {
  const id = `U${randomBytes(5).toString('hex').toUpperCase()}`;
  const user: FakeUser = { id, team_id: TEAM, name: 'alice', real_name: 'Alice Martin', tz: 'Europe/Paris', locale, profile: { real_name: 'Alice Martin', email: 'alice.martin@example.org' } };
  fake.addUser(user);
  return user;
}

const conversation = (user: FakeUser) => testDb.db.client.conversation.findFirst({ where: { channel: 'slack', externalId: { contains: user.id.slice(1) } } });

async function nodeOf(user: FakeUser): Promise<string | undefined> {
  return ((await conversation(user))?.state as { flow?: { nodeId?: string } } | undefined)?.flow?.nodeId;
}

/** Sends a DM and waits until its turn is committed and all its replies posted (one message each); returns what was posted. */
async function say(user: FakeUser, text: string): Promise<string> {
  const before = fake.ok('chat.postMessage').length;
  const event = dmEvent(user.id, text);
  expect((await send(running.url, prepareEvent(event))).status).toBe(200);
  let delivery = null;
  for (let i = 0; i < 400 && !delivery; i += 1) {
    delivery = await testDb.db.client.processedDelivery.findFirst({ where: { channel: 'slack', deliveryId: event.event_id } });
    if (!delivery) await new Promise((r) => setTimeout(r, 25));
  }
  expect(delivery, `the turn of "${text}" was not committed`).toBeTruthy();
  const replies = (delivery!.replies as unknown[]).length;
  await fake.waitForOk('chat.postMessage', before + replies, 15_000);
  return fake
    .ok('chat.postMessage')
    .slice(before)
    .map((c) => `${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? [])}`)
    .join('\n');
}

async function follow(user: FakeUser, answers: Record<string, string>): Promise<string> {
  let last = '';
  for (let turn = 0; turn < 20; turn += 1) {
    const node = await nodeOf(user);
    if (!node) return last;
    const answer = answers[node];
    if (answer === undefined) throw new Error(`no answer for node "${node}"; Slack last showed:\n${last}`);
    last = await say(user, answer);
  }
  throw new Error('the flow did not end');
}

describe('diagnoses in Slack', () => {
  it('runs the account lockout guide in French to a ticket whose description holds the diagnosis', async () => {
    const user = alice('fr-FR');
    const first = await say(user, 'mon compte se bloque tout le temps');
    expect(await nodeOf(user), first).toBeDefined();
    const end = await follow(user, { problem: 'locked', relocks: 'yes', 'search-relock': 'no', fixed: 'no', message: '« Votre compte a été verrouillé » sur Windows' });
    const ticket = await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' }, include: { requester: true } });
    expect(end).toContain(`#${ticket.number}`);
    expect(ticket.requester.email).toBe('alice.martin@example.org');
    expect(ticket.description).toContain('« Votre compte a été verrouillé » sur Windows');
    expect(ticket.description).toMatch(/Diagnostic mené avec Guichet/);
  });

  it('runs the VPN guide in English to a resolution the user confirms, opening no ticket', async () => {
    const tickets = await testDb.db.client.ticket.count();
    const user = alice('en-US');
    const first = await say(user, 'my vpn will not connect from home');
    expect(await nodeOf(user), first).toBeDefined();
    const end = await follow(user, { where: 'home', internet: 'yes', symptom: 'fails', error: 'error 809', restarted: 'no', 'restart-check': 'yes' });
    expect(end).toMatch(/glad it’s sorted|Great/);
    expect(await testDb.db.client.ticket.count()).toBe(tickets);
  });
});
