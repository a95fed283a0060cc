/**
 * A bounded work queue for turns: at most `concurrency` jobs run at once, the others wait in arrival
 * order (queued, never dropped, up to `maxQueued`). Why: a platform acknowledges a delivery before
 * its turn runs (Slack within 3 s); when a burst started every turn at once, the acknowledgements of
 * the next requests waited behind thousands of turns' I/O callbacks on the one event loop. With a
 * bound, the loop always has room to answer, and the excess turns simply wait their turn.
 *
 * Per process: each instance bounds its own turns.
 */
import { GuichetError } from '../../core/errors.ts';
import { yieldToLoop } from '../../core/event-loop.ts';
import { Fifo } from '../../core/fifo.ts';

export interface WorkQueueOptions {
  /** Jobs running at once (≥ 1). */
  concurrency: number;
  /** Jobs waiting at most; one more is refused with `channels.overloaded` (memory stays bounded). */
  maxQueued: number;
}

/** What the server reads of a queue (metrics, shutdown). */
export interface WorkQueueStats {
  running: number;
  queued: number;
  /** Age of the oldest waiting job in ms (0 when none waits). */
  oldestWaitMs: number;
}

interface Waiting {
  start(): void;
  since: number;
}

export class WorkQueue {
  private running = 0;
  private readonly waiting = new Fifo<Waiting>();
  private readonly idleWaiters: (() => void)[] = [];
  /** A pump() is pending on the event loop. */
  private scheduled = false;

  private readonly concurrency: number;

  constructor(private readonly options: WorkQueueOptions) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency));
  }

  /**
   * Runs `job` when a slot is free; resolves or rejects with it. `onStart` is told how long it waited (ms).
   * Jobs start from a later loop turn (yieldToLoop), never inside the caller's: on SQLite a turn is mostly
   * synchronous (better-sqlite3), so starting it at once would run it before the event loop reads the
   * requests already waiting — and their acknowledgements would wait behind it. One job starts per loop
   * turn, and under the server's I/O-first scheduler none while requests are arriving.
   */
  run<T>(job: () => Promise<T>, onStart?: (waitedMs: number) => void): Promise<T> {
    const queued = this.waiting.size;
    if (queued >= this.options.maxQueued) {
      return Promise.reject(new GuichetError('channels.overloaded', `work queue: ${queued} turns already waiting (limit ${this.options.maxQueued})`));
    }
    const since = Date.now();
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        since,
        start: () => {
          onStart?.(Date.now() - since);
          this.execute(job).then(resolve, reject);
        },
      });
      this.pump();
    });
  }

  /** Whether one more job would be accepted now (a channel refuses a delivery before acknowledging it when not). */
  hasRoom(): boolean {
    return this.waiting.size < this.options.maxQueued;
  }

  stats(): WorkQueueStats {
    const next = this.waiting.peek();
    return { running: this.running, queued: this.waiting.size, oldestWaitMs: next ? Date.now() - next.since : 0 };
  }

  /** Resolves when nothing runs or waits (now, if already so). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async execute<T>(job: () => Promise<T>): Promise<T> {
    try {
      return await job();
    } finally {
      this.running -= 1;
      this.pump();
    }
  }

  /** Starts the next waiting job into a free slot on a later turn of the event loop, one job per loop turn. */
  private pump(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    void yieldToLoop().then(() => {
      this.scheduled = false;
      if (this.running < this.concurrency && this.waiting.size > 0) {
        const waiting = this.waiting.take()!;
        this.running += 1;
        waiting.start();
        if (this.running < this.concurrency && this.waiting.size > 0) this.pump();
      }
      if (this.running === 0 && this.waiting.size === 0) {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    });
  }
}
