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
  private readonly waiting: Waiting[] = [];
  /** Index of the next waiting job (a head pointer: shift() on a long array is O(n)). */
  private head = 0;
  private readonly idleWaiters: (() => void)[] = [];

  private readonly concurrency: number;

  constructor(private readonly options: WorkQueueOptions) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency));
  }

  /** Runs `job` when a slot is free; resolves or rejects with it. `onStart` is told how long it waited (ms). */
  run<T>(job: () => Promise<T>, onStart?: (waitedMs: number) => void): Promise<T> {
    const queued = this.waiting.length - this.head;
    if (this.running < this.concurrency && queued === 0) {
      onStart?.(0);
      return this.execute(job);
    }
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
    });
  }

  stats(): WorkQueueStats {
    const next = this.waiting[this.head];
    return { running: this.running, queued: this.waiting.length - this.head, oldestWaitMs: next ? Date.now() - next.since : 0 };
  }

  /** Resolves when nothing runs or waits (now, if already so). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === this.head) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async execute<T>(job: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await job();
    } finally {
      this.running -= 1;
      this.next();
    }
  }

  private next(): void {
    const waiting = this.waiting[this.head];
    if (waiting) {
      this.waiting[this.head] = undefined as never;
      this.head += 1;
      if (this.head > 1_024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      waiting.start();
    } else if (this.running === 0) {
      this.waiting.length = 0;
      this.head = 0;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
