/**
 * Journeys of test/journeys/ through the real web chat: the requester over HTTP (POST
 * /api/web/messages, what agents say picked up from GET /api/web/notices), the agent in the
 * escalation card's Teams thread (activities to /api/messages, the fake Bot Connector). Relay both
 * ways and commands while waiting: no message between requester and agent is lost or answered by the bot.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import type { OutboundMessage } from '../../src/core/messages.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { Browser } from '../helpers/http.ts';
import { channelActivity, personalActivity, postActivity, TEAMS_TENANT, teamsPerson } from '../helpers/teams-activity.ts';
import { check } from '../journeys/harness.ts';
import type { Journey } from '../journeys/journey.ts';
import { adapterSubset } from '../journeys/subset.ts';

const AGENTS_CHANNEL = '19:service-desk@thread.tacv2';
let running: Running;
let testDb: TestDatabase;
let fake: FakeBotConnector;
const bruno = teamsPerson('Bruno Petit', 'fr-FR');

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeBotConnector.start();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web,teams', TEAMS_TENANT_IDS: TEAMS_TENANT, SLA_TICK_SECONDS: '0' }));
  await testDb.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'teams', address: { serviceUrl: fake.url, tenantId: TEAMS_TENANT, channelId: AGENTS_CHANNEL } } });
  await post(personalActivity(fake.url, bruno, { text: 'disponible' }));
  const identity = await testDb.db.client.identity.findFirstOrThrow({ where: { platform: 'teams', externalId: `aad-${bruno.key}` } });
  await testDb.db.client.user.update({ where: { id: identity.userId }, data: { role: 'agent', locale: 'fr' } });
  await testDb.db.client.groupMember.create({ data: { groupId: 'service-desk', userId: identity.userId } });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

async function post(activity: unknown): Promise<void> {
  expect((await postActivity(running.url, activity)).status).toBe(200);
}

const words = (node: any): string[] =>
  node == null ? [] : Array.isArray(node) ? node.flatMap(words) : typeof node === 'object' ? [...(typeof node.text === 'string' ? [node.text] : []), ...Object.entries(node).filter(([k]) => k !== 'text').flatMap(([, v]) => words(v))] : [];
/** The web chat's replies as words: its own HTML replies stripped of tags, the others as plain text. */
const plain = (m: OutboundMessage | { type: 'html'; html: string }): string => (m.type === 'html' ? m.html.replace(/<[^>]+>/g, ' ') : renderPlainText(m));
const said = (activities: any[]) => activities.map((a) => words(a).join(' ')).join('\n');

async function play(journey: Journey): Promise<void> {
  const browser = new Browser(running.url);
  let number: number | undefined;
  let thread: string | undefined;
  const fill = (text: string) => text.replaceAll('{n}', String(number ?? 0));
  const notices = async (): Promise<string[]> => {
    const body = await (await browser.get(`/api/web/notices?after=${encodeURIComponent('1970-01-01T00:00:00.000Z')}`)).json();
    return (body.messages as { message: OutboundMessage }[]).map((m) => plain(m.message));
  };
  for (const [at, step] of journey.steps.entries()) {
    const where = `web: ${journey.name} — step ${at + 1}`;
    const before = fake.activities().length;
    const noticed = browser.cookie('guichet_visitor') ? (await notices()).length : 0;
    let got = '';
    if ('user' in step) {
      const body = await (await browser.postJson('/api/web/messages', { id: randomUUID(), text: fill(step.user) })).json();
      got = (body.replies as OutboundMessage[]).map(plain).join('\n');
    } else if ('agent' in step) {
      if (!thread) throw new Error(`${where}: no escalation thread for #${number}`);
      await post(channelActivity(fake.url, bruno, { thread, channelId: AGENTS_CHANNEL }, fill(step.agent)));
    } else throw new Error(`${where}: only chat steps run through the adapters`);
    if (number === undefined) {
      const conversation = await testDb.db.client.conversation.findFirst({ where: { channel: 'web', externalId: browser.cookie('guichet_visitor') ?? '' } });
      number = (await testDb.db.client.ticket.findFirst({ where: { conversationId: conversation?.id ?? '' }, orderBy: { number: 'desc' } }))?.number;
    }
    if (number !== undefined && !thread) thread = (await testDb.db.client.escalationPost.findFirst({ where: { ticket: { number }, platform: 'teams' } }))?.threadKey?.split('|')[2];
    const threadActivities = fake.activities().slice(before).filter((a) => thread && a.conversation?.id === thread);
    const told = (await notices()).slice(noticed).join('\n');
    if ('agent' in step) got = said(threadActivities.filter((a) => !/^\S.*?\s?: /.test(String(a.text ?? ''))));
    await check({ db: testDb } as Parameters<typeof check>[0], step, { got, thread: said(threadActivities), told, number, where, fill });
  }
}

describe('journeys through the web chat (agent in Teams)', () => {
  for (const journey of adapterSubset) it(journey.name, () => play(journey), 60_000);
  it('an anonymous web visitor is shown to the agent as such, never by their random id', () =>
    play({ name: 'anonymous visitor', steps: [...adapterSubset[2]!.steps.slice(0, 2), { user: 'bonjour', silent: true, thread: /^Le demandeur \(nom inconnu\)\s?: bonjour/ }] }));
});
