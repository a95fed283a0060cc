/**
 * Journeys of test/journeys/ through the real web chat: the requester over HTTP (POST
 * /api/web/messages, what agents say picked up from GET /api/web/notices), the agent in the
 * escalation card's Teams thread (activities to /api/messages, the fake Bot Connector). Relay both
 * ways and commands while waiting: no message between requester and agent is lost or answered by the bot.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { renderPlainText } from '../../src/core/render-text.ts';
import type { OutboundMessage } from '../../src/core/messages.ts';
import type { Running } from '../../src/main.ts';
import type { TestDatabase } from '../helpers/database.ts';
import type { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { AGENTS_CHANNEL, bruno, startWithTeamsAgent, type TeamsAgentDesk } from '../journeys/teams-agent-desk.ts';
import { Browser } from '../helpers/http.ts';
import { channelActivity } from '../helpers/teams-activity.ts';
import { check } from '../journeys/harness.ts';
import type { Journey } from '../journeys/journey.ts';
import { adapterSubset } from '../journeys/subset.ts';

let desk: TeamsAgentDesk;
let running: Running;
let testDb: TestDatabase;
let fake: FakeBotConnector;

beforeAll(async () => {
  desk = await startWithTeamsAgent('web,teams');
  ({ running, testDb, fake } = desk);
}, 60_000);

afterAll(async () => {
  await desk?.stop();
});

const post = (activity: unknown) => desk.post(activity);

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
