/**
 * The major-incident journey (test/journeys/incident.ts) through the real adapters: Slack (signed
 * events to the Bolt receiver, answers on the fake Slack Web API), Teams (activities to /api/messages,
 * answers on the fake Bot Connector) and the web chat (HTTP, notices polled), each on its own server
 * and database with the shipped configuration and guides.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { OutboundMessage } from '../../src/core/messages.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeSlackApi, type FakeUser } from '../helpers/fake-slack-api.ts';
import { Browser } from '../helpers/http.ts';
import { SIGNING_SECRET, TEAM, dmEvent, prepareEvent, send } from '../helpers/slack-signing.ts';
import { personalActivity, teamsPerson } from '../helpers/teams-activity.ts';
import { playIncidentJourney } from '../journeys/incident.ts';
import { startWithTeamsAgent, type TeamsAgentDesk } from '../journeys/teams-agent-desk.ts';

describe('the major-incident journey through Slack', () => {
  let running: Running;
  let testDb: TestDatabase;
  let fake: FakeSlackApi;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    fake = await FakeSlackApi.start();
    running = await start(
      loadConfig({
        PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'slack', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: TEAM, DATABASE_URL: testDb.url, SLA_TICK_SECONDS: '0',
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await fake?.stop();
    await testDb?.cleanup();
  });

  it('told mid-guide, joins without a ticket, asks about the outage, confirms it works', async () => {
    const user: FakeUser = { id: `U${randomBytes(5).toString('hex').toUpperCase()}`, team_id: TEAM, name: 'chloe.bernard', real_name: 'Chloé Bernard', tz: 'Europe/Paris', locale: 'fr-FR', profile: { real_name: 'Chloé Bernard', email: 'chloe.bernard@example.org' } };
    fake.addUser(user);
    const dm = `D${user.id.slice(1)}`;
    const posts = () => fake.ok('chat.postMessage').filter((p) => p.args.channel === dm);
    const textOf = (call: { args: Record<string, any> }) => `${String(call.args.text ?? '')} ${call.args.blocks ? JSON.stringify(call.args.blocks) : ''}`;
    let seen = 0;
    const say = async (text: string) => {
      const before = posts().length;
      const event = dmEvent(user.id, text);
      expect((await send(running.url, prepareEvent(event))).status).toBe(200);
      await expect.poll(() => testDb.db.client.processedDelivery.count({ where: { channel: 'slack', deliveryId: event.event_id } }), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => posts().length, { timeout: 10_000 }).toBeGreaterThan(before);
      await new Promise((r) => setTimeout(r, 1_200));
      seen = posts().length;
      return posts().slice(before).map(textOf).join('\n');
    };
    await playIncidentJourney(
      {
        name: 'Slack',
        say,
        told: async () => posts().slice(0, Math.max(seen, posts().length)).map(textOf).join('\n'),
        userId: async () => (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'chloe.bernard@example.org' } })).id,
      },
      running,
      testDb,
    );
  }, 90_000);
});

describe('the major-incident journey through Teams', () => {
  let desk: TeamsAgentDesk;
  beforeAll(async () => {
    desk = await startWithTeamsAgent('teams');
  }, 120_000);
  afterAll(async () => {
    await desk?.stop();
  });

  it('told mid-guide, joins without a ticket, asks about the outage, confirms it works', async () => {
    const requester = teamsPerson('Farid Mansouri', 'fr-FR');
    const words = (node: any): string[] =>
      node == null ? [] : Array.isArray(node) ? node.flatMap(words) : typeof node === 'object' ? [...(typeof node.text === 'string' ? [node.text] : []), ...(typeof node.value === 'string' ? [node.value] : []), ...Object.entries(node).filter(([k]) => k !== 'text' && k !== 'value').flatMap(([, v]) => words(v))] : [];
    const mine = () => desk.fake.activities().filter((a) => a.conversation?.id === `a:${requester.key}` && a.type === 'message');
    const say = async (text: string) => {
      const before = mine().length;
      await desk.post(personalActivity(desk.fake.url, requester, { text }));
      return mine().slice(before).map((a) => words(a).join(' ')).join('\n');
    };
    await playIncidentJourney(
      {
        name: 'Teams',
        say,
        told: async () => mine().map((a) => words(a).join(' ')).join('\n'),
        userId: async () => (await desk.testDb.db.client.identity.findFirstOrThrow({ where: { platform: 'teams', externalId: `aad-${requester.key}` } })).userId,
      },
      desk.running,
      desk.testDb,
    );
  }, 90_000);
});

describe('the major-incident journey through the web chat', () => {
  let running: Running;
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', SLA_TICK_SECONDS: '0' }));
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await testDb?.cleanup();
  });

  it('told mid-guide, joins without a ticket, asks about the outage, confirms it works', async () => {
    const browser = new Browser(running.url);
    const flat = (messages: unknown[]) => JSON.stringify(messages).replaceAll('\\n', '\n');
    const say = async (text: string) => {
      const body = await (await browser.postJson('/api/web/messages', { id: randomUUID(), text, locale: 'fr-FR' })).json();
      return flat(body.replies as OutboundMessage[]);
    };
    await playIncidentJourney(
      {
        name: 'web',
        say,
        told: async () => flat((await (await browser.get(`/api/web/notices?after=${encodeURIComponent('1970-01-01T00:00:00.000Z')}`)).json()).messages),
        userId: async () => (await testDb.db.client.conversation.findFirstOrThrow({ where: { channel: 'web', externalId: browser.cookie('guichet_visitor') ?? '' } })).userId!,
      },
      running,
      testDb,
    );
  }, 90_000);
});
