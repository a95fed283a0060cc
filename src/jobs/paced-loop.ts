/**
 * A background pass that runs at most once at a time, paced: the job runner's poll (SQLite) and the
 * outbox relay to pg-boss (PostgreSQL). `soon()` runs a pass now, or right after the one in progress
 * (so a job written during a pass is not left for the next period); otherwise one follows every
 * `idleMs`. A failed pass is reported and the loop goes on.
 */
export interface PacedLoop {
  /** Starts the loop: a pass now. */
  start(): void;
  /** A pass now, or right after the one running (nothing once stopped). */
  soon(): void;
  /** No more passes; resolves when the one running has ended. */
  stop(): Promise<void>;
}

export function pacedLoop(pass: () => Promise<unknown>, idleMs: number, onError: (err: unknown) => void): PacedLoop {
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let again = false;
  const schedule = (delay: number): void => {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (current) {
        again = true;
        return;
      }
      current = pass()
        .then(() => undefined, onError)
        .finally(() => {
          current = undefined;
          const next = again;
          again = false;
          schedule(next ? 0 : idleMs);
        });
    }, delay);
    timer.unref();
  };
  return {
    start() {
      running = true;
      schedule(0);
    },
    soon() {
      if (current) again = true;
      else schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}
