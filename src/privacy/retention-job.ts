/**
 * The retention job's scheduling, kept apart from the work (`PrivacyStore.applyRetention`) so it can move
 * to a job queue unchanged: `runRetention` is the job; `startRetentionTimer` is the small in-process timer
 * the composition root starts (every instance may run it: deleting what is already deleted is a no-op).
 */
import type { Clock } from '../core/ports.ts';
import type { PrivacyStore, RetentionReport } from './ports.ts';
import type { RetentionSettings } from './retention.ts';

/** One run at the clock's now. */
export function runRetention(store: Pick<PrivacyStore, 'applyRetention'>, settings: RetentionSettings, clock: Clock): Promise<RetentionReport> {
  return store.applyRetention(clock.now(), settings.periods);
}

/** The first run waits this long after start-up (the server is busy starting; a restart loop does not hammer the database). */
export const FIRST_RUN_DELAY_MS = 60_000;

/**
 * Runs the job `firstDelayMs` after start-up, then every `settings.everyMinutes`; returns stop(). A failed
 * run is reported, the next one still happens; a run never overlaps the previous one.
 */
export function startRetentionTimer(
  store: Pick<PrivacyStore, 'applyRetention'>,
  settings: RetentionSettings,
  clock: Clock,
  report: { done(result: RetentionReport): void; failed(err: unknown): void },
  firstDelayMs = FIRST_RUN_DELAY_MS,
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      report.done(await runRetention(store, settings, clock));
    } catch (err) {
      report.failed(err);
    } finally {
      running = false;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void tick();
    timer = setInterval(() => void tick(), settings.everyMinutes * 60_000);
    timer.unref();
  }, firstDelayMs);
  first.unref();
  return () => {
    clearTimeout(first);
    if (timer) clearInterval(timer);
  };
}
