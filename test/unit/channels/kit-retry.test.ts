import { describe, expect, it } from 'vitest';
/**
 * The channel kit's retry policy, with the Bot Connector's numbers and reading of errors (Slack's are
 * exercised through its sender, test/unit/channels/slack-sender.test.ts).
 */
import { delayBefore, withRetry as retrying, type RetryPolicy } from '../../../src/channels/kit/retry.ts';
import { retryAfterMs, teamsRetryPolicy as defaultRetryPolicy, teamsRetryRules } from '../../../src/channels/teams/sender.ts';
import { isGuichetError } from '../../../src/core/errors.ts';

/** A Bot Connector failure shaped like botbuilder's RestError. */
function restError(status: number, retryAfter?: string): Error {
  const headers = new Map(retryAfter === undefined ? [] : [['retry-after', retryAfter]]);
  return Object.assign(new Error(`status ${status}`), { statusCode: status, response: { status, headers } });
}

const withRetry = <T>(call: () => Promise<T>, p: RetryPolicy, what: string) => retrying(call, p, teamsRetryRules, what);

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { slept: number[] } {
  const slept: number[] = [];
  return { ...defaultRetryPolicy, sleep: async (ms) => void slept.push(ms), random: () => 0.5, ...overrides, slept };
}

/** A call that fails with `errors` in turn, then returns "ok". */
function failing(...errors: Error[]): { call: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    call: async () => {
      const err = errors[n];
      n += 1;
      if (err) throw err;
      return 'ok';
    },
    calls: () => n,
  };
}

describe('withRetry', () => {
  it('retries 412, 429, 502, 503 and 504, then succeeds', async () => {
    const p = policy({ attempts: 6 });
    const f = failing(restError(412), restError(429), restError(502), restError(503), restError(504));
    await expect(withRetry(f.call, p, 'sending')).resolves.toBe('ok');
    expect(f.calls()).toBe(6);
    expect(p.slept).toEqual([375, 750, 1500, 3000, 6000]);
  });

  it('honours Retry-After in seconds or as a date, with at most 10 % jitter', async () => {
    const p = policy({ random: () => 1 });
    const date = new Date(Date.now() + 5_000).toUTCString();
    const f = failing(restError(429, '3'), restError(429, date));
    await withRetry(f.call, p, 'sending');
    expect(p.slept[0]).toBe(3300);
    expect(p.slept[1]).toBeGreaterThan(3000);
    expect(p.slept[1]).toBeLessThanOrEqual(5500);
  });

  it('gives up after the last attempt with a coded error keeping the cause', async () => {
    const last = restError(429);
    const f = failing(restError(429), restError(429), last);
    const error = await withRetry(f.call, policy({ attempts: 3 }), 'sending message 1 of 1').catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('teams.send-failed');
    expect((error as Error).message).toBe('teams: sending message 1 of 1 failed: HTTP 429, 3 attempts');
    expect((error as Error).cause).toBe(last);
    expect(f.calls()).toBe(3);
  });

  it.each([400, 401, 403, 404, 413, 500])('does not retry HTTP %d', async (status) => {
    const f = failing(restError(status));
    await expect(withRetry(f.call, policy(), 'sending')).rejects.toMatchObject({
      code: 'teams.send-failed',
      message: `teams: sending failed: HTTP ${status} (not retried)`,
    });
    expect(f.calls()).toBe(1);
  });

  it('does not retry an error without status', async () => {
    const f = failing(new Error('boom'));
    await expect(withRetry(f.call, policy(), 'sending')).rejects.toMatchObject({ message: 'teams: sending failed: an error without HTTP status (not retried)' });
  });

  it('fails at once when Retry-After asks for longer than it would wait, rather than sending early', async () => {
    const p = policy({ maxDelayMs: 10_000 });
    const f = failing(restError(429, '120'));
    await expect(withRetry(f.call, p, 'sending')).rejects.toMatchObject({
      message: 'teams: sending failed: HTTP 429: the Bot Connector asked to wait 120000 ms, more than the 10000 ms this sender waits',
    });
    expect(p.slept).toEqual([]);
  });
});

describe('delays', () => {
  it('doubles from the base with equal jitter, capped at maxDelayMs', () => {
    const low = policy({ random: () => 0 });
    const high = policy({ random: () => 0.999999 });
    expect([2, 3, 4, 5].map((n) => delayBefore(n, undefined, low))).toEqual([250, 500, 1000, 2000]);
    expect([2, 3, 4, 5].map((n) => delayBefore(n, undefined, high))).toEqual([500, 1000, 2000, 4000]);
    expect(delayBefore(20, undefined, high)).toBe(30_000);
  });

  it('reads Retry-After from either header shape', () => {
    expect(retryAfterMs(restError(429, '1.5'))).toBe(1500);
    expect(retryAfterMs({ response: { headers: { 'retry-after': '2' } } })).toBe(2000);
    expect(retryAfterMs(restError(429, 'soon'))).toBeUndefined();
    expect(retryAfterMs(restError(429))).toBeUndefined();
    expect(retryAfterMs(new Error('x'))).toBeUndefined();
  });
});
