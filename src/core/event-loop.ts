/**
 * Resolves on a later turn of the event loop, after the I/O and timers already waiting. better-sqlite3
 * is synchronous, so a chain of queries and the code between them would otherwise run as one unbroken run
 * of microtasks: long work (a turn, a batch of SLA firings, a series of jobs) awaits this between steps so
 * that the requests waiting meanwhile — a platform's acknowledgement among them — are served.
 *
 * By default the next check phase (setImmediate); the HTTP server installs its I/O-first scheduler
 * (src/server/io-first.ts: one step per loop turn, none while requests are arriving).
 */
type Scheduler = (resume: () => void) => void;

let schedule: Scheduler = (resume) => setImmediate(resume);

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => schedule(resolve));

/** Replaces how yieldToLoop resumes (one per process: the server's); undefined restores setImmediate. */
export function setLoopScheduler(scheduler: Scheduler | undefined): void {
  schedule = scheduler ?? ((resume) => setImmediate(resume));
}
