/**
 * One run per request: a chat platform that delivers the same message twice (Teams and Slack retry
 * when the answer is slow) gets the first run's outcome back, and the action is not done twice.
 */

export interface IdempotencyStore<T> {
  /** The outcome recorded for `key`, running `work` only if there is none (concurrent calls share one run). */
  once(key: string, work: () => Promise<T>): Promise<{ outcome: T; replayed: boolean }>;
}

/**
 * In-memory: one process only, and forgets after a restart; a shared store (a unique row per key)
 * is needed when several instances serve the same channels.
 */
export class MemoryIdempotencyStore<T> implements IdempotencyStore<T> {
  private readonly runs = new Map<string, Promise<T>>();

  async once(key: string, work: () => Promise<T>): Promise<{ outcome: T; replayed: boolean }> {
    const existing = this.runs.get(key);
    if (existing) return { outcome: await existing, replayed: true };
    const run = work();
    this.runs.set(key, run);
    try {
      return { outcome: await run, replayed: false };
    } catch (error) {
      this.runs.delete(key); // a crash is not an outcome: a retry may run again
      throw error;
    }
  }
}
