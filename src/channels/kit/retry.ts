/**
 * Retries of calls to a platform (Slack's Web API, Teams' Bot Connector): one policy shape, each
 * platform bringing its own numbers and its own reading of a failure. The SDKs' own retries are
 * switched off, so this is the only retry layer and its delays are injectable (tests sleep in no time).
 *
 * - the platform says how long to wait (429 with Retry-After): wait that, plus up to
 *   `retryAfterJitter` of it, then retry; longer than `maxDelayMs` fails at once, rather than
 *   sending before the platform allows;
 * - a transient failure without a wait: base × 2^(n-1), "equal jitter" (half fixed, half random),
 *   capped at `maxDelayMs`;
 * - anything else is final.
 *
 * A call makes at most `attempts` requests; then GuichetError('<platform>.send-failed') with the last
 * error as cause. A network error may hide a send that did arrive: retrying it can, rarely, show a
 * message twice, which is better than losing it.
 */
import { GuichetError } from '../../core/errors.ts';

export interface RetryPolicy {
  /** Requests in all for one call, the first included. */
  attempts: number;
  /** Wait before the second attempt when the platform gives none, in ms; doubled each time. */
  baseDelayMs: number;
  /** Longest single wait, in ms. */
  maxDelayMs: number;
  /** Extra wait on top of a Retry-After, as a fraction of it (0: exactly Retry-After; 0.1: up to 10 % more). */
  retryAfterJitter: number;
  /** Waits `ms` milliseconds; tests pass one that records and returns at once. */
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1) for jitter. */
  random(): number;
  /** Told each platform-given wait (429) and each call that failed for good (the server's metrics). */
  observe?(event: { platform: RetryRules['platform']; kind: 'throttled' | 'failed' }): void;
}

/** What a failed call means: retry (after the platform's wait, if given) or give up; `why` is said in errors. */
export type Verdict = { retry: false; why: string } | { retry: true; why: string; retryAfterMs?: number };

/** How one platform's failures read. */
export interface RetryRules {
  /** Prefix of error codes and messages ("slack", "teams"). */
  platform: 'slack' | 'teams';
  /** Who asks to wait, in messages ("Slack", "the Bot Connector"). */
  peer: string;
  classify(err: unknown): Verdict;
}

export const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call` with the policy; `what` names it in errors ("chat.postMessage to C123").
 * `onRateLimited` is told a platform-given wait before it is slept (Slack's sender pauses the channel).
 */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy, rules: RetryRules, what: string, onRateLimited?: (ms: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      const verdict = rules.classify(err);
      const failed = (detail: string) => {
        policy.observe?.({ platform: rules.platform, kind: 'failed' });
        return new GuichetError(`${rules.platform}.send-failed`, `${rules.platform}: ${what} failed: ${detail}`, { cause: err });
      };
      if (!verdict.retry) throw failed(`${verdict.why} (not retried)`);
      if (attempt >= policy.attempts) throw failed(`${verdict.why}, ${attempt} attempts`);
      const delay = delayBefore(attempt + 1, verdict.retryAfterMs, policy);
      if (delay === undefined) {
        throw failed(`${verdict.why}: ${rules.peer} asked to wait ${verdict.retryAfterMs} ms, more than the ${policy.maxDelayMs} ms this sender waits`);
      }
      if (verdict.retryAfterMs !== undefined) {
        policy.observe?.({ platform: rules.platform, kind: 'throttled' });
        onRateLimited?.(delay);
      }
      await policy.sleep(delay);
    }
  }
}

/** Wait before attempt `next` (≥ 2); undefined when the platform's wait exceeds the policy's longest. */
export function delayBefore(next: number, retryAfterMs: number | undefined, policy: RetryPolicy): number | undefined {
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.maxDelayMs) return undefined;
    return Math.min(policy.maxDelayMs, Math.round(retryAfterMs * (1 + policy.retryAfterJitter * policy.random())));
  }
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (next - 2));
  return Math.round(exponential / 2 + (exponential / 2) * policy.random());
}

/** A Retry-After header value in ms (seconds or an HTTP date), if usable. */
export function parseRetryAfter(raw: unknown, now: number = Date.now()): number | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
