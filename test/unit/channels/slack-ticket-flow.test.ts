/**
 * The ticket modal's edge cases on the Slack channel (signed requests, fake Slack API) over the
 * in-memory core with the form-intake module and an in-test fake desk implementing only `create`,
 * `listForRequester` and `queueFor`: a desk slower than the ack budget (the modal closes, the card
 * still reaches the DM), a desk that fails (an error in the modal), and a channel without services
 * (no ticket desk: no modal, the help instead; a stale form says it is unavailable).
 * The real desk on a real database is exercised by test/integration/slack-tickets.test.ts.
 */
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChannel } from '../../../src/channels/slack/channel.ts';
import type { SlackService } from '../../../src/channels/slack/modal.ts';
import { GuichetError } from '../../../src/core/errors.ts';
import { handleTurn } from '../../../src/core/handle-turn.ts';
import type { CoreDeps } from '../../../src/core/handle-turn.ts';
import { MemoryConversationStore, MemoryUserDirectory } from '../../../src/core/memory-stores.ts';
import type { NewTicket, TicketView } from '../../../src/core/tickets.ts';
import { createFormIntakeModule } from '../../../src/ticketing/form-intake.ts';
import { memoryDeps } from '../../helpers/fake-channel.ts';
import { BOT, FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import { sampleTicket } from '../../helpers/samples.ts';
import { SIGNING_SECRET, TEAM, prepareAction, prepareCommand, send, slashCommand, viewSubmission } from '../../helpers/slack-signing.ts';
import { listenLocal, type Listening } from '../../helpers/http.ts';

/** A desk that records what it is asked, answering after `delayMs`, or failing. */
class FakeDesk {
  created: NewTicket[] = [];
  delayMs = 0;
  fail = false;
  async create(input: NewTicket): Promise<{ ticket: TicketView; created: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.fail) throw new GuichetError('ticketing.invalid', 'ticket: database unavailable');
    this.created.push(input);
    return { ticket: sampleTicket({ number: 5000 + this.created.length, title: input.title, status: 'new', assignee: null }), created: true };
  }
  async listForRequester(): Promise<TicketView[]> {
    return [];
  }
  async queueFor(): Promise<TicketView[]> {
    return [];
  }
}

const GOOD = { category: 'vpn', impact: '2', urgency: '2', title: 'VPN down', description: 'The VPN drops every ten minutes.' };

const SERVICES = [{ id: 'vpn', name: { fr: 'VPN', en: 'VPN' }, group: 'network', criticality: 'high' as const, keywords: { fr: ['vpn'], en: ['vpn'] } }];

let fake: FakeSlackApi;
let withDesk: { url: string; close(): Promise<void> };
let withoutDesk: { url: string; close(): Promise<void> };
let baseUrl = '';
let desk: FakeDesk;
let deps: CoreDeps;
let conversations: MemoryConversationStore;

/** A Slack channel over the in-memory core (built per test in beforeEach), offering `services` in its modal. */
async function serve(services: readonly SlackService[]): Promise<Listening> {
  const { mount } = createSlackChannel({
    config: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: [TEAM] },
    turn: (message) => handleTurn(deps, message),
    log: pino({ level: 'silent' }),
    bot: { botId: BOT.botId, botUserId: BOT.userId },
    services,
    submissionBudgetMs: 100,
  });
  const app = express();
  app.use(mount.path, mount.handler);
  return listenLocal(app);
}

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  fake.addUser({ id: 'UALICE', real_name: 'Alice Martin', locale: 'en-US', tz: 'Europe/Paris', profile: { real_name: 'Alice Martin', email: 'alice@acme.test' } });
  withDesk = await serve(SERVICES);
  withoutDesk = await serve([]);
});

afterAll(async () => {
  await withDesk.close();
  await withoutDesk.close();
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
  desk = new FakeDesk();
  conversations = new MemoryConversationStore();
  deps = memoryDeps({ users: new MemoryUserDirectory(), conversations, modules: [createFormIntakeModule({ desk, services: SERVICES })] });
  baseUrl = withDesk.url;
});

async function submit(viewId: string) {
  const response = await send(baseUrl, prepareAction(viewSubmission('UALICE', viewId, GOOD, { lang: 'en' })));
  expect(response.status).toBe(200);
  const body = await response.text();
  return body ? JSON.parse(body) : undefined;
}

describe('Slack ticket modal, edge cases', () => {
  it('closes the modal when the desk is slower than the ack budget, and still sends the card to the DM', async () => {
    desk.delayMs = 400;
    expect(await submit('VSLOW')).toBeUndefined();
    const [card] = await fake.waitForOk('chat.postMessage', 1);
    expect(card!.args.channel).toBe('DALICE');
    expect(card!.args.blocks[0].text.text).toBe('Incident #5001 VPN down');
    expect(desk.created).toEqual([
      expect.objectContaining({ title: 'VPN down', serviceId: 'vpn', category: 'vpn', impact: 2, urgency: 2, origin: 'slack:view:VSLOW', createdBy: expect.objectContaining({ kind: 'user' }) }),
    ]);
  });

  it('says in the modal that the ticket could not be created when the desk fails, and sends nothing', async () => {
    desk.fail = true;
    expect(await submit('VFAIL')).toEqual({ response_action: 'errors', errors: { description: 'The ticket could not be created. Please try again in a moment.' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.ok('chat.postMessage')).toEqual([]);
  });

  it('records the DM as the requester’s personal conversation, for later notifications', async () => {
    await submit('VREACH');
    await fake.waitForOk('chat.postMessage', 1);
    const user = await deps.users.identify({ platform: 'slack', tenantId: TEAM, externalId: 'UALICE' }, {});
    expect(await conversations.reachableAt(user.id)).toEqual([{ channel: 'slack', reference: { teamId: TEAM, channel: 'DALICE' } }]);
  });

  it('without services (no ticket desk): /guichet alone gives the help in the DM, and a stale form says tickets are unavailable', async () => {
    baseUrl = withoutDesk.url;
    await send(baseUrl, prepareCommand(slashCommand('UALICE', '', { channel: 'DALICE' })));
    await fake.waitForOk('chat.postMessage', 2);
    expect(fake.ok('views.open')).toEqual([]);
    expect(fake.ok('chat.postMessage')[0]!.args.text).toMatch(/^\*What I can do\*/);
    expect(await submit('VSTALE')).toEqual({ response_action: 'errors', errors: { description: 'Creating tickets is not available at the moment.' } });
    expect(desk.created).toEqual([]);
  });
});
