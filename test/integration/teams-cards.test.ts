/**
 * Teams cards and the proactive side over real HTTP, against the local fake Bot Connector:
 * - every card type reaches a user exactly as rendered, through the core's Notifier, at the
 *   conversation reference stored when they first wrote (real database);
 * - a card submit and a Universal Action (adaptiveCard/action invoke) reach the core with the
 *   button's verb and data, and the invoke gets its response in the HTTP body;
 * - the AgentChannelPoster: a new thread in an agents' channel, updated in place, a reply in the
 *   thread, each after a 429; an agent's reply in that thread comes back as a channel turn of the
 *   conversation the post reference names;
 * - hostile text in a ticket title and diagnosis stays text.
 */
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTeamsChannel, teamsThreadKey, type TeamsChannel, type TeamsPost } from '../../src/channels/teams/index.ts';
import { renderForTeams } from '../../src/channels/teams/outbound.ts';
import { loadConfig } from '../../src/config.ts';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import type { InboundMessage, OutboundMessage } from '../../src/core/messages.ts';
import { createNotifier } from '../../src/core/notifier.ts';
import { start, type Running } from '../../src/main.ts';
import { PrismaConversationStore } from '../../src/persistence/stores/conversations.ts';
import { conversationKey } from '../../src/persistence/stores/handoff.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { personalActivity, postActivity, TEAMS_BOT, TEAMS_TENANT, teamsPerson, type TeamsPerson } from '../helpers/teams-activity.ts';
import { sampleEscalation, sampleMessages, sampleTicket } from '../helpers/samples.ts';
import { listenLocal, type Listening } from '../helpers/http.ts';

const TENANT = TEAMS_TENANT;
const BOT = TEAMS_BOT;
const AGENTS_CHANNEL = '19:network-agents@thread.tacv2';
const HOSTILE = '**x** <at>Everyone</at> [Reset](javascript:alert(1)) <img src=x onerror=alert(1)>';

let testDb: TestDatabase;
let fake: FakeBotConnector;
let running: Running;
/** A Teams channel of its own (all tenants), whose turns are recorded instead of run. */
let direct: TeamsChannel;
let directServer: Listening | undefined;
let directUrl = '';
const inbound: InboundMessage[] = [];
const sleeps: number[] = [];

async function recordingTurn(message: InboundMessage): Promise<TurnResult> {
  inbound.push(message);
  return { replies: [{ type: 'text', text: `Done: ${message.action?.verb ?? message.text}` }], lang: 'en', duplicate: false, conversationId: null, userId: null };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeBotConnector.start();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'teams', TEAMS_TENANT_IDS: TENANT, SLA_TICK_SECONDS: '0' }));
  direct = createTeamsChannel({
    config: { MicrosoftAppType: 'MultiTenant', TEAMS_TENANT_IDS: [] },
    turn: recordingTurn,
    log: pino({ level: 'silent' }),
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
  const app = express();
  app.use(direct.mount.path, direct.mount.handler);
  directServer = await listenLocal(app);
  directUrl = directServer.url;
}, 60_000);

afterAll(async () => {
  await directServer?.close();
  await running?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

beforeEach(() => {
  fake.reset();
  inbound.length = 0;
  sleeps.length = 0;
});

type Person = TeamsPerson;
const person = teamsPerson;
const personal = (who: Person, fields: Record<string, unknown>) => personalActivity(fake.url, who, fields);
const post = (activity: unknown, url: string) => postActivity(url, activity);

const address = () => ({ serviceUrl: fake.url, tenantId: TENANT, channelId: AGENTS_CHANNEL });
const escalationMessage = (overrides: Parameters<typeof sampleEscalation>[0] = {}): OutboundMessage => ({ type: 'escalation', escalation: sampleEscalation(overrides), lang: 'en' });
/** JSON as the fake received it (undefined fields dropped). */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const elements = (node: unknown): Record<string, any>[] =>
  Array.isArray(node) ? node.flatMap(elements) : node && typeof node === 'object' ? [node as Record<string, any>, ...Object.values(node).flatMap(elements)] : [];

describe('cards reach users through the Notifier', () => {
  it('sends every card type, exactly as rendered, to the reference stored when the user first wrote', async () => {
    const alice = person('Alice Martin');
    expect((await post(personal(alice, { text: 'hello' }), running.url)).status).toBe(200);
    fake.reset();
    const identity = await testDb.db.client.identity.findFirstOrThrow({ where: { platform: 'teams', externalId: `aad-${alice.key}` } });

    const samples = sampleMessages();
    const cards: OutboundMessage[] = [samples.ticket, samples.tickets, samples.incident, samples.survey, { ...samples.ticket, actions: [{ label: 'Yes, fixed', verb: 'ticket.confirm', data: { number: 1042, fixed: 'true' }, style: 'primary' }] }];
    const notifier = createNotifier(new PrismaConversationStore(testDb.db), [direct.sender]);
    expect(await notifier.notify(identity.userId, cards)).toEqual({ delivered: ['teams'] });

    const received = fake.activities();
    expect(received).toEqual(
      cards.map((m) => ({
        type: 'message',
        serviceUrl: fake.url,
        channelId: 'msteams',
        from: BOT,
        recipient: { id: `29:${alice.key}`, aadObjectId: `aad-${alice.key}`, name: alice.name },
        conversation: { id: `a:${alice.key}`, conversationType: 'personal', tenantId: TENANT },
        locale: 'en-GB',
        replyToId: expect.any(String),
        ...asJson(renderForTeams(m)),
      })),
    );
    // In order, each to the user's personal conversation.
    expect(fake.activityAttempts().map((r) => r.conversationId)).toEqual(cards.map(() => `a:${alice.key}`));
    expect(received.map((a) => a.attachments[0].contentType)).toEqual(cards.map(() => 'application/vnd.microsoft.card.adaptive'));
  });
});

describe('card buttons reach the core', () => {
  const ticketCard = () =>
    renderForTeams({ type: 'ticket', ticket: sampleTicket({ status: 'resolved' }), lang: 'en', actions: [{ label: 'Yes, fixed', verb: 'ticket.confirm', data: { number: 1042, fixed: 'true' } }] })
      .attachments![0]!.content as any;
  const escalationCard = () => renderForTeams(escalationMessage()).attachments![0]!.content as any;

  it('an Action.Submit arrives as a message with the button’s data and becomes the action {verb, data}', async () => {
    const bob = person('Bob Smith');
    const button = ticketCard().actions[0];
    const submit = personal(bob, { replyToId: 'card-1', value: button.data });
    expect((await post(submit, directUrl)).status).toBe(200);
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({
      channel: 'teams',
      deliveryId: submit.id,
      tenantId: TENANT,
      user: { externalId: `aad-${bob.key}` },
      conversation: { externalId: `a:${bob.key}`, kind: 'personal' },
      action: { verb: 'ticket.confirm', data: { number: 1042, fixed: 'true' } },
    });
    expect(inbound[0]!.text).toBeUndefined();
    expect(fake.activities().map((a) => a.text)).toEqual(['Done: ticket.confirm']);
  });

  it('an Action.Execute arrives as an adaptiveCard/action invoke from the agents’ thread: the core gets the action, the invoke its response', async () => {
    const agent = person('Nadia Benali');
    const button = escalationCard().actions[0];
    expect(button).toMatchObject({ type: 'Action.Execute', verb: 'ticket.take' });
    const thread = `${AGENTS_CHANNEL};messageid=1700000000001`;
    const invoke = personal(agent, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: '1700000000001',
      conversation: { id: thread, conversationType: 'channel', tenantId: TENANT, isGroup: true },
      channelData: { tenant: { id: TENANT }, channel: { id: AGENTS_CHANNEL }, team: { id: '19:team@thread.tacv2' } },
      value: { action: { type: 'Action.Execute', verb: button.verb, data: button.data }, trigger: 'manual' },
    });
    const response = await post(invoke, directUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done: ticket.take' });
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({
      deliveryId: invoke.id,
      conversation: { externalId: thread, kind: 'channel' },
      action: { verb: 'ticket.take', data: { number: 1042 } },
    });
    // The core's replies also go to the thread.
    expect(fake.activities().map((a) => [a.conversation.id, a.text])).toEqual([[thread, 'Done: ticket.take']]);
  });
});

describe('escalation threads in an agents’ channel', () => {
  let ref: TeamsPost;

  it('posts the card as a new thread, after a 429, and returns a plain-JSON post reference', async () => {
    fake.failNext(1, { status: 429, retryAfterSeconds: 1 });
    const message = escalationMessage();
    ref = (await direct.poster.post(address(), message)) as TeamsPost;

    const creates = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v3/conversations');
    expect(creates.map((r) => r.status)).toEqual([429, 200]);
    expect(sleeps).toEqual([1050]); // Retry-After 1 s, plus 10 % × 0.5 jitter
    expect(creates[1]!.body).toMatchObject({
      isGroup: true,
      tenantId: TENANT,
      channelData: { channel: { id: AGENTS_CHANNEL }, tenant: { id: TENANT } },
      activity: asJson(renderForTeams(message)),
    });
    const root = /;messageid=(.+)$/.exec(ref.conversationId)?.[1];
    expect(ref).toEqual({ serviceUrl: fake.url, tenantId: TENANT, conversationId: `${AGENTS_CHANNEL};messageid=${root}`, activityId: root });
    expect(JSON.parse(JSON.stringify(ref))).toEqual(ref);
    expect(fake.activities()).toEqual([]); // one request: the card is the thread's first message
  });

  it('updates the card in place (PUT on the root activity), after a 429', async () => {
    fake.failNext(1, { status: 429, retryAfterSeconds: 1 });
    const taken = escalationMessage({ ticket: sampleTicket({ assignee: { id: 'u-7', displayName: 'Nadia Benali' } }), relay: 'live', actions: [] });
    await direct.poster.update(ref, taken);
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => [r.status, r.path])).toEqual([
      [429, `/v3/conversations/${encodeURIComponent(ref.conversationId)}/activities/${ref.activityId}`],
      [200, `/v3/conversations/${encodeURIComponent(ref.conversationId)}/activities/${ref.activityId}`],
    ]);
    expect(puts[1]!.body).toMatchObject({ id: ref.activityId, ...asJson(renderForTeams(taken)) });
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('replies in the thread, in order, after a 429', async () => {
    fake.failNext(1, { status: 429, retryAfterSeconds: 1 });
    await direct.poster.reply(ref, [
      { type: 'text', text: 'Alice Martin : it started after the update' },
      { type: 'text', text: 'Alice Martin : webmail works' },
    ]);
    const attempts = fake.activityAttempts();
    expect(attempts.map((r) => [r.status, r.conversationId])).toEqual([
      [429, ref.conversationId],
      [200, ref.conversationId],
      [200, ref.conversationId],
    ]);
    expect(fake.activities().map((a) => [a.conversation.id, a.text])).toEqual([
      [ref.conversationId, 'Alice Martin : it started after the update'],
      [ref.conversationId, 'Alice Martin : webmail works'],
    ]);
  });

  it('brings an agent’s @mention reply in that thread to the core as a channel turn of the thread the post reference names', async () => {
    const agent = person('Thomas Leroy');
    const at = `<at>${BOT.name}</at>`;
    const reply = personal(agent, {
      text: `${at} I am on it`,
      conversation: { id: ref.conversationId, conversationType: 'channel', tenantId: TENANT, isGroup: true },
      channelData: { tenant: { id: TENANT }, channel: { id: AGENTS_CHANNEL }, team: { id: '19:team@thread.tacv2' } },
      entities: [{ type: 'mention', text: at, mentioned: { id: BOT.id, name: BOT.name } }],
    });
    // What the channel hands the core: a channel turn whose conversation is the thread.
    expect((await post(reply, directUrl)).status).toBe(200);
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ channel: 'teams', tenantId: TENANT, text: 'I am on it', conversation: { externalId: ref.conversationId, kind: 'channel' } });
    expect(conversationKey('teams', inbound[0]!.tenantId!, inbound[0]!.conversation.externalId)).toBe(teamsThreadKey(ref));

    // Through the real core and database: the thread's conversation is stored under that key.
    expect((await post({ ...reply, id: `${reply.id}-2` }, running.url)).status).toBe(200);
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { channel: 'teams', externalId: ref.conversationId } });
    expect(conversation.tenantId).toBe(TENANT);
    expect(conversationKey(conversation.channel, conversation.tenantId, conversation.externalId)).toBe(teamsThreadKey(ref));
    const first = await testDb.db.client.message.findFirstOrThrow({ where: { conversationId: conversation.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(first).toMatchObject({ direction: 'in', text: 'I am on it' });
  });

  it('refuses a post reference or address it cannot use, with a coded error and no request', async () => {
    await expect(direct.poster.post({ serviceUrl: fake.url, channelId: AGENTS_CHANNEL }, escalationMessage())).rejects.toMatchObject({ code: 'teams.invalid-address' });
    await expect(direct.poster.update({ conversationId: 'x' }, escalationMessage())).rejects.toMatchObject({ code: 'teams.invalid-address' });
    await expect(direct.poster.reply('nonsense', [{ type: 'text', text: 'x' }])).rejects.toMatchObject({ code: 'teams.invalid-address' });
    expect(fake.requests).toEqual([]);
  });
});

describe('hostile text on cards', () => {
  it('shows a hostile ticket title and diagnosis as typed: never Markdown, no mention, no link', async () => {
    const message = escalationMessage({
      ticket: sampleTicket({ title: HOSTILE, status: 'new', assignee: null }),
      diagnosisMarkdown: `- said: ${HOSTILE.replace(/([\\`*_[\]()<>#|~!{}])/g, '\\$1')}`,
    });
    await direct.poster.post(address(), message);
    const create = fake.requests.find((r) => r.method === 'POST' && r.path === '/v3/conversations' && r.status === 200)!;
    const card = create.body.activity.attachments[0].content;
    const runs = elements(card).filter((e) => e.type === 'TextRun').map((e) => e.text as string);
    expect(runs[0]).toBe(`Incident #1042 — ${HOSTILE}`);
    expect(runs).toContain(`- said: ${HOSTILE}`);
    // Nothing that Teams reads as Markdown holds the text, and nothing can mention anyone.
    expect(elements(card).filter((e) => e.type === 'TextBlock')).toEqual([]);
    for (const fact of elements(card).filter((e) => e.type === 'FactSet').flatMap((e) => e.facts)) expect(JSON.stringify(fact)).not.toContain('javascript');
    expect(create.body.activity.entities).toBeUndefined();
    expect(JSON.stringify(create.body)).not.toContain('"mention"');
  });
});
