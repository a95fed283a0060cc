/**
 * The job queue's ports. A job is a row of one outbox table, written in the same unit of work as
 * the change that causes it (so it is never lost: no commit, no job; a commit, a job), then claimed
 * by one instance for a lease, run, and marked done; a failure is retried with backoff, and after
 * too many attempts the job is dead (listed for admins, revived by them). The same table and
 * runner serve SQLite (one instance) and PostgreSQL (N instances): src/jobs/runner.ts.
 */

/** A job to write: `key` makes it unique (a second enqueue of the same key writes nothing). */
export interface NewJob {
  queue: string;
  key: string;
  payload: Record<string, unknown>;
  /** Not before (default: at once). */
  runAt?: Date;
}

export type JobStatus = 'pending' | 'done' | 'dead';

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

/** The outbox table as the runner reads and updates it. */
export interface JobStore extends JobOutbox {
  /** Pending jobs of these queues whose `runAt` has come, oldest first. */
  due(queues: readonly string[], now: Date, limit: number): Promise<JobRecord[]>;
  byKey(key: string): Promise<JobRecord | undefined>;
  /** Takes a pending job until `leaseUntil` when its `runAt` is still the one read (compare-and-set); false when another took it first. */
  claim(id: number, runAt: Date, leaseUntil: Date, owner: string): Promise<boolean>;
  /** Records a step carried out (kept across retries). */
  saveProgress(id: number, progress: string[]): Promise<void>;
  done(id: number, at: Date): Promise<void>;
  retry(id: number, attempts: number, runAt: Date, error: string): Promise<void>;
  dead(id: number, attempts: number, error: string): Promise<void>;
  /** Dead jobs, latest first. */
  deadList(limit: number): Promise<JobRecord[]>;
  /** A dead job made pending again (attempts reset); false when it is not dead. */
  revive(id: number, at: Date): Promise<boolean>;
  /** Pending jobs and the creation of the oldest. */
  stats(): Promise<{ pending: number; dead: number; oldestPendingAt: Date | null }>;
  /** Deletes done jobs finished before `before`; returns how many. */
  purge(before: Date): Promise<number>;
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

/** The queue the application uses: handlers by queue name, jobs written outside a unit of work, runs after a commit. */
export interface JobQueue {
  /** Registers the handler of `queue` (one per queue). */
  handle(queue: string, handler: JobHandler): void;
  /** Writes jobs outside any unit of work. */
  enqueue(jobs: readonly NewJob[]): Promise<number>;
  /**
   * Runs these jobs now in this process (right after the commit that wrote them), each one when no
   * other instance took it; a failure is left to the retries. Resolves when they ran.
   */
  runNow(keys: readonly string[]): Promise<void>;
  /** Wakes the poller (jobs were committed). */
  nudge(): void;
  /**
   * How long a job written in a unit of work and run by runNow after the commit is left to the
   * instance that wrote it before another may take it (its `runAt`: now + graceMs): when that
   * instance dies in between, another runs it then.
   */
  readonly graceMs: number;
}

/** A job the writer runs itself right after the commit (runNow), left to the others after the grace. */
export const ownedJob = (queue: JobQueue, job: Omit<NewJob, 'runAt'>, now: Date): NewJob => ({ ...job, runAt: new Date(now.getTime() + queue.graceMs) });

