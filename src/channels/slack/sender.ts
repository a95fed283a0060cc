/**
 * Sending to Slack: replies, proactive messages (a conversation's {teamId, channel, threadTs?} or a person's {teamId, userId}: their DM),
 * updates and response_url replies, paced and retried per channel, in order (docs/slack.md, "Sending").
 */
import { webApi } from '@slack/bolt';
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { ChannelSender } from '../../core/ports.ts';
import { renderForSlack, type SlackBlock, type SlackMessage } from './outbound.ts';
import { ChannelPacer, systemTimer, type PacingPolicy, type Timer } from '../kit/channel-pacer.ts';
import { parseReference } from '../kit/reference.ts';
import { sleepFor, withRetry, type RetryPolicy, type RetryRules, type Verdict } from '../kit/retry.ts';

/** Where a post goes: a channel (or DM), optionally inside a thread. */
export type SlackTarget = { channel: string; threadTs?: string };

export interface SlackSenderOptions {
  /** A Web API client created with `retryConfig: {retries: 0}` and `rejectRateLimitedCalls: true`. */
  client: webApi.WebClient;
  pacing?: Partial<PacingPolicy>;
  retry?: Partial<RetryPolicy>;
  /** Clock and delays (tests pass a fake timer so that waits take no time). */
  timer?: Timer;
  /** The id of a user's DM with Guichet (conversations.open), for {teamId, userId} references. */
  openDm?: (teamId: string, userId: string) => Promise<string>;
}

export interface SlackSender extends ChannelSender {
  /** Posts rendered messages to `target`, in order; resolves with their ts. */
  post(target: SlackTarget, messages: SlackMessage[]): Promise<string[]>;
  /** Replaces the message `ts` in `channel` with `messages` (combined into one message). */
  update(channel: string, ts: string, messages: OutboundMessage[]): Promise<void>;
  /** Posts messages privately to the user through a response_url (ephemeral), in order. */
  respond(responseUrl: string, messages: SlackMessage[]): Promise<void>;
}

/** Slack's numbers: 5 requests, 1 s doubling to 60 s at most; a 429's Retry-After is waited exactly (by the whole channel). */
const slackRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, retryAfterJitter: 0, sleep: sleepFor, random: Math.random };
/** About one chat.postMessage a second per channel, after a burst of 3. */
const slackPacing: PacingPolicy = { intervalMs: 1_000, burst: 3 };

/** Slack's transient platform errors, retried with back-off. */
const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** A response_url POST that failed, in the Web API's terms. */
export class HttpStatusError extends Error {
  constructor(readonly status: number, readonly retryAfterSeconds?: number) {
    super(`HTTP ${status}`);
  }
}

/**
 * Slack's failures: 429 (rate limited) waits Retry-After; network errors, HTTP 5xx and the transient
 * errors above back off; anything else (`channel_not_found`, `not_in_channel`, `invalid_auth`…) is final.
 */
export function classifySlackError(err: unknown): Verdict {
  if (err instanceof webApi.WebAPIRateLimitedError) return { retry: true, why: 'rate limited (429)', retryAfterMs: err.retryAfter * 1000 };
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = err.data.error;
    return { retry: TRANSIENT_ERRORS.has(code), why: `Slack error "${code}"` };
  }
  if (err instanceof webApi.WebAPIHTTPError) return { retry: err.statusCode >= 500, why: `HTTP ${err.statusCode}` };
  if (err instanceof webApi.WebAPIRequestError) return { retry: true, why: `network error (${err.original.message})` };
  if (err instanceof HttpStatusError) {
    if (err.status === 429) return { retry: true, why: 'rate limited (429)', retryAfterMs: (err.retryAfterSeconds ?? 1) * 1000 };
    return { retry: err.status >= 500, why: `HTTP ${err.status}` };
  }
  if (err instanceof TypeError) return { retry: true, why: `network error (${err.message})` };
  return { retry: false, why: `unexpected error (${(err as Error)?.message ?? String(err)})` };
}

const slackRetryRules: RetryRules = { platform: 'slack', peer: 'Slack', classify: classifySlackError };

const conversationReference = z.object({ teamId: z.string(), channel: z.string().min(1), threadTs: z.string().min(1).optional() });
const slackReferenceSchema = z.union([conversationReference, z.object({ teamId: z.string(), userId: z.string().min(1) })]);

export function createSlackSender(options: SlackSenderOptions): SlackSender {
  const timer = options.timer ?? systemTimer;
  const policy: RetryPolicy = { ...slackRetryPolicy, sleep: (ms) => timer.sleep(ms), ...options.retry };
  const pacer = new ChannelPacer({ ...slackPacing, ...options.pacing }, timer);
  const { client } = options;

  /** One Web API call in `channel`'s lane, retried; a 429 pauses the whole lane. */
  const paced = <T>(channel: string, slot: () => Promise<void>, what: string, call: () => Promise<T>): Promise<T> =>
    withRetry(() => slot().then(call), policy, slackRetryRules, what, (ms) => pacer.block(channel, ms));

  async function post(target: SlackTarget, messages: SlackMessage[]): Promise<string[]> {
    const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
    return pacer.run(target.channel, async (slot) => {
      const posted: string[] = [];
      for (const [i, message] of messages.entries()) {
        const what = `chat.postMessage ${i + 1} of ${messages.length} to ${target.channel}`;
        const result = await paced(target.channel, slot, what, () => client.chat.postMessage({ channel: target.channel, ...thread, ...message }));
        posted.push(typeof result.ts === 'string' ? result.ts : '');
      }
      return posted;
    });
  }

  return {
    channel: 'slack',

    async send(reference: unknown, messages: OutboundMessage[]): Promise<void> {
      const ref = parseReference('slack', slackReferenceSchema, reference);
      const { openDm } = options;
      if ('userId' in ref && !openDm) throw new GuichetError('slack.invalid-reference', 'slack: a {teamId, userId} reference needs conversations.open (openDm)');
      await post('userId' in ref ? { channel: await openDm!(ref.teamId, ref.userId) } : ref, messages.map(renderForSlack));
    },

    post,

    async update(channel: string, ts: string, messages: OutboundMessage[]): Promise<void> {
      const message = combine(messages.map(renderForSlack));
      await pacer.run(channel, (slot) => paced(channel, slot, `chat.update of ${ts} in ${channel}`, () => client.chat.update({ channel, ts, ...message })));
    },

    async respond(responseUrl: string, messages: SlackMessage[]): Promise<void> {
      for (const [i, message] of messages.entries()) {
        await withRetry(
          async () => {
            const response = await fetch(responseUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json; charset=utf-8' },
              body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
              redirect: 'error',
              signal: AbortSignal.timeout(10_000),
            });
            if (!response.ok) {
              const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
              throw new HttpStatusError(response.status, Number.isNaN(retryAfter) ? undefined : retryAfter);
            }
            await response.arrayBuffer();
          },
          policy,
          slackRetryRules,
          `response_url post ${i + 1} of ${messages.length}`,
        );
      }
    },
  };
}

/** Several rendered messages as one (for chat.update): texts joined, text-only parts as sections. */
export function combine(messages: SlackMessage[]): SlackMessage {
  if (messages.length === 1) return messages[0]!;
  const text = messages.map((m) => m.text).join('\n\n');
  if (messages.every((m) => !m.blocks)) return { text };
  const blocks: SlackBlock[] = messages.flatMap((m) => m.blocks ?? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: m.text.slice(0, 3_000) } }]);
  return { text, blocks: blocks.slice(0, 50) };
}
