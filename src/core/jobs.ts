/**
 * The job queue's ports. A job is a row of one outbox table, written in the same unit of work as
 * the change that causes it (so it is never lost: no commit, no job; a commit, a job), then claimed
 * by one instance for a lease, run, and marked done; a failure is retried with backoff, and after
 * too many attempts the job is dead (listed for admins, revived by them). On SQLite (one instance)
 * an in-process runner reads the table (src/jobs/runner.ts); on PostgreSQL (N instances) a relay
 * moves its committed rows into pg-boss, whose workers run them (src/jobs/pg-boss-queue.ts).
 */

import { createHash } from 'node:crypto';
import { GuichetError } from './errors.ts';

/** A job to write: `key` makes it unique (a second enqueue of the same key writes nothing). */
export interface NewJob {
  queue: string;
  key: string;
  payload: Record<string, unknown>;
  /** Not before (default: at once). */
  runAt?: Date;
}

/** queued: relayed to pg-boss (PostgreSQL), which runs it; the row keeps its progress and outcome. */
export type JobStatus = 'pending' | 'queued' | 'done' | 'dead';

export interface JobRecord {
  id: number;
  queue: string;
  key: string;
  payload: Record<string, unknown>;
  status: JobStatus;
  attempts: number;
  /** When it may run; while claimed, when the lease ends. */
  runAt: Date;
  lockedBy: string | null;
  /** Steps already carried out (JobContext.step). */
  progress: string[];
  lastError: string | null;
  createdAt: Date;
  doneAt: Date | null;
}

/** Writes jobs: inside a unit of work, the outbox row commits (or not) with the change. */
export interface JobOutbox {
  /** Writes the jobs whose key is new; returns how many were written. */
  enqueue(jobs: readonly NewJob[], now: Date): Promise<number>;
}

/** One queue's jobs at a moment (the job queue's gauges at /metrics). */
export interface QueueStats {
  queue: string;
  /** Waiting to run: due, retrying or delayed (not claimed). */
  waiting: number;
  /** Claimed by an instance now (its lease running). */
  active: number;
  /**
   * How long the longest-waiting due job has been due, in seconds (0 when none): a job delayed on
   * purpose (a digest held for its window, a writer's grace) is not late until its time comes.
   */
  oldestSeconds: number;
  /** Given up (dead letters, shown to admins). */
  failed: number;
}

/** The outbox table as the runner reads and updates it. */
export interface JobStore extends JobOutbox {
  /** Pending jobs of these queues whose `runAt` has come, oldest first. */
  due(queues: readonly string[], now: Date, limit: number): Promise<JobRecord[]>;
  byKey(key: string): Promise<JobRecord | undefined>;
  byId(id: number): Promise<JobRecord | undefined>;
  /** Takes a pending job until `leaseUntil` when its `runAt` is still the one read (compare-and-set); false when another took it first. */
  claim(id: number, runAt: Date, leaseUntil: Date, owner: string): Promise<boolean>;
  /** Records a step carried out (kept across retries). */
  saveProgress(id: number, progress: string[]): Promise<void>;
  done(id: number, at: Date): Promise<void>;
  /** A failed attempt recorded: the job pending again at `runAt` (also a job relayed to pg-boss), unclaimed; nothing when it is no longer waiting (done or dead meanwhile). */
  retry(id: number, attempts: number, runAt: Date, error: string): Promise<void>;
  dead(id: number, attempts: number, error: string): Promise<void>;
  /** Dead jobs, latest first. */
  deadList(limit: number): Promise<JobRecord[]>;
  /** A dead job made pending again (attempts reset); false when it is not dead. */
  revive(id: number, at: Date): Promise<boolean>;
  /** A claimed or relayed job made pending again for `runAt`, its attempts unchanged (JobNotReady). */
  postpone(id: number, runAt: Date): Promise<void>;
  /** Jobs waiting (pending or queued) and when the longest-waiting of those already due became due. */
  stats(now: Date): Promise<{ pending: number; dead: number; oldestDueAt: Date | null }>;
  /** The same, per queue, with the jobs claimed now (for /metrics). */
  queueStats(now: Date): Promise<QueueStats[]>;
  /** Deletes done jobs finished before `before`; returns how many. */
  purge(before: Date): Promise<number>;
}

/** Runs SQL on one connection (a transaction's): the shape pg-boss takes as `db`. */
export interface SqlExecutor {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The outbox as the PostgreSQL relay reads it. */
export interface JobRelayStore extends JobStore {
  /**
   * In one transaction: takes up to `limit` due pending jobs of `queues` (rows another relay holds
   * are skipped), marks them queued and gives them to `forward` with that transaction's SQL, so the
   * rows and what `forward` writes commit together (a job is relayed once); returns how many.
   */
  relay(queues: readonly string[], now: Date, limit: number, forward: (jobs: JobRecord[], sql: SqlExecutor) => Promise<void>): Promise<number>;
}

/** What a handler may do besides its work. */
export interface JobContext {
  job: JobRecord;
  /**
   * Runs `work` once across retries: a step already carried out by an earlier attempt (even by
   * another instance) is skipped. One message sent = one step.
   */
  step(name: string, work: () => Promise<void>): Promise<void>;
}

export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<void>;

/**
 * Thrown by a handler whose job can never succeed as it is (the far side refuses it outright):
 * the job is dead at once, whatever attempts it has left.
 */
export class JobGiveUp extends GuichetError {
  constructor(message: string, cause?: unknown) {
    super('jobs.given-up', message, { cause });
  }
}

/**
 * Thrown by a handler whose job must wait (for another job, say): it is run again at `runAt`,
 * and the wait is no failed attempt.
 */
export class JobNotReady extends GuichetError {
  constructor(
    message: string,
    readonly runAt: Date,
  ) {
    super('jobs.not-ready', message);
  }
}

/** A queue's own rules (`handle`'s third argument); the queue's defaults otherwise. */
export interface QueueOptions {
  /** Attempts before a job of this queue is dead. */
  maxAttempts?: number;
  /** First retry delay, ms, doubled at each attempt, and its ceiling (the same rule on SQLite and PostgreSQL). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Called once a job of this queue is dead (its attempts and last error recorded): tell someone, unblock what waits for it. */
  onDead?: (job: JobRecord) => Promise<void>;
}

/** The queue the application uses: handlers by queue name, jobs written outside a unit of work, runs after a commit. */
export interface JobQueue {
  /** Registers the handler of `queue` (one per queue), with the queue's own rules. */
  handle(queue: string, handler: JobHandler, options?: QueueOptions): void;
  /** Writes jobs outside any unit of work. */
  enqueue(jobs: readonly NewJob[]): Promise<number>;
  /**
   * Runs these jobs now in this process (right after the commit that wrote them), each one when no
   * other instance took it; a failure is left to the retries. Resolves when they ran.
   */
  runNow(keys: readonly string[]): Promise<void>;
  /**
   * Runs these jobs in this process as runNow does, but without the caller waiting: started on the
   * next turn of the event loop, so after a chat turn's reply has gone out (its writer's turn returns
   * first). For a job whose effects the caller's answer does not show (a new ticket's card in the
   * agents' channels). Nothing is lost: the job is already in the outbox; a failure is reported and
   * left to the retries; if this process dies first, any runner takes it after the grace. `stop()`
   * waits for these runs.
   */
  runAfterReply(keys: readonly string[]): void;
  /** Wakes the poller (jobs were committed). */
  nudge(): void;
  /**
   * How long a job written in a unit of work and run by runNow after the commit is left to the
   * instance that wrote it before another may take it (its `runAt`: now + graceMs): when that
   * instance dies in between, another runs it then.
   */
  readonly graceMs: number;
}

/** The queue as the application runs it (src/app/jobs.ts): the same surface on SQLite and PostgreSQL. */
export interface JobService extends JobQueue {
  /** This instance's name (`lockedBy`). */
  readonly owner: string;
  /** Scheduled work: `handler` runs once per `periodMs` across every instance. */
  every(name: string, periodMs: number, handler: JobHandler): void;
  /** Starts running jobs and the scheduled work. */
  start(): void;
  /** Takes nothing new and waits for the jobs in flight. */
  stop(): Promise<void>;
  /** Runs due jobs until none is left (tests, benchmarks, the CLI); returns how many ran. */
  drain(options?: { until?: () => boolean }): Promise<number>;
  /** Resolves when the runs started by runAfterReply so far are over (tests, before reading what a turn's job posted). */
  afterReplyDone(): Promise<void>;
  /** Jobs waiting (the queue's depth). */
  depth(): Promise<number>;
  /** How long the longest-waiting due job has been due, in seconds (0 when none). */
  oldestAgeSeconds(): Promise<number>;
  /** Per queue: waiting, claimed, late and dead jobs (for /metrics). */
  stats(): Promise<QueueStats[]>;
  /** Resolves when the queue can take and run jobs (readiness); rejects with why not. */
  ping(): Promise<void>;
  /** Dead jobs, latest first (admins). */
  deadList(limit?: number): Promise<JobRecord[]>;
  /** Makes a dead job pending again (an admin's retry). */
  revive(id: number): Promise<void>;
}

/** A job the writer runs itself right after the commit (runNow), left to the others after the grace. */
export const ownedJob = (queue: Pick<JobQueue, 'graceMs'>, job: Omit<NewJob, 'runAt'>, now: Date): NewJob => ({ ...job, runAt: new Date(now.getTime() + queue.graceMs) });

/** The lane of a ticket's jobs (the desk's and the handoff's): run one after another, in order. */
export const ticketLane = (number: number) => `ticket:${number}`;

/** A person in a step's name (kept on the job row): a digest, never their id (an erasure leaves no id in progress). */
export const personStep = (userId: string): string => createHash('sha256').update(userId).digest('hex').slice(0, 16);

/** A job's steps, each on its own: `attempt` runs one, `settle` ends the job (see `stepsOf`). */
export interface Steps {
  /** Runs one step; a failure is kept (or reported) and the next steps still run. */
  attempt(name: string, work: () => Promise<void>): Promise<void>;
  /** After the last step: the failures kept, thrown as one (the job is retried, its steps done skipped). */
  settle(): void;
}

/**
 * The steps of a job that tells several people: one who cannot be told does not keep the others
 * from it. For a job (`report` absent), the failures are thrown together once every step ran, so
 * the retry re-sends only what did not go out; without a queue (in process, after a commit), each
 * failure is given to `report` and nothing is thrown (the change is done). `what` names the job.
 */
export function stepsOf(job: Pick<JobContext, 'step'>, what: string, report?: (err: unknown, step: string) => void): Steps {
  const failures: string[] = [];
  return {
    attempt: (name, work) =>
      job.step(name, work).catch((err: unknown) => {
        if (report) report(err, name);
        else failures.push(err instanceof Error ? err.message : String(err));
      }),
    settle() {
      if (failures.length > 0) throw new GuichetError('jobs.not-delivered', `${what}: ${failures.join('; ')}`);
    },
  };
}

/** Runs a job's handler in process, without a queue: every step carried out (nothing recorded). */
export const inProcess: Pick<JobContext, 'step'> = { step: (_name, work) => work() };

/** Per-queue stats from counts and due times, queues in name order (both stores build them so). */
export function queueStatsOf(
  now: Date,
  parts: { waiting: Iterable<readonly [string, number]>; dueSince: Iterable<readonly [string, Date]>; active: Iterable<readonly [string, number]>; failed: Iterable<readonly [string, number]> },
): QueueStats[] {
  const byQueue = new Map<string, QueueStats>();
  const of = (queue: string) => byQueue.get(queue) ?? byQueue.set(queue, { queue, waiting: 0, active: 0, oldestSeconds: 0, failed: 0 }).get(queue)!;
  for (const [queue, n] of parts.waiting) of(queue).waiting = n;
  for (const [queue, n] of parts.active) of(queue).active = n;
  for (const [queue, n] of parts.failed) of(queue).failed = n;
  for (const [queue, since] of parts.dueSince) of(queue).oldestSeconds = Math.max(0, (now.getTime() - since.getTime()) / 1000);
  return [...byQueue.values()].sort((a, b) => a.queue.localeCompare(b.queue));
}
