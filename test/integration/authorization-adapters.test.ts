/**
 * Every chat cell of the authorization table (src/core/authorization.ts, run as CHAT_CELLS of
 * test/helpers/authz-cells.ts) through the real Slack and Teams adapters over HTTP, for every
 * person role, against the local platform fakes. Typed commands are signed Slack DM events and
 * Teams personal-chat messages. Card buttons are pressed as each adapter renders them and gets
 * them back: Slack `block_actions` (action_id and value from actions.ts), Teams Action.Submit
 * messages for the cards of a personal chat ("is it fixed?", the survey) and `adaptiveCard/action`
 * invokes for the escalation card's Universal Actions, pressed in the agents' channel. The data
 * comes back untrusted: the server decides from the database. People are matched by e-mail to
 * config/'s people, as in production.
 *
 * Each send waits until its delivery is committed, then until the adapter has posted the turn's
 * replies (Slack answers after acknowledging; Teams within the request), and hands the cells what
 * the person saw there as plain text (Slack blocks, Teams cards). The expected outcome is read
 * from the table. authorization-chat.test.ts runs the same cells through the core alone.
 *
 * Slack paces posts to one channel (about one a second); the requester is notified of nearly every
 * cell, so the Slack sender runs on a virtual clock here (its waits take no time, its order stays).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardActionId, cardActionValue } from '../../src/channels/slack/actions.ts';
import { execute, submit } from '../../src/channels/teams/cards.ts';
import { loadConfig } from '../../src/config.ts';
import { AGENT_ACTION_VERBS } from '../../src/handoff/agent-commands.ts';
import { start, type Running } from '../../src/main.ts';
import { CHAT_CELLS, configWithLead, expected, PERSON_ROLES, ROLE_PEOPLE, HELPER_AGENT, type ChatInput, type World } from '../helpers/authz-cells.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { FakeSlackApi, type SlackCall } from '../helpers/fake-slack-api.ts';
import { slackText, teamsText } from '../helpers/platform-text.ts';
import { SIGNING_SECRET, TEAM, cardClick, dmEvent, prepareAction, prepareEvent, send, type PreparedRequest } from '../helpers/slack-signing.ts';
import { personalActivity, postActivity, TEAMS_TENANT } from '../helpers/teams-activity.ts';

/** Where the agents' escalation cards are (their buttons are pressed there). */
const SLACK_AGENTS_CHANNEL = 'C0AGENTS';
const TEAMS_AGENTS_CHANNEL = '19:agents@thread.tacv2';

let testDb: TestDatabase;
let running: Running;
let slackApi: FakeSlackApi;
let connector: FakeBotConnector;
let configDir: string;
const worlds = new Map<'Slack' | 'Teams', World>();
const people = [...Object.values(ROLE_PEOPLE), HELPER_AGENT];
let sequence = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  configDir = configWithLead();
  slackApi = await FakeSlackApi.start();
  connector = await FakeBotConnector.start();
  // Slack's waits (pacing, retries) skip ahead instead of sleeping; the clock still runs.
  let skipped = 0;
  const slackTimer = { now: () => Date.now() + skipped, sleep: async (ms: number) => void (skipped += ms) };
  running = await start(
    loadConfig({
      DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'slack,teams', SLA_TICK_SECONDS: '0', CONFIG_DIR: configDir,
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slackApi.apiUrl, SLACK_TEAM_IDS: TEAM, TEAMS_TENANT_IDS: TEAMS_TENANT,
    }),
    { slackTimer },
  );
  worlds.set('Slack', slackWorld());
  worlds.set('Teams', teamsWorld());
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await slackApi?.stop();
  await connector?.stop();
  await testDb?.cleanup();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

const idOf = async (email: string) => (await testDb.db.client.user.findFirstOrThrow({ where: { email } })).id;
/** A card button's press, or undefined for a typed command. */
const pressOf = (input: ChatInput) => ('action' in input ? input.action : undefined);
/** The escalation card's buttons (agents' actions) are pressed in the agents' channel; the others in a personal chat. */
const onEscalationCard = (verb: string) => (AGENT_ACTION_VERBS as readonly string[]).includes(verb);

/** Waits until the delivery's turn is committed, and resolves with how many replies the core gave it. */
async function committed(channel: string, deliveryId: string): Promise<number> {
  for (let i = 0; i < 400; i += 1) {
    const row = await testDb.db.client.processedDelivery.findFirst({ where: { channel, deliveryId } });
    if (row) return (row.replies as unknown[]).length;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${channel} delivery ${deliveryId} was never committed`);
}

function slackWorld(): World {
  const ids = new Map(people.map((p) => [p.email, `U${randomBytes(5).toString('hex').toUpperCase()}`]));
  for (const p of people) {
    slackApi.addUser({ id: ids.get(p.email)!, team_id: TEAM, name: p.email.split('@')[0]!, real_name: p.name, tz: 'Europe/Paris', locale: 'en-GB', profile: { real_name: p.name, email: p.email } });
  }
  /** What was posted at `where` (a DM, or a thread of a channel) among `calls`. */
  const postedAt = (calls: SlackCall[], where: { channel: string; threadTs?: string }) =>
    calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200 && c.args.channel === where.channel && (c.args.thread_ts ?? undefined) === where.threadTs);

  /** The signed request for `input` from `user`, its delivery id (what the adapter makes of it) and where the replies go. */
  function request(user: string, input: ChatInput): { request: PreparedRequest; deliveryId: string; where: { channel: string; threadTs?: string } } {
    const dm = `D${user.replace(/^U/, '')}`;
    const press = pressOf(input);
    if (!press) {
      const event = dmEvent(user, (input as { text: string }).text);
      return { request: prepareEvent(event), deliveryId: String(event.event_id), where: { channel: dm } };
    }
    sequence += 1;
    const messageTs = `1720000000.${String(sequence).padStart(6, '0')}`;
    const actionTs = `1720000001.${String(sequence).padStart(6, '0')}`;
    const agents = onEscalationCard(press.verb);
    const channel = agents ? SLACK_AGENTS_CHANNEL : dm;
    const click = cardClick(user, cardActionId(0, press.verb), cardActionValue(press), { channel, messageTs, actionTs });
    return { request: prepareAction(click), deliveryId: `action:${messageTs}:${actionTs}`, where: agents ? { channel, threadTs: messageTs } : { channel } };
  }

  return {
    db: testDb.db,
    desk: running.guichet.desk!,
    id: idOf,
    async send(email, input) {
      const mark = slackApi.calls.length;
      const { request: signed, deliveryId, where } = request(ids.get(email)!, input);
      expect((await send(running.url, signed)).status).toBe(200);
      // Slack is acknowledged first and answered after the commit: wait for the turn's replies to be posted.
      const count = await committed('slack', deliveryId);
      await slackApi.waitFor((calls) => postedAt(calls.slice(mark), where).length >= count, 10_000);
      return postedAt(slackApi.calls.slice(mark), where).map((c) => slackText(c.args));
    },
  };
}

function teamsWorld(): World {
  const keys = new Map(people.map((p) => [p.email, randomUUID()]));
  for (const p of people) {
    const key = keys.get(p.email)!;
    connector.addMember(`29:${key}`, { name: p.name, aadObjectId: `aad-${key}`, email: p.email, userPrincipalName: p.email });
  }

  /** The activity Teams posts for `input`: a message, a card's Action.Submit, or an escalation card's Action.Execute invoke. */
  function activityFor(email: string, input: ChatInput): Record<string, any> {
    const who = { key: keys.get(email)!, name: people.find((p) => p.email === email)!.name, locale: 'en-GB' };
    const press = pressOf(input);
    if (!press) return personalActivity(connector.url, who, { text: (input as { text: string }).text });
    const button = { label: press.verb, ...press };
    sequence += 1;
    if (!onEscalationCard(press.verb)) return personalActivity(connector.url, who, { replyToId: `card-${sequence}`, value: submit(button).data });
    const root = `17200000${String(sequence).padStart(5, '0')}`;
    const universal = execute(button);
    return personalActivity(connector.url, who, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: root,
      conversation: { id: `${TEAMS_AGENTS_CHANNEL};messageid=${root}`, conversationType: 'channel', tenantId: TEAMS_TENANT, isGroup: true },
      channelData: { tenant: { id: TEAMS_TENANT }, channel: { id: TEAMS_AGENTS_CHANNEL }, team: { id: '19:team@thread.tacv2' } },
      value: { action: { type: 'Action.Execute', verb: universal.verb, data: universal.data }, trigger: 'manual' },
    });
  }

  return {
    db: testDb.db,
    desk: running.guichet.desk!,
    id: idOf,
    async send(email, input) {
      const mark = connector.requests.length;
      const activity = activityFor(email, input);
      const response = await postActivity(running.url, activity);
      expect(response.status).toBeLessThan(300);
      // Teams is answered within the request: its replies are already posted to the conversation.
      await committed('teams', String(activity.id));
      return connector
        .requests.slice(mark)
        .filter((r) => r.method === 'POST' && r.status === 200 && r.conversationId === activity.conversation.id && r.path.includes('/activities') && r.body?.type !== 'typing')
        .map((r) => teamsText(r.body));
    },
  };
}

for (const adapter of ['Slack', 'Teams'] as const) {
  for (const [index, cell] of CHAT_CELLS.entries()) {
    const how = 'action' in cell.input({ number: 0, title: '' }) ? 'card button' : 'typed';
    describe(`${adapter}: ${cell.action} (${how}, case ${index + 1})`, () => {
      for (const role of PERSON_ROLES) {
        const allowed = expected(cell.action, role);
        it(`${allowed ? 'lets' : 'refuses'} the ${role}`, async () => {
          const world = worlds.get(adapter)!;
          const prepared = await cell.prepare(world);
          const who = ROLE_PEOPLE[role].email;
          const replies = await world.send(who, cell.input(prepared));
          expect(await cell.done(world, prepared, replies, who), replies.join('\n---\n')).toBe(allowed);
        });
      }
    });
  }
}
