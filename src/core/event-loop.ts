/**
 * Resolves on the event loop's next check phase, after the I/O and timers already waiting. better-sqlite3
 * is synchronous, so a chain of queries and the code between them would otherwise run as one unbroken run
 * of microtasks: long work (a turn, a batch of SLA firings, a series of jobs) awaits this between steps so
 * that the requests waiting meanwhile — a platform's acknowledgement among them — are served.
 */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
