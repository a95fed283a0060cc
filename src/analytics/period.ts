/**
 * The period of an analytics request: whole days chosen by the admin ("from 23 to 25 November"),
 * turned into instants at local midnight in the desk's time zone, so that the days counted by
 * computeMetrics (bucketed in that same zone) are exactly the chosen days — no message of the
 * day after `to` slips in, none of the first hour(s) of `from` is lost, and a DST day keeps its
 * 23 or 25 hours.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import type { Period } from './ports.ts';

const day = z.string().date();

/** [from 00:00, the day after `to` 00:00) in `timeZone`; GuichetError 'analytics.invalid-period' on bad input. */
export function periodOfDays(fromDay: string, toDay: string, timeZone: string): Period {
  for (const [name, value] of [['from', fromDay], ['to', toDay]] as const) {
    if (!day.safeParse(value).success) throw new GuichetError('analytics.invalid-period', `analytics: ${name} must be a date YYYY-MM-DD, got "${value}"`);
  }
  if (!IANAZone.isValidZone(timeZone)) throw new GuichetError('analytics.invalid-period', `analytics: "${timeZone}" is not a time zone`);
  const from = DateTime.fromISO(fromDay, { zone: timeZone }).startOf('day');
  const to = DateTime.fromISO(toDay, { zone: timeZone }).startOf('day').plus({ days: 1 });
  if (!from.isValid || !to.isValid) throw new GuichetError('analytics.invalid-period', `analytics: ${fromDay}…${toDay} is not a calendar period`);
  if (to <= from) throw new GuichetError('analytics.invalid-period', `analytics: the period must end after it starts (from ${fromDay}, to ${toDay})`);
  return { from: from.toJSDate(), to: to.toJSDate() };
}

/** The last `days` days up to today, as the desk's calendar in `timeZone` says (not the server's UTC date). */
export function lastDays(now: Date, timeZone: string, days: number): { from: string; to: string } {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  return { from: today.minus({ days: days - 1 }).toISODate() ?? '', to: today.toISODate() ?? '' };
}
