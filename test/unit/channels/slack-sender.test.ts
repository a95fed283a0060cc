/**
 * The Slack sender against the fake Slack Web API, with a virtual clock: pacing, 429 and Retry-After,
 * bounded retries, order, chat.update. The real @slack/web-api client makes the calls.
 */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Timer } from '../../../src/channels/kit/channel-pacer.ts';
import { createSlackSender, type SlackSender } from '../../../src/channels/slack/sender.ts';
import { isGuichetError } from '../../../src/core/errors.ts';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import { FakeSlackApi } from '../../helpers/fake-slack-api.ts';

let fake: FakeSlackApi;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

/** Virtual time: sleep() moves the clock at once (after a short real pause, so other lanes can run meanwhile). */
class VirtualTimer implements Timer {
  current = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.current;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

interface Rig {
  sender: SlackSender;
  timer: VirtualTimer;
  /** Virtual time of every Web API request, in order. */
  stamps: number[];
}

function rig(options: { attempts?: number; burst?: number; maxDelayMs?: number } = {}): Rig {
  const timer = new VirtualTimer();
  const stamps: number[] = [];
  const client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
    // Node's fetch, stamping each request with the virtual time (the cast: lib "DOM" lacks Headers.entries).
    fetch: ((input: string | URL, init?: RequestInit) => {
      stamps.push(timer.now());
      return fetch(input, init);
    }) as unknown as webApi.FetchFunction,
  });
  const sender = createSlackSender({
    client,
    timer,
    pacing: { intervalMs: 1_000, burst: options.burst ?? 3 },
    retry: { attempts: options.attempts ?? 5, baseDelayMs: 1_000, maxDelayMs: options.maxDelayMs ?? 60_000, random: () => 0 },
  });
  return { sender, timer, stamps };
}

const texts = (...words: string[]): OutboundMessage[] => words.map((text) => ({ type: 'text', text }));
const posted = () => fake.ok('chat.postMessage').map((c) => c.args.text);

describe('Slack sender pacing', () => {
  it('posts a burst at once, then one per second, in order', async () => {
    const { sender, stamps } = rig();
    await sender.send({ teamId: 'T1', channel: 'C1' }, texts('1', '2', '3', '4', '5', '6'));
    expect(posted()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(stamps).toEqual([0, 0, 0, 1_000, 2_000, 3_000]);
  });

  it('keeps concurrent sends to one channel whole and in call order', async () => {
    const { sender } = rig({ burst: 1 });
    await Promise.all([
      sender.send({ teamId: 'T1', channel: 'C1' }, texts('a1', 'a2')),
      sender.send({ teamId: 'T1', channel: 'C1' }, texts('b1', 'b2')),
      sender.send({ teamId: 'T1', channel: 'C1' }, texts('c1')),
    ]);
    expect(posted()).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
  });

  it('posts in the thread of the reference', async () => {
    const { sender } = rig();
    await sender.send({ teamId: 'T1', channel: 'C1', threadTs: '1.000001' }, texts('in thread'));
    expect(fake.ok('chat.postMessage').map((c) => c.args)).toEqual([{ channel: 'C1', thread_ts: '1.000001', text: 'in thread' }]);
  });
});

describe('Slack sender retries', () => {
  it('waits out Retry-After on 429, pausing the channel but not the others', async () => {
    const { sender, timer, stamps } = rig();
    fake.rateLimitNext('chat.postMessage', 1, 5);
    await Promise.all([sender.send({ teamId: 'T1', channel: 'C1' }, texts('a1')), sender.send({ teamId: 'T1', channel: 'C2' }, texts('b1'))]);
    await sender.send({ teamId: 'T1', channel: 'C1' }, texts('a2'));
    expect(fake.calls.map((c) => [c.status, c.args.text])).toEqual([
      [429, 'a1'],
      [200, 'b1'],
      [200, 'a1'],
      [200, 'a2'],
    ]);
    expect(timer.sleeps).toContain(5_000);
    // Nothing went to C1 before Retry-After had passed.
    expect(stamps[2]).toBeGreaterThanOrEqual(5_000);
  });

  it('gives up after the bounded attempts with slack.send-failed, and sends nothing after', async () => {
    const { sender } = rig({ attempts: 3 });
    fake.rateLimitNext('chat.postMessage', 3, 1);
    const error = await sender.send({ teamId: 'T1', channel: 'C1' }, texts('first', 'second')).catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('slack.send-failed');
    expect((error as Error).message).toBe('slack: chat.postMessage 1 of 2 to C1 failed: rate limited (429), 3 attempts');
    expect(fake.calls).toHaveLength(3);
  });

  it('does not shorten a Retry-After longer than it is willing to wait', async () => {
    const { sender } = rig({ maxDelayMs: 10_000 });
    fake.rateLimitNext('chat.postMessage', 1, 30);
    await expect(sender.send({ teamId: 'T1', channel: 'C1' }, texts('x'))).rejects.toThrow(/asked to wait 30000 ms, more than the 10000 ms/);
    expect(fake.calls).toHaveLength(1);
  });

  it('retries Slack’s transient errors with back-off, and not the final ones', async () => {
    const { sender, timer } = rig();
    fake.failNext('chat.postMessage', 'internal_error');
    await sender.send({ teamId: 'T1', channel: 'C1' }, texts('x'));
    expect(fake.calls.map((c) => c.args.text)).toEqual(['x', 'x']);
    expect(timer.sleeps).toEqual([500]);

    fake.reset();
    fake.failNext('chat.postMessage', 'channel_not_found');
    const error = await sender.send({ teamId: 'T1', channel: 'C9' }, texts('y', 'z')).catch((e: unknown) => e);
    expect((error as Error).message).toBe('slack: chat.postMessage 1 of 2 to C9 failed: Slack error "channel_not_found" (not retried)');
    expect(fake.calls).toHaveLength(1);
  });

  it('reaches a person by {teamId, userId}: conversations.open, then the post in their DM', async () => {
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: webApi.LogLevel.ERROR });
    const opened: string[] = [];
    const sender = createSlackSender({
      client,
      timer: new VirtualTimer(),
      openDm: async (teamId, userId) => {
        opened.push(`${teamId}/${userId}`);
        const result = await client.conversations.open({ users: userId });
        return result.channel!.id!;
      },
    });
    await sender.send({ teamId: 'T1', userId: 'U0BOB' }, texts('hello', 'again'));
    expect(opened).toEqual(['T1/U0BOB']);
    expect(fake.calls.map((c) => [c.method, c.args.channel ?? c.args.users, c.args.text])).toEqual([
      ['conversations.open', 'U0BOB', undefined],
      ['chat.postMessage', 'D0BOB', 'hello'],
      ['chat.postMessage', 'D0BOB', 'again'],
    ]);
    // Without a way to open DMs, such a reference is refused.
    const error = await rig().sender.send({ teamId: 'T1', userId: 'U0BOB' }, texts('x')).catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('slack.invalid-reference');
  });

  it('refuses a reference that is not a Slack one', async () => {
    const { sender } = rig();
    const error = await sender.send({ serviceUrl: 'https://teams', conversation: { id: 'x' } }, texts('x')).catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('slack.invalid-reference');
    expect(fake.calls).toEqual([]);
  });
});

describe('Slack sender updates and private replies', () => {
  it('updates a message in place with chat.update', async () => {
    const { sender } = rig();
    await sender.update('C1', '1.000001', [{ type: 'text', text: 'Ticket #12 <taken>' }, { type: 'choices', text: 'Next?', choices: [{ label: 'Close', value: 'close' }] }]);
    expect(fake.ok('chat.update').map((c) => c.args)).toEqual([
      {
        channel: 'C1',
        ts: '1.000001',
        text: 'Ticket #12 &lt;taken&gt;\n\nNext?',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'Ticket #12 &lt;taken&gt;' } },
          { type: 'section', text: { type: 'mrkdwn', text: 'Next?' } },
          { type: 'actions', block_id: 'guichet-choices', elements: [{ type: 'button', action_id: 'choice:0', text: { type: 'plain_text', text: 'Close', emoji: true }, value: 'close' }] },
        ],
      },
    ]);
  });

  it('posts private replies to a response_url as ephemeral messages, in order', async () => {
    const { sender } = rig();
    await sender.respond(fake.responseUrl('r1'), [{ text: 'one' }, { text: 'two' }]);
    expect(fake.ok('response_url').map((c) => c.args)).toEqual([
      { id: 'r1', response_type: 'ephemeral', replace_original: false, text: 'one' },
      { id: 'r1', response_type: 'ephemeral', replace_original: false, text: 'two' },
    ]);
  });
});
