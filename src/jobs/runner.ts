/**
 * The in-process job runner: reads the outbox table (JobStore) directly and runs each due job
 * once. It is the queue on SQLite (one instance); on PostgreSQL pg-boss runs the jobs
 * (pg-boss-queue.ts) and this runner only serves `runNow`. It works with any number of instances
 * on one table all the same (the unit tests and the benchmark run several):
 * - a job is claimed with a compare-and-set on its `runAt` (one winner), for a lease; an instance
 *   that dies leaves it due again when the lease ends, and another runs it;
 * - a job written in a unit of work is run by its writer right after the commit (`runNow`), or, when
 *   the writer's answer does not show its effects (a new ticket's card, opened in a chat turn), just
 *   after the writer's reply went out (`runAfterReply`, not awaited); left to the others after `graceMs`;
 *   runNow never takes a job another instance claimed while its lease runs;
 * - a failure is retried with exponential backoff; after `maxAttempts` (the queue's own, if it
 *   has one) or a JobGiveUp the job is dead (listed for admins: `deadList`, `revive`; the queue's
 *   `onDead` is told); a JobNotReady puts it back for later without counting an attempt;
 * - scheduled work (`every`) is one job per period, keyed by the period: every instance enqueues
 *   it, the unique key keeps one, one instance runs it;
 * - steps (`ctx.step`) are recorded, so a retry skips the messages already sent.
 * Polling is paced (`pollMs`) and woken by `nudge()`; at most `concurrency` jobs run at once, and
 * jobs of one lane (`payload.lane`, e.g. one ticket's messages) one after another, in order.
 */
import { randomUUID } from 'node:crypto';
import { GuichetError } from '../core/errors.ts';
import { yieldToLoop } from '../core/event-loop.ts';
import { JobGiveUp, JobNotReady, type JobContext, type JobHandler, type JobRecord, type JobService, type JobStore, type NewJob, type QueueOptions } from '../core/jobs.ts';
import { pacedLoop } from './paced-loop.ts';

export interface RunnerOptions {
  store: JobStore;
  /** This instance's name in `lockedBy` (default: a random id). */
  owner?: string;
  now?: () => Date;
  /** Pause between two polls when idle, ms (1,000). */
  pollMs?: number;
  /** How long a claimed job is left to its instance, ms (5 min). */
  leaseMs?: number;
  /** How long a job written for runNow is left to its writer, ms (30 s). */
  graceMs?: number;
  /** Attempts before a job is dead (8). */
  maxAttempts?: number;
  /** First retry delay, doubled at each attempt (5 s), and its ceiling (15 min). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Jobs run at once by this instance (4). */
  concurrency?: number;
  /** A job that failed (it is retried or dead) or a failed poll. */
  onError?: (err: unknown, context: string) => void;
}

export interface Scheduled {
  /** Queue name (also the key prefix of its jobs). */
  name: string;
  periodMs: number;
  handler: JobHandler;
}

/** The queue on SQLite, and the pieces the PostgreSQL queue shares (runNow, the handlers). */
export type JobRunner = JobService;

/** The wait before attempt `attempts + 1`: the queue's first delay (else the default), doubled at each attempt, capped. */
export function backoffDelay(rule: QueueOptions, defaults: { backoffMs: number; maxBackoffMs: number }, attempts: number): number {
  return Math.min(rule.maxBackoffMs ?? defaults.maxBackoffMs, (rule.backoffMs ?? defaults.backoffMs) * 2 ** (attempts - 1));
}

/** A failure as the outbox records it. */
export const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/**
 * Runs `handler` on `job` with its steps: a step recorded by an earlier attempt is skipped, a new
 * one recorded through `saveProgress` as soon as it is carried out. Throws what the handler throws.
 */
export async function runHandler(handler: JobHandler | undefined, job: JobRecord, saveProgress: (progress: string[]) => Promise<void>): Promise<void> {
  if (!handler) throw new GuichetError('jobs.no-handler', `jobs: no handler for queue "${job.queue}"`);
  const done = new Set(job.progress);
  const ctx: JobContext = {
    job,
    async step(name, work) {
      if (done.has(name)) return;
      await work();
      done.add(name);
      await saveProgress([...done]);
    },
  };
  await handler(job.payload, ctx);
}

export function createJobRunner(options: RunnerOptions): JobRunner {
  const store = options.store;
  const owner = options.owner ?? randomUUID();
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 1_000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const graceMs = options.graceMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffMs = options.backoffMs ?? 5_000;
  const maxBackoffMs = options.maxBackoffMs ?? 15 * 60_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const onError = options.onError ?? (() => {});
  if (leaseMs <= 0 || graceMs < 0 || maxAttempts < 1 || pollMs <= 0) throw new GuichetError('jobs.invalid-option', `jobs: lease (${leaseMs} ms) and poll (${pollMs} ms) must be > 0, grace (${graceMs} ms) ≥ 0, attempts (${maxAttempts}) ≥ 1`);

  const handlers = new Map<string, JobHandler>();
  const rules = new Map<string, QueueOptions>();
  const scheduled: Scheduled[] = [];
  const inFlight = new Set<Promise<void>>();
  /** Runs started by runAfterReply, by key, from their scheduling to their end: stop() waits for them, and runNow of the same key. */
  const afterReply = new Map<string, Promise<void>>();
  let scheduleTimer: NodeJS.Timeout | undefined;
  let running = false;

  /** Runs a claimed job: done, or retried later, or put back (not ready), or dead. */
  async function run(job: JobRecord): Promise<void> {
    try {
      await runHandler(handlers.get(job.queue), job, (progress) => store.saveProgress(job.id, progress));
      await store.done(job.id, now());
    } catch (err) {
      try {
        await failed(job, err);
      } catch (stored) {
        // The lease ends anyway: the job comes back to someone.
        onError(stored, `job ${job.key}: recording its failure`);
      }
    }
  }

  /** A failed run: put back (not ready), retried with backoff, or dead (its queue's onDead told). */
  async function failed(job: JobRecord, err: unknown): Promise<void> {
    if (err instanceof JobNotReady) {
      await store.postpone(job.id, err.runAt);
      return;
    }
    const rule = rules.get(job.queue) ?? {};
    const limit = rule.maxAttempts ?? maxAttempts;
    const attempts = job.attempts + 1;
    const error = errorText(err);
    if (attempts >= limit || err instanceof JobGiveUp) {
      await store.dead(job.id, attempts, error);
      onError(err, `job ${job.key} (${job.queue}) given up after ${attempts} attempts`);
      await rule.onDead?.({ ...job, status: 'dead', attempts, lastError: error }).catch((e: unknown) => onError(e, `job ${job.key}: its queue's dead-letter hook`));
      return;
    }
    const delay = backoffDelay(rule, { backoffMs, maxBackoffMs }, attempts);
    await store.retry(job.id, attempts, new Date(now().getTime() + delay), error);
    onError(err, `job ${job.key} (${job.queue}) failed, attempt ${attempts} of ${limit}`);
  }

  /** Claims then runs `job` (tracked as in flight); false when another instance took it first. */
  async function take(job: JobRecord): Promise<boolean> {
    const at = now();
    if (!(await store.claim(job.id, job.runAt, new Date(at.getTime() + leaseMs), owner))) return false;
    const work = run({ ...job, lockedBy: owner });
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
    // Between two jobs, the event loop serves the turns waiting (web, Slack, Teams).
    await yieldToLoop();
    return true;
  }

  /** Runs these jobs now, each one that is pending and not claimed (another run of it, here or elsewhere, has it while its lease runs). */
  async function runKeys(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const job = await store.byKey(key);
      const claimed = job?.lockedBy != null && job.runAt.getTime() > now().getTime();
      if (job?.status === 'pending' && !claimed) await take(job);
    }
  }

  /** One poll: due jobs of the handled queues, `concurrency` at a time, until none is due. */
  async function poll(): Promise<void> {
    let full: boolean;
    do {
      if (handlers.size === 0) return;
      const due = await store.due([...handlers.keys()], now(), concurrency * 4);
      const queue = lanesOf(due);
      const worker = async () => {
        for (let lane = queue.shift(); lane && running; lane = queue.shift()) for (const job of lane) if (running) await take(job);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
      full = due.length === concurrency * 4;
    } while (full && running);
  }
  const polls = pacedLoop(poll, pollMs, (err) => onError(err, 'job queue poll'));

  /** Enqueues the current period's job of every scheduled work (one row per period across instances). */
  async function enqueueScheduled(): Promise<void> {
    const at = now();
    const jobs = scheduled.map((s) => ({ queue: s.name, key: periodKey(s.name, s.periodMs, at), payload: { period: periodStart(s.periodMs, at).toISOString() } }));
    if (jobs.length > 0 && (await store.enqueue(jobs, at)) > 0) runner.nudge();
  }

  const runner = {
    owner,
    graceMs,
    handle(queue: string, handler: JobHandler, options: QueueOptions = {}): void {
      if (handlers.has(queue)) throw new GuichetError('jobs.duplicate-handler', `jobs: queue "${queue}" already has a handler`);
      if (options.maxAttempts !== undefined && options.maxAttempts < 1) throw new GuichetError('jobs.invalid-option', `jobs: queue "${queue}" attempts (${options.maxAttempts}) must be ≥ 1`);
      handlers.set(queue, handler);
      rules.set(queue, options);
    },
    /** Scheduled work: `handler` runs once per `periodMs` across every instance (the first poll after the period starts). */
    every(name: string, periodMs: number, handler: JobHandler): void {
      if (periodMs < 1_000) throw new GuichetError('jobs.invalid-option', `jobs: "${name}" period must be ≥ 1 s (got ${periodMs} ms)`);
      runner.handle(name, handler);
      scheduled.push({ name, periodMs, handler });
    },
    enqueue(jobs: readonly NewJob[]): Promise<number> {
      return store.enqueue(jobs, now()).then((n) => {
        if (n > 0) runner.nudge();
        return n;
      });
    },
    /** Waits first for a run of the same key started by runAfterReply (a caller that needs its effects, e.g. the card posted). */
    async runNow(keys: readonly string[]): Promise<void> {
      await Promise.all(keys.map((key) => afterReply.get(key)));
      await runKeys(keys);
    },
    runAfterReply(keys: readonly string[]): void {
      // setImmediate: after the writer's turn has returned and its reply was handed to the connection.
      const work = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => runKeys(keys))
        .catch((err: unknown) => onError(err, `jobs ${keys.join(', ')} run after the reply (left to the runners)`))
        .finally(() => {
          for (const key of keys) if (afterReply.get(key) === work) afterReply.delete(key);
        });
      for (const key of keys) afterReply.set(key, work);
    },
    nudge(): void {
      polls.soon();
    },
    /** Starts polling and the scheduled work. */
    start(): void {
      if (running) return;
      running = true;
      polls.start();
      if (scheduled.length > 0) {
        const beat = () => enqueueScheduled().catch((err: unknown) => onError(err, 'scheduled jobs'));
        void beat();
        scheduleTimer = setInterval(beat, Math.min(1_000, ...scheduled.map((s) => s.periodMs)));
        scheduleTimer.unref();
      }
    },
    /** Stops taking jobs and waits for those in flight (their claims end as done, retried or dead). */
    async stop(): Promise<void> {
      running = false;
      if (scheduleTimer) clearInterval(scheduleTimer);
      scheduleTimer = undefined;
      await polls.stop();
      await runner.afterReplyDone();
      await Promise.allSettled([...inFlight]);
    },
    /** Runs due jobs until none is left (tests, benchmarks, the CLI); returns how many ran. */
    async drain(options: { until?: () => boolean } = {}): Promise<number> {
      let ran = 0;
      for (;;) {
        const due = await store.due([...handlers.keys()], now(), concurrency * 4);
        if (due.length === 0 || options.until?.()) return ran;
        const queue = lanesOf(due);
        const worker = async () => {
          for (let lane = queue.shift(); lane; lane = queue.shift()) for (const job of lane) if (await take(job)) ran += 1;
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
      }
    },
    /** Resolves when the runs started by runAfterReply so far are over (tests wait for a turn's card with it). */
    async afterReplyDone(): Promise<void> {
      while (afterReply.size > 0) await Promise.allSettled([...afterReply.values()]);
    },
    /** Pending jobs (the queue's depth). */
    async depth(): Promise<number> {
      return (await store.stats(now())).pending;
    },
    /** How long the longest-waiting due job has been due, in seconds (0 when none). */
    async oldestAgeSeconds(): Promise<number> {
      const at = now();
      const { oldestDueAt } = await store.stats(at);
      return oldestDueAt ? Math.max(0, (at.getTime() - oldestDueAt.getTime()) / 1000) : 0;
    },
    stats: () => store.queueStats(now()),
    /** The outbox table answers (the in-process runner has nothing else that can be down). */
    async ping(): Promise<void> {
      await store.byKey('');
    },
    deadList: (limit = 50) => store.deadList(limit),
    /** Makes a dead job pending again (an admin's retry). */
    async revive(id: number): Promise<void> {
      if (!(await store.revive(id, now()))) throw new GuichetError('jobs.not-dead', `jobs: job ${id} is not a dead job`);
      runner.nudge();
    },
  } satisfies JobService;
  return runner;
}

/**
 * Due jobs by lane (`payload.lane`: the messages of one ticket or conversation), each lane in the
 * order read (oldest first): one worker runs a lane's jobs one after another, so they arrive in the
 * order they were written; a job without a lane is a lane of its own. Across polls, a job retried
 * later runs after the ones behind it.
 */
export function lanesOf(jobs: readonly JobRecord[]): JobRecord[][] {
  return lanesBy(jobs, (job) => (typeof job.payload.lane === 'string' ? `lane:${job.payload.lane}` : `key:${job.key}`));
}

/** Items grouped by `laneOf`, each group in the order given, the groups in the order first seen (the runner's and pg-boss's batches). */
export function lanesBy<T>(items: readonly T[], laneOf: (item: T) => string): T[][] {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const lane = laneOf(item);
    const list = lanes.get(lane);
    if (list) list.push(item);
    else lanes.set(lane, [item]);
  }
  return [...lanes.values()];
}

/** The start of the period of `periodMs` that holds `at`, and the key of its scheduled job (the same on every instance). */
export const periodStart = (periodMs: number, at: Date) => new Date(Math.floor(at.getTime() / periodMs) * periodMs);
export const periodKey = (name: string, periodMs: number, at: Date) => `${name}@${periodStart(periodMs, at).toISOString()}`;
