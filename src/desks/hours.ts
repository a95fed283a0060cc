/**
 * When a desk is open: a desk follows one calendar, or several (follow the sun: open when any of
 * them is). Built on the SLA's business calendar arithmetic (ticketing/calendar.ts), so the hours a
 * user is told and the hours the SLA clock counts are computed the same way.
 */
import { GuichetError } from '../core/errors.ts';
import { addBusinessMinutes, type BusinessCalendar } from '../ticketing/calendar.ts';
import type { DeskDefinition, DeskOrganisation } from './schema.ts';

export function calendarsOf(org: Pick<DeskOrganisation, 'calendars'>, desk: DeskDefinition): BusinessCalendar[] {
  return desk.hours.map((id) => {
    const cal = org.calendars.get(id);
    if (!cal) throw new GuichetError('config.invalid', `desks: desk "${desk.id}" names unknown calendar "${id}"`);
    return cal;
  });
}

/** The first working instant of `cal` at or after `at` (`at` itself when the calendar is open). */
export function nextWorkingInstant(cal: BusinessCalendar, at: Date): Date {
  // Zero working minutes from `at` land on the next opening, or on `at` when inside an interval.
  return addBusinessMinutes(cal, at, 0);
}

/** When the desk next opens: `at` itself when it is open now (any of its calendars open). */
export function nextOpening(org: Pick<DeskOrganisation, 'calendars'>, desk: DeskDefinition, at: Date): Date {
  const candidates = calendarsOf(org, desk).map((cal) => nextWorkingInstant(cal, at).getTime());
  return new Date(Math.min(...candidates));
}

export function isOpen(org: Pick<DeskOrganisation, 'calendars'>, desk: DeskDefinition, at: Date): boolean {
  return nextOpening(org, desk, at).getTime() === at.getTime();
}

/** The time zone the desk's opening time is told in: its first calendar's. */
export function timeZoneOf(org: Pick<DeskOrganisation, 'calendars'>, desk: DeskDefinition): string {
  return calendarsOf(org, desk)[0]!.timeZone;
}
