/** The bounded turn queue: never more than `concurrency` at once, the excess run in arrival order, none dropped below the limit. */
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../src/channels/kit/work-queue.ts';
import { isGuichetError } from '../../../src/core/errors.ts';

/** A job that runs until `release()` is called. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

/** One turn of the event loop (the queue starts jobs from setImmediate). */
const tick = () => new Promise((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('starts a job on a later turn of the event loop, not inside the caller (I/O already waiting goes first)', async () => {
    const queue = new WorkQueue({ concurrency: 4, maxQueued: 10 });
    const order: string[] = [];
    const job = queue.run(async () => order.push('job'));
    order.push('caller');
    await Promise.resolve();
    expect(order).toEqual(['caller']);
    await job;
    expect(order).toEqual(['caller', 'job']);
  });

  it('runs at most `concurrency` jobs, then the waiting ones in arrival order', async () => {
    const queue = new WorkQueue({ concurrency: 2, maxQueued: 100 });
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const results = gates.map((g, i) =>
      queue.run(async () => {
        started.push(i);
        await g.done;
        return i * 10;
      }),
    );
    // One job starts per turn of the event loop (the I/O polled between two starts).
    await tick();
    expect(started).toEqual([0]);
    await tick();
    expect(started).toEqual([0, 1]);
    await tick();
    expect(started).toEqual([0, 1]);
    expect(queue.stats()).toMatchObject({ running: 2, queued: 3 });
    gates[1]!.release();
    await results[1];
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.release();
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30, 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(queue.stats()).toEqual({ running: 0, queued: 0, oldestWaitMs: 0 });
  });

  it('passes a failure to its caller and goes on with the next job', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueued: 10 });
    const failing = queue.run(async () => {
      throw new Error('boom');
    });
    const next = queue.run(async () => 'after');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('after');
  });

  it('refuses a job beyond maxQueued with channels.overloaded, and keeps the others', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueued: 2 });
    const g = gate();
    const running = queue.run(() => g.done);
    await tick();
    const waiting = [queue.run(async () => 1), queue.run(async () => 2)];
    expect(queue.hasRoom()).toBe(false);
    const refused = await queue.run(async () => 3).catch((err: unknown) => err);
    expect(isGuichetError(refused) && refused.code).toBe('channels.overloaded');
    g.release();
    await running;
    expect(await Promise.all(waiting)).toEqual([1, 2]);
  });

  it('tells how long a job waited and resolves idle() once everything ran', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueued: 10 });
    const waits: number[] = [];
    const g = gate();
    void queue.run(() => g.done, (ms) => waits.push(ms));
    await tick();
    const second = queue.run(async () => 'second', (ms) => waits.push(ms));
    let idle = false;
    const idlePromise = queue.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(queue.stats().oldestWaitMs).toBeGreaterThanOrEqual(25);
    expect(idle).toBe(false);
    g.release();
    await second;
    await idlePromise;
    expect(idle).toBe(true);
    expect(waits[0]).toBeLessThan(25);
    expect(waits[1]).toBeGreaterThanOrEqual(25);
  });

  it('keeps order and bound over thousands of jobs (no job lost)', async () => {
    const queue = new WorkQueue({ concurrency: 3, maxQueued: 10_000 });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const jobs = Array.from({ length: 5_000 }, (_, i) =>
      queue.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        order.push(i);
        // A few loop turns of work (jobs start one per loop turn, so the bound is reached).
        for (let step = 0; step < 5; step += 1) await new Promise((r) => setImmediate(r));
        active -= 1;
      }),
    );
    await Promise.all(jobs);
    expect(peak).toBe(3);
    expect(order).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
  });
});
