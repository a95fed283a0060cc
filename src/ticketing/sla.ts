/**
 * SLA arithmetic, pure: a ticket's response and resolution due times from its
 * policy, the shift a pause ("pending user") adds to them, and the instant a
 * target is 75 % used. All durations are business minutes of the policy's
 * calendar, so a P4 opened on Friday 17:30 in Paris starts its clock on
 * Monday 08:30. The desk stores the results; the scheduler compares them with
 * the clock.
 */
import type { Priority } from '../core/tickets.ts';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from './calendar.ts';
import type { SlaPolicyConfig } from './config.ts';

export type { SlaPolicyConfig } from './config.ts';

export interface SlaTargets {
  /** Business minutes until someone of the service desk answers. */
  responseMinutes: number;
  /** Business minutes until the ticket is resolved. */
  resolutionMinutes: number;
}

/** Share of a target after which the assignee (or manager) and the requester are warned. */
export const WARNING_SHARE = 0.75;

/** Due times of a ticket of `priority` opened at `at` under `policy` (whose calendar is `cal`). */
export function dueDates(policy: SlaPolicyConfig, cal: BusinessCalendar, priority: Priority, at: Date): { responseDueAt: Date; resolutionDueAt: Date } {
  const target: SlaTargets = policy.targets[String(priority) as '1'];
  return { responseDueAt: addBusinessMinutes(cal, at, target.responseMinutes), resolutionDueAt: addBusinessMinutes(cal, at, target.resolutionMinutes) };
}

/**
 * Due times after a pause from `pausedAt` to `resumedAt`: each running target
 * (non-null) moves later by the business minutes spent paused, rounded to the
 * minute; `pausedMinutes` is that amount (to add to Ticket.slaPausedMinutes).
 */
export function resumeDueDates(
  cal: BusinessCalendar,
  due: { responseDueAt: Date | null; resolutionDueAt: Date | null },
  pausedAt: Date,
  resumedAt: Date,
): { responseDueAt: Date | null; resolutionDueAt: Date | null; pausedMinutes: number } {
  const pausedMinutes = Math.round(businessMinutesBetween(cal, pausedAt, resumedAt));
  const shift = (d: Date | null) => (d && pausedMinutes > 0 ? addBusinessMinutes(cal, d, pausedMinutes) : d);
  return { responseDueAt: shift(due.responseDueAt), resolutionDueAt: shift(due.resolutionDueAt), pausedMinutes };
}

/**
 * When `share` of a target is used: the target is the business time from
 * `createdAt` to `dueAt` minus the `pausedMinutes` already added to the due
 * time, and the warning instant is pushed by those paused minutes as well
 * (a pause before the warning point delays it; time paused is never counted).
 */
export function warningAt(cal: BusinessCalendar, createdAt: Date, dueAt: Date, pausedMinutes: number, share = WARNING_SHARE): Date {
  const target = Math.max(0, businessMinutesBetween(cal, createdAt, dueAt) - pausedMinutes);
  return addBusinessMinutes(cal, createdAt, target * share + pausedMinutes);
}
