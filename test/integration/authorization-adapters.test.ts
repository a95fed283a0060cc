/**
 * A representative subset of the authorization table's chat cells through the real Slack and
 * Teams adapters (signed Slack events, Teams activities over HTTP; the platforms are the local
 * fakes): for every role, confirming someone's resolution, adding information to their ticket,
 * taking it and changing its priority. All the chat cells run through the core in
 * authorization-chat.test.ts; this shows the adapters reach the same checks with the same people
 * (matched by e-mail to config/'s people).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { CHAT_CELLS, configWithLead, expected, PERSON_ROLES, ROLE_PEOPLE, HELPER_AGENT, type ChatInput, type World } from '../helpers/authz-cells.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { FakeSlackApi } from '../helpers/fake-slack-api.ts';
import { SIGNING_SECRET, TEAM, dmEvent, prepareEvent, send } from '../helpers/slack-signing.ts';
import { personalActivity, postActivity, TEAMS_TENANT } from '../helpers/teams-activity.ts';

const SUBSET = ['ticket.confirm', 'ticket.add-info', 'ticket.take', 'ticket.priority'];

let testDb: TestDatabase;
let running: Running;
let slackApi: FakeSlackApi;
let connector: FakeBotConnector;
let configDir: string;
const people = [...Object.values(ROLE_PEOPLE), HELPER_AGENT];

beforeAll(async () => {
  testDb = await createTestDatabase();
  configDir = configWithLead();
  slackApi = await FakeSlackApi.start();
  connector = await FakeBotConnector.start();
  running = await start(
    loadConfig({
      DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'slack,teams', SLA_TICK_SECONDS: '0', CONFIG_DIR: configDir,
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slackApi.apiUrl, SLACK_TEAM_IDS: TEAM, TEAMS_TENANT_IDS: TEAMS_TENANT,
    }),
  );
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await slackApi?.stop();
  await connector?.stop();
  await testDb?.cleanup();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

const idOf = async (email: string) => (await testDb.db.client.user.findFirstOrThrow({ where: { email } })).id;
const textOf = (input: ChatInput) => ('text' in input ? input.text : '');

/** Waits until the delivery's turn is committed (Slack is acknowledged first and answered after). */
async function committed(channel: string, deliveryId: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await testDb.db.client.processedDelivery.findFirst({ where: { channel, deliveryId } })) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${channel} delivery ${deliveryId} was never committed`);
}

function slackWorld(): World {
  const ids = new Map(people.map((p) => [p.email, `U${randomBytes(5).toString('hex').toUpperCase()}`]));
  for (const p of people) {
    slackApi.addUser({ id: ids.get(p.email)!, team_id: TEAM, name: p.email.split('@')[0]!, real_name: p.name, tz: 'Europe/Paris', locale: 'en-GB', profile: { real_name: p.name, email: p.email } });
  }
  return {
    db: testDb.db,
    desk: running.guichet.desk!,
    id: idOf,
    async send(email, input) {
      const event = dmEvent(ids.get(email)!, textOf(input));
      expect((await send(running.url, prepareEvent(event))).status).toBe(200);
      await committed('slack', String(event.event_id));
      return [];
    },
  };
}

function teamsWorld(): World {
  const keys = new Map(people.map((p) => [p.email, randomUUID()]));
  for (const p of people) {
    const key = keys.get(p.email)!;
    connector.addMember(`29:${key}`, { name: p.name, aadObjectId: `aad-${key}`, email: p.email, userPrincipalName: p.email });
  }
  return {
    db: testDb.db,
    desk: running.guichet.desk!,
    id: idOf,
    async send(email, input) {
      const who = { key: keys.get(email)!, name: people.find((p) => p.email === email)!.name, locale: 'en-GB' };
      const activity = personalActivity(connector.url, who, { text: textOf(input) });
      const response = await postActivity(running.url, activity);
      expect(response.status).toBeLessThan(300);
      await committed('teams', String(activity.id));
      return [];
    },
  };
}

for (const [adapter, makeWorld] of [['Slack', slackWorld], ['Teams', teamsWorld]] as const) {
  describe(`the authorization table through ${adapter}`, () => {
    let world: World;
    beforeAll(() => {
      world = makeWorld();
    });
    // Typed commands (the adapters' card payloads are tested in teams-cards and slack-tickets).
    for (const cell of CHAT_CELLS.filter((c) => SUBSET.includes(c.action) && 'text' in c.input({ number: 0, title: '' }))) {
      for (const role of PERSON_ROLES) {
        const allowed = expected(cell.action, role);
        it(`${cell.action}: ${allowed ? 'lets' : 'refuses'} the ${role}`, async () => {
          const prepared = await cell.prepare(world);
          const who = ROLE_PEOPLE[role].email;
          const replies = await world.send(who, cell.input(prepared));
          expect(await cell.done(world, prepared, replies, who)).toBe(allowed);
        });
      }
    }
  });
}
