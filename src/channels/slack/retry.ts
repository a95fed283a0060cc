/**
 * Retries of Slack Web API calls. The Web API client runs with its own retries off and
 * `rejectRateLimitedCalls: true`, so this policy is the only one and its delays are injectable:
 *
 * - 429 (rate limited): wait Retry-After (the whole channel waits, see pacing.ts), then retry;
 * - network errors, HTTP 5xx and Slack's transient errors (`internal_error`, `fatal_error`,
 *   `service_unavailable`, `request_timeout`, `ratelimited`): exponential back-off with jitter;
 * - anything else (`channel_not_found`, `not_in_channel`, `invalid_auth`…) is final.
 *
 * A call makes at most `attempts` requests; then GuichetError('slack.send-failed') with the last
 * error as cause. A network error may hide a post that did arrive: retrying it can, rarely, show a
 * message twice, which is better than losing it.
 */
import { webApi } from '@slack/bolt';
import { GuichetError } from '../../core/errors.ts';

export interface RetryPolicy {
  /** Requests in all for one call, the first included (default 5). */
  attempts: number;
  /** Wait before the second attempt without Retry-After, in ms; doubled each time (default 1 000). */
  baseDelayMs: number;
  /** Longest wait, in ms (default 60 000). A Retry-After longer than this fails the call at once. */
  maxDelayMs: number;
  /** A number in [0, 1) for jitter (default Math.random). */
  random(): number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, random: Math.random };

export type Verdict = { retry: false; why: string } | { retry: true; why: string; retryAfterMs?: number };

const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** An error thrown by a non-Web-API call (a response_url POST) in the same terms. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(`HTTP ${status}`);
  }
}

/** What a failed call means: retry (after Retry-After, if given) or give up. */
export function classify(err: unknown): Verdict {
  if (err instanceof webApi.WebAPIRateLimitedError) return { retry: true, why: 'rate limited (429)', retryAfterMs: err.retryAfter * 1000 };
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = err.data.error;
    return TRANSIENT_ERRORS.has(code) ? { retry: true, why: `Slack error "${code}"` } : { retry: false, why: `Slack error "${code}"` };
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

export interface RetryHooks {
  sleep(ms: number): Promise<void>;
  /** Called with a 429's Retry-After before waiting it (the sender blocks the channel's lane). */
  onRateLimited?(ms: number): void;
}

/** Runs `call` with the policy; `what` names it in errors ("chat.postMessage to C123"). */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy, hooks: RetryHooks, what: string): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      const verdict = classify(err);
      if (!verdict.retry) throw new GuichetError('slack.send-failed', `slack: ${what} failed: ${verdict.why} (not retried)`, { cause: err });
      if (attempt >= policy.attempts) {
        throw new GuichetError('slack.send-failed', `slack: ${what} failed: ${verdict.why}, ${attempt} attempts`, { cause: err });
      }
      if (verdict.retryAfterMs !== undefined) {
        if (verdict.retryAfterMs > policy.maxDelayMs) {
          throw new GuichetError(
            'slack.send-failed',
            `slack: ${what} failed: Slack asked to wait ${verdict.retryAfterMs} ms, more than the ${policy.maxDelayMs} ms this sender waits`,
            { cause: err },
          );
        }
        hooks.onRateLimited?.(verdict.retryAfterMs);
        await hooks.sleep(verdict.retryAfterMs);
      } else {
        const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        await hooks.sleep(Math.round(exponential / 2 + (exponential / 2) * policy.random()));
      }
    }
  }
}
