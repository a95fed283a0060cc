/**
 * Slack over real HTTP: the running server (Bolt's ExpressReceiver on /slack/events, real
 * @slack/web-api client) receives correctly signed Slack requests, its Web API calls go to a local
 * fake Slack API, and the tests check the exact calls Slack would receive and what the database
 * holds. Replies are posted after the 200 (Slack's ack), so the tests wait for the calls.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChannel } from '../../src/channels/slack/channel.ts';
import type { SlackReference } from '../../src/channels/slack/inbound.ts';
import { loadConfig } from '../../src/config.ts';
import { isGuichetError } from '../../src/core/errors.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { BOT, FakeSlackApi, type FakeUser } from '../helpers/fake-slack-api.ts';
import {
  SIGNING_SECRET,
  TEAM,
  buttonClick,
  dmEvent,
  mentionEvent,
  prepareAction,
  prepareCommand,
  prepareEvent,
  send,
  slashCommand,
} from '../helpers/slack-signing.ts';

let running: Running;
let testDb: TestDatabase;
let fake: FakeSlackApi;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeSlackApi.start();
  running = await start(
    loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      CHANNELS: 'web,slack',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_TEAM_IDS: TEAM,
      DATABASE_URL: testDb.url,
    }),
  );
  // The first request makes the one auth.test of the process; keep it out of the per-test call lists.
  const warmUp = someone('Warm Up', 'en-US');
  await send(running.url, prepareEvent(dmEvent(warmUp.id, 'hello')));
  await fake.waitForOk('chat.postMessage', 1);
});

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

beforeEach(() => fake.reset());

/** A new Slack user of the served workspace, known to the fake's users.info. */
function someone(realName: string, locale: string, extra: Partial<FakeUser> = {}): FakeUser & { dm: string } {
  const id = `U${randomBytes(5).toString('hex').toUpperCase()}`;
  const user: FakeUser = { id, team_id: TEAM, name: realName.toLowerCase(), real_name: realName, tz: 'Europe/Paris', locale, profile: { real_name: realName, email: `${id.toLowerCase()}@acme.test` }, ...extra };
  fake.addUser(user);
  return { ...user, dm: `D${id.slice(1)}` };
}

/** What the server would post, without the noise: [method, args] in arrival order. */
const calls = () => fake.calls.map((c) => [c.method, c.args] as const);

async function rows() {
  const c = testDb.db.client;
  const [users, identities, conversations, messages, deliveries] = await Promise.all([
    c.user.count(),
    c.identity.count(),
    c.conversation.count(),
    c.message.count(),
    c.processedDelivery.count(),
  ]);
  return { users, identities, conversations, messages, deliveries };
}

/** Waits long enough for an accepted request to have reached the fake (used before asserting "nothing happened"). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('Slack direct messages', () => {
  it('answers "bonjour" in French with one users.info and one chat.postMessage in the DM', async () => {
    const alice = someone('Alice Martin', 'fr-FR');
    const response = await send(running.url, prepareEvent(dmEvent(alice.id, 'bonjour')));
    expect(response.status).toBe(200);
    await fake.waitForOk('chat.postMessage', 1);
    expect(calls()).toEqual([
      ['users.info', { user: alice.id, include_locale: 'true' }],
      ['chat.postMessage', { channel: alice.dm, text: expect.stringMatching(/^Bonjour Alice ! Je suis Guichet/) }],
    ]);
    expect(fake.calls.every((c) => c.authorization === 'Bearer xoxb-test')).toBe(true);

    const user = await testDb.db.client.user.findFirstOrThrow({ where: { identities: { some: { platform: 'slack', tenantId: TEAM, externalId: alice.id } } } });
    expect(user).toMatchObject({ displayName: 'Alice Martin', email: `${alice.id.toLowerCase()}@acme.test`, locale: 'fr', timeZone: 'Europe/Paris' });
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { channel: 'slack', externalId: alice.dm } });
    expect(conversation).toMatchObject({ kind: 'personal', tenantId: TEAM, userId: user.id, reference: { teamId: TEAM, channel: alice.dm } });
  });

  it('answers "hello" in English, and fetches the profile once per user', async () => {
    const bob = someone('Bob Stone', 'en-US');
    await send(running.url, prepareEvent(dmEvent(bob.id, 'hello')));
    await fake.waitForOk('chat.postMessage', 1);
    await send(running.url, prepareEvent(dmEvent(bob.id, 'hello')));
    await fake.waitForOk('chat.postMessage', 2);
    expect(calls()).toEqual([
      ['users.info', { user: bob.id, include_locale: 'true' }],
      ['chat.postMessage', { channel: bob.dm, text: expect.stringMatching(/^Hello Bob! I’m Guichet/) }],
      ['chat.postMessage', { channel: bob.dm, text: 'Hello again Bob! What can I do for you?' }],
    ]);
  });

  it('answers "aide" with the help in mrkdwn and the language buttons', async () => {
    const chloe = someone('Chloé Durand', 'fr-FR');
    await send(running.url, prepareEvent(dmEvent(chloe.id, 'aide')));
    const posts = await fake.waitForOk('chat.postMessage', 2);
    expect(posts[0]!.args).toEqual({ channel: chloe.dm, text: expect.stringMatching(/^\*Ce que je sais faire\*\n\n• Répondre/) });
    expect(posts[1]!.args).toEqual({
      channel: chloe.dm,
      text: 'Langue / Language',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Langue / Language' } },
        {
          type: 'actions',
          block_id: 'guichet-choices',
          elements: [
            { type: 'button', action_id: 'choice:0', text: { type: 'plain_text', text: 'Français', emoji: true }, value: 'français' },
            { type: 'button', action_id: 'choice:1', text: { type: 'plain_text', text: 'English', emoji: true }, value: 'english' },
          ],
        },
      ],
    });
  });

  it('turns a click on "English" into the switch reply, in the DM', async () => {
    const dan = someone('Dan Roux', 'fr-FR');
    await send(running.url, prepareEvent(dmEvent(dan.id, 'aide')));
    await fake.waitForOk('chat.postMessage', 2);
    fake.reset();
    const click = buttonClick(dan.id, 1, 'english', 'English', { channel: dan.dm, messageTs: '1700000000.000002' });
    const response = await send(running.url, prepareAction(click));
    expect(response.status).toBe(200);
    await fake.waitForOk('chat.postMessage', 1);
    expect(calls()).toEqual([['chat.postMessage', { channel: dan.dm, text: 'Sure, I’ll continue in English.' }]]);
    const user = await testDb.db.client.user.findFirstOrThrow({ where: { identities: { some: { externalId: dan.id } } } });
    expect(user.locale).toBe('en');
    const line = await testDb.db.client.message.findFirstOrThrow({ where: { deliveryId: { startsWith: 'action:' }, userId: user.id, direction: 'in' } });
    expect(line.text).toBe('english');
  });

  it('ignores bot messages, edits and other subtypes (200, nothing posted, nothing stored)', async () => {
    const eve = someone('Eve Blanc', 'fr-FR');
    const before = await rows();
    for (const fields of [{ subtype: 'message_changed' }, { subtype: 'bot_message', bot_id: 'B0OTHER' }, { bot_id: BOT.botId }, { user: BOT.userId }]) {
      expect((await send(running.url, prepareEvent(dmEvent(eve.id, 'bonjour', fields)))).status).toBe(200);
    }
    await settle();
    expect(fake.calls).toEqual([]);
    expect(await rows()).toEqual(before);
  });

  it('answers a reply in a DM thread inside that thread', async () => {
    const fred = someone('Fred Petit', 'fr-FR');
    await send(running.url, prepareEvent(dmEvent(fred.id, 'merci', { thread_ts: '1710000000.000001' })));
    await fake.waitForOk('chat.postMessage', 1);
    expect(calls().filter(([m]) => m === 'chat.postMessage')).toEqual([
      ['chat.postMessage', { channel: fred.dm, thread_ts: '1710000000.000001', text: 'Avec plaisir ! Autre chose ?' }],
    ]);
  });
});

describe('Slack channels and the /guichet command', () => {
  it('answers an @mention in the thread of the mention, with the mention removed', async () => {
    const gina = someone('Gina Moreau', 'fr-FR');
    const event = mentionEvent(gina.id, 'C0SUPPORT', `<@${BOT.userId}> aide`);
    await send(running.url, prepareEvent(event));
    await fake.waitForOk('chat.postMessage', 2);
    const posts = calls().filter(([m]) => m === 'chat.postMessage');
    expect(posts.map(([, a]) => [a.channel, a.thread_ts])).toEqual([
      ['C0SUPPORT', event.event.ts],
      ['C0SUPPORT', event.event.ts],
    ]);
    expect(posts[0]![1].text).toMatch(/^\*Ce que je sais faire\*/);
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { externalId: `C0SUPPORT:${event.event.ts}` } });
    expect(conversation).toMatchObject({ userId: null, reference: { teamId: TEAM, channel: 'C0SUPPORT', threadTs: event.event.ts } });
    const inbound = await testDb.db.client.message.findFirstOrThrow({ where: { conversationId: conversation.id, direction: 'in' } });
    expect(inbound.text).toBe('aide');
  });

  it('answers a mention inside an existing thread in that thread', async () => {
    const hugo = someone('Hugo Faure', 'en-US');
    const event = mentionEvent(hugo.id, 'C0SUPPORT', `thanks <@${BOT.userId}>`, { thread_ts: '1710000000.123456' });
    await send(running.url, prepareEvent(event));
    await fake.waitForOk('chat.postMessage', 1);
    expect(fake.ok('chat.postMessage').map((c) => c.args)).toEqual([
      { channel: 'C0SUPPORT', thread_ts: '1710000000.123456', text: 'You’re welcome! Anything else?' },
    ]);
  });

  it('answers /guichet <text> typed in a channel in the user’s DM, with a private pointer where it was typed', async () => {
    const ines = someone('Inès Garnier', 'fr-FR');
    const response = await send(running.url, prepareCommand(slashCommand(ines.id, 'aide', { responseUrl: fake.responseUrl('cmd-help') })));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await fake.waitForOk('response_url', 1);
    expect(calls()).toEqual([
      ['users.info', { user: ines.id, include_locale: 'true' }],
      ['conversations.open', { users: ines.id }],
      ['chat.postMessage', { channel: ines.dm, text: expect.stringMatching(/^\*Ce que je sais faire\*/) }],
      ['chat.postMessage', { channel: ines.dm, text: 'Langue / Language', blocks: expect.any(Array) }],
      ['response_url', { id: 'cmd-help', response_type: 'ephemeral', replace_original: false, text: 'Je vous ai répondu dans nos messages directs.' }],
    ]);
    // The command is a turn of the user's personal conversation (their DM with Guichet).
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { externalId: ines.dm } });
    expect(conversation.reference).toEqual({ teamId: TEAM, channel: ines.dm });
  });

  it('opens the ticket form for /guichet alone (the server wires the ticket desk)', async () => {
    const ivy = someone('Ivy Morel', 'en-US');
    await send(running.url, prepareCommand(slashCommand(ivy.id, '', { responseUrl: fake.responseUrl('cmd-empty') })));
    await fake.waitForOk('views.open', 1);
    expect(calls().map(([method]) => method)).toEqual(['users.info', 'views.open']);
    expect(fake.ok('views.open')[0]!.args.view).toMatchObject({ type: 'modal', callback_id: expect.any(String) });
  });

  it('answers /guichet aide typed in the DM with Guichet as ordinary DM messages', async () => {
    const jules = someone('Jules Henry', 'en-US');
    await send(running.url, prepareCommand(slashCommand(jules.id, 'aide', { channel: jules.dm, responseUrl: fake.responseUrl('cmd-dm') })));
    await fake.waitForOk('chat.postMessage', 2);
    expect(calls().map(([m, a]) => [m, a.channel])).toEqual([
      ['users.info', undefined],
      ['conversations.open', undefined],
      ['chat.postMessage', jules.dm],
      ['chat.postMessage', jules.dm],
    ]);
    expect(fake.ok('chat.postMessage')[0]!.args.text).toMatch(/^\*Ce que je sais faire\*/);
  });

  it('answers a click on an ephemeral message through its response_url', async () => {
    const kim = someone('Kim Leroy', 'fr-FR');
    const click = buttonClick(kim.id, 1, 'english', 'English', { channel: 'C0GENERAL', ephemeral: true, responseUrl: fake.responseUrl('click-eph') });
    expect((await send(running.url, prepareAction(click))).status).toBe(200);
    await fake.waitForOk('response_url', 1);
    expect(fake.ok('response_url').map((c) => c.args)).toEqual([
      { id: 'click-eph', response_type: 'ephemeral', replace_original: false, text: 'Sure, I’ll continue in English.' },
    ]);
  });
});

describe('Slack deliveries: retries, workspaces, Slack Connect', () => {
  it('posts once when Slack redelivers an event (same event_id, x-slack-retry-num)', async () => {
    const leo = someone('Léo Marchand', 'fr-FR');
    const event = dmEvent(leo.id, 'bonjour');
    const before = await rows();
    const [first, retry] = await Promise.all([
      send(running.url, prepareEvent(event)),
      send(running.url, prepareEvent(event, { skewSeconds: 1, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })),
    ]);
    expect([first.status, retry.status]).toEqual([200, 200]);
    await fake.waitForOk('chat.postMessage', 1);
    const late = await send(running.url, prepareEvent(event, { skewSeconds: 2, headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } }));
    expect(late.status).toBe(200);
    await settle();
    expect(fake.ok('chat.postMessage')).toHaveLength(1);
    const after = await rows();
    expect(after.deliveries - before.deliveries).toBe(1);
    expect(after.messages - before.messages).toBe(2);
  });

  it('ignores events, clicks and commands from another workspace (200, nothing stored)', async () => {
    const mia = someone('Mia Other', 'en-US', { team_id: 'T0OTHER' });
    const before = await rows();
    const responses = await Promise.all([
      send(running.url, prepareEvent(dmEvent(mia.id, 'hello', { team: 'T0OTHER' }, { team: 'T0OTHER' }))),
      send(running.url, prepareEvent(mentionEvent(mia.id, 'C0THEIRS', `<@${BOT.userId}> help`, {}, { team: 'T0OTHER' }))),
      send(running.url, prepareAction(buttonClick(mia.id, 1, 'english', 'English', { team: 'T0OTHER' }))),
      send(running.url, prepareCommand(slashCommand(mia.id, 'help', { team: 'T0OTHER', responseUrl: fake.responseUrl('foreign') }))),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await settle();
    expect(fake.calls).toEqual([]);
    expect(await rows()).toEqual(before);
  });

  it('ignores external Slack Connect users and externally shared channels', async () => {
    const partner = someone('Pat Partner', 'en-US', { team_id: 'T0PARTNER' });
    const before = await rows();
    const responses = await Promise.all([
      // An external user mentioning Guichet in a channel shared with their organisation.
      send(running.url, prepareEvent(mentionEvent(partner.id, 'C0SHARED', `<@${BOT.userId}> help`, { user_team: 'T0PARTNER', source_team: 'T0PARTNER' }, { extra: { is_ext_shared_channel: true } }))),
      // The same without the channel flag: the user's team alone is enough.
      send(running.url, prepareEvent(mentionEvent(partner.id, 'C0SHARED', `<@${BOT.userId}> help`, { user_team: 'T0PARTNER' }))),
      // One of our own people in an externally shared channel: outsiders would read the answer.
      send(running.url, prepareEvent(mentionEvent('U0OURS', 'C0SHARED', `<@${BOT.userId}> help`, { user_team: TEAM }, { extra: { is_ext_shared_channel: true } }))),
      // An external user clicking one of Guichet's buttons.
      send(running.url, prepareAction(buttonClick(partner.id, 1, 'english', 'English', { channel: 'C0SHARED', userTeam: 'T0PARTNER' }))),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await settle();
    expect(fake.calls).toEqual([]);
    expect(await rows()).toEqual(before);
  });
});

describe('Slack request signatures', () => {
  const cases: [string, Parameters<typeof prepareEvent>[1]][] = [
    ['no signature headers', { unsigned: true }],
    ['a body changed by one byte', { tamper: (body) => body.replace('"bonjour"', '"bonjouR"') }],
    ['a v1= prefix', { signature: 'v1=' + '0'.repeat(64) }],
    ['the right HMAC under a v1= prefix', { prefix: 'v1=' }],
    ['a signature without its prefix', { prefix: '' }],
    ['a timestamp 301 s old', { skewSeconds: -301 }],
    // The exact ±300 s boundary is checked with a fixed clock in slack-verify.test.ts; over HTTP, a
    // loaded machine can take a second between signing and checking, so keep a few seconds' margin.
    ['a timestamp 305 s in the future', { skewSeconds: 305 }],
    ['another signing secret', { secret: 'not-the-secret' }],
    ['a timestamp that is not a number', { timestamp: 'now' }],
  ];

  it.each(cases)('refuses %s with 401, nothing posted or written', async (_name, options) => {
    const nora = someone('Nora Vidal', 'fr-FR');
    const before = await rows();
    const response = await send(running.url, prepareEvent(dmEvent(nora.id, 'bonjour'), options));
    expect(response.status).toBe(401);
    await settle();
    expect(fake.calls).toEqual([]);
    expect(await rows()).toEqual(before);
  });

  it('accepts a timestamp 295 s old and 299 s in the future', async () => {
    const olga = someone('Olga Simon', 'fr-FR');
    expect((await send(running.url, prepareEvent(dmEvent(olga.id, 'bonjour'), { skewSeconds: -295 }))).status).toBe(200);
    expect((await send(running.url, prepareEvent(dmEvent(olga.id, 'merci'), { skewSeconds: 299 }))).status).toBe(200);
    await fake.waitForOk('chat.postMessage', 2);
  });

  it('refuses an exact replay of a signed request with 401 and changes nothing', async () => {
    const paul = someone('Paul Robin', 'fr-FR');
    const request = prepareEvent(dmEvent(paul.id, 'bonjour'));
    expect((await send(running.url, request)).status).toBe(200);
    await fake.waitForOk('chat.postMessage', 1);
    const before = await rows();
    fake.reset();
    expect((await send(running.url, request)).status).toBe(401);
    const command = prepareCommand(slashCommand(paul.id, 'aide', { responseUrl: fake.responseUrl('replayed') }));
    expect((await send(running.url, command)).status).toBe(200);
    await fake.waitForOk('response_url', 1);
    const afterCommand = await rows();
    fake.reset();
    expect((await send(running.url, command)).status).toBe(401);
    await settle();
    expect(fake.calls).toEqual([]);
    expect(await rows()).toEqual(afterCommand);
    expect(afterCommand.deliveries - before.deliveries).toBe(1);
  });
});

describe('Slack rendering of hostile names', () => {
  it('never lets a profile name reach Slack as a mention', async () => {
    const evil = someone('<!channel> <@U0BOSS>', 'fr-FR', { profile: { real_name: '<!channel> <@U0BOSS>', display_name: '<!here>' } });
    await send(running.url, prepareEvent(dmEvent(evil.id, 'bonjour')));
    const [post] = await fake.waitForOk('chat.postMessage', 1);
    expect(post!.args.text).toMatch(/^Bonjour ! Je suis Guichet/);
    expect(post!.args.text).not.toMatch(/<[!@]/);
  });
});

describe('Slack proactive sender', () => {
  /** A virtual clock: sleep() records the wait and moves the clock at once. */
  const timer = () => {
    const sleeps: number[] = [];
    let now = 0;
    return {
      sleeps,
      timer: {
        now: () => now,
        sleep: async (ms: number) => {
          sleeps.push(ms);
          now += ms;
        },
      },
    };
  };
  const channelWith = (t: ReturnType<typeof timer>['timer'], pacing = {}) =>
    createSlackChannel({
      config: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: [TEAM] },
      turn: async () => {
        throw new Error('not used');
      },
      log: pino({ level: 'silent' }),
      timer: t,
      pacing,
      retry: { random: () => 0 },
    });

  it('sends to the stored conversation reference, waiting out a 429 (Retry-After) before succeeding', async () => {
    const quinn = someone('Quinn Laurent', 'fr-FR');
    await send(running.url, prepareEvent(dmEvent(quinn.id, 'bonjour')));
    await fake.waitForOk('chat.postMessage', 1);
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { externalId: quinn.dm } });
    fake.reset();

    const t = timer();
    const { sender } = channelWith(t.timer);
    fake.rateLimitNext('chat.postMessage', 1, 7);
    await sender.send(conversation.reference as unknown as SlackReference, [{ type: 'text', text: 'Votre ticket #42 est résolu <!channel>' }]);
    expect(fake.calls.map((c) => [c.method, c.status])).toEqual([
      ['chat.postMessage', 429],
      ['chat.postMessage', 200],
    ]);
    expect(fake.ok('chat.postMessage')[0]!.args).toEqual({ channel: quinn.dm, text: 'Votre ticket #42 est résolu &lt;!channel&gt;' });
    expect(t.sleeps).toContain(7_000);
  });

  it('gives up after a bounded number of attempts with slack.send-failed', async () => {
    const t = timer();
    const { sender } = channelWith(t.timer);
    fake.rateLimitNext('chat.postMessage', 10, 1);
    const error = await sender.send({ teamId: TEAM, channel: 'D0GONE' }, [{ type: 'text', text: 'x' }]).catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('slack.send-failed');
    expect(fake.calls).toHaveLength(5);
  });

  it('posts to one channel in order, paced after a small burst, none lost', async () => {
    const { sender } = createSlackChannel({
      config: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: [TEAM] },
      turn: async () => {
        throw new Error('not used');
      },
      log: pino({ level: 'silent' }),
      pacing: { intervalMs: 150, burst: 2 },
    });
    const reference = { teamId: TEAM, channel: 'C0AGENTS' };
    await Promise.all(Array.from({ length: 6 }, (_, i) => sender.send(reference, [{ type: 'text', text: `escalation ${i + 1}` }])));
    const posts = fake.ok('chat.postMessage');
    expect(posts.map((p) => p.args.text)).toEqual(['escalation 1', 'escalation 2', 'escalation 3', 'escalation 4', 'escalation 5', 'escalation 6']);
    // A bucket of 2 refilled every 150 ms: 6 posts take at least 4 intervals (less the first post's latency).
    expect(posts[5]!.at - posts[0]!.at).toBeGreaterThanOrEqual(4 * 150 - 50);
  });
});
