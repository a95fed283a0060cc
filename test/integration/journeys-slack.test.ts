/**
 * Journeys of test/journeys/ through the real Slack adapter: signed events to the running server's
 * Bolt receiver (the requester's DM, the agent's replies in the escalation card's thread), Guichet's
 * answers observed on the fake Slack Web API. Relay both ways and commands while waiting: no message
 * between requester and agent is lost or answered by the bot.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { BOT, FakeSlackApi, type FakeUser } from '../helpers/fake-slack-api.ts';
import { SIGNING_SECRET, TEAM, dmEvent, prepareEvent, send, threadReplyEvent } from '../helpers/slack-signing.ts';
import { check } from '../journeys/harness.ts';
import type { Journey } from '../journeys/journey.ts';
import { adapterSubset } from '../journeys/subset.ts';

const DESK = 'C0DESK';
let running: Running;
let testDb: TestDatabase;
let fake: FakeSlackApi;
let bruno: FakeUser;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeSlackApi.start();
  running = await start(
    loadConfig({
      PORT: '0', LOG_LEVEL: process.env.JOURNEY_TRACE ? 'error' : 'silent', CHANNELS: 'slack', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: TEAM, DATABASE_URL: testDb.url, SLA_TICK_SECONDS: '0',
    }),
  );
  await testDb.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'slack', address: { teamId: TEAM, channelId: DESK } } });
  bruno = person('Bruno Petit', 'bruno.petit@example.org', 'fr-FR');
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

function person(name: string, email: string, locale: string): FakeUser {
  const user: FakeUser = { id: `U${randomBytes(5).toString('hex').toUpperCase()}`, team_id: TEAM, name: email.split('@')[0], real_name: name, tz: 'Europe/Paris', locale, profile: { real_name: name, email } };
  fake.addUser(user);
  return user;
}

const dmOf = (user: FakeUser) => `D${user.id.slice(1)}`;
const posts = () => fake.ok('chat.postMessage');
const textOf = (call: { args: Record<string, any> }) => `${String(call.args.text ?? '')} ${call.args.blocks ? JSON.stringify(call.args.blocks) : ''}`.trim();

/** Sends one event and waits for its turn to be committed, then for Slack to go quiet (posts to one channel are paced, ~1 a second). */
async function deliver(event: Record<string, any>): Promise<void> {
  expect((await send(running.url, prepareEvent(event))).status).toBe(200);
  for (let i = 0; i < 400; i += 1) {
    if (await testDb.db.client.processedDelivery.findFirst({ where: { channel: 'slack', deliveryId: event.event_id } })) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  let count = -1;
  while (count !== fake.calls.length) {
    count = fake.calls.length;
    await new Promise((r) => setTimeout(r, 1_100));
  }
}

async function play(journey: Journey, index: number): Promise<void> {
  const requester = person(journey.requesterName ?? `Claire Requester${index}`, `claire.s${index}@example.org`, journey.lang === 'en' ? 'en-GB' : 'fr-FR');
  let number: number | undefined;
  const fill = (text: string) => text.replaceAll('{n}', String(number ?? 0));
  for (const [at, step] of journey.steps.entries()) {
    const where = `Slack: ${journey.name} — step ${at + 1}`;
    const before = posts().length;
    const card = number === undefined ? undefined : posts().find((p) => p.args.channel === DESK && !p.args.thread_ts && JSON.stringify(p.args.blocks ?? p.args.text).includes(`#${number}`));
    if ('user' in step) await deliver(dmEvent(requester.id, fill(step.user)));
    else if ('agent' in step) {
      if (!card) throw new Error(`${where}: no card posted in ${DESK} for #${number}`);
      await deliver(threadReplyEvent(bruno.id, DESK, String(card.response!.ts), fill(step.agent), BOT.userId));
    } else throw new Error(`${where}: only chat steps run through the adapters`);
    const made = posts().slice(before);
    if (process.env.JOURNEY_TRACE) console.log(where, JSON.stringify(made.map((p) => [p.args.channel, textOf(p).slice(0, 120)])), fake.calls.slice(-4).map((c) => `${c.method}:${c.status}:${JSON.stringify(c.response).slice(0, 200)}`));
    const inThread = made.filter((p) => p.args.channel === DESK && p.args.thread_ts).map(textOf).join('\n');
    const inDm = made.filter((p) => p.args.channel === dmOf(requester)).map(textOf).join('\n');
    number ??= (await testDb.db.client.ticket.findFirst({ where: { requester: { email: requester.profile!.email! } }, orderBy: { number: 'desc' } }))?.number;
    // The requester's DM holds Guichet's replies to them and what agents said; the thread, Guichet's replies to the agent and what requesters said.
    const got = 'user' in step ? inDm : made.filter((p) => p.args.channel === DESK && p.args.thread_ts && !/^\S.*?\s?: /.test(textOf(p))).map(textOf).join('\n');
    const world = { db: testDb } as Parameters<typeof check>[0];
    await check(world, step, { got, thread: inThread, told: inDm, number, where, fill });
  }
}

describe('journeys through the Slack adapter', () => {
  for (const [index, journey] of adapterSubset.entries()) it(journey.name, () => play(journey, index + 1), 60_000);
});
