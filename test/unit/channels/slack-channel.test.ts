/**
 * The Slack channel on its own Express app, with the in-memory core and the fake Slack API;
 * processBeforeResponse makes every HTTP answer wait for the turn, so no polling is needed.
 */
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChannel } from '../../../src/channels/slack/channel.ts';
import { isTrustedResponseUrl } from '../../../src/channels/slack/turns.ts';
import { handleTurn, type TurnResult } from '../../../src/core/handle-turn.ts';
import type { InboundMessage } from '../../../src/core/messages.ts';
import { BOT, FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import { memoryDeps } from '../../helpers/fake-channel.ts';
import { SIGNING_SECRET, TEAM, dmEvent, eventEnvelope, mentionEvent, prepareCommand, prepareEvent, send, slashCommand } from '../../helpers/slack-signing.ts';
import { listenLocal, type Listening } from '../../helpers/http.ts';

let fake: FakeSlackApi;
let server: Listening;
let baseUrl = '';
let failTurns = false;
const seen: InboundMessage[] = [];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  fake.addUser({ id: 'UALICE', real_name: 'Alice Martin', locale: 'fr-FR', tz: 'Europe/Paris', profile: { real_name: 'Alice Martin', email: 'alice@acme.test' } });
  const deps = memoryDeps();
  const { mount } = createSlackChannel({
    config: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: [TEAM] },
    turn: async (message: InboundMessage): Promise<TurnResult> => {
      seen.push(message);
      if (failTurns) throw new Error('database down');
      return handleTurn(deps, message);
    },
    log: pino({ level: 'silent' }),
    processBeforeResponse: true,
  });
  const app = express();
  app.use(mount.path, mount.handler);
  server = await listenLocal(app);
  baseUrl = server.url;
});

afterAll(async () => {
  await server.close();
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
  seen.length = 0;
  failTurns = false;
});

describe('Slack channel', () => {
  it('answers Slack’s url_verification challenge (signed)', async () => {
    const response = await send(baseUrl, prepareEvent({ type: 'url_verification', token: 't', challenge: 'c-123' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'c-123' });
  });

  it('learns its bot user id with one auth.test and strips its own mention only', async () => {
    await send(baseUrl, prepareEvent(mentionEvent('UALICE', 'C0SUPPORT', `<@${BOT.userId}> merci <@U0BOB>`)));
    await send(baseUrl, prepareEvent(mentionEvent('UALICE', 'C0SUPPORT', `<@${BOT.userId}> merci`)));
    // url_verification (the test above) needs no authorization: this is the first and only auth.test.
    expect(fake.ok('auth.test')).toHaveLength(1);
    expect(seen.map((m) => m.text)).toEqual(['merci @U0BOB', 'merci']);
    expect(seen[0]!.user).toEqual({ externalId: 'UALICE', displayName: 'Alice Martin', email: 'alice@acme.test', locale: 'fr-FR', timeZone: 'Europe/Paris' });
  });

  it('goes on without a profile when users.info fails', async () => {
    fake.failNext('users.info', 'user_not_visible');
    await send(baseUrl, prepareEvent(dmEvent('U0NOBODY1', 'hello')));
    expect(seen[0]!.user).toEqual({ externalId: 'U0NOBODY1' });
    expect(fake.ok('chat.postMessage').map((c) => c.args.text)).toEqual([expect.stringMatching(/^Hello! I’m Guichet/)]);
  });

  it('apologises in both languages when the turn fails, and still answers 200', async () => {
    failTurns = true;
    const response = await send(baseUrl, prepareEvent(dmEvent('UALICE', 'bonjour')));
    expect(response.status).toBe(200);
    expect(fake.ok('chat.postMessage').map((c) => c.args)).toEqual([{ channel: 'DALICE', text: expect.stringMatching(/^Désolé.* \/ Sorry/) }]);
  });

  it('answers in the DM when a command’s response_url is not Slack’s', async () => {
    const response = await send(baseUrl, prepareCommand(slashCommand('UALICE', 'merci', { responseUrl: 'https://evil.example/steal' })));
    expect(response.status).toBe(200);
    expect(fake.calls.map((c) => c.method)).toEqual(['conversations.open', 'chat.postMessage']);
    expect(fake.ok('chat.postMessage')[0]!.args).toEqual({ channel: 'DALICE', text: 'Avec plaisir ! Autre chose ?' });
  });

  it('acknowledges events it does not handle without a turn', async () => {
    const response = await send(baseUrl, prepareEvent(eventEnvelope({ type: 'app_home_opened', user: 'UALICE', channel: 'DALICE', tab: 'messages' })));
    expect(response.status).toBe(200);
    expect(seen).toEqual([]);
  });

  it('does not serve other methods or paths', async () => {
    expect((await fetch(`${baseUrl}/slack/events`)).status).toBe(404);
  });
});

describe('response_url trust', () => {
  it.each([
    ['https://hooks.slack.com/commands/T1/2/3', undefined, true],
    ['https://hooks.slack-gov.com/actions/T1/2/3', undefined, true],
    ['http://hooks.slack.com/commands/T1/2/3', undefined, false],
    ['https://hooks.slack.com.evil.example/x', undefined, false],
    ['http://127.0.0.1:4000/response/x', 'http://127.0.0.1:4000/api/', true],
    ['http://127.0.0.1:4001/response/x', 'http://127.0.0.1:4000/api/', false],
    ['not a url', undefined, false],
  ])('%s (API %s) → %s', (url, api, trusted) => {
    expect(isTrustedResponseUrl(url, api)).toBe(trusted);
  });
});
