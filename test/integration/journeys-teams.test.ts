/**
 * Journeys of test/journeys/ through the real Teams adapter: activities POSTed to /api/messages (the
 * requester's personal chat, the agent's @mentions in the escalation card's channel thread), Guichet's
 * answers observed on the fake Bot Connector. Relay both ways and commands while waiting: no message
 * between requester and agent is lost or answered by the bot.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.ts';
import type { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { AGENTS_CHANNEL, bruno, startWithTeamsAgent, type TeamsAgentDesk } from '../journeys/teams-agent-desk.ts';
import { channelActivity, personalActivity, teamsPerson, type TeamsPerson } from '../helpers/teams-activity.ts';
import { check } from '../journeys/harness.ts';
import type { Journey } from '../journeys/journey.ts';
import { adapterSubset } from '../journeys/subset.ts';

let desk: TeamsAgentDesk;
let testDb: TestDatabase;
let fake: FakeBotConnector;

beforeAll(async () => {
  desk = await startWithTeamsAgent('teams');
  ({ testDb, fake } = desk);
}, 60_000);

afterAll(async () => {
  await desk?.stop();
});

const post = (activity: unknown) => desk.post(activity);

/** The words of an activity: its text, or its card's text runs and facts. */
const words = (node: any): string[] =>
  node == null ? [] : Array.isArray(node) ? node.flatMap(words) : typeof node === 'object' ? [...(typeof node.text === 'string' ? [node.text] : []), ...(typeof node.value === 'string' ? [node.value] : []), ...Object.entries(node).filter(([k]) => k !== 'text' && k !== 'value').flatMap(([, v]) => words(v))] : [];
const said = (activities: any[]) => activities.map((a) => words(a).join(' ')).join('\n');

async function play(journey: Journey, index: number): Promise<void> {
  const requester: TeamsPerson = teamsPerson(journey.requesterName ?? `Claire Requester${index}`, journey.lang === 'en' ? 'en-GB' : 'fr-FR');
  let number: number | undefined;
  let thread: string | undefined;
  const fill = (text: string) => text.replaceAll('{n}', String(number ?? 0));
  for (const [at, step] of journey.steps.entries()) {
    const where = `Teams: ${journey.name} — step ${at + 1}`;
    const before = fake.activities().length;
    if ('user' in step) await post(personalActivity(fake.url, requester, { text: fill(step.user) }));
    else if ('agent' in step) {
      if (!thread) throw new Error(`${where}: no escalation thread for #${number}`);
      await post(channelActivity(fake.url, bruno, { thread, channelId: AGENTS_CHANNEL }, fill(step.agent)));
    } else throw new Error(`${where}: only chat steps run through the adapters`);
    const made = fake.activities().slice(before);
    if (number === undefined) {
      const identity = await testDb.db.client.identity.findFirst({ where: { platform: 'teams', externalId: `aad-${requester.key}` } });
      number = (await testDb.db.client.ticket.findFirst({ where: { requesterId: identity?.userId ?? '' }, orderBy: { number: 'desc' } }))?.number;
    }
    if (number !== undefined && !thread) thread = (await testDb.db.client.escalationPost.findFirst({ where: { ticket: { number }, platform: 'teams' } }))?.threadKey?.split('|')[2];
    const inDm = said(made.filter((a) => a.conversation?.id === `a:${requester.key}`));
    const threadActivities = made.filter((a) => thread && a.conversation?.id === thread);
    const inThread = said(threadActivities);
    // Guichet's own answers to the agent, as opposed to what it relays from the requester ("Name : words").
    const toAgent = said(threadActivities.filter((a) => !/^\S.*?\s?: /.test(String(a.text ?? ''))));
    const got = 'user' in step ? inDm : toAgent;
    await check({ db: testDb } as Parameters<typeof check>[0], step, { got, thread: inThread, told: inDm, number, where, fill });
  }
}

describe('journeys through the Teams adapter', () => {
  for (const [index, journey] of adapterSubset.entries()) it(journey.name, () => play(journey, index + 1), 60_000);
});
