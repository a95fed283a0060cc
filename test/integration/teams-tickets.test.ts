/**
 * Tickets and handoff in Teams, over real HTTP against a local fake Bot
 * Connector: ticket cards, the satisfaction survey's buttons, a proactive
 * notification, the escalation thread in an agents' channel (posted, updated
 * in place, relayed both ways), a Universal Action, and throttling on every
 * kind of call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { channelActivity, personalActivity, postActivity, TEAMS_BOT, TEAMS_TENANT, teamsPerson, type TeamsPerson } from '../helpers/teams-activity.ts';

const TENANT = TEAMS_TENANT;
const BOT = TEAMS_BOT;
const AGENTS_CHANNEL = '19:servicedesk@thread.tacv2';

let running: Running;
let testDb: TestDatabase;
let fake: FakeBotConnector;

type Person = TeamsPerson;
const person = teamsPerson;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeBotConnector.start();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web,teams', TEAMS_TENANT_IDS: TENANT, SLA_TICK_SECONDS: '0' }));
  await testDb.db.client.groupChannel.create({
    data: { groupId: 'service-desk', platform: 'teams', address: { serviceUrl: fake.url, tenantId: TENANT, channelId: AGENTS_CHANNEL } },
  });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

beforeEach(() => fake.reset());

const activity = (who: Person, fields: Record<string, unknown>) => personalActivity(fake.url, who, fields);
/** A reply in a channel thread, @mentioning the bot. */
const inThread = (who: Person, thread: string, text: string, mention = true) => channelActivity(fake.url, who, { thread, channelId: AGENTS_CHANNEL }, text, mention);
const post = (body: unknown) => postActivity(running.url, body);

/** One message, answered, and what runs right after the reply (a new ticket's card: its job is not awaited by the turn). */
const say = async (who: Person, text: string) => {
  const response = await post(activity(who, { text }));
  await running.guichet.jobs.afterReplyDone();
  return response;
};

async function makeAgent(who: Person): Promise<void> {
  await say(who, 'hello');
  const identity = await testDb.db.client.identity.findFirstOrThrow({ where: { platform: 'teams', externalId: `aad-${who.key}` } });
  await testDb.db.client.user.update({ where: { id: identity.userId }, data: { role: 'agent', locale: 'en' } });
  await testDb.db.client.groupMember.create({ data: { groupId: 'service-desk', userId: identity.userId } });
}

const cardsOf = (activities: any[]) => activities.flatMap((a) => (a.attachments ?? []).map((x: any) => x.content));
const textOf = (element: any): string[] =>
  element == null ? [] : Array.isArray(element) ? element.flatMap(textOf) : typeof element === 'object' ? [...(element.type === 'TextRun' ? [element.text] : []), ...(element.type === 'Fact' || 'title' in element && 'value' in element ? [`${element.title}: ${element.value}`] : []), ...Object.values(element).flatMap(textOf)] : [];

const alice = person('Alice Martin');
const bruno = person('Bruno Petit');
let number = 0;
let thread = '';

describe('tickets in Teams', () => {
  it('opens a ticket from a personal chat and answers with a native ticket card; the agents’ channel gets a new thread with the escalation card', async () => {
    await makeAgent(bruno);
    fake.reset();
    expect((await say(alice, 'open a ticket: Outlook keeps asking for my password **now**')).status).toBe(200);
    number = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;

    const replies = fake.activities().filter((a) => a.conversation?.id === `a:${alice.key}`);
    expect(replies[0]).toMatchObject({ type: 'message', text: expect.stringContaining(`I opened ticket #${number}`) });
    const [ticketCard] = cardsOf(replies);
    expect(ticketCard).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const words = textOf(ticketCard).join('\n');
    expect(words).toContain(`Incident #${number} — Outlook keeps asking for my password **now**`);
    expect(words).toMatch(/Status: New/);
    expect(words).toMatch(/Priority: P4/);

    const create = fake.requests.find((r) => r.method === 'POST' && r.path === '/v3/conversations');
    expect(create?.body).toMatchObject({ isGroup: true, channelData: { channel: { id: AGENTS_CHANNEL }, tenant: { id: TENANT } } });
    const escalation = create!.body.activity.attachments[0].content;
    const escalationWords = textOf(escalation).join('\n');
    expect(escalationWords).toContain('Demandeur : Alice Martin'); // agents' cards are in DEFAULT_LOCALE
    expect(escalation.actions.map((a: any) => [a.type, a.verb])).toContainEqual(['Action.Execute', 'ticket.take']);
    thread = (await testDb.db.client.escalationPost.findFirstOrThrow({ where: { ticket: { number } } })).threadKey!.split('|')[2]!;
    expect(thread).toMatch(new RegExp(`^${AGENTS_CHANNEL.replace(/[.]/g, '\\.')};messageid=root-\\d+$`));
  });

  it('lets an agent take it with the card’s Universal Action: invoke answered, card updated in place, requester told proactively', async () => {
    const invoke = activity(bruno, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      conversation: { id: thread, conversationType: 'channel', tenantId: TENANT, isGroup: true },
      channelData: { tenant: { id: TENANT }, channel: { id: AGENTS_CHANNEL } },
      value: { action: { type: 'Action.Execute', verb: 'ticket.take', data: { number } } },
    });
    const response = await post(invoke);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining(`You took ticket #${number}`) });
    const update = fake.requests.find((r) => r.method === 'PUT');
    expect(update?.path).toBe(`/v3/conversations/${encodeURIComponent(thread)}/activities/${thread.split('=')[1]}`);
    expect(textOf(update!.body.attachments[0].content).join('\n')).toMatch(/Pris en charge par: Bruno Petit/);
    const toAlice = fake.activities().filter((a) => a.conversation?.id === `a:${alice.key}`);
    expect(toAlice.map((a) => a.text ?? textOf(a.attachments?.[0]?.content).join(' ')).join('\n')).toMatch(/Bruno Petit \(IT service desk\) took your ticket/);
  });

  it('relays the requester’s messages into the thread and the agent’s thread replies back, both ways, in order', async () => {
    await say(alice, 'It started after I changed my password');
    await say(alice, 'Webmail works fine');
    const inThreadPosts = fake.activities().filter((a) => a.conversation?.id === thread);
    expect(inThreadPosts.map((a) => a.text)).toEqual(['Alice Martin : It started after I changed my password', 'Alice Martin : Webmail works fine']);
    fake.reset();
    await post(inThread(bruno, thread, 'Please remove the Outlook entries from Credential Manager'));
    const toAlice = fake.activities().filter((a) => a.conversation?.id === `a:${alice.key}`);
    expect(toAlice.map((a) => a.text)).toEqual(['👤 Bruno Petit (service desk): Please remove the Outlook entries from Credential Manager']);
  });

  it('relays an agent’s reply under the card without an @mention, and leaves other threads of the channel alone', async () => {
    fake.reset();
    await post(inThread(bruno, thread, 'Could you try signing out of Outlook and back in?', false));
    const toAlice = fake.activities().filter((a) => a.conversation?.id === `a:${alice.key}`);
    expect(toAlice.map((a) => a.text)).toEqual(['👤 Bruno Petit (service desk): Could you try signing out of Outlook and back in?']);
    // A conversation between agents in another thread of the channel: not for Guichet, not stored.
    fake.reset();
    const conversationsBefore = await testDb.db.client.conversation.count();
    expect((await post(inThread(bruno, `${AGENTS_CHANNEL};messageid=999`, 'lunch at noon?', false))).status).toBe(200);
    expect(fake.activities()).toEqual([]);
    expect(await testDb.db.client.conversation.count()).toBe(conversationsBefore);
  });

  it('relays a file the requester sends in the personal chat to the thread as its OneDrive link, and keeps it on the ticket', async () => {
    fake.reset();
    const url = 'https://contoso-my.sharepoint.com/personal/alice/Documents/Microsoft Teams Chat Files/outlook.log';
    const file = { contentType: 'application/vnd.microsoft.teams.file.download.info', contentUrl: url, name: 'outlook.log', content: { downloadUrl: 'https://contoso-my.sharepoint.com/download?tempauth=secret', fileType: 'log' } };
    expect((await post(activity(alice, { text: '', attachments: [file] }))).status).toBe(200);
    const inThreadPosts = fake.activities().filter((a) => a.conversation?.id === thread);
    expect(inThreadPosts.map((a) => a.text)).toEqual([`Alice Martin : 📎 outlook.log — ${url}`]);
    const info = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'info' }, orderBy: { createdAt: 'desc' }, take: 1 });
    expect(info[0]!.data).toEqual({ text: '', files: [{ name: 'outlook.log', url, contentType: 'log' }] });
    expect(JSON.stringify(fake.activities())).not.toContain('tempauth');
  });

  it('asks "is it fixed?" proactively, closes on the button, and takes the survey from its card', async () => {
    await say(bruno, `resolve #${number}: stale credentials removed`);
    const question = fake.activities().filter((a) => a.conversation?.id === `a:${alice.key}`).flatMap((a) => a.attachments ?? []).map((x: any) => x.content).find((c: any) => c.actions?.length === 2);
    expect(question.actions.map((a: any) => a.data)).toEqual([{ verb: 'choice', value: `#${number} fixed` }, { verb: 'choice', value: `#${number} not fixed` }]);
    fake.reset();
    await post(activity(alice, { text: undefined, value: question.actions[0].data }));
    const survey = cardsOf(fake.activities()).find((c: any) => c.actions?.length === 5);
    expect(survey.actions[3]).toMatchObject({ type: 'Action.Submit', data: { verb: 'ticket.rate', number, score: 4 } });
    await post(activity(alice, { text: undefined, value: survey.actions[3].data }));
    expect(await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).toMatchObject({ status: 'closed', csatScore: 4 });
  });

  it('retries throttled posts, updates and thread replies', async () => {
    // The card's thread (posted right after the reply to Alice): its first create meets a 429.
    fake.failNextCreate(1, { status: 429, retryAfterSeconds: 0 });
    await say(alice, 'open a ticket: Teams calls drop after five minutes');
    const second = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
    expect(second).toBe(number + 1);
    const posts = await testDb.db.client.escalationPost.findMany({ where: { ticket: { number: second } } });
    expect(posts).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v3/conversations').map((r) => r.status)).toEqual([429, 200]);

    // The take's first call (the requester's notification), a note's card update, then its reply each meet a 429.
    fake.reset();
    fake.failNext(1, { status: 429, retryAfterSeconds: 0 });
    await say(bruno, `take #${second}`);
    expect(fake.requests.filter((r) => r.path.includes(encodeURIComponent(`a:${alice.key}`))).map((r) => r.status).slice(0, 2)).toEqual([429, 200]);
    fake.reset();
    fake.failNext(1, { status: 429, retryAfterSeconds: 0 });
    await say(bruno, `note #${second}: checked the headset driver`);
    expect(fake.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([429, 200]);
    fake.reset();
    fake.failNext(1, { status: 429, retryAfterSeconds: 0 }, 1);
    await say(bruno, `note #${second}: asked for the meeting id`);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.includes(encodeURIComponent(`a:${bruno.key}`))).map((r) => r.status)).toEqual([429, 200]);
    const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: second }, include: { assignee: true } });
    expect(ticket.assignee?.displayName).toBe('Bruno Petit');
    expect(await testDb.db.client.ticketEvent.count({ where: { ticket: { number: second }, kind: 'note' } })).toBe(2);
  });
});

describe('installation', () => {
  it('greets a user who installs the app in a personal scope and stores where to reach them', async () => {
    const ines = person('Inès Carpentier', 'fr-FR');
    const install = activity(ines, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: BOT.id }] });
    expect((await post(install)).status).toBe(200);
    expect(fake.activities().map((a) => a.text)).toEqual([expect.stringMatching(/^Bonjour Inès ! Je suis Guichet/)]);
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { channel: 'teams', externalId: `a:${ines.key}` } });
    expect(conversation).toMatchObject({ kind: 'personal', reference: expect.objectContaining({ serviceUrl: fake.url }) });
    // Another member joining a chat where the bot already is: nothing.
    fake.reset();
    await post(activity(ines, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '29:someone-else' }] }));
    expect(fake.activities()).toEqual([]);
  });
});
