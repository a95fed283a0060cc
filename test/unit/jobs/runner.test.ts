import { describe, expect, it } from 'vitest';
import { JobGiveUp, JobNotReady, ownedJob, type JobRecord } from '../../../src/core/jobs.ts';
import { createJobRunner, type RunnerOptions } from '../../../src/jobs/runner.ts';
import { MemoryJobStore } from '../../../src/jobs/memory-store.ts';

/** A runner on `store` with a clock the test moves. */
function runner(store: MemoryJobStore, clock: { t: number }, options: Partial<RunnerOptions> = {}) {
  const errors: string[] = [];
  const jobs = createJobRunner({ store, now: () => new Date(clock.t), backoffMs: 1_000, maxAttempts: 3, leaseMs: 60_000, graceMs: 30_000, onError: (_err, context) => errors.push(context), ...options });
  return { jobs, errors };
}

describe('the job runner', () => {
  it('runs each job once, even when two instances drain the same outbox at once', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const ran: string[] = [];
    const a = runner(store, clock).jobs;
    const b = runner(store, clock).jobs;
    for (const r of [a, b]) r.handle('mail', async (p) => void ran.push(String(p.to)));
    await a.enqueue(Array.from({ length: 20 }, (_, i) => ({ queue: 'mail', key: `mail:${i}`, payload: { to: `u${i}` } })));
    // The same key again writes nothing.
    expect(await b.enqueue([{ queue: 'mail', key: 'mail:0', payload: { to: 'again' } }])).toBe(0);
    const [x, y] = await Promise.all([a.drain(), b.drain()]);
    expect(x + y).toBe(20);
    expect(ran.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `u${i}`).sort());
    expect(await a.depth()).toBe(0);
  });

  it('retries a failing job with exponential backoff, then lists it dead; an admin revives it', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const { jobs, errors } = runner(store, clock);
    let fail = true;
    let calls = 0;
    jobs.handle('post', async () => {
      calls += 1;
      if (fail) throw new Error('platform down');
    });
    await jobs.enqueue([{ queue: 'post', key: 'post:1', payload: {} }]);
    expect(await jobs.drain()).toBe(1);
    expect(store.rows[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: platform down' });
    expect(store.rows[0]!.runAt.getTime() - clock.t).toBe(1_000); // first retry after 1 s
    expect(await jobs.drain()).toBe(0); // not due yet
    clock.t += 1_000;
    expect(await jobs.drain()).toBe(1);
    expect(store.rows[0]!.runAt.getTime() - clock.t).toBe(2_000); // then 2 s
    clock.t += 2_000;
    await jobs.drain();
    expect(store.rows[0]).toMatchObject({ status: 'dead', attempts: 3 });
    expect(calls).toBe(3);
    expect(errors.at(-1)).toBe('job post:1 (post) given up after 3 attempts');
    expect((await jobs.deadList()).map((j) => j.key)).toEqual(['post:1']);
    fail = false;
    await jobs.revive(store.rows[0]!.id);
    await jobs.drain();
    expect(store.rows[0]!.status).toBe('done');
    expect(calls).toBe(4);
    await expect(jobs.revive(store.rows[0]!.id)).rejects.toMatchObject({ code: 'jobs.not-dead' });
  });

  it("keeps a queue's own attempts and backoff, gives up at once on JobGiveUp, and tells the queue's onDead", async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const { jobs, errors } = runner(store, clock);
    const dead: JobRecord[] = [];
    jobs.handle(
      'sync',
      async (payload) => {
        if (payload.refused) throw new JobGiveUp('the far side refuses it');
        throw new Error('far side down');
      },
      { maxAttempts: 5, backoffMs: 10_000, maxBackoffMs: 15_000, onDead: async (job) => void dead.push(job) },
    );
    await jobs.enqueue([{ queue: 'sync', key: 'sync:down', payload: {} }, { queue: 'sync', key: 'sync:refused', payload: { refused: true } }]);
    await jobs.drain();
    // Refused: dead after one attempt, whatever it had left; onDead gets the row as recorded.
    expect(store.rows[1]).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.map((j) => [j.key, j.status, j.attempts, j.lastError])).toEqual([['sync:refused', 'dead', 1, 'GuichetError: the far side refuses it']]);
    // Down: the queue's backoff (10 s, then its ceiling 15 s) and its five attempts, not the runner's three.
    const delays: number[] = [];
    for (let attempt = 1; attempt < 5; attempt += 1) {
      expect(store.rows[0]).toMatchObject({ status: 'pending', attempts: attempt });
      delays.push(store.rows[0]!.runAt.getTime() - clock.t);
      clock.t = store.rows[0]!.runAt.getTime();
      await jobs.drain();
    }
    expect(delays).toEqual([10_000, 15_000, 15_000, 15_000]);
    expect(store.rows[0]).toMatchObject({ status: 'dead', attempts: 5 });
    expect(dead.map((j) => j.key)).toEqual(['sync:refused', 'sync:down']);
    expect(errors).toContain('job sync:down (sync) given up after 5 attempts');
    expect(() => jobs.handle('other', async () => {}, { maxAttempts: 0 })).toThrow(/attempts \(0\) must be ≥ 1/);
  });

  it('puts back a job that is not ready, for its own time, without counting an attempt', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const { jobs } = runner(store, clock);
    let ready = false;
    let runs = 0;
    jobs.handle('wait', async () => {
      runs += 1;
      if (!ready) throw new JobNotReady('waits for another job', new Date(clock.t + 60_000));
    });
    await jobs.enqueue([{ queue: 'wait', key: 'wait:1', payload: {} }]);
    await jobs.drain();
    await jobs.drain(); // not due again before its time
    expect(store.rows[0]).toMatchObject({ status: 'pending', attempts: 0, lockedBy: null, runAt: new Date(clock.t + 60_000) });
    expect(runs).toBe(1);
    ready = true;
    clock.t += 60_000;
    await jobs.drain();
    expect(store.rows[0]).toMatchObject({ status: 'done', attempts: 0 });
    expect(runs).toBe(2);
  });

  it('skips on retry the steps an earlier attempt carried out: each message is sent once', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const { jobs } = runner(store, clock);
    const sent: string[] = [];
    let broken = true;
    jobs.handle('tell', async (payload, ctx) => {
      for (const to of payload.to as string[]) {
        await ctx.step(`to:${to}`, async () => {
          if (to === 'carol' && broken) throw new Error('carol unreachable');
          sent.push(to);
        });
      }
    });
    await jobs.enqueue([{ queue: 'tell', key: 'tell:1', payload: { to: ['alice', 'bob', 'carol'] } }]);
    await jobs.drain();
    broken = false;
    clock.t += 1_000;
    await jobs.drain();
    expect(sent).toEqual(['alice', 'bob', 'carol']);
    expect(store.rows[0]).toMatchObject({ status: 'done', progress: ['to:alice', 'to:bob', 'to:carol'] });
  });

  it('leaves a job written for its writer (runNow) to it during the grace, then to another instance', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const writer = runner(store, clock).jobs;
    const other = runner(store, clock).jobs;
    const ran: string[] = [];
    writer.handle('card', async () => void ran.push('writer'));
    other.handle('card', async () => void ran.push('other'));
    // Written in a unit of work for the writer to run after its commit…
    await store.enqueue([ownedJob(writer, { queue: 'card', key: 'card:1', payload: {} }, new Date(clock.t)), ownedJob(writer, { queue: 'card', key: 'card:2', payload: {} }, new Date(clock.t))], new Date(clock.t));
    expect(await other.drain()).toBe(0);
    await writer.runNow(['card:1']);
    expect(ran).toEqual(['writer']);
    // …card:2's writer died before running it: after the grace, another instance does, once.
    clock.t += 30_000;
    expect(await other.drain()).toBe(1);
    await writer.runNow(['card:2']);
    expect(ran).toEqual(['writer', 'other']);
  });

  it('runs a job after the reply without its writer waiting; runNow of it waits for that run, stop() too, and nothing runs twice', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const writer = runner(store, clock).jobs;
    const ran: string[] = [];
    let release!: () => void;
    const posted = new Promise<void>((resolve) => (release = resolve));
    writer.handle('card', async (p) => {
      ran.push(`start ${String(p.n)}`);
      if (p.n === 1) await posted; // the platform is slow to answer
      ran.push(`end ${String(p.n)}`);
    });
    const write = (n: number) => store.enqueue([ownedJob(writer, { queue: 'card', key: `card:${n}`, payload: { n } }, new Date(clock.t))], new Date(clock.t));
    await write(1);
    // The writer goes on at once (its reply): the run starts on the next turn of the event loop.
    writer.runAfterReply(['card:1']);
    expect(ran).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['start 1']);
    // Whoever needs the card posted (a handoff) waits for that run, and does not run the job a second time.
    let needed = false;
    const needs = writer.runNow(['card:1']).then(() => (needed = true));
    // Past the grace, the lease of the run in flight keeps it from anyone else.
    const other = runner(store, clock).jobs;
    other.handle('card', async () => void ran.push('other'));
    clock.t += 30_000;
    expect(await other.drain()).toBe(0);
    // stop() waits for such runs too.
    let stopped = false;
    await write(2);
    writer.runAfterReply(['card:2']);
    const stopping = writer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect([needed, stopped]).toEqual([false, false]);
    release();
    await Promise.all([needs, stopping, writer.afterReplyDone()]);
    expect([needed, stopped]).toEqual([true, true]);
    expect(ran).toEqual(['start 1', 'start 2', 'end 2', 'end 1']);
    expect(store.rows.map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('reports a failed run after the reply and leaves the job to the retries', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const { jobs, errors } = runner(store, clock);
    jobs.handle('card', async () => {
      throw new Error('platform down');
    });
    await store.enqueue([ownedJob(jobs, { queue: 'card', key: 'card:1', payload: {} }, new Date(clock.t))], new Date(clock.t));
    jobs.runAfterReply(['card:1']);
    await jobs.afterReplyDone();
    expect(errors).toEqual(['job card:1 (card) failed, attempt 1 of 3']);
    expect(store.rows[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('runNow leaves a job another instance is running (its lease not ended) to it', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    const writer = runner(store, clock).jobs;
    const ran: string[] = [];
    writer.handle('notice', async () => void ran.push('writer'));
    // Due at once (another instance may take it first): it did, and runs it still.
    await store.enqueue([{ queue: 'notice', key: 'notice:1', payload: {} }], new Date(clock.t));
    expect(await store.claim(store.rows[0]!.id, store.rows[0]!.runAt, new Date(clock.t + 60_000), 'other-instance')).toBe(true);
    await writer.runNow(['notice:1']);
    expect(ran).toEqual([]);
    // Its lease ended (that instance died): the writer takes it then.
    clock.t += 60_000;
    await writer.runNow(['notice:1']);
    expect(ran).toEqual(['writer']);
  });

  it('takes back a job whose instance died while running it, when its lease ends', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
    await store.enqueue([{ queue: 'sync', key: 'sync:1', payload: {} }], new Date(clock.t));
    // An instance claimed it, then vanished.
    expect(await store.claim(store.rows[0]!.id, store.rows[0]!.runAt, new Date(clock.t + 60_000), 'dead-instance')).toBe(true);
    const { jobs } = runner(store, clock);
    let ran = 0;
    jobs.handle('sync', async () => void (ran += 1));
    expect(await jobs.drain()).toBe(0);
    clock.t += 60_000;
    expect(await jobs.drain()).toBe(1);
    expect(ran).toBe(1);
    expect(store.rows[0]!.lockedBy).toBe(jobs.owner);
  });

  it('runs scheduled work once per period across instances', async () => {
    const store = new MemoryJobStore();
    const clock = { t: Date.parse('2026-12-01T10:00:10Z') };
    const ticks: string[] = [];
    const instances = [runner(store, clock, { pollMs: 20 }).jobs, runner(store, clock, { pollMs: 20 }).jobs];
    for (const [i, r] of instances.entries()) r.every('sla.tick', 60_000, async (p) => void ticks.push(`${i}@${String(p.period)}`));
    for (const r of instances) r.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    clock.t += 60_000;
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    await Promise.all(instances.map((r) => r.stop()));
    expect(ticks.map((t) => t.slice(2)).sort()).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-01T10:01:00.000Z']);
    expect(store.rows.map((r) => r.key).sort()).toEqual(['sla.tick@2026-12-01T10:00:00.000Z', 'sla.tick@2026-12-01T10:01:00.000Z']);
  });

  it('refuses a second handler for a queue and nonsense settings', () => {
    const store = new MemoryJobStore();
    const { jobs } = runner(store, { t: 0 });
    jobs.handle('q', async () => {});
    expect(() => jobs.handle('q', async () => {})).toThrow(/queue "q" already has a handler/);
    expect(() => createJobRunner({ store, leaseMs: 0 })).toThrow(/lease \(0 ms\)/);
  });
});
