/**
 * Slack's ticket features over real HTTP, with the real ticket desk (src/ticketing) on the test
 * database: `/guichet` with and without text, the ticket modal (validation errors, creation, a
 * resubmitted view), the Home tab for an employee and for an agent, the escalation card in an
 * agents' channel (posted after a 429, updated in place when an agent clicks "Take"), the agent's
 * thread reply reaching the core and the requester (proactive DM through the Notifier), and hostile
 * mrkdwn in a ticket title.
 *
 * The server is wired here the way the composition root should wire it: createGuichet (core and
 * stores), the ticket desk on Prisma over the shipped config/ (groups, SLA, services) with one Slack agents'
 * channel added, the Slack channel given the services (the core's form-intake module answers its
 * modal and Home tab), a Notifier
 * over the Slack sender, and the human handoff with the Slack poster. Slack's Web API is the local
 * fake; the sender's waits run on a virtual clock (a 429's Retry-After is recorded, not slept).
 */
import { OutboundChannels } from '../../src/core/channel-contract.ts';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChannel, type SlackChannel } from '../../src/channels/slack/channel.ts';
import { renderForSlack } from '../../src/channels/slack/outbound.ts';
import { slackThreadKey } from '../../src/channels/slack/poster.ts';
import type { InboundMessage } from '../../src/core/messages.ts';
import { createNotifier } from '../../src/core/notifier.ts';
import type { Notifier } from '../../src/core/ports.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { Handoff } from '../../src/handoff/handoff.ts';
import { createHandoffModule } from '../../src/handoff/module.ts';
import { createLogger } from '../../src/log.ts';
import { PrismaHandoffStore } from '../../src/persistence/stores/handoff.ts';
import { createApp } from '../../src/server/app.ts';
import { loadDeskConfig } from '../../src/ticketing/config.ts';
import { createTicketChatModule } from '../../src/ticketing/chat.ts';
import { createFormIntakeModule } from '../../src/ticketing/form-intake.ts';
import { prismaTicketDesk } from '../helpers/prisma-ticket-desk.ts';
import { syncDeskConfig } from '../../src/persistence/stores/desk-config.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { BOT, FakeSlackApi, type FakeUser } from '../helpers/fake-slack-api.ts';
import { ROOT } from '../helpers/process.ts';
import { listenLocal, type Listening } from '../helpers/http.ts';
import {
  SIGNING_SECRET,
  TEAM,
  cardClick,
  dmEvent,
  homeButtonClick,
  homeOpened,
  prepareAction,
  prepareCommand,
  prepareEvent,
  send,
  slashCommand,
  threadReplyEvent,
  viewSubmission,
} from '../helpers/slack-signing.ts';

const AGENTS_CHANNEL = 'C0AGENTS';
const SERVICE_COUNT = 12;

let testDb: TestDatabase;
let fake: FakeSlackApi;
let guichet: Guichet;
let slack: SlackChannel;
let handoff: Handoff;
let server: Listening | undefined;
let url: string;
const sleeps: number[] = [];
/** The Notifier over the Slack sender (created once the channel exists: the desk takes it lazily). */
let notifier: Notifier;
/** Every InboundMessage the Slack channel handed to the core. */
const received: InboundMessage[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeSlackApi.start();
  // Monday 30 November 2026, 08:00 UTC (09:00 in Paris): inside business hours.
  const clock = new FakeClock(new Date('2026-11-30T08:00:00Z'));
  guichet = await createGuichet({ databaseUrl: testDb.url, defaultLang: 'fr', clock });
  const deskConfig = loadDeskConfig(`${ROOT}/config`);
  const network = deskConfig.groups.find((g) => g.id === 'network')!;
  network.channels = [{ platform: 'slack', address: { teamId: TEAM, channelId: AGENTS_CHANNEL } }];
  await syncDeskConfig(guichet.db, deskConfig);

  // The desk notifies through the Notifier, which sends through the Slack channel's sender.
  const lazyNotifier: Notifier = { notify: (userId, messages) => notifier.notify(userId, messages) };
  const desk = prismaTicketDesk({ db: guichet.db, clock, notifier: lazyNotifier, config: deskConfig });
  let now = 0;
  const log = createLogger('silent');
  slack = createSlackChannel({
    config: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: [TEAM] },
    turn: (message) => {
      received.push(message);
      return guichet.turn(message);
    },
    log,
    // The modal's categories; the core's form-intake module answers the modal and the Home tab.
    services: deskConfig.services,
    bot: { botId: BOT.botId, botUserId: BOT.userId },
    timer: {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    },
    retry: { random: () => 0 },
  });
  notifier = createNotifier(guichet.deps.conversations, [slack.sender]);
  handoff = new Handoff({
    desk,
    store: new PrismaHandoffStore(guichet.db),
    channels: new OutboundChannels([{ poster: slack.poster, threadKeyOf: slackThreadKey }]),
    notifier: lazyNotifier,
    lang: 'en',
  });
  guichet.deps.modules = [
    createFormIntakeModule({ desk, services: deskConfig.services }),
    createHandoffModule(handoff),
    createTicketChatModule({ desk, approvals: desk, services: deskConfig.services }),
  ];

  const app = createApp({ log, checkDatabase: guichet.ping, channels: [slack.mount] });
  server = await listenLocal(app);
  url = server.url;
});

afterAll(async () => {
  await server?.close();
  await guichet?.close();
  await fake?.stop();
  await testDb?.cleanup();
});

beforeEach(() => {
  fake.reset();
  sleeps.length = 0;
});

function someone(realName: string, locale: string, extra: Partial<FakeUser> = {}): FakeUser & { dm: string } {
  const id = `U${randomBytes(5).toString('hex').toUpperCase()}`;
  const user: FakeUser = { id, team_id: TEAM, name: realName.toLowerCase(), real_name: realName, tz: 'Europe/Paris', locale, profile: { real_name: realName, email: `${id.toLowerCase()}@acme.test` }, ...extra };
  fake.addUser(user);
  return { ...user, dm: `D${id.slice(1)}` };
}

const calls = () => fake.calls.map((c) => [c.method, c.args] as const);
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));
const viewId = () => `V${randomBytes(4).toString('hex').toUpperCase()}`;
const tickets = () => testDb.db.client.ticket.count();
const mrkdwnOf = (blocks: any[]) => blocks.flatMap((b) => [b.text?.type === 'mrkdwn' ? b.text.text : undefined, ...(b.fields ?? []).map((f: any) => f.text)]).filter(Boolean) as string[];

/** Submits the ticket modal and returns Slack's HTTP answer (the ack body). */
async function submit(user: string, id: string, values: Parameters<typeof viewSubmission>[2], lang = 'fr') {
  const response = await send(url, prepareAction(viewSubmission(user, id, values, { lang })));
  expect(response.status).toBe(200);
  const body = await response.text();
  return body ? JSON.parse(body) : undefined;
}

const GOOD = { category: 'vpn', impact: '3', urgency: '2', title: 'VPN coupé toutes les 10 minutes', description: 'Depuis ce matin, le VPN se déconnecte toutes les dix minutes.' };

describe('/guichet in Slack', () => {
  it('opens the ticket modal when typed alone: one views.open with the trigger_id, services as categories, in French', async () => {
    const alice = someone('Alice Martin', 'fr-FR');
    const response = await send(url, prepareCommand(slashCommand(alice.id, '', { triggerId: '111.222' })));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await fake.waitForOk('views.open', 1);
    expect(calls().map(([m]) => m)).toEqual(['users.info', 'views.open']);
    const { trigger_id, view } = fake.ok('views.open')[0]!.args;
    expect(trigger_id).toBe('111.222');
    expect(view).toMatchObject({ type: 'modal', callback_id: 'guichet-ticket', title: { text: 'Nouveau ticket' }, submit: { text: 'Créer' } });
    const category = view.blocks.find((b: any) => b.block_id === 'category');
    expect(category.element.options).toHaveLength(SERVICE_COUNT);
    expect(category.element.options[0]).toEqual({ text: { type: 'plain_text', text: 'Comptes, mots de passe et MFA', emoji: true }, value: 'identity' });
    expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.block_id)).toEqual(['category', 'impact', 'urgency', 'title', 'description']);
  });

  it('sends /guichet <text> to the core as that user’s message, answered in their DM', async () => {
    const bruno = someone('Bruno Lenoir', 'en-US');
    await send(url, prepareCommand(slashCommand(bruno.id, 'hello', { channel: bruno.dm, responseUrl: fake.responseUrl('cmd') })));
    await fake.waitForOk('chat.postMessage', 1);
    await settle();
    expect(calls()).toEqual([
      ['users.info', { user: bruno.id, include_locale: 'true' }],
      ['conversations.open', { users: bruno.id }],
      ['chat.postMessage', { channel: bruno.dm, text: expect.stringMatching(/^Hello Bruno! I’m Guichet/) }],
    ]);
    const line = await testDb.db.client.message.findFirstOrThrow({ where: { deliveryId: { startsWith: 'command:' }, direction: 'in', conversation: { externalId: bruno.dm } } });
    expect(line.text).toBe('hello');
  });
});

describe('the ticket modal', () => {
  it('shows errors in the modal, then creates one ticket, says so in the modal and sends the card to the DM; a resubmission creates nothing more', async () => {
    const chloe = someone('Chloé Durand', 'fr-FR');
    const id = viewId();
    const before = await tickets();

    const refused = await submit(chloe.id, id, { category: 'payroll', impact: '3', title: 'ab', description: 'Le VPN se coupe souvent.' });
    expect(refused).toEqual({
      response_action: 'errors',
      errors: { category: 'Choisissez la catégorie du problème.', urgency: 'Dites à quel point c’est urgent.', title: 'Le titre doit faire au moins 3 caractères.' },
    });
    await settle();
    expect(fake.calls).toEqual([]);
    expect(await tickets()).toBe(before);

    const accepted = await submit(chloe.id, id, GOOD);
    const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { originKey: `slack:view:${id}` }, include: { requester: true } });
    expect(accepted).toMatchObject({ response_action: 'update', view: { type: 'modal', title: { text: 'Ticket créé' } } });
    expect(accepted.view.blocks[0].text.text).toBe(`Votre ticket *#${ticket.number}* est créé. Je vous ai envoyé son suivi en message direct.`);
    expect(ticket).toMatchObject({ title: GOOD.title, description: GOOD.description, serviceId: 'vpn', category: 'vpn', impact: 3, urgency: 2, groupId: 'network', status: 'new' });
    expect(ticket.requester).toMatchObject({ displayName: 'Chloé Durand', email: `${chloe.id.toLowerCase()}@acme.test` });

    const [card] = await fake.waitForOk('chat.postMessage', 1);
    expect(calls().map(([m, a]) => [m, a.channel ?? a.users ?? a.user])).toEqual([
      ['users.info', chloe.id],
      ['conversations.open', chloe.id],
      ['chat.postMessage', chloe.dm],
    ]);
    expect(card!.args.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `Incident #${ticket.number} ${GOOD.title}`, emoji: true } });
    expect(mrkdwnOf(card!.args.blocks)).toEqual(expect.arrayContaining(['*Statut*\nNouveau', `*Priorité*\nP${ticket.priority}`, '*Prochaine étape* : Un technicien va prendre votre demande en charge.']));
    expect(card!.args.text).toMatch(new RegExp(`^Incident #${ticket.number} VPN coupé`));

    // Slack or the user submits the same view again: the same ticket, nothing sent again.
    fake.reset();
    const again = await submit(chloe.id, id, GOOD);
    expect(again.view.blocks[0].text.text).toContain(`#${ticket.number}`);
    await settle();
    expect(fake.ok('chat.postMessage')).toEqual([]);
    expect(await tickets()).toBe(before + 1);
  });

  it('makes a requester who never wrote to Guichet reachable: the Notifier finds their DM', async () => {
    const kim = someone('Kim Leroy', 'en-US');
    await submit(kim.id, viewId(), { ...GOOD, title: 'Screen flickers' }, 'en');
    await fake.waitForOk('chat.postMessage', 1);
    const user = await testDb.db.client.user.findFirstOrThrow({ where: { identities: { some: { platform: 'slack', externalId: kim.id } } } });
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { channel: 'slack', externalId: kim.dm } });
    expect(conversation).toMatchObject({ kind: 'personal', userId: user.id, tenantId: TEAM, reference: { teamId: TEAM, channel: kim.dm } });
    fake.reset();
    const result = await notifier.notify(user.id, [{ type: 'text', text: 'Your ticket is resolved <!channel>' }]);
    expect(result).toEqual({ delivered: ['slack'] });
    expect(calls()).toEqual([['chat.postMessage', { channel: kim.dm, text: 'Your ticket is resolved &lt;!channel&gt;' }]]);
  });

  it('attaches a screenshot shared in the DM to the open ticket, as its permalink, once even when Slack retries', async () => {
    const ella = someone('Ella Martin', 'en-US');
    await submit(ella.id, viewId(), { ...GOOD, title: 'VPN drops every hour' }, 'en');
    await fake.waitForOk('chat.postMessage', 1);
    const ticket = await testDb.db.client.ticket.findFirstOrThrow({ where: { requester: { identities: { some: { platform: 'slack', externalId: ella.id } } } } });
    fake.reset();
    const file = { id: 'F0SHOT', name: 'vpn-error.png', mimetype: 'image/png', size: 52_114, url_private: 'https://files.slack.com/files-pri/T0ACME-F0SHOT/vpn-error.png', permalink: 'https://acme.slack.com/files/U0/F0SHOT/vpn-error.png' };
    const envelope = dmEvent(ella.id, '', { subtype: 'file_share', files: [file] });
    expect((await send(url, prepareEvent(envelope))).status).toBe(200);
    const [reply] = await fake.waitForOk('chat.postMessage', 1);
    expect(reply!.args).toMatchObject({ channel: ella.dm, text: `📎 Attached to ticket #${ticket.number}; the technician is told.` });
    // Slack retries the same event, signed a second later (no 2xx within 3 s, say): nothing more.
    expect((await send(url, prepareEvent(envelope, { skewSeconds: 1 }))).status).toBe(200);
    await settle();
    const infos = await testDb.db.client.ticketEvent.findMany({ where: { ticketId: ticket.id, kind: 'info' } });
    expect(infos.map((e) => e.data)).toEqual([{ text: '', files: [{ name: 'vpn-error.png', url: file.permalink, contentType: 'image/png', size: 52_114 }] }]);
  });

  it('escapes hostile mrkdwn of a ticket title in the card sent to Slack', async () => {
    const dan = someone('Dan Roux', 'en-US');
    const title = '<!channel> VPN <https://evil.example/reset|Reset your password> & <@U0BOSS>';
    const accepted = await submit(dan.id, viewId(), { ...GOOD, title }, 'en');
    expect(accepted.response_action).toBe('update');
    const [card] = await fake.waitForOk('chat.postMessage', 1);
    const number = (await testDb.db.client.ticket.findFirstOrThrow({ where: { title } })).number;
    // plain_text header: shown as typed, never parsed.
    expect(card!.args.blocks[0].text).toEqual({ type: 'plain_text', text: `Incident #${number} ${title}`, emoji: true });
    expect(card!.args.text.split('\n')[0]).toBe(`Incident #${number} &lt;!channel&gt; VPN &lt;https://evil.example/reset|Reset your password&gt; &amp; &lt;@U0BOSS&gt;`);
    for (const text of [card!.args.text, ...mrkdwnOf(card!.args.blocks)]) expect(text).not.toMatch(/<[!@#h]/);
  });

  it('opens the modal in the language the user chose with Guichet, over Slack’s locale', async () => {
    const lea = someone('Léa Petit', 'en-US');
    await send(url, prepareEvent(dmEvent(lea.id, 'français')));
    await fake.waitForOk('chat.postMessage', 1);
    fake.reset();
    await send(url, prepareCommand(slashCommand(lea.id, '', { triggerId: '777.888' })));
    const [open] = await fake.waitForOk('views.open', 1);
    expect(open!.args).toMatchObject({ trigger_id: '777.888', view: { title: { text: 'Nouveau ticket' }, submit: { text: 'Créer' } } });
  });

  it('opens the modal from the Home tab’s button', async () => {
    const eve = someone('Eve Blanc', 'en-US');
    await send(url, prepareAction(homeButtonClick(eve.id, 'guichet-new-ticket', { triggerId: '333.444' })));
    const [open] = await fake.waitForOk('views.open', 1);
    expect(open!.args).toMatchObject({ trigger_id: '333.444', view: { callback_id: 'guichet-ticket', title: { text: 'New ticket' } } });
  });
});

describe('other workspaces', () => {
  it('opens no modal, creates no ticket and publishes no Home tab for another workspace or an external user', async () => {
    const mia = someone('Mia Other', 'en-US', { team_id: 'T0OTHER' });
    const before = await tickets();
    const external = viewSubmission(mia.id, viewId(), GOOD, { lang: 'en' });
    external.user.team_id = 'T0PARTNER';
    const responses = await Promise.all([
      send(url, prepareCommand(slashCommand(mia.id, '', { team: 'T0OTHER' }))),
      send(url, prepareAction(viewSubmission(mia.id, viewId(), GOOD, { team: 'T0OTHER', lang: 'en' }))),
      send(url, prepareAction(external)),
      send(url, prepareEvent(homeOpened(mia.id, { team: 'T0OTHER' }))),
      send(url, prepareAction(homeButtonClick(mia.id, 'guichet-new-ticket', { team: 'T0OTHER' }))),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await settle();
    expect(fake.calls).toEqual([]);
    expect(await tickets()).toBe(before);
  });
});

describe('card buttons', () => {
  it('hands a survey click to the core as the action {verb, data}, and drops a forged one', async () => {
    const jade = someone('Jade Simon', 'en-US');
    const survey = renderForSlack({ type: 'survey', ticketNumber: 1001, question: 'How satisfied are you?', lang: 'en' });
    const four = (survey.blocks!.find((b) => b.type === 'actions') as any).elements[3];
    const before = received.length;
    await send(url, prepareAction(cardClick(jade.id, four.action_id, four.value, { channel: jade.dm })));
    await fake.waitForOk('chat.postMessage', 1);
    expect(received.slice(before)).toEqual([expect.objectContaining({ user: expect.objectContaining({ externalId: jade.id }), action: { verb: 'ticket.rate', data: { number: 1001, score: 4 } } })]);
    expect(received.at(-1)!.text).toBeUndefined();
    expect(fake.ok('chat.postMessage')[0]!.args.channel).toBe(jade.dm);

    fake.reset();
    await send(url, prepareAction(cardClick(jade.id, four.action_id, '{"number":{"$ne":0},"score":4}', { channel: jade.dm })));
    await send(url, prepareAction(cardClick(jade.id, 'act:0:ticket.rate; drop table', '{}', { channel: jade.dm })));
    await settle();
    expect(received).toHaveLength(before + 1);
    expect(fake.calls).toEqual([]);
  });
});

describe('the Home tab', () => {
  it('shows an employee their open tickets with status and SLA due time, in their language', async () => {
    const fanny = someone('Fanny Morel', 'fr-FR');
    await submit(fanny.id, viewId(), { ...GOOD, title: 'Imprimante bloquée', category: 'printing' });
    await fake.waitForOk('chat.postMessage', 1);
    const number = (await testDb.db.client.ticket.findFirstOrThrow({ where: { title: 'Imprimante bloquée' } })).number;
    fake.reset();

    const response = await send(url, prepareEvent(homeOpened(fanny.id)));
    expect(response.status).toBe(200);
    const [publish] = await fake.waitForOk('views.publish', 1);
    expect(calls().map(([m]) => m)).toEqual(['views.publish']);
    expect(publish!.args.user_id).toBe(fanny.id);
    const view = publish!.args.view;
    expect(view.type).toBe('home');
    const headers = view.blocks.filter((b: any) => b.type === 'header').map((b: any) => b.text.text);
    expect(headers).toEqual(['Guichet — support informatique', 'Mes tickets en cours']);
    const line = mrkdwnOf(view.blocks).find((t) => t.startsWith(`*#${number} Imprimante bloquée*`));
    expect(line).toMatch(/\nNouveau · P\d · Prise en charge avant : lun\. 30 nov\. 2026, \d\d:\d\d · Résolution prévue avant : /);
  });

  it('adds an agent’s queue (their groups’ open tickets)', async () => {
    const nadia = someone('Nadia Benali', 'en-GB', { profile: { real_name: 'Nadia Benali', email: 'nadia.benali@example.org' } });
    const queued = await testDb.db.client.ticket.findMany({ where: { groupId: 'network', status: { in: ['new', 'assigned', 'in-progress', 'pending-user'] } }, select: { number: true } });
    expect(queued.length).toBeGreaterThan(0);
    await send(url, prepareEvent(homeOpened(nadia.id)));
    const [publish] = await fake.waitForOk('views.publish', 1);
    expect(calls().map(([m]) => m)).toEqual(['users.info', 'views.publish']);
    const view = publish!.args.view;
    const headers = view.blocks.filter((b: any) => b.type === 'header').map((b: any) => b.text.text);
    expect(headers).toEqual(['Guichet — IT service desk', 'My open tickets', `My ticket queue (${queued.length})`]);
    for (const { number } of queued) expect(mrkdwnOf(view.blocks).some((t) => t.startsWith(`*#${number} `))).toBe(true);
    const user = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'nadia.benali@example.org' } });
    expect(user.role).toBe('agent');
  });

  it('publishes nothing for the Messages tab', async () => {
    const gus = someone('Gus Petit', 'fr-FR');
    await send(url, prepareEvent(homeOpened(gus.id, { tab: 'messages' })));
    await settle();
    expect(fake.calls).toEqual([]);
  });
});

describe('escalation to the agents’ channel', () => {
  it('posts the card (after a 429), updates it when an agent takes the ticket, and relays the agent’s thread reply to the requester', async () => {
    const hugo = someone('Hugo Faure', 'fr-FR');
    // The requester talks to Guichet first: their DM is where proactive messages go.
    await send(url, prepareEvent(dmEvent(hugo.id, 'bonjour')));
    await fake.waitForOk('chat.postMessage', 1);
    const id = viewId();
    await submit(hugo.id, id, { ...GOOD, title: 'VPN <!here> down' });
    await fake.waitForOk('chat.postMessage', 2);
    const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { originKey: `slack:view:${id}` } });
    fake.reset();

    // The card, posted once Slack's Retry-After has passed.
    fake.rateLimitNext('chat.postMessage', 1, 3);
    await handoff.escalate(ticket.number, { live: true });
    expect(fake.calls.map((c) => [c.method, c.status, c.args.channel])).toEqual([
      ['chat.postMessage', 429, AGENTS_CHANNEL],
      ['chat.postMessage', 200, AGENTS_CHANNEL],
    ]);
    expect(sleeps).toContain(3_000);
    const card = fake.ok('chat.postMessage')[0]!;
    const cardTs: string = card.response!.ts;
    const post = await testDb.db.client.escalationPost.findFirstOrThrow({ where: { ticketId: ticket.id } });
    expect(post).toMatchObject({ platform: 'slack', post: { teamId: TEAM, channelId: AGENTS_CHANNEL, ts: cardTs }, threadKey: `slack|${TEAM}|${AGENTS_CHANNEL}:${cardTs}` });
    expect(card.args.blocks[0].text.text).toBe(`Incident #${ticket.number} VPN <!here> down`);
    expect(card.args.text).not.toMatch(/<!here>/);
    expect(mrkdwnOf(card.args.blocks)).toEqual(expect.arrayContaining(['*Requester*\nHugo Faure\n' + `${hugo.id.toLowerCase()}@acme.test`, '*Assignee*\nnobody yet']));
    const buttons = card.args.blocks.find((b: any) => b.type === 'actions').elements;
    const take = buttons.find((b: any) => b.action_id.endsWith(':ticket.take'));
    expect(take).toMatchObject({ style: 'primary', value: JSON.stringify({ number: ticket.number }) });
    fake.reset();

    // An agent of the ticket's group clicks "Take" on the card.
    const nadia = someone('Nadia Benali', 'en-GB', { profile: { real_name: 'Nadia Benali', email: 'nadia.benali@example.org' } });
    const click = cardClick(nadia.id, take.action_id, take.value, { channel: AGENTS_CHANNEL, messageTs: cardTs });
    expect((await send(url, prepareAction(click))).status).toBe(200);
    await fake.waitFor((all) => all.some((c) => c.method === 'chat.postMessage' && c.args.thread_ts === cardTs));
    const agent = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'nadia.benali@example.org' } });
    expect(await testDb.db.client.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ assigneeId: agent.id, relay: 'live' });
    const inbound = await testDb.db.client.message.findFirstOrThrow({ where: { deliveryId: { startsWith: `action:${cardTs}:` }, direction: 'in' } });
    expect(inbound.payload).toEqual({ verb: 'ticket.take', data: { number: ticket.number } });
    // In the agents' channel: the card updated in place (the agent has it now), then the agent's confirmation in its thread.
    expect(calls().filter(([, a]) => a.channel === AGENTS_CHANNEL).map(([m, a]) => [m, a.ts ?? null, a.thread_ts ?? null])).toEqual([
      ['chat.update', cardTs, null],
      ['chat.postMessage', null, cardTs],
    ]);
    expect(mrkdwnOf(fake.ok('chat.update')[0]!.args.blocks)).toContain('*Assignee*\nNadia Benali');
    expect(fake.ok('chat.update')[0]!.args.blocks.find((b: any) => b.type === 'actions').elements.map((b: any) => b.action_id)).not.toContainEqual(expect.stringMatching(/ticket\.take$/));
    const inThread = fake.ok('chat.postMessage').filter((c) => c.args.channel === AGENTS_CHANNEL);
    expect(inThread.map((c) => c.args.text)).toEqual([`You took ticket #${ticket.number}. Your replies in this thread go to Hugo Faure.`]);
    // The requester hears it proactively (the desk's status notice and the handoff's), in their DM, in French.
    const toRequester = fake.ok('chat.postMessage').filter((c) => c.args.channel !== AGENTS_CHANNEL);
    expect(toRequester.every((c) => c.args.channel === hugo.dm)).toBe(true);
    expect(toRequester.map((c) => c.args.text)).toContainEqual(expect.stringMatching(/Nadia Benali .*a pris votre ticket #\d+/));
    expect(calls()[0]).toEqual(['users.info', { user: nadia.id, include_locale: 'true' }]);
    fake.reset();

    // The agent answers in the card's thread: the core gets it as a channel message of that thread.
    const reply = threadReplyEvent(nadia.id, AGENTS_CHANNEL, cardTs, 'Pouvez-vous redémarrer le client VPN ? <@U0X>', BOT.userId);
    expect((await send(url, prepareEvent(reply))).status).toBe(200);
    const [relayed] = await fake.waitForOk('chat.postMessage', 1);
    expect(relayed!.args.channel).toBe(hugo.dm);
    expect(relayed!.args.text).toContain('Pouvez-vous redémarrer le client VPN ? @U0X');
    const threadReference = { teamId: TEAM, channel: AGENTS_CHANNEL, threadTs: cardTs };
    expect(received.at(-1)).toMatchObject({
      channel: 'slack',
      tenantId: TEAM,
      user: { externalId: nadia.id },
      conversation: { externalId: `${AGENTS_CHANNEL}:${cardTs}`, kind: 'channel', reference: threadReference },
      text: 'Pouvez-vous redémarrer le client VPN ? @U0X',
    });
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { channel: 'slack', externalId: `${AGENTS_CHANNEL}:${cardTs}` } });
    expect(conversation).toMatchObject({ tenantId: TEAM, userId: null, reference: threadReference });
    await settle();
    // The relay says nothing back in the thread.
    expect(fake.ok('chat.postMessage')).toHaveLength(1);
  });

  it('leaves a thread that is not under one of Guichet’s posts alone', async () => {
    const ivan = someone('Ivan Roy', 'fr-FR');
    await send(url, prepareEvent(threadReplyEvent(ivan.id, AGENTS_CHANNEL, '1600000000.000001', 'hello', 'U0SOMEONE')));
    await settle();
    expect(fake.calls).toEqual([]);
  });
});
