/**
 * I/O first: the steps of background work — each `yieldToLoop` (src/core/event-loop.ts) of a turn's SQL
 * statements, of a Slack run, of the job runner and the SLA batches — resume one per event-loop turn,
 * and none in a loop turn where the server accepted a connection or read a request, for up to
 * `maxDeferMs` (then one step runs, so work still advances under a steady flood).
 *
 * Why: libuv (≥ 1.45, Node 20) accepts one connection per loop turn, and a platform's acknowledgement
 * is written as soon as its request is read; so how fast a burst of deliveries is acknowledged depends
 * on how many loop turns run per second, i.e. on how much work each turn does. With every running
 * turn advancing one statement per loop turn, a loop turn under a burst took 100–700 ms and Slack's
 * 3 s went by in the kernel's accept queue. Measured: docs/slack.md, "Under a burst".
 */

import { Fifo } from '../core/fifo.ts';

export interface IoFirstOptions {
  /** Longest a waiting step is held back while requests keep arriving, in ms. */
  maxDeferMs?: number;
  now?: () => number;
}

export class IoFirstScheduler {
  private readonly waiting = new Fifo<() => void>();
  /** A connection or a request was seen since the last check. */
  private ioSeen = false;
  /** When the step at the head was first held back (0: not held). */
  private heldSince = 0;
  private ticking = false;
  private readonly maxDeferMs: number;
  private readonly now: () => number;

  constructor(options: IoFirstOptions = {}) {
    this.maxDeferMs = options.maxDeferMs ?? 100;
    this.now = options.now ?? (() => performance.now());
  }

  /** The server read a request or accepted a connection (called from the poll phase). */
  readonly markIo = (): void => {
    this.ioSeen = true;
  };

  /** Resumes `resume` on a later loop turn (the scheduler of yieldToLoop). */
  readonly schedule = (resume: () => void): void => {
    this.waiting.push(resume);
    if (!this.ticking) this.tick();
  };

  /** Steps waiting to resume. */
  get pending(): number {
    return this.waiting.size;
  }

  private tick(): void {
    this.ticking = true;
    setImmediate(this.step);
  }

  /** Runs in the check phase, right after the poll phase that read this loop turn's I/O. */
  private readonly step = (): void => {
    this.ticking = false;
    if (this.waiting.size === 0) return;
    const io = this.ioSeen;
    this.ioSeen = false;
    if (io) {
      const now = this.now();
      if (this.heldSince === 0) this.heldSince = now;
      // Requests are arriving: leave this loop turn to them (the next poll accepts the next connection).
      if (now - this.heldSince < this.maxDeferMs) return this.tick();
    }
    this.heldSince = 0;
    const resume = this.waiting.take()!;
    if (this.waiting.size > 0) this.tick();
    resume();
  };
}
