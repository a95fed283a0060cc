/**
 * Teams over real HTTP: the running server (botbuilder + teams-ai, auth off as in development)
 * receives Teams-shaped activities whose serviceUrl is a local fake Bot Connector, and the tests
 * check the exact activities the connector receives and what the database holds.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTeamsChannel } from '../../src/channels/teams/index.ts';
import { loadConfig } from '../../src/config.ts';
import { isGuichetError } from '../../src/core/errors.ts';
import { say } from '../../src/texts/index.ts';
import { start, type Running } from '../../src/main.ts';
import { PrismaConversationStore } from '../../src/persistence/stores/conversations.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { channelActivity, personalActivity, postActivity, TEAMS_BOT, TEAMS_TENANT, teamsPerson, type TeamsPerson } from '../helpers/teams-activity.ts';

const TENANT = TEAMS_TENANT;
const FOREIGN_TENANT = 'tenant-fabrikam';
const BOT = TEAMS_BOT;
const CHANNEL_THREAD = '19:agents@thread.tacv2;messageid=1700000000000';
type Person = TeamsPerson;

let running: Running;
let testDb: TestDatabase;
let fake: FakeBotConnector;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeBotConnector.start();
  running = await start(
    loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web,teams', TEAMS_TENANT_IDS: TENANT }),
  );
});

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
  await testDb?.cleanup();
});

beforeEach(() => fake.reset());

const person = (name: string, locale: string): Person => teamsPerson(name, locale);
const personal = (who: Person, fields: Record<string, unknown>, tenant = TENANT) => personalActivity(fake.url, who, fields, tenant);
/** A message in a team channel thread, @mentioning the bot unless `mention` is false. */
const inChannel = (who: Person, text: string, mention = true) =>
  channelActivity(fake.url, who, { thread: CHANNEL_THREAD, teamId: '19:team@thread.tacv2', channelId: '19:agents@thread.tacv2' }, text, mention);
const post = (activity: unknown, headers: Record<string, string> = {}, url = running.url) => postActivity(url, activity, headers);

/** The reply botbuilder builds for `activity`, with Guichet's fields. */
function replyTo(activity: Record<string, any>, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'message',
    serviceUrl: fake.url,
    channelId: 'msteams',
    from: BOT,
    recipient: activity.from,
    conversation: activity.conversation,
    locale: activity.locale,
    replyToId: activity.id,
    ...fields,
  };
}

const LANGUAGE_CARD = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Langue / Language' }] }],
    actions: [
      { type: 'Action.Submit', title: 'Français', data: { verb: 'choice', value: 'français' } },
      { type: 'Action.Submit', title: 'English', data: { verb: 'choice', value: 'english' } },
    ],
  },
};

async function transcriptOf(conversationExternalId: string): Promise<{ direction: string; text: string }[]> {
  const rows = await testDb.db.client.message.findMany({
    where: { conversation: { channel: 'teams', externalId: conversationExternalId } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => ({ direction: r.direction, text: r.text }));
}

async function userIdOf(who: Person): Promise<string> {
  const identity = await testDb.db.client.identity.findFirstOrThrow({ where: { platform: 'teams', externalId: `aad-${who.key}` } });
  return identity.userId;
}

describe('Teams channel over HTTP', () => {
  it('greets "bonjour" in French in a personal chat', async () => {
    const alice = person('Alice Martin', 'fr-FR');
    const activity = personal(alice, { text: 'bonjour' });
    const response = await post(activity);
    expect(response.status).toBe(200);
    expect(fake.activities({ includeTyping: true })).toEqual([
      replyTo(activity, {
        textFormat: 'markdown',
        text: 'Bonjour Alice ! Je suis Guichet, l’assistant du support informatique. Décrivez votre problème en quelques mots, ou tapez « aide » pour voir ce que je sais faire.',
      }),
    ]);
    expect(fake.activityAttempts().map((r) => r.path)).toEqual([`/v3/conversations/${encodeURIComponent(`a:${alice.key}`)}/activities/${activity.id}`]);
  });

  it('greets "hello" in English', async () => {
    const bob = person('Bob Smith', 'en-US');
    const activity = personal(bob, { text: 'hello' });
    expect((await post(activity)).status).toBe(200);
    expect(fake.activities()).toEqual([
      replyTo(activity, {
        textFormat: 'markdown',
        text: 'Hello Bob! I’m Guichet, the IT service desk assistant. Describe your problem in a few words, or type “help” to see what I can do.',
      }),
    ]);
  });

  it('answers "aide" with the help and an Adaptive Card with the two language buttons', async () => {
    const activity = personal(person('Chloé Durand', 'fr-FR'), { text: 'aide' });
    expect((await post(activity)).status).toBe(200);
    expect(fake.activities()).toEqual([
      replyTo(activity, {
        textFormat: 'markdown',
        // The help's words belong to the core; this test checks how Teams carries them.
        text: say('fr', 'core.help'),
      }),
      replyTo(activity, { attachments: [LANGUAGE_CARD] }),
    ]);
  });

  it('turns a press on the card’s "English" button into the language switch', async () => {
    const dana = person('Dana Petit', 'fr-FR');
    await post(personal(dana, { text: 'aide' }));
    fake.reset();
    const submit = personal(dana, { value: { verb: 'choice', value: 'english' }, replyToId: 'card-activity-1' });
    expect((await post(submit)).status).toBe(200);
    expect(fake.activities()).toEqual([replyTo(submit, { textFormat: 'markdown', text: 'Sure, I’ll continue in English.' })]);
    expect((await transcriptOf(`a:${dana.key}`)).slice(-2)).toEqual([
      { direction: 'in', text: 'english' },
      { direction: 'out', text: 'Sure, I’ll continue in English.' },
    ]);
  });

  it('answers an @mention in a channel in that thread, without the mention', async () => {
    const eve = person('Eve Laurent', 'en-US');
    const activity = inChannel(eve, 'hello');
    expect((await post(activity)).status).toBe(200);
    expect(fake.activities()).toEqual([
      replyTo(activity, {
        textFormat: 'markdown',
        text: 'Hello Eve! I’m Guichet, the IT service desk assistant. Describe your problem in a few words, or type “help” to see what I can do.',
      }),
    ]);
    expect(fake.activityAttempts()[0]!.conversationId).toBe(CHANNEL_THREAD);
    expect(fake.activityAttempts()[0]!.path).toBe(`/v3/conversations/${encodeURIComponent(CHANNEL_THREAD)}/activities/${activity.id}`);
    expect((await transcriptOf(CHANNEL_THREAD)).at(-2)).toEqual({ direction: 'in', text: 'hello' });
  });

  it('ignores a channel message that does not mention the bot', async () => {
    const activity = inChannel(person('Frank Moreau', 'fr-FR'), 'bonjour tout le monde', false);
    expect((await post(activity)).status).toBe(200);
    expect(fake.requests).toEqual([]);
    expect(await testDb.db.client.processedDelivery.count({ where: { channel: 'teams', deliveryId: activity.id } })).toBe(0);
  });

  it('processes a redelivered activity once and still answers 200', async () => {
    const gus = person('Gus Bernard', 'fr-FR');
    const activity = personal(gus, { text: 'bonjour' });
    expect((await post(activity)).status).toBe(200);
    expect((await post(activity)).status).toBe(200);
    expect(fake.activities()).toHaveLength(1);
    expect(await testDb.db.client.message.count({ where: { deliveryId: activity.id } })).toBe(2);
    expect(await testDb.db.client.processedDelivery.count({ where: { channel: 'teams', deliveryId: activity.id } })).toBe(1);
    expect(await transcriptOf(`a:${gus.key}`)).toHaveLength(2);
  });

  it('answers once when the redelivery arrives while the first delivery is still being processed', async () => {
    const hana = person('Hana Vidal', 'fr-FR');
    const activity = personal(hana, { text: 'aide' });
    const statuses = await Promise.all([post(activity), post(activity), post(activity)]);
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(fake.activities()).toHaveLength(2); // the help and its card, once
    expect(await transcriptOf(`a:${hana.key}`)).toHaveLength(3);
  });

  it('serves only the tenants in TEAMS_TENANT_IDS: a foreign one gets no reply and nothing is stored', async () => {
    const mallory = person('Mallory', 'en-US');
    const counts = async () => [
      await testDb.db.client.user.count(),
      await testDb.db.client.identity.count({ where: { tenantId: FOREIGN_TENANT } }),
      await testDb.db.client.conversation.count({ where: { tenantId: FOREIGN_TENANT } }),
      await testDb.db.client.message.count(),
      await testDb.db.client.processedDelivery.count(),
    ];
    const before = await counts();
    const activity = personal(mallory, { text: 'hello' }, FOREIGN_TENANT);
    expect((await post(activity)).status).toBe(200);
    // Tenant known only from channelData (older payloads): still refused.
    const viaChannelData = personal(mallory, { text: 'hello', conversation: { id: `a:${mallory.key}`, conversationType: 'personal' } }, FOREIGN_TENANT);
    expect((await post(viaChannelData)).status).toBe(200);
    expect(fake.requests).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('recognises on first contact, by the e-mail Teams vouches for, a person the configuration knows (an agent keeps their role)', async () => {
    const nadia = person('Nadia Benali', 'fr-FR');
    fake.addMember(`29:${nadia.key}`, { name: 'Nadia Benali', aadObjectId: `aad-${nadia.key}`, email: 'Nadia.Benali@example.org', userPrincipalName: 'nadia.benali@example.org' });
    expect((await post(personal(nadia, { text: 'bonjour' }))).status).toBe(200);
    const user = await testDb.db.client.user.findUniqueOrThrow({ where: { id: await userIdOf(nadia) } });
    expect(user).toMatchObject({ email: 'nadia.benali@example.org', role: 'agent' });
    expect(fake.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([
      `/v3/conversations/${encodeURIComponent(`a:${nadia.key}`)}/members/${encodeURIComponent(`29:${nadia.key}`)}`,
    ]);
    // A person Teams knows nothing more about is an employee without e-mail.
    const olga = person('Olga Nowak', 'en-US');
    await post(personal(olga, { text: 'hello' }));
    expect(await testDb.db.client.user.findUniqueOrThrow({ where: { id: await userIdOf(olga) } })).toMatchObject({ email: null, role: 'employee' });
  });

  it('stores hostile text byte for byte', async () => {
    const hugo = person('Hugo Roux', 'en-US');
    const hostile = '**x** <at>y</at> [a](javascript:alert(1)) <img src=x onerror=alert(1)> e\u0301 👩🏽‍💻';
    await post(personal(hugo, { text: hostile }));
    expect((await transcriptOf(`a:${hugo.key}`))[0]).toEqual({ direction: 'in', text: hostile });
  });

  it('answers malformed and oversized bodies with 4xx, running nothing', async () => {
    const before = await testDb.db.client.message.count();
    const broken = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": ' });
    expect(broken.status).toBe(400);
    const notActivity = await post({ type: 42 });
    expect(notActivity.status).toBe(400);
    const huge = await post(personal(person('Big', 'en-US'), { text: 'x'.repeat(300_000) }));
    expect(huge.status).toBe(413);
    expect(fake.requests).toEqual([]);
    expect(await testDb.db.client.message.count()).toBe(before);
  });
});

describe('Teams proactive sends', () => {
  const sleeps: number[] = [];
  const sender = () =>
    createTeamsChannel({
      config: { MicrosoftAppType: 'MultiTenant', TEAMS_TENANT_IDS: [] },
      turn: () => Promise.reject(new Error('not used')),
      log: pino({ level: 'silent' }),
      retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    }).sender;

  async function referenceOf(who: Person): Promise<unknown> {
    await post(personal(who, { text: 'bonjour' }));
    fake.reset();
    const reachable = await new PrismaConversationStore(testDb.db).reachableAt(await userIdOf(who));
    expect(reachable.map((r) => r.channel)).toEqual(['teams']);
    return reachable[0]!.reference;
  }

  beforeEach(() => {
    sleeps.length = 0;
  });

  it('reaches a user at their stored reference, waiting out a 429 as Retry-After says', async () => {
    const ines = person('Inès Garnier', 'fr-FR');
    const reference = await referenceOf(ines);
    fake.failNext(1, { status: 429, retryAfterSeconds: 2 });
    await sender().send(reference, [{ type: 'text', text: 'Votre ticket #42 est résolu.' }]);

    const attempts = fake.activityAttempts();
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(sleeps).toEqual([2100]); // Retry-After 2 s, plus 10 % × 0.5 jitter
    expect(attempts[1]!.conversationId).toBe(`a:${ines.key}`);
    expect(fake.activities()).toEqual([
      {
        type: 'message',
        serviceUrl: fake.url,
        channelId: 'msteams',
        from: BOT,
        recipient: { id: `29:${ines.key}`, aadObjectId: `aad-${ines.key}`, name: ines.name },
        conversation: { id: `a:${ines.key}`, conversationType: 'personal', tenantId: TENANT },
        locale: 'fr-FR',
        replyToId: expect.any(String),
        textFormat: 'markdown',
        text: 'Votre ticket #42 est résolu.',
      },
    ]);
  });

  it('gives up after 5 attempts with a coded error when the connector keeps failing', async () => {
    const reference = await referenceOf(person('Jules Faure', 'fr-FR'));
    fake.failAlways({ status: 502 });
    const error = await sender()
      .send(reference, [{ type: 'text', text: 'Votre ticket est résolu.' }])
      .then(() => undefined, (err: unknown) => err);
    expect(isGuichetError(error) && error.code).toBe('teams.send-failed');
    expect((error as Error).message).toBe('teams: sending message 1 of 1 failed: HTTP 502, 5 attempts');
    // Exactly 5 requests: the SDK's own retries are off, this policy is the only one.
    expect(fake.activityAttempts()).toHaveLength(5);
    expect(sleeps).toEqual([375, 750, 1500, 3000]); // 500 × 2^n with equal jitter at 0.5
  });

  it('renders hostile text literally: no bold, no mention, no link', async () => {
    const reference = await referenceOf(person('Karim Blanc', 'en-US'));
    await sender().send(reference, [{ type: 'text', text: '**x** <at>y</at> [a](javascript:alert(1))' }]);
    const [sent] = fake.activities();
    expect(sent.text).toBe('\\*\\*x\\*\\* &lt;at&gt;y&lt;/at&gt; \\[a\\](javascript:alert(1))');
    expect(sent.textFormat).toBe('markdown');
    expect(sent.entities).toBeUndefined();
  });

  it('refuses a reference it cannot use, with a coded error', async () => {
    await expect(sender().send({ conversation: { id: 'a:x' } }, [{ type: 'text', text: 'x' }])).rejects.toMatchObject({
      code: 'teams.invalid-reference',
    });
  });
});

describe('Teams with an app id configured', () => {
  let secured: Running;
  let securedDb: TestDatabase;

  beforeAll(async () => {
    securedDb = await createTestDatabase();
    secured = await start(
      loadConfig({
        DATABASE_URL: securedDb.url,
        PORT: '0',
        LOG_LEVEL: 'silent',
        CHANNELS: 'teams',
        MicrosoftAppId: '00000000-0000-4000-8000-000000000b07',
        MicrosoftAppPassword: 'not-a-real-secret',
      }),
    );
  });

  afterAll(async () => {
    await secured?.stop();
    await securedDb?.cleanup();
  });

  it('answers an unsigned or forged POST with 401 and runs nothing', async () => {
    const activity = personal(person('Eve Forger', 'en-US'), { text: 'hello' });
    expect((await post(activity, {}, secured.url)).status).toBe(401);
    expect((await post(activity, { authorization: 'Bearer not.a.jwt' }, secured.url)).status).toBe(401);
    expect(fake.requests).toEqual([]);
    expect(await securedDb.db.client.processedDelivery.count()).toBe(0);
    expect(await securedDb.db.client.identity.count()).toBe(0);
    expect(await securedDb.db.client.message.count()).toBe(0);
  });
});
