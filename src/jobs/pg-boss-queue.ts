/**
 * The job queue on PostgreSQL: the outbox table stays where jobs are written (in the unit of work
 * of the change that causes them), and pg-boss (its own schema in the same database) runs them
 * across N instances:
 * - a relay moves committed, due outbox rows into pg-boss in one transaction (rows marked
 *   `queued` and pg-boss jobs inserted together; relays on several instances skip each other's
 *   rows), so a row becomes exactly one pg-boss job;
 * - pg-boss workers run the handlers: one fetch takes a job for one worker, a job whose instance
 *   dies comes back after its expiry (`JOBS_LEASE_SECONDS`, pg-boss's own retry, after the first
 *   delay). A failure is retried as the in-process runner does: the outbox row records the attempt
 *   and goes back to pending at now + the backoff (doubled at each attempt, capped at
 *   `maxBackoffMs`, 15 min: pg-boss 10 has no ceiling of its own), and the relay sends it again
 *   then; after the last attempt the row is dead (what admins list and revive) and the queue's
 *   `onDead` is told. A job whose instance kept dying ends in pg-boss's dead-letter queue, whose
 *   worker records the row dead the same way. A queue may have its own attempts and delays
 *   (`handle`'s options). A handler's JobGiveUp makes the row dead at once; its JobNotReady puts
 *   the row back in the outbox for later (no attempt counted);
 * - the outbox row keeps the job's steps (`ctx.step`) and outcome: a job whose row is already done
 *   or dead is not run again; the jobs of one lane (`payload.lane`) in a fetched batch run one
 *   after another, in order;
 * - `runNow` is the in-process runner's (src/jobs/runner.ts): the writer claims its own row during
 *   the grace, before the relay may take it, so a job runs in one place only;
 * - scheduled work (`every`) is one pg-boss job per period, its id derived from the period: every
 *   instance sends it, pg-boss keeps the first (the id is unique), one worker runs it. It is not
 *   retried: the next period is.
 */
import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { GuichetError } from '../core/errors.ts';
import { JobGiveUp, JobNotReady, type JobHandler, type JobRecord, type JobRelayStore, type JobService, type NewJob, type QueueOptions } from '../core/jobs.ts';
import { pacedLoop } from './paced-loop.ts';
import { backoffDelay, createJobRunner, errorText, lanesBy, periodKey, periodStart, runHandler, type RunnerOptions } from './runner.ts';

/** pg-boss's queue that receives the jobs given up after their last attempt. */
export const DEAD_QUEUE = 'jobs.dead';

/**
 * The runner's options (src/jobs/runner.ts), with these differences on pg-boss: `pollMs` also paces
 * the relay (pg-boss fetches at most every 500 ms), `leaseMs` is a running job's expiry, and
 * `concurrency` counts jobs per queue. The backoff and its ceiling are the runner's.
 */
export interface PgBossQueueOptions extends Omit<RunnerOptions, 'store'> {
  store: JobRelayStore;
  /** The PostgreSQL database (pg-boss opens its own small pool on it). */
  connectionString: string;
  /** pg-boss's schema (default "pgboss"). */
  schema?: string;
}

/** What the relay puts in a pg-boss job: the outbox row to run. */
interface RelayedData {
  outboxId?: number;
  period?: string;
  /** The row's lane (`payload.lane`): a batch runs a lane's jobs in order. */
  lane?: string;
}

/** A fixed UUID for `key` (pg-boss ids are UUIDs): the same period's job sent by every instance is one job. */
function uuidOf(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Scheduled {
  name: string;
  periodMs: number;
}

export function createPgBossQueue(options: PgBossQueueOptions): JobService {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 1_000;
  const leaseSeconds = Math.max(1, Math.round((options.leaseMs ?? 5 * 60_000) / 1_000));
  const maxAttempts = options.maxAttempts ?? 8;
  const retryDelay = Math.max(1, Math.round((options.backoffMs ?? 5_000) / 1_000));
  const backoffMs = options.backoffMs ?? 5_000;
  const maxBackoffMs = options.maxBackoffMs ?? 15 * 60_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const onError = options.onError ?? (() => {});
  // The same runner, never started: its handlers, enqueue and runNow (the writer's own run during the grace).
  const local = createJobRunner({ store, owner: options.owner, now, pollMs, leaseMs: leaseSeconds * 1_000, graceMs: options.graceMs, maxAttempts, backoffMs, maxBackoffMs, concurrency, onError });
  const handlers = new Map<string, JobHandler>();
  const rules = new Map<string, QueueOptions>();
  const scheduled: Scheduled[] = [];
  const workers = new Map<string, string>();
  /** The queues created in pg-boss: the only ones relayed (pg-boss drops a job of a queue it does not have). */
  const created = new Set<string>();
  // pg-boss (and pg) is imported when the queue first boots, not when this module is: an SQLite start never loads
  // them (~0.08 s of every start, bench:memory's profile).
  let boss: PgBoss | undefined;
  const bossSettings: PgBoss.ConstructorOptions = {
    connectionString: options.connectionString,
    schema: options.schema ?? 'pgboss',
    max: 4,
    // Expired jobs (their instance died) are given back at this pace: about one lease.
    maintenanceIntervalSeconds: Math.min(60, leaseSeconds),
    // No cron: scheduled work is one job per period, whose id comes from the period (beat()).
    schedule: false,
    expireInSeconds: leaseSeconds,
    retryLimit: maxAttempts - 1,
    retryDelay,
    // pg-boss retries only an expired job (its instance died): after the first delay, no backoff.
    retryBackoff: false,
  };
  /** The pg-boss instance: there once boot() has begun. */
  const bossOf = (): PgBoss => {
    if (!boss) throw new Error('jobs: pg-boss used before it was booted');
    return boss;
  };
  let booted: Promise<void> | undefined;
  /** pg-boss's pool is open (stop() closes it, even when the queues could not be made). */
  let bossStarted = false;
  let running = false;
  /** Workers subscribed: the relay may run (before, pg-boss may lack its tables or queues). */
  let ready = false;
  let beatTimer: NodeJS.Timeout | undefined;

  /** pg-boss started (its schema created or migrated) and a pg-boss queue for every handled one and the dead letters; retried by the next call after a failure. */
  function boot(): Promise<void> {
    booted ??= (async () => {
      if (!boss) {
        const { default: PgBossClass } = await import('pg-boss');
        boss ??= new PgBossClass(bossSettings);
        boss.on('error', (err: unknown) => onError(err, 'pg-boss'));
      }
      if (!bossStarted) {
        await boss.start();
        bossStarted = true;
      }
      for (const name of [DEAD_QUEUE, ...handlers.keys()]) {
        await ensureQueue(name);
        created.add(name);
      }
    })().catch((err: unknown) => {
      booted = undefined;
      throw err;
    });
    return booted;
  }

  /**
   * Creates `name` in pg-boss unless it exists. Instances starting together may create the same
   * queue at once, and pg-boss's DDL can then deadlock: the loser looks again after a short pause.
   */
  async function ensureQueue(name: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      if (await bossOf().getQueue(name)) return;
      try {
        await bossOf().createQueue(name, name === DEAD_QUEUE ? { name } : { name, deadLetter: DEAD_QUEUE });
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
      }
    }
  }

  /** The attempts a job of `queue` gets (its own rule, else the queue's default). */
  const attemptsOf = (queue: string) => rules.get(queue)?.maxAttempts ?? maxAttempts;

  /** The relay's inserts: one pg-boss job per outbox row, with the attempts it has left. */
  function forward(jobs: JobRecord[], sql: PgBoss.Db): Promise<unknown> {
    return bossOf().insert(
      jobs.map((j) => {
        const first = rules.get(j.queue)?.backoffMs;
        const delay = first === undefined ? retryDelay : Math.max(1, Math.round(first / 1_000));
        const data: RelayedData = { outboxId: j.id, ...(typeof j.payload.lane === 'string' ? { lane: j.payload.lane } : {}) };
        return { name: j.queue, data, retryLimit: Math.max(0, attemptsOf(j.queue) - 1 - j.attempts), retryDelay: delay, retryBackoff: false, expireInSeconds: leaseSeconds, deadLetter: DEAD_QUEUE };
      }),
      { db: sql },
    );
  }

  /** The wait before attempt `attempts + 1` of a job of `queue`: doubled at each attempt, capped (the runner's rule). */
  function backoffOf(queue: string, attempts: number): number {
    return backoffDelay(rules.get(queue) ?? {}, { backoffMs, maxBackoffMs }, attempts);
  }

  /** Relays every due outbox row (batch after batch); returns how many, and wakes the workers of their queues. */
  async function relayAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const queues = new Set<string>();
      const moved = await store.relay([...created].filter((q) => q !== DEAD_QUEUE), now(), 100, async (jobs, sql) => {
        for (const j of jobs) queues.add(j.queue);
        await forward(jobs, sql as PgBoss.Db);
      });
      for (const q of queues) if (workers.has(q)) bossOf().notifyWorker(workers.get(q)!);
      total += moved;
      if (moved < 100) return total;
    }
  }

  /** One relay at a time per instance; a nudge during one makes another follow. */
  const relays = pacedLoop(relayAll, pollMs, (err) => onError(err, 'job relay to pg-boss'));

  /** Runs one pg-boss job of `queue`; throws what its handler threw (pg-boss retries it). */
  async function runOne(queue: string, job: PgBoss.Job<RelayedData>): Promise<void> {
    const handler = handlers.get(queue);
    const id = job.data?.outboxId;
    if (id === undefined) {
      // Scheduled work: no outbox row; its steps live for this run.
      const record: JobRecord = { id: 0, queue, key: `${queue}@${job.data?.period ?? ''}`, payload: { ...job.data }, status: 'queued', attempts: 0, runAt: now(), lockedBy: local.owner, progress: [], lastError: null, createdAt: now(), doneAt: null };
      await runHandler(handler, record, async () => {}).catch((err: unknown) => {
        onError(err, `scheduled job ${record.key} failed (the next period runs it again)`);
        throw err;
      });
      return;
    }
    const record = await store.byId(id);
    // Done or dead already (a run whose completion pg-boss did not record, an expired job run twice): nothing to do.
    if (record?.status !== 'queued') return;
    try {
      await runHandler(handler, { ...record, lockedBy: local.owner }, (progress) => store.saveProgress(id, progress));
    } catch (err) {
      // Back in the outbox for later: this pg-boss job is complete, the relay sends a new one then.
      if (err instanceof JobNotReady) return store.postpone(id, err.runAt);
      const attempts = record.attempts + 1;
      const error = errorText(err);
      if (err instanceof JobGiveUp || attempts >= attemptsOf(queue)) return markDead({ ...record, attempts, lastError: error }, err);
      // Back in the outbox at the capped backoff: this pg-boss job is complete, the relay sends a new one then.
      // One write: the attempt recorded and the row pending again (store.retry on a queued row puts it back).
      await store.retry(id, attempts, new Date(now().getTime() + backoffOf(queue, attempts)), error);
      onError(err, `job ${record.key} (${queue}) failed, attempt ${attempts} of ${attemptsOf(queue)}`);
      return;
    }
    await store.done(id, now());
  }

  /** The outbox row dead, then its queue's onDead told. */
  async function markDead(record: JobRecord, err: unknown): Promise<void> {
    await store.dead(record.id, record.attempts, record.lastError ?? 'given up');
    onError(err, `job ${record.key} (${record.queue}) given up after ${record.attempts} attempts`);
    await rules
      .get(record.queue)
      ?.onDead?.({ ...record, status: 'dead' })
      .catch((e: unknown) => onError(e, `job ${record.key}: its queue's dead-letter hook`));
  }

  /** A job pg-boss gave up: its outbox row is dead (listed for admins). */
  async function recordDead(job: PgBoss.Job<RelayedData>): Promise<void> {
    const id = job.data?.outboxId;
    if (id === undefined) return;
    const record = await store.byId(id);
    if (record?.status !== 'queued') return;
    await markDead(record, new GuichetError('jobs.given-up', `jobs: job ${record.key} given up: ${record.lastError ?? ''}`));
  }

  /** Runs a batch of `queue`, each job on its own: a failure fails that job only (pg-boss retries it); returns the ids that succeeded. */
  async function runBatch(queue: string, jobs: PgBoss.Job<RelayedData>[]): Promise<string[]> {
    const ok: string[] = [];
    // The outbox's order (pg-boss gives the jobs of one relay the same creation time, its ids are random).
    const ordered = [...jobs].sort((x, y) => (x.data?.outboxId ?? 0) - (y.data?.outboxId ?? 0));
    const lanes = lanesBy(ordered, (job) => (job.data?.lane ? `lane:${job.data.lane}` : `id:${job.id}`));
    const one = async (job: PgBoss.Job<RelayedData>) => {
      try {
        await (queue === DEAD_QUEUE ? recordDead(job) : runOne(queue, job));
        ok.push(job.id);
      } catch (err) {
        await bossOf().fail(queue, job.id, { message: errorText(err) }).catch((e: unknown) => onError(e, `job ${job.id}: recording its failure in pg-boss`));
      }
    };
    // Lanes side by side; a lane's jobs (one ticket's messages) one after another, oldest first.
    await Promise.all(lanes.map(async (lane) => {
      for (const job of lane) await one(job);
    }));
    return ok;
  }

  /** Sends the current period's job of every scheduled work; pg-boss keeps one per period across instances. */
  async function beat(): Promise<void> {
    const at = now();
    for (const s of scheduled) {
      const period = periodStart(s.periodMs, at).toISOString();
      const sent = await bossOf().send(s.name, { period } satisfies RelayedData, { id: uuidOf(periodKey(s.name, s.periodMs, at)), retryLimit: 0 });
      if (sent && workers.has(s.name)) bossOf().notifyWorker(workers.get(s.name)!);
    }
  }

  const queue: JobService = {
    owner: local.owner,
    graceMs: local.graceMs,
    handle(name, handler, options = {}) {
      if (name === DEAD_QUEUE) throw new GuichetError('jobs.duplicate-handler', `jobs: queue "${name}" is pg-boss's dead-letter queue`);
      // Its pg-boss queue and worker are made when pg-boss starts.
      if (booted) throw new GuichetError('jobs.invalid-option', `jobs: the handler of "${name}" comes after the queue started; register handlers first`);
      local.handle(name, handler, options);
      handlers.set(name, handler);
      rules.set(name, options);
    },
    every(name, periodMs, handler) {
      if (periodMs < 1_000) throw new GuichetError('jobs.invalid-option', `jobs: "${name}" period must be ≥ 1 s (got ${periodMs} ms)`);
      queue.handle(name, handler);
      scheduled.push({ name, periodMs });
    },
    enqueue: (jobs: readonly NewJob[]) =>
      store.enqueue(jobs, now()).then((n) => {
        if (n > 0) queue.nudge();
        return n;
      }),
    runNow: (keys) => local.runNow(keys),
    runAfterReply: (keys) => local.runAfterReply(keys),
    afterReplyDone: () => local.afterReplyDone(),
    nudge() {
      if (running && ready) relays.soon();
    },
    start() {
      if (running) return;
      running = true;
      void (async () => {
        // The database may be unreachable at start: tried again until it answers (or stop()).
        while (running) {
          try {
            await boot();
            break;
          } catch (err) {
            onError(err, 'starting pg-boss (tried again)');
            await new Promise((resolve) => setTimeout(resolve, Math.max(1_000, pollMs * 5)).unref());
          }
        }
        if (!running) return;
        const pollingIntervalSeconds = Math.max(0.5, pollMs / 1_000);
        for (const name of [DEAD_QUEUE, ...handlers.keys()]) {
          workers.set(name, await bossOf().work<RelayedData>(name, { batchSize: concurrency, pollingIntervalSeconds }, async (jobs) => void (await runBatch(name, jobs))));
        }
        ready = true;
        relays.start();
        if (scheduled.length > 0) {
          const tick = () => beat().catch((err: unknown) => onError(err, 'scheduled jobs'));
          void tick();
          beatTimer = setInterval(tick, Math.min(1_000, ...scheduled.map((s) => s.periodMs)));
          beatTimer.unref();
        }
      })().catch((err: unknown) => onError(err, 'starting the job workers'));
    },
    async stop() {
      running = ready = false;
      if (beatTimer) clearInterval(beatTimer);
      beatTimer = undefined;
      await relays.stop();
      // Workers take nothing new; the jobs in flight finish (or, past one lease, are failed and retried elsewhere).
      await booted?.catch(() => undefined);
      if (bossStarted && boss) {
        await boss.stop({ graceful: true, wait: true, close: true, timeout: leaseSeconds * 1_000 });
      }
      await local.stop();
    },
    async drain(options = {}) {
      await boot();
      let ran = 0;
      for (;;) {
        if (options.until?.()) return ran;
        let fetched = await relayAll();
        for (const name of [...handlers.keys(), DEAD_QUEUE]) {
          const jobs = await bossOf().fetch<RelayedData>(name, { batchSize: concurrency * 4 });
          fetched += jobs.length;
          const ok = await runBatch(name, jobs);
          if (ok.length > 0) await bossOf().complete(name, ok);
          if (name !== DEAD_QUEUE) ran += ok.length;
        }
        if (fetched === 0) return ran;
      }
    },
    depth: () => local.depth(),
    oldestAgeSeconds: () => local.oldestAgeSeconds(),
    stats: () => local.stats(),
    /** pg-boss started (its schema and workers) and its connection answers, and so does the outbox. */
    async ping(): Promise<void> {
      if (!ready) throw new GuichetError('jobs.not-ready', 'jobs: pg-boss has not started yet (is the database reachable?)');
      await bossOf().getDb().executeSql('SELECT 1', []);
      await local.ping();
    },
    deadList: (limit = 50) => store.deadList(limit),
    async revive(id) {
      await local.revive(id);
      queue.nudge();
    },
  };
  return queue;
}
