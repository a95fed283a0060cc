/**
 * A ticket's next SLA moment, pure: the earliest instant the SLA clock has work on it — a 75 %
 * warning, a breach, or (resolved) the auto-close. Stored on the ticket (Ticket.nextSlaAt, indexed)
 * and kept right on every change by sla-rearm.ts, so a tick reads only `nextSlaAt <= now` instead
 * of re-deriving every open ticket through the business calendar.
 *
 * It is a lower bound, never a decision: at that moment the clock still asks sla-decide.ts what is
 * due, then stores the ticket's following moment.
 */
import { addBusinessMinutes, type BusinessCalendar } from './calendar.ts';
import type { DeskConfig } from './config.ts';
import type { TicketRecord } from './ports.ts';
import { workingMinutesPerDay } from './sla-decide.ts';
import { warningAt } from './sla.ts';
import { OPEN_STATUSES } from './status.ts';

/** Without `autoCloseBusinessDays` (the desk's own view of the configuration), a resolved ticket's moment is its resolution: a lower bound the clock refines. */
export type MomentConfig = Pick<DeskConfig, 'policies' | 'calendars'> & Partial<Pick<DeskConfig, 'autoCloseBusinessDays'>>;

/** The earliest instant the clock has work on `t`; null when none (closed, paused, no policy, every target met or breached). */
export function nextSlaMoment(t: TicketRecord, config: MomentConfig, calendar: (id: string) => BusinessCalendar): Date | null {
  if (t.status === 'resolved') return autoCloseAt(t, config, calendar);
  if (!OPEN_STATUSES.includes(t.status)) return null;
  const policy = config.policies.find((p) => p.id === t.slaPolicyId);
  if (!policy || (t.slaPausedAt && policy.pauseOnPending)) return null;
  const cal = calendar(policy.calendarId);
  const targets = [
    { due: t.responseDueAt, done: t.firstResponseAt !== null || t.responseBreached, warned: t.responseWarnedAt !== null },
    { due: t.resolutionDueAt, done: t.resolutionBreached, warned: t.resolutionWarnedAt !== null },
  ];
  let next: Date | null = null;
  for (const { due, done, warned } of targets) {
    if (!due || done) continue;
    // Not warned yet: the warning instant comes first (past the due time, the clock breaches directly).
    const at = warned ? due : warningAt(cal, t.createdAt, due, t.slaPausedMinutes);
    if (!next || at < next) next = at;
  }
  return next;
}

/** When a resolved ticket nobody confirmed is closed: `autoCloseBusinessDays` business days after its resolution. */
export function autoCloseAt(t: TicketRecord, config: MomentConfig, calendar: (id: string) => BusinessCalendar): Date | null {
  if (t.status !== 'resolved' || !t.resolvedAt) return null;
  if (config.autoCloseBusinessDays === undefined) return t.resolvedAt;
  const policy = config.policies.find((p) => p.id === t.slaPolicyId) ?? config.policies[0];
  const calendarId = policy?.calendarId ?? config.calendars[0]?.id;
  if (!calendarId) return null;
  const cal = calendar(calendarId);
  return addBusinessMinutes(cal, t.resolvedAt, config.autoCloseBusinessDays * workingMinutesPerDay(cal));
}
