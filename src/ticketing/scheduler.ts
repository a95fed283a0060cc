/**
 * The SLA clock. A pass costs what is due: it reads only the tickets whose stored next SLA moment
 * (sla-moment.ts) has come — `nextSlaAt <= now`, `batch` at a time, yielding to the event loop
 * between batches — asks sla-decide.ts what is due on each (a warning at 75 % of the response and
 * resolution targets; a breach at 100 % with functional and hierarchical escalation; resolved
 * tickets nobody confirmed closed after N business days, through the status machine), has
 * sla-carry.ts carry it out (a batch in one unit of work, set-based), and stores each ticket's
 * following moment. The firings are recorded by "sla.tell" jobs written in the same unit of work;
 * with a job queue (`jobs`), the pass ends by writing one "sla.digest" job per person for the whole
 * tick (sla-digest.ts), which its runner sends (any instance, once); without one (tests, tools), the
 * pass tells each person once itself at its end. With a job queue, the pass itself runs as scheduled
 * work ("sla.tick"): once per period across every instance (src/app wires it).
 */
import type { JobContext, JobQueue, NewJob } from '../core/jobs.ts';
import type { Clock } from '../core/ports.ts';
import type { DeskConfig } from './config.ts';
import type { DeskInternals } from './desk/internals.ts';
import type { SlaCursor, TicketRecord } from './ports.ts';
import { autoClose, fireAll, withLookups, type CarryDeps } from './sla-carry.ts';
import { tell, TELL_QUEUE, tellJob, toldOf } from './sla-tell.ts';
import { CHANGED_QUEUE, DIGEST_QUEUE, digestFallback, runChanged, runDigest, writeDigests } from './sla-digest.ts';
import { autoCloseDue, dueFirings, type SlaFiring } from './sla-decide.ts';
import { nextSlaMoment } from './sla-moment.ts';
import { rearm, rearmAll, type MomentOf } from './sla-rearm.ts';
import { yieldToLoop } from '../core/event-loop.ts';

export { WARNING_SHARE } from './sla.ts';

/** How many fired tickets are told about at once without a job queue. */
const TELLERS = 8;

/** Longest stretch a tick runs before letting the event loop serve others, in ms. */
const YIELD_AFTER_MS = 5;

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
  /** Due tickets read and processed between two yields to the event loop (100). */
  batch?: number;
  /** A ticket that could not be processed (it is retried next tick) or a failed tick; without it, tick() rejects after the pass. */
  onError?: (err: unknown) => void;
  /** The job queue that runs the "sla.tell" jobs; without it, each pass tells people itself. */
  jobs?: Pick<JobQueue, 'handle' | 'nudge' | 'enqueue'>;
}

/** How long the directory lookups of tell jobs are shared (a mass breach of one group: one lookup), ms. */
const LOOKUPS_MS = 10_000;

export function createSlaScheduler(deps: SchedulerDeps) {
  const { desk, config } = deps;
  const calendar = (id: string) => desk.calendar(id);
  const moment: MomentOf = (t) => nextSlaMoment(t, config, calendar);
  const queue = deps.jobs;
  const carryBase: CarryDeps = {
    desk, serviceDeskLead: config.serviceDeskLead, timeZone: desk.zone().timeZone, autoCloseBusinessDays: config.autoCloseBusinessDays, moment, outbox: queue !== undefined,
    // A tell job whose tick died before its digests: its claim and its batch's digest jobs in one unit of work.
    ...(queue ? { fallback: async (ctx: Pick<JobContext, 'job'>) => void ((await digestFallback(tellDeps(), (work) => desk.repository.transaction(work), ctx, deps.clock.now())).length > 0 && queue.nudge()) } : {}),
  };
  let lookups = { deps: withLookups(carryBase), at: 0 };
  /** The tell jobs' deps: lookups shared for LOOKUPS_MS, so changes are seen soon after. */
  const tellDeps = () => {
    if (performance.now() - lookups.at > LOOKUPS_MS) lookups = { deps: withLookups(carryBase), at: performance.now() };
    return lookups.deps;
  };
  const runTell = (payload: Record<string, unknown>, ctx: JobContext) => tell(tellDeps(), payload, ctx);
  deps.jobs?.handle(TELL_QUEUE, runTell);
  deps.jobs?.handle(DIGEST_QUEUE, (payload, ctx) => runDigest(tellDeps(), payload, ctx));
  deps.jobs?.handle(CHANGED_QUEUE, (payload) => runChanged(tellDeps(), payload));
  const batch = Math.max(1, deps.batch ?? 100);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickReport> | undefined;
  /** The re-derivation of every moment that start() runs before its first tick. */
  let rearming: Promise<void> | undefined;

  /** Due tickets of one batch: what fires goes into `plans`; a resolved ticket is closed when due; the others only re-armed. */
  async function plan(carry: CarryDeps, due: TicketRecord[], now: Date, report: TickReport, failed: (err: unknown) => void, told: NewJob[], pace: () => Promise<void>): Promise<{ t: TicketRecord; firing: SlaFiring }[]> {
    const plans: { t: TicketRecord; firing: SlaFiring }[] = [];
    for (const t of due) {
      await pace(); // the calendar arithmetic of a hundred tickets is tens of milliseconds
      try {
        if (t.status === 'resolved') {
          // Closing (a status change) re-arms the ticket; when it is not due or changed meanwhile, it is re-armed here.
          if (!autoCloseDue(t, now, config, calendar)) await rearm(desk.repository, t, moment, failed);
          else if (await autoClose(carry, t, now)) {
            report.autoClosed += 1;
            told.push(tellJob(t, undefined, undefined, now));
          }
          else await rearm(desk.repository, t.number, moment, failed); // changed meanwhile: re-read
          continue;
        }
        const firings = dueFirings(t, now, config, calendar);
        // Every firing writes an SLA field, which re-arms the ticket; nothing due (a backfilled or re-armed ticket): re-armed here.
        if (firings.length === 0) await rearm(desk.repository, t, moment, failed);
        plans.push(...firings.map((firing) => ({ t, firing })));
      } catch (err) {
        failed(err); // one broken ticket does not stop the clock for the others
      }
    }
    return plans;
  }

  async function tick(): Promise<TickReport> {
    const now = deps.clock.now();
    const report: TickReport = { warnings: 0, breaches: 0, escalations: 0, autoClosed: 0 };
    const failures: unknown[] = [];
    const failed = (err: unknown) => (deps.onError ? deps.onError(err) : failures.push(err));
    // One tick's lookups (group managers and members, the lead) are shared by its firings; its tell jobs, committed, are kept for its digests.
    const written: NewJob[] = [];
    const carry = withLookups({ ...carryBase, tick: now.toISOString(), wrote: (jobs) => written.push(...jobs) });
    /** Without a job queue: what the tick tells at its end. */
    const told: NewJob[] = [];
    // A synchronous driver (better-sqlite3) resolves every query as a microtask: without pauses, a
    // batch of firings would hold the event loop (web, Slack, Teams) for its whole duration.
    let yielded = performance.now();
    const pace = async () => {
      if (performance.now() - yielded < YIELD_AFTER_MS) return;
      await yieldToLoop();
      yielded = performance.now();
    };
    // Keyset paging: a ticket still due after its turn (it failed) waits for the next tick.
    let cursor: SlaCursor | undefined;
    for (;;) {
      const due = await desk.repository.slaDue(now, batch, cursor);
      await pace();
      const plans = await plan(carry, due, now, report, failed, told, pace);
      for (const { t, firing, done } of await fireAll(carry, plans, now, pace, failed)) {
        if (!deps.jobs) told.push(tellJob(t, firing, done, now)); // with a queue, the unit of work wrote them
        if (firing.kind === 'sla-warning') report.warnings += 1;
        else {
          report.breaches += 1;
          report.escalations += done.escalations;
        }
      }
      if (due.length < batch) break;
      const last = due.at(-1)!;
      cursor = { at: last.nextSlaAt!, number: last.number };
      await pace();
    }
    // Every batch committed: each person told of the whole tick in ONE message (sla-digest.ts).
    if (queue && written.length > 0) {
      await writeDigests(carry, (work) => desk.repository.transaction(work), written, now.toISOString(), now, pace).then(() => queue.nudge(), failed); // not written: each tell job tells its batch after its wait
    } else if (!queue && told.length > 0) await tellInline(carry, [{ queue: TELL_QUEUE, key: 'inline', payload: { tickets: told.flatMap((j) => toldOf(j.payload)) } }], pace, failed);
    // Without onError, problems are not swallowed: the pass completes, then throws them.
    if (failures.length > 0) throw new AggregateError(failures, `SLA clock: ${failures.length} ticket(s) could not be processed: ${String(failures[0])}`);
    return report;
  }

  /** Without a job queue: the tell jobs run here, a few at a time (their reads overlap on PostgreSQL's pool), each step once. */
  async function tellInline(carry: CarryDeps, jobs: NewJob[], pace: () => Promise<void>, failed: (err: unknown) => void): Promise<void> {
    const queue = [...jobs];
    const teller = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const steps = new Set<string>();
        const ctx = { job: undefined as never, step: async (name: string, work: () => Promise<void>) => void (steps.has(name) || (await work(), steps.add(name))) };
        await tell(carry, job.payload, ctx).catch(failed);
        await pace();
      }
    };
    await Promise.all(Array.from({ length: Math.min(TELLERS, jobs.length) }, teller));
  }

  const scheduler = {
    /** One pass; concurrent calls in one process share the pass. */
    tick(): Promise<TickReport> {
      running ??= tick().finally(() => {
        running = undefined;
      });
      return running;
    },
    /**
     * Ticks every `intervalMs` until stop(); the timer does not keep the process alive. Every open
     * ticket's next moment is first re-derived once (in batches, yielding between them): the calendars
     * and SLA policies of this start may differ from those the stored moments were computed with.
     */
    start(intervalMs = deps.intervalMs ?? 60_000): void {
      if (timer || rearming) return;
      rearming = scheduler
        .rearmAll()
        .catch((err: unknown) => deps.onError?.(err))
        .then(() => {
          if (rearming === undefined) return; // stopped meanwhile
          timer = setInterval(() => {
            scheduler.tick().catch((err: unknown) => deps.onError?.(err));
          }, intervalMs);
          timer.unref();
        });
    },
    /**
     * Recomputes every open and resolved ticket's next moment (in batches, yielding between them):
     * call it after the calendars or SLA policies changed (config sync). Returns how many were read.
     */
    rearmAll(): Promise<number> {
      return rearmAll(desk.repository, moment, { batch: batch * 5, onError: (err) => deps.onError?.(err) });
    },
    /** Stops the timer and waits for a pass in progress. */
    async stop(): Promise<void> {
      const wasRearming = rearming;
      rearming = undefined;
      await wasRearming;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
  return scheduler;
}

export type SlaScheduler = ReturnType<typeof createSlaScheduler>;
