/**
 * The SLA clock, ticking in-process (the embedded default; on PostgreSQL every instance may tick,
 * firings are deduplicated by the database). Each pass: for each open ticket, the warnings and
 * breaches sla-decide.ts finds due, carried out by sla-carry.ts (a warning at 75 % of the response
 * and resolution targets; a breach at 100 % with functional and hierarchical escalation); then
 * resolved tickets nobody confirmed are closed after N business days, through the status machine.
 */
import type { Clock } from '../core/ports.ts';
import type { DeskConfig } from './config.ts';
import type { DeskInternals } from './desk/internals.ts';
import { autoClose, breach, warn, type CarryDeps } from './sla-carry.ts';
import { autoCloseDue, dueFirings } from './sla-decide.ts';

export { WARNING_SHARE } from './sla.ts';

export interface TickReport {
  warnings: number;
  breaches: number;
  escalations: number;
  autoClosed: number;
}

export interface SchedulerDeps {
  clock: Clock;
  /** The desk's internal API (its repository, notifications, status moves). */
  desk: DeskInternals;
  config: Pick<DeskConfig, 'policies' | 'autoCloseBusinessDays' | 'calendars' | 'serviceDeskLead'>;
  /** Default period of start(), in milliseconds (60 s). */
  intervalMs?: number;
  /** A ticket that could not be processed (it is retried next tick) or a failed tick; without it, tick() rejects after the pass. */
  onError?: (err: unknown) => void;
}

export function createSlaScheduler(deps: SchedulerDeps) {
  const { desk, config } = deps;
  const carry: CarryDeps = { desk, serviceDeskLead: config.serviceDeskLead, timeZone: desk.zone().timeZone, autoCloseBusinessDays: config.autoCloseBusinessDays };
  const calendar = (id: string) => desk.calendar(id);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickReport> | undefined;

  async function tick(): Promise<TickReport> {
    const now = deps.clock.now();
    const report: TickReport = { warnings: 0, breaches: 0, escalations: 0, autoClosed: 0 };
    const failures: unknown[] = [];
    const failed = (err: unknown) => (deps.onError ? deps.onError(err) : failures.push(err));
    for (const t of await desk.repository.watched()) {
      try {
        for (const firing of dueFirings(t, now, config, calendar)) {
          if (firing.kind === 'sla-warning') {
            if (await warn(carry, t, firing, now)) report.warnings += 1;
            continue;
          }
          const done = await breach(carry, t, firing, now);
          if (!done) continue;
          report.breaches += 1;
          report.escalations += done.escalations;
        }
      } catch (err) {
        failed(err); // one broken ticket does not stop the clock for the others
      }
    }
    for (const t of await desk.repository.resolved()) {
      try {
        if (autoCloseDue(t, now, config, calendar) && (await autoClose(carry, t, now))) report.autoClosed += 1;
      } catch (err) {
        failed(err);
      }
    }
    // Without onError, problems are not swallowed: the pass completes, then throws them.
    if (failures.length > 0) throw new AggregateError(failures, `SLA clock: ${failures.length} ticket(s) could not be processed: ${String(failures[0])}`);
    return report;
  }

  const scheduler = {
    /** One pass; concurrent calls in one process share the pass. */
    tick(): Promise<TickReport> {
      running ??= tick().finally(() => {
        running = undefined;
      });
      return running;
    },
    /** Ticks every `intervalMs` until stop(); the timer does not keep the process alive. */
    start(intervalMs = deps.intervalMs ?? 60_000): void {
      if (timer) return;
      timer = setInterval(() => {
        scheduler.tick().catch((err: unknown) => deps.onError?.(err));
      }, intervalMs);
      timer.unref();
    },
    /** Stops the timer and waits for a pass in progress. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
  return scheduler;
}

export type SlaScheduler = ReturnType<typeof createSlaScheduler>;
