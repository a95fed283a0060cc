/**
 * The job queue as the application opens it (src/app/jobs.ts) on a real database: pg-boss fed by
 * the outbox on PostgreSQL (DATABASE_URL=postgresql://…), the in-process runner on SQLite. The same
 * guarantees on both: a job written in a unit of work that rolls back never runs; a committed one
 * runs once with two instances on the database; a failing one is retried with backoff, then dead
 * (listed) and revived by an admin; a queue's own attempts, JobGiveUp (dead at once), JobNotReady
 * (put back, no attempt counted) and its onDead hook; a queue's backoff capped at its ceiling; scheduled work
 * runs once per period across two instances;
 * stop() lets a job in flight finish.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openJobs } from '../../src/app/jobs.ts';
import { JobGiveUp, JobNotReady } from '../../src/core/jobs.ts';
import type { JobRunner } from '../../src/jobs/runner.ts';
import { systemClock } from '../../src/core/ports.ts';
import { PrismaJobStore, enqueueJobs } from '../../src/persistence/stores/jobs.ts';
import type { Client } from '../../src/persistence/stores/tickets-directory.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;
const opened: JobRunner[] = [];
const errors: string[] = [];
const DEBUG = process.env.JOBS_DEBUG ? (err: unknown, c: string) => console.error(c, err) : () => {};

/** One instance's queue on the test database (fast polling, short backoff). */
function instance(settings: { maxAttempts?: number } = {}): JobRunner {
  const jobs = openJobs(testDb.db, { url: testDb.url, clock: systemClock, settings: { pollMs: 200, leaseSeconds: 30, graceSeconds: 0, maxAttempts: settings.maxAttempts ?? 8, concurrency: 4, backoffSeconds: 1 }, onError: (err, context) => (DEBUG(err, context), errors.push(context)) });
  opened.push(jobs);
  return jobs;
}

const status = async (key: string) => (await testDb.db.client.job.findUnique({ where: { key } }))?.status;

beforeEach(async () => {
  testDb = await createTestDatabase();
  errors.length = 0;
});

afterEach(async () => {
  for (const jobs of opened.splice(0)) await jobs.stop();
  await testDb.cleanup();
});

describe(`the job queue on ${process.env.DATABASE_URL?.startsWith('postgres') ? 'PostgreSQL (pg-boss)' : 'SQLite (in process)'}`, () => {
  it('a failed run never reopens a job that is no longer waiting (another instance finished it after the lease ran out, or it is dead)', async () => {
    const store = new PrismaJobStore(testDb.db);
    const at = new Date();
    await store.enqueue([{ queue: 'mail', key: 'mail:done', payload: {} }, { queue: 'mail', key: 'mail:dead', payload: {} }, { queue: 'mail', key: 'mail:waiting', payload: {} }], at);
    const [done, dead, waiting] = await Promise.all(['mail:done', 'mail:dead', 'mail:waiting'].map(async (key) => (await store.byKey(key))!));
    await store.done(done!.id, at);
    await store.dead(dead!.id, 8, 'Error: gave up');
    for (const job of [done!, dead!, waiting!]) await store.retry(job.id, 1, new Date(at.getTime() + 5_000), 'Error: the late run failed');
    expect(await status('mail:done')).toBe('done');
    expect(await status('mail:dead')).toBe('dead');
    expect(await store.byKey('mail:waiting')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: the late run failed' });
  });

  it('never runs a job whose unit of work rolled back; runs each committed one once with two instances', { timeout: 60_000 }, async () => {
    const ran: string[] = [];
    const [a, b] = [instance(), instance()];
    for (const jobs of [a, b]) jobs.handle('mail', async (payload) => void ran.push(String(payload.to)));
    const { db } = testDb;
    await expect(
      db.client.$transaction(async (tx) => {
        await enqueueJobs(tx as unknown as Client, db.provider, [{ queue: 'mail', key: 'mail:lost', payload: { to: 'lost' } }], new Date());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await db.client.$transaction(async (tx) => {
      await enqueueJobs(tx as unknown as Client, db.provider, Array.from({ length: 30 }, (_, i) => ({ queue: 'mail', key: `mail:${i}`, payload: { to: `u${i}` } })), new Date());
    });
    a.start();
    b.start();
    a.nudge();
    b.nudge();
    await vi.waitFor(async () => expect(await a.depth()).toBe(0), { timeout: 30_000, interval: 200 });
    expect(ran.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `u${i}`).sort());
    expect(await status('mail:lost')).toBeUndefined();
    expect(await db.client.job.count({ where: { queue: 'mail', status: 'done' } })).toBe(30);
  });

  it('retries a failing job with backoff, lists it dead after its last attempt; revived, it runs', { timeout: 60_000 }, async () => {
    const jobs = instance({ maxAttempts: 3 });
    const attempts: number[] = [];
    let broken = true;
    jobs.handle('post', async () => {
      attempts.push(Date.now());
      if (broken) throw new Error('platform down');
    });
    jobs.start();
    await jobs.enqueue([{ queue: 'post', key: 'post:1', payload: {} }]);
    await vi.waitFor(async () => expect((await jobs.deadList()).map((j) => j.key)).toEqual(['post:1']), { timeout: 40_000, interval: 200 });
    expect(attempts).toHaveLength(3);
    // Backoff: each retry waits at least the first delay (1 s).
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(900);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(900);
    const [dead] = await jobs.deadList();
    expect(dead).toMatchObject({ attempts: 3, lastError: 'Error: platform down' });
    expect(errors.some((e) => e.includes('post:1') && e.includes('given up'))).toBe(true);

    broken = false;
    await jobs.revive(dead!.id);
    await vi.waitFor(async () => expect(await status('post:1')).toBe('done'), { timeout: 20_000, interval: 200 });
    expect(attempts).toHaveLength(4);
    expect(await jobs.deadList()).toEqual([]);
    await expect(jobs.revive(dead!.id)).rejects.toMatchObject({ code: 'jobs.not-dead' });
  });

  it("keeps a queue's own attempts, gives up at once on JobGiveUp, puts back a job not ready, and tells the queue's onDead", { timeout: 60_000 }, async () => {
    const jobs = instance({ maxAttempts: 8 });
    const dead: string[] = [];
    const runs = new Map<string, number>();
    let waited = false;
    jobs.handle(
      'sync',
      async (payload) => {
        const key = String(payload.name);
        runs.set(key, (runs.get(key) ?? 0) + 1);
        if (key === 'refused') throw new JobGiveUp('the far side refuses it');
        if (key === 'waits' && !waited) {
          waited = true;
          throw new JobNotReady('waits for another job', new Date(Date.now() + 500));
        }
        if (key === 'down') throw new Error('far side down');
      },
      { maxAttempts: 2, backoffMs: 1_000, onDead: async (job) => void dead.push(`${job.key}:${job.attempts}`) },
    );
    jobs.start();
    await jobs.enqueue(['refused', 'down', 'waits'].map((name) => ({ queue: 'sync', key: `sync:${name}`, payload: { name } })));
    await vi.waitFor(async () => expect(await status('sync:waits')).toBe('done'), { timeout: 30_000, interval: 200 });
    await vi.waitFor(() => expect(dead.sort()).toEqual(['sync:down:2', 'sync:refused:1']), { timeout: 30_000, interval: 200 });
    expect(Object.fromEntries(runs)).toEqual({ refused: 1, down: 2, waits: 2 });
    // Waiting was no failed attempt.
    expect(await testDb.db.client.job.findUniqueOrThrow({ where: { key: 'sync:waits' } })).toMatchObject({ attempts: 0 });
    expect((await jobs.deadList()).map((j) => [j.key, j.attempts]).sort()).toEqual([['sync:down', 2], ['sync:refused', 1]]);
  });

  it("caps a queue's retry backoff at its ceiling (pg-boss as the in-process runner)", { timeout: 60_000 }, async () => {
    const jobs = instance();
    let attempts = 0;
    jobs.handle(
      'capped',
      async () => {
        attempts += 1;
        throw new Error('platform down');
      },
      { maxAttempts: 3, backoffMs: 60_000, maxBackoffMs: 1_000 },
    );
    jobs.start();
    await jobs.enqueue([{ queue: 'capped', key: 'capped:1', payload: {} }]);
    // Uncapped, the second attempt would wait a minute and the third two more: this waits 30 s at most.
    await vi.waitFor(async () => expect((await jobs.deadList()).map((j) => j.key)).toEqual(['capped:1']), { timeout: 30_000, interval: 200 });
    expect(attempts).toBe(3);
    expect(await jobs.deadList()).toMatchObject([{ attempts: 3, lastError: 'Error: platform down' }]);
  });

  it('runs scheduled work once per period across two instances', { timeout: 60_000 }, async () => {
    const periods: string[] = [];
    const [a, b] = [instance(), instance()];
    for (const jobs of [a, b]) jobs.every('tick', 1_000, async (payload) => void periods.push(String(payload.period)));
    a.start();
    b.start();
    await vi.waitFor(() => expect(new Set(periods).size).toBeGreaterThanOrEqual(4), { timeout: 30_000, interval: 100 });
    await Promise.all([a.stop(), b.stop()]);
    expect(periods).toHaveLength(new Set(periods).size);
  });

  it('lets a job in flight finish on stop()', { timeout: 60_000 }, async () => {
    const jobs = instance();
    let started = false;
    let finished = false;
    jobs.handle('slow', async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      finished = true;
    });
    jobs.start();
    await jobs.enqueue([{ queue: 'slow', key: 'slow:1', payload: {} }]);
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 20_000, interval: 50 });
    await jobs.stop();
    expect(finished).toBe(true);
    expect(await status('slow:1')).toBe('done');
  });
});
