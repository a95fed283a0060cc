/**
 * The job queue at start-up, chosen by the database: on SQLite the in-process runner over the
 * outbox table (src/jobs/runner.ts), on PostgreSQL the same outbox relayed into pg-boss
 * (src/jobs/pg-boss-queue.ts); both over src/persistence/stores/jobs.ts. Then its housekeeping, and
 * the SLA clock as scheduled work (one tick per period across every instance). The server starts it (`start()`) and stops it (`stop()`:
 * jobs in flight finish, nothing new is taken); `depth()` and `oldestAgeSeconds()` are for metrics.
 */
import type { Clock } from '../core/ports.ts';
import { createPgBossQueue } from '../jobs/pg-boss-queue.ts';
import { createJobRunner, type JobRunner } from '../jobs/runner.ts';
import type { Database } from '../persistence/database.ts';
import { PrismaJobStore } from '../persistence/stores/jobs.ts';
import type { SlaScheduler } from '../ticketing/scheduler.ts';

export interface JobSettings {
  pollMs: number;
  leaseSeconds: number;
  graceSeconds: number;
  maxAttempts: number;
  /** 0: 1 on SQLite (a synchronous driver gains nothing from more), 4 on PostgreSQL. */
  concurrency: number;
  /** First retry delay (5 s), doubled at each attempt; not an environment setting (tests shorten it). */
  backoffSeconds?: number;
}

/** How long done jobs are kept (the dead ones stay until an admin revives them). */
const KEEP_DONE_MS = 7 * 86_400_000;

/** The job settings of the environment (src/config.ts). */
export function jobSettingsOf(config: { JOBS_POLL_MS: number; JOBS_LEASE_SECONDS: number; JOBS_GRACE_SECONDS: number; JOBS_MAX_ATTEMPTS: number; JOBS_CONCURRENCY: number }): JobSettings {
  return { pollMs: config.JOBS_POLL_MS, leaseSeconds: config.JOBS_LEASE_SECONDS, graceSeconds: config.JOBS_GRACE_SECONDS, maxAttempts: config.JOBS_MAX_ATTEMPTS, concurrency: config.JOBS_CONCURRENCY };
}

/**
 * The queue on `db` (not started), with the hourly purge of old done jobs registered. `url` is the
 * database's: on PostgreSQL, pg-boss opens its own pool on it (schema "pgboss").
 */
export function openJobs(db: Database, options: { url: string; clock: Clock; settings?: Partial<JobSettings>; onError?: (err: unknown, context: string) => void }): JobRunner {
  const s = options.settings ?? {};
  const store = new PrismaJobStore(db);
  const common = {
    store,
    now: () => options.clock.now(),
    pollMs: s.pollMs,
    leaseMs: s.leaseSeconds === undefined ? undefined : s.leaseSeconds * 1_000,
    graceMs: s.graceSeconds === undefined ? undefined : s.graceSeconds * 1_000,
    maxAttempts: s.maxAttempts,
    backoffMs: s.backoffSeconds === undefined ? undefined : s.backoffSeconds * 1_000,
    concurrency: s.concurrency || (db.provider === 'sqlite' ? 1 : 4),
    onError: options.onError,
  };
  const jobs = db.provider === 'postgres' ? createPgBossQueue({ ...common, connectionString: options.url }) : createJobRunner(common);
  jobs.every('jobs.purge', 3_600_000, async () => {
    await store.purge(new Date(options.clock.now().getTime() - KEEP_DONE_MS));
  });
  return jobs;
}

/**
 * The SLA clock as scheduled work: every open ticket's next moment re-derived once at start (the
 * calendars and policies may have changed), then one tick per period across every instance.
 * Register before `jobs.start()`.
 */
export function scheduleSlaClock(
  jobs: JobRunner,
  scheduler: SlaScheduler,
  seconds: number,
  onError: (err: unknown, context: string) => void,
  onTick?: (report: Awaited<ReturnType<SlaScheduler['tick']>>) => void,
): void {
  const rearmed = scheduler.rearmAll().then(
    () => undefined,
    (err: unknown) => onError(err, 'SLA clock: re-arming every ticket'),
  );
  jobs.every('sla.tick', seconds * 1_000, async () => {
    await rearmed;
    const report = await scheduler.tick();
    onTick?.(report);
  });
}
