/**
 * Back-off for calls to the Bot Connector. Teams throttles per conversation
 * (about 7 sends/s) and answers 429, sometimes with Retry-After; 412, 502,
 * 503 and 504 are transient too. Other statuses (400, 403, 404…) are final.
 *
 * The SDK's own retries are switched off (see adapter.ts) so that this policy is
 * the only one: bounded attempts, exponential delays with jitter, Retry-After
 * honoured, and a coded error when it gives up.
 */
import { GuichetError } from '../../core/errors.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  attempts: number;
  /** Wait before the second attempt, in ms; doubled for each further one (default 500). */
  baseDelayMs: number;
  /**
   * Longest single wait, in ms (default 30 000). A Retry-After longer than this is not shortened
   * (that would send before the platform allows): the send fails at once instead.
   */
  maxDelayMs: number;
  /** Waits `ms` milliseconds; tests pass one that records and returns at once. */
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1) for jitter (default Math.random). */
  random(): number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

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
  const raw = typeof headers.get === 'function' ? headers.get('retry-after') : headers['retry-after'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `call` until it succeeds, a final error occurs, or the attempts run out. Delays: Retry-After
 * when given (plus up to 10 % jitter), else base × 2^(n-1) with "equal jitter" (half fixed, half
 * random), capped at maxDelayMs. Throws GuichetError('teams.send-failed') with the last error as cause.
 */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy, what: string): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      const status = statusOf(err);
      const label = status === undefined ? 'an error without HTTP status' : `HTTP ${status}`;
      if (status === undefined || !RETRYABLE_STATUSES.has(status)) {
        throw new GuichetError('teams.send-failed', `teams: ${what} failed with ${label} (not retried)`, { cause: err });
      }
      if (attempt >= policy.attempts) {
        throw new GuichetError('teams.send-failed', `teams: ${what} failed with ${label} after ${attempt} attempts`, { cause: err });
      }
      const delay = delayBefore(attempt + 1, retryAfterMs(err), policy);
      if (delay === undefined) {
        throw new GuichetError(
          'teams.send-failed',
          `teams: ${what} failed with ${label}: the Bot Connector asked to wait ${retryAfterMs(err)} ms, more than the ${policy.maxDelayMs} ms this sender waits`,
          { cause: err },
        );
      }
      await policy.sleep(delay);
    }
  }
}

/** Wait before attempt `next` (≥ 2); undefined when Retry-After exceeds the policy's longest wait. */
export function delayBefore(next: number, retryAfter: number | undefined, policy: RetryPolicy): number | undefined {
  if (retryAfter !== undefined) {
    if (retryAfter > policy.maxDelayMs) return undefined;
    return Math.min(policy.maxDelayMs, Math.round(retryAfter * (1 + 0.1 * policy.random())));
  }
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (next - 2));
  return Math.round(exponential / 2 + (exponential / 2) * policy.random());
}
