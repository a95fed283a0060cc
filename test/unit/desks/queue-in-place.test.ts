/**
 * The waiting message edited in place: as users ahead are taken, a user waiting on Slack sees one
 * message updated with chat.update, and one on Teams one activity updated with updateActivity (the
 * real Slack Web API client and botbuilder, against the fake Slack API and the fake Bot Connector);
 * the web chat, which cannot edit, gets a new message each time.
 */
import { webApi } from '@slack/bolt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSlackEditing } from '../../../src/channels/slack/editable.ts';
import { createSlackSender } from '../../../src/channels/slack/sender.ts';
import { createTeamsChannel } from '../../../src/channels/teams/index.ts';
import type { Channel } from '../../../src/core/messages.ts';
import { createNotifier } from '../../../src/core/notifier.ts';
import type { ChannelSender } from '../../../src/core/ports.ts';
import type { ContactView, TicketView } from '../../../src/core/tickets.ts';
import { openDesks, type OpenedDesks } from '../../../src/desks/open.ts';
import { FakeBotConnector } from '../../helpers/fake-bot-connector.ts';
import { FakeClock } from '../../helpers/fake-channel.ts';
import { FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import { organisation } from './fixture.ts';

let slack: FakeSlackApi;
let teams: FakeBotConnector;
let opened: OpenedDesks;
const web: string[] = [];

function ticket(number: number): TicketView {
  return {
    number, type: 'incident', title: 'VPN down', status: 'new', priority: 4, impact: 3, urgency: 2, category: 'incident', serviceId: null,
    requester: { id: `user-${number}`, displayName: `User ${number}` }, assignee: null, group: { id: 'service-desk', name: 'Service desk', level: 1 },
    responseDueAt: null, resolutionDueAt: null, slaPaused: false, responseBreached: false, resolutionBreached: false, majorIncident: null,
    createdAt: '', updatedAt: '', resolvedAt: null, resolution: null,
  };
}
const contact = (number: number): ContactView => ({
  user: { id: `user-${number}`, displayName: `User ${number}`, email: `user${number}@example.org`, department: 'Engineering', jobTitle: null, vip: false, locale: 'en' },
  assets: [], services: [], openTickets: [], recentTickets: [],
});

beforeAll(async () => {
  slack = await FakeSlackApi.start();
  teams = await FakeBotConnector.start();
  const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: webApi.LogLevel.ERROR });
  const openDm = async () => 'D0USER5';
  const slackSender = withSlackEditing(createSlackSender({ client, openDm, retry: { sleep: async () => {} } }), openDm);
  const teamsSender = createTeamsChannel({
    config: { MicrosoftAppType: 'MultiTenant', TEAMS_TENANT_IDS: [] },
    turn: async () => ({ replies: [], lang: 'en', duplicate: false, conversationId: 'c', userId: 'u' }),
    log: pino({ level: 'silent' }),
    retry: { sleep: async () => {} },
  }).sender;
  const webSender: ChannelSender = { channel: 'web', send: async (_ref, messages) => void web.push(...messages.map((m) => (m.type === 'text' ? m.text : m.type))) };
  // User 4 talks to Guichet in Teams, user 5 in Slack, user 6 in the web chat.
  const teamsRef = { serviceUrl: teams.url, channelId: 'msteams', conversation: { id: 'a:user4', conversationType: 'personal', tenantId: 't1' }, bot: { id: '28:bot' }, user: { id: '29:user4' } };
  const where: Record<string, { channel: Channel; reference: unknown }[]> = {
    'user-4': [{ channel: 'teams', reference: teamsRef }],
    'user-5': [{ channel: 'slack', reference: { teamId: 'T0ACME', userId: 'U0USER5' } }],
    'user-6': [{ channel: 'web', reference: { conversationId: 'w6' } }],
  };
  const notifier = createNotifier({ reachableAt: async (userId) => where[userId] ?? [] }, [slackSender, teamsSender, webSender], (channel, err) => {
    throw new Error(`${channel}: ${String(err)}`);
  });
  const { org } = organisation();
  opened = openDesks({
    organisation: () => org,
    clock: new FakeClock(new Date('2026-12-01T09:00:00Z')), // Tuesday 10:00 in Paris: open
    notifier,
    userByEmail: async () => undefined,
    presentAgents: async () => 1,
    members: () => 1,
    lang: 'en',
    onError: (err) => {
      throw err;
    },
  });
}, 30_000);

afterAll(async () => {
  await slack?.stop();
  await teams?.stop();
});

describe('the waiting message', () => {
  it('is posted once, then edited in place on Slack and Teams; a new message on the web chat', async () => {
    for (const n of [1, 2, 3, 4, 5, 6]) await opened.desks.escalated(ticket(n), contact(n), true);
    // Positions 4, 5, 6 → 3, 4, 5: each told in a new message.
    await opened.desks.taken(1);
    const [posted] = slack.ok('chat.postMessage');
    expect(posted!.args).toMatchObject({ channel: 'D0USER5', text: expect.stringContaining('Ticket #5: you are now number 4 in the queue') });
    const ts = posted!.response!.ts as string;
    expect((await opened.queueStore.get(5))!.messageRef).toEqual({ slack: { channel: 'D0USER5', ts } });
    const sentToTeams = teams.activities();
    expect(sentToTeams.map((a) => a.text)).toEqual([expect.stringContaining('Ticket #4: you are now number 3 in the queue')]);
    expect(web).toEqual([expect.stringContaining('Ticket #6: you are now number 5 in the queue')]);
    const teamsActivityId = ((await opened.queueStore.get(4))!.messageRef as { teams: { activityId: string } }).teams.activityId;
    expect(teamsActivityId).toMatch(/^act-\d+$/);

    // Positions move again: the same messages are edited, not sent anew (the web chat cannot edit).
    await opened.desks.taken(2);
    await opened.desks.abandon(3);
    expect(slack.ok('chat.postMessage')).toHaveLength(1);
    const updates = slack.ok('chat.update');
    expect(updates.map((u) => [u.args.channel, u.args.ts])).toEqual([
      ['D0USER5', ts],
      ['D0USER5', ts],
    ]);
    expect(updates.at(-1)!.args.text).toContain('Ticket #5: you are now number 2 in the queue');
    expect(teams.activities()).toHaveLength(1);
    const puts = teams.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => [r.conversationId, r.activityId])).toEqual([
      ['a:user4', teamsActivityId],
      ['a:user4', teamsActivityId],
    ]);
    expect(puts.at(-1)!.body.text).toContain('Ticket #4: you are now number 1 in the queue');
    expect(web).toHaveLength(3);
    expect(web.at(-1)).toContain('Ticket #6: you are now number 3 in the queue');
  });
});
