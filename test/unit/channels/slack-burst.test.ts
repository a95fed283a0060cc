/**
 * A burst of Slack events while turns are held: the Slack channel behind the server's Express app (createApp, with its
 * I/O-first scheduler), Bolt's receiver over real HTTP, the in-memory core behind a work queue of one turn at a time
 * and four waiting, and the fake Slack Web API. Events are acknowledged whatever the turns do; a full queue answers
 * 503 so that Slack retries the event later instead of acknowledging one that would be dropped.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSlackChannel } from '../../../src/channels/slack/channel.ts';
import { WorkQueue } from '../../../src/channels/kit/work-queue.ts';
import { handleTurn, type TurnResult } from '../../../src/core/handle-turn.ts';
import type { InboundMessage } from '../../../src/core/messages.ts';
import { createApp } from '../../../src/server/app.ts';
import { FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import { memoryDeps } from '../../helpers/fake-channel.ts';
import { listenLocal, type Listening } from '../../helpers/http.ts';
import { SIGNING_SECRET, TEAM, buttonClick, dmEvent, prepareAction, prepareEvent, send } from '../../helpers/slack-signing.ts';

const USER = 'UBURST';
let fake: FakeSlackApi;
let server: Listening;
const queue = new WorkQueue({ concurrency: 1, maxQueued: 4 });
/** Texts of the turns, in the order the core ran them. */
const ran: string[] = [];
let hold: Promise<void> | undefined;
let release = () => {};

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  fake.addUser({ id: USER, real_name: 'Burst User', locale: 'en-US', tz: 'Europe/Paris', profile: { real_name: 'Burst User', email: 'burst@acme.test' } });
  const deps = memoryDeps();
  const log = pino({ level: 'silent' });
  const turn = async (message: InboundMessage): Promise<TurnResult> => {
    ran.push(message.text ?? '');
    if (hold) await hold;
    return handleTurn(deps, message);
  };
  const slack = createSlackChannel({
    config: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: [TEAM] },
    turn: (message) => queue.run(() => turn(message)),
    admits: () => queue.hasRoom(),
    log,
  });
  server = await listenLocal(createApp({ log, checkDatabase: async () => {}, channels: [slack.mount] }));
});

afterAll(async () => {
  release();
  await queue.idle();
  await server?.close();
  await fake?.stop();
});

/** Holds every turn until the returned function is called. */
function holdTurns(): () => void {
  hold = new Promise<void>((resolve) => (release = resolve));
  return () => {
    hold = undefined;
    release();
  };
}

describe('Slack under a burst', () => {
  it('acknowledges every event while a turn is held, then runs the queued turns in order, none dropped', async () => {
    const releaseTurns = holdTurns();
    const texts = ['hello', 'help', 'thanks', 'bye'];
    const responses = await Promise.all(texts.map((text) => send(server.url, prepareEvent(dmEvent(USER, text)))));
    // All acknowledged while the first turn is still held and the others wait in the queue.
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await vi.waitFor(() => expect(queue.stats()).toMatchObject({ running: 1, queued: 3 }));
    expect(ran).toEqual(['hello']);
    releaseTurns();
    await vi.waitFor(() => expect(ran).toEqual(texts));
    await fake.waitForOk('chat.postMessage', 4, 20_000);
    await queue.idle();
    ran.length = 0;
    fake.reset();
  });

  it('answers 503 (Retry-After) when the queue is full, and serves Slack’s retry of the same event once there is room', async () => {
    const releaseTurns = holdTurns();
    const accepted = await Promise.all(['one', 'two', 'three', 'four'].map((text) => send(server.url, prepareEvent(dmEvent(USER, text)))));
    expect(accepted.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await vi.waitFor(() => expect(queue.stats()).toMatchObject({ running: 1, queued: 3 }));
    expect((await send(server.url, prepareEvent(dmEvent(USER, 'five')))).status).toBe(200);
    await vi.waitFor(() => expect(queue.stats()).toMatchObject({ running: 1, queued: 4 }));

    const event = dmEvent(USER, 'six');
    const request = prepareEvent(event);
    const refused = await send(server.url, request);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    // A click is not an event Slack would retry: taken, even with the queue full.
    expect((await send(server.url, prepareAction(buttonClick(USER, 0, 'hello', 'Hello')))).status).toBe(200);

    releaseTurns();
    await queue.idle();
    // Slack retries the same event (same event_id); a refused request is not taken for a replay, even sent again as is.
    const retried = await send(server.url, request);
    expect(retried.status).toBe(200);
    await vi.waitFor(() => expect(ran).toEqual(['one', 'two', 'three', 'four', 'five', 'six']));
    // Six answers, no apology: the refused event was never half-taken (posts to one DM are paced: about 1/s after 3).
    const posts = await fake.waitForOk('chat.postMessage', 6, 20_000);
    expect(posts.map((p) => String(p.args.text))).not.toContain(expect.stringContaining('Sorry'));
  });
});
