/** The I/O-first scheduler of yieldToLoop: one step per loop turn, none in a loop turn where requests were read (up to a bound). */
import { afterEach, describe, expect, it } from 'vitest';
import { setLoopScheduler, yieldToLoop } from '../../../src/core/event-loop.ts';
import { IoFirstScheduler } from '../../../src/server/io-first.ts';

/** One turn of the event loop. */
const tick = () => new Promise((r) => setImmediate(r));

afterEach(() => setLoopScheduler(undefined));

describe('IoFirstScheduler', () => {
  it('resumes one waiting step per loop turn, in order', async () => {
    const scheduler = new IoFirstScheduler();
    const resumed: number[] = [];
    for (const i of [1, 2, 3]) scheduler.schedule(() => resumed.push(i));
    expect(resumed).toEqual([]);
    await tick();
    expect(resumed).toEqual([1]);
    await tick();
    expect(resumed).toEqual([1, 2]);
    await tick();
    expect(resumed).toEqual([1, 2, 3]);
    expect(scheduler.pending).toBe(0);
  });

  it('holds the steps back in every loop turn where a request was read, then resumes them', async () => {
    let now = 1_000;
    const scheduler = new IoFirstScheduler({ maxDeferMs: 100, now: () => now });
    const resumed: number[] = [];
    scheduler.schedule(() => resumed.push(1));
    scheduler.schedule(() => resumed.push(2));
    for (let turn = 0; turn < 5; turn += 1) {
      scheduler.markIo();
      now += 10;
      await tick();
    }
    expect(resumed).toEqual([]);
    await tick();
    expect(resumed).toEqual([1]);
    await tick();
    expect(resumed).toEqual([1, 2]);
  });

  it('still resumes a step once it has been held maxDeferMs, under a steady flood', async () => {
    let now = 1_000;
    const scheduler = new IoFirstScheduler({ maxDeferMs: 100, now: () => now });
    const resumed: number[] = [];
    scheduler.schedule(() => resumed.push(1));
    scheduler.schedule(() => resumed.push(2));
    const flood = async (turns: number) => {
      for (let turn = 0; turn < turns; turn += 1) {
        scheduler.markIo();
        await tick();
        now += 30;
      }
    };
    await flood(4); // held at 0, 30, 60, 90 ms
    expect(resumed).toEqual([]);
    await flood(1); // 120 ms: past the bound
    expect(resumed).toEqual([1]);
    await flood(3); // the next one is held again from now on
    expect(resumed).toEqual([1]);
    await flood(2);
    expect(resumed).toEqual([1, 2]);
  });

  it('is what yieldToLoop resumes through once installed', async () => {
    const scheduler = new IoFirstScheduler();
    setLoopScheduler(scheduler.schedule);
    let done = false;
    const step = yieldToLoop().then(() => (done = true));
    expect(scheduler.pending).toBe(1);
    scheduler.markIo();
    await tick();
    expect(done).toBe(false);
    await step;
    expect(done).toBe(true);
  });
});
