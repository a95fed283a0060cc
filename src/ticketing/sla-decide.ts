/**
 * The SLA clock's decisions, pure: given the watched tickets, the clock and the calendars, which
 * warnings (75 % of a target) and breaches (100 %) are due, and which resolved tickets are old
 * enough to close. Each firing is keyed by the ticket's priority, so a new priority re-arms them.
 * sla-carry.ts carries them out; nothing here reads or writes storage.
 */
import { businessMinutesBetween, type BusinessCalendar } from './calendar.ts';
import type { DeskConfig } from './config.ts';
import type { TicketRecord } from './ports.ts';
import { warningAt } from './sla.ts';

export type Target = 'response' | 'resolution';

export interface SlaFiring {
  kind: 'sla-warning' | 'sla-breach';
  target: Target;
  due: Date;
  /** At most one firing per ticket and key ("sla-breach:resolution:P4"). */
  dedupeKey: string;
}

type Config = Pick<DeskConfig, 'policies' | 'autoCloseBusinessDays' | 'calendars'>;

/** The firings due on one open ticket at `now` (none while its clock is paused or without a policy). */
export function dueFirings(t: TicketRecord, now: Date, config: Config, calendar: (id: string) => BusinessCalendar): SlaFiring[] {
  const policy = config.policies.find((p) => p.id === t.slaPolicyId);
  if (!policy || (t.slaPausedAt && policy.pauseOnPending)) return [];
  const cal = calendar(policy.calendarId);
  const targets: { target: Target; due: Date | null; met: boolean; breached: boolean }[] = [
    { target: 'response', due: t.responseDueAt, met: t.firstResponseAt !== null, breached: t.responseBreached },
    { target: 'resolution', due: t.resolutionDueAt, met: false, breached: t.resolutionBreached },
  ];
  const firings: SlaFiring[] = [];
  for (const { target, due, met, breached } of targets) {
    if (!due || met || breached) continue;
    if (now >= due) firings.push({ kind: 'sla-breach', target, due, dedupeKey: `sla-breach:${target}:P${t.priority}` });
    else if (now >= warningAt(cal, t.createdAt, due, t.slaPausedMinutes)) firings.push({ kind: 'sla-warning', target, due, dedupeKey: `sla-warning:${target}:P${t.priority}` });
  }
  return firings;
}

/** True when a resolved ticket nobody confirmed has waited `autoCloseBusinessDays` business days. */
export function autoCloseDue(t: TicketRecord, now: Date, config: Config, calendar: (id: string) => BusinessCalendar): boolean {
  if (t.status !== 'resolved' || !t.resolvedAt) return false;
  const policy = config.policies.find((p) => p.id === t.slaPolicyId) ?? config.policies[0];
  const cal = calendar(policy?.calendarId ?? config.calendars[0]!.id);
  return businessMinutesBetween(cal, t.resolvedAt, now) >= config.autoCloseBusinessDays * workingMinutesPerDay(cal);
}

/** A business day's length in minutes: the calendar's longest working weekday. */
export function workingMinutesPerDay(cal: { hours: Record<string, [string, string][]> }): number {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return Math.max(...Object.values(cal.hours).map((day) => day.reduce((sum, [a, b]) => sum + minutes(b) - minutes(a), 0)));
}
