/**
 * Keeping every ticket's next SLA moment (sla-moment.ts) right. `keepSlaMoments` wraps the desk's
 * repository: after a ticket is created, and after any change of a field the moment depends on
 * (status — so pause, resume, assignment, escalation, resolution, reopening —, priority, due times,
 * first response, warnings, breaches), it re-reads the ticket in the same unit of work and stores
 * its moment. `rearmAll` recomputes every open and resolved ticket (after a calendar or policy
 * change at config sync), in batches that yield to the event loop.
 */
import { GuichetError } from '../core/errors.ts';
import { yieldToLoop } from '../core/event-loop.ts';
import type { TicketChanges, TicketRecord, TicketRepository, TicketUnit } from './ports.ts';

/** The moment of a ticket (nextSlaMoment with the desk's configuration); may throw on a misconfigured calendar. */
export type MomentOf = (t: TicketRecord) => Date | null;

/** The fields a next SLA moment depends on. */
const SLA_FIELDS: readonly (keyof TicketChanges)[] = [
  'status', 'priority', 'responseDueAt', 'resolutionDueAt', 'firstResponseAt', 'slaPausedAt', 'slaPausedMinutes',
  'responseBreached', 'resolutionBreached', 'responseWarnedAt', 'resolutionWarnedAt', 'resolvedAt',
];

/** Epoch: "due now" — the clock re-derives the ticket at its next tick (and reports why it could not). */
const RETRY_AT = new Date(0);

/** Stores the moment of a ticket as it is in `unit` now — or as `ticket` was just read — (nothing written when unchanged). */
export async function rearm(unit: TicketUnit, ticket: number | TicketRecord, moment: MomentOf, onError?: (err: unknown) => void): Promise<void> {
  const t = typeof ticket === 'number' ? await unit.find(ticket) : ticket;
  if (!t) return;
  let next: Date | null;
  try {
    next = moment(t);
  } catch (err) {
    // A change must not fail for a misconfigured calendar: the clock picks the ticket up at once and reports it.
    onError?.(err);
    next = RETRY_AT;
  }
  // From a record read earlier: only while its status is unchanged (a change meanwhile re-armed it itself).
  const guard = typeof ticket === 'number' ? undefined : { status: t.status };
  if ((next?.getTime() ?? null) !== (t.nextSlaAt?.getTime() ?? null)) await unit.update(t.number, { nextSlaAt: next }, guard);
}

/** The repository the desk uses: every change of an SLA field re-arms the ticket's moment in the same unit of work. */
export function keepSlaMoments(repo: TicketRepository, moment: MomentOf, onError?: (err: unknown) => void): TicketRepository {
  const wrap = <U extends TicketUnit>(unit: U): U =>
    new Proxy(unit, {
      get(target, prop) {
        if (prop === 'insert') {
          return async (...args: Parameters<TicketUnit['insert']>) => {
            const number = await target.insert(...args);
            await rearm(target, number, moment, onError);
            return number;
          };
        }
        if (prop === 'update') {
          return async (...args: Parameters<TicketUnit['update']>) => {
            const changed = await target.update(...args);
            if (changed && SLA_FIELDS.some((field) => field in args[1])) await rearm(target, args[0], moment, onError);
            return changed;
          };
        }
        if (prop === 'transaction') {
          return <T>(work: (tx: TicketUnit) => Promise<T>) => (target as unknown as TicketRepository).transaction((tx) => work(wrap(tx)));
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return wrap(repo);
}


/**
 * Recomputes the moment of every open and resolved ticket, `batch` at a time, yielding between
 * batches; returns how many were read. Call it after the calendars or policies changed.
 */
export async function rearmAll(repo: TicketRepository, moment: MomentOf, options: { batch?: number; onError?: (err: unknown) => void } = {}): Promise<number> {
  const batch = options.batch ?? 500;
  if (batch < 1) throw new GuichetError('ticketing.invalid', `sla: rearmAll batch must be ≥ 1 (got ${batch})`);
  let after = 0;
  let read = 0;
  for (;;) {
    const tickets = await repo.slaTracked(after, batch);
    for (const t of tickets) await rearm(repo, t, moment, options.onError);
    read += tickets.length;
    if (tickets.length < batch) return read;
    after = tickets.at(-1)!.number;
    await yieldToLoop();
  }
}
