/**
 * Sending to Teams: replies within a turn and proactive messages to a stored
 * conversation reference. Activities go out one by one, in order, each with
 * the retry policy, so a throttled second message never resends the first.
 */
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { GuichetError, isGuichetError } from '../../core/errors.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { ChannelSender } from '../../core/ports.ts';
import { parseReference } from '../kit/reference.ts';
import { parseRetryAfter, sleepFor, withRetry, type RetryPolicy, type RetryRules, type Verdict } from '../kit/retry.ts';
import { renderForTeams } from './outbound.ts';

/**
 * The Bot Connector's numbers: 5 attempts, 500 ms doubling to 30 s at most; Retry-After plus up to
 * 10 % (Teams throttles per conversation, about 7 sends/s). The SDK's own retries are off (adapter.ts).
 */
export const teamsRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, retryAfterJitter: 0.1, sleep: sleepFor, random: Math.random };

/** Statuses the Bot Connector uses for "try again": throttling (429) and transient failures. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 503, 504]);

/** HTTP status of a failed Bot Connector call (RestError.statusCode), if any. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; response?: { status?: unknown } } | undefined;
  const status = e?.statusCode ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Retry-After of a failed call in ms (seconds or an HTTP date), if the response carried one. */
export function retryAfterMs(err: unknown, now: number = Date.now()): number | undefined {
  const headers = (err as { response?: { headers?: unknown } } | undefined)?.response?.headers as
    | { get?: (name: string) => string | undefined | null; [name: string]: unknown }
    | undefined;
  if (!headers) return undefined;
  return parseRetryAfter(typeof headers.get === 'function' ? headers.get('retry-after') : headers['retry-after'], now);
}

/** 412, 429, 502, 503 and 504 are retried (after Retry-After when given); other statuses, and errors without one, are final. */
export function classifyTeamsError(err: unknown): Verdict {
  const status = statusOf(err);
  if (status === undefined) return { retry: false, why: 'an error without HTTP status' };
  if (!RETRYABLE_STATUSES.has(status)) return { retry: false, why: `HTTP ${status}` };
  const wait = retryAfterMs(err);
  return { retry: true, why: `HTTP ${status}`, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
}

export const teamsRetryRules: RetryRules = { platform: 'teams', peer: 'the Bot Connector', classify: classifyTeamsError };

/** Sends `activities` in order on the turn's conversation; throws GuichetError('teams.send-failed'). */
export async function deliver(context: TurnContext, activities: Partial<Activity>[], retry: RetryPolicy): Promise<void> {
  for (const [i, activity] of activities.entries()) {
    await withRetry(() => context.sendActivity(activity), retry, teamsRetryRules, `sending message ${i + 1} of ${activities.length}`);
  }
}

/** What a stored reference needs for botbuilder to reach the conversation (other fields pass through). */
const referenceSchema = z
  .object({
    serviceUrl: z.string().url(),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
  })
  .passthrough();

export interface TeamsSenderDeps {
  adapter: CloudAdapter;
  /** The bot's Microsoft app id ("" when auth is off, in development and tests). */
  appId: string;
  retry: RetryPolicy;
}

export function createTeamsSender(deps: TeamsSenderDeps): ChannelSender {
  return {
    channel: 'teams',
    async send(reference: unknown, messages: OutboundMessage[]): Promise<void> {
      const parsed = parseReference('teams', referenceSchema, reference);
      const activities = messages.map(renderForTeams);
      try {
        await deps.adapter.continueConversationAsync(deps.appId, parsed as unknown as Partial<ConversationReference>, (context) => deliver(context, activities, deps.retry));
      } catch (err) {
        if (isGuichetError(err)) throw err;
        throw new GuichetError('teams.send-failed', `teams: proactive send to conversation "${parsed.conversation.id}" failed`, { cause: err });
      }
    },
  };
}
