import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RetentionReport } from '../../../src/privacy/ports.ts';
import { cutoff, DEFAULT_RETENTION, loadRetention, parseRetention } from '../../../src/privacy/retention.ts';
import { startRetentionTimer } from '../../../src/privacy/retention-job.ts';

describe('retention settings', () => {
  it('keeps the defaults for kinds left out, takes days and "forever"', () => {
    expect(parseRetention({})).toEqual({ periods: DEFAULT_RETENTION, everyMinutes: 60 });
    expect(parseRetention({ transcripts: 90, audit: 'forever', everyMinutes: 15 })).toEqual({ periods: { ...DEFAULT_RETENTION, transcripts: 90, audit: null }, everyMinutes: 15 });
    expect(parseRetention({ sessions: 'forever', rateLimits: 7 }).periods).toEqual({ ...DEFAULT_RETENTION, sessions: null, rateLimits: 7 });
  });

  it.each([
    [{ transcripts: 0 }, /retention.yml: field "transcripts": /],
    [{ gaps: 'never' }, /field "gaps"/],
    [{ deliveries: 'forever' }, /field "deliveries"/],
    [{ deliveries: 0 }, /field "deliveries": must keep processed deliveries at least 1 day/],
    [{ transcript: 30 }, /field "\(file\)": Unrecognized key\(s\) in object: 'transcript'/],
    [{ everyMinutes: 0 }, /field "everyMinutes"/],
    [{ sessions: 0 }, /field "sessions"/],
    [{ rateLimits: 'forever' }, /field "rateLimits"/],
  ])('refuses %j, naming the file and the field', (data, message) => {
    expect(() => parseRetention(data)).toThrow(message);
    expect(() => parseRetention(data)).toThrow(expect.objectContaining({ code: 'privacy.invalid-retention' }));
  });

  it('reads config/retention.yml, or the defaults without one; a broken file names itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-retention-'));
    expect(loadRetention(dir).periods).toEqual(DEFAULT_RETENTION);
    writeFileSync(join(dir, 'retention.yml'), 'gaps: 30\naudit: forever\n');
    expect(loadRetention(dir).periods).toMatchObject({ gaps: 30, audit: null });
    writeFileSync(join(dir, 'retention.yml'), 'gaps: [\n');
    expect(() => loadRetention(dir)).toThrow(new RegExp(`${join(dir, 'retention.yml').replace(/[.]/g, '\\.')}: not valid YAML`));
    expect(loadRetention('config').periods).toEqual(DEFAULT_RETENTION);
  });

  it('cuts off `days` before now, or never', () => {
    expect(cutoff(new Date('2026-12-06T12:00:00Z'), 30)).toEqual(new Date('2026-11-06T12:00:00Z'));
    expect(cutoff(new Date('2026-12-06T12:00:00Z'), null)).toBeUndefined();
  });
});

describe('the retention timer', () => {
  afterEach(() => vi.useRealTimers());

  it('runs a minute after start-up, then every period at the clock’s now; a failed run does not stop the next', async () => {
    vi.useFakeTimers();
    const runs: Date[] = [];
    let fail = true;
    const store = {
      applyRetention: async (now: Date): Promise<RetentionReport> => {
        runs.push(now);
        if (fail) {
          fail = false;
          throw new Error('database away');
        }
        return { transcripts: 1 };
      },
    };
    let now = new Date('2026-12-06T00:00:00Z');
    const done: RetentionReport[] = [];
    const failed: unknown[] = [];
    const stop = startRetentionTimer(store, { periods: DEFAULT_RETENTION, everyMinutes: 10 }, { now: () => now }, { done: (r) => done.push(r), failed: (e) => failed.push(e) });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
    expect(failed).toHaveLength(1);
    now = new Date('2026-12-06T00:10:00Z');
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs.map((d) => d.toISOString())).toEqual(['2026-12-06T00:00:00.000Z', '2026-12-06T00:10:00.000Z']);
    expect(done).toEqual([{ transcripts: 1 }]);
    stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs).toHaveLength(2);
  });
});
