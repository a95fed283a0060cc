/**
 * Business-hours arithmetic for SLAs: "when will 240 working minutes have
 * passed since Friday 17:00 in Paris?" and "how many working minutes between
 * these two instants?". Working hours are local intervals per weekday in the
 * calendar's IANA time zone (luxon handles daylight-saving changes); holidays
 * are local dates with no working time at all.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import { describeIssue } from '../core/zod-issue.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessCalendar {
  id: string;
  name: string;
  /** IANA time zone, e.g. "Europe/Paris". */
  timeZone: string;
  /** Local "HH:mm" intervals per weekday, in order, not overlapping; "24:00" ends a day. */
  hours: Record<Weekday, [string, string][]>;
  /** Local dates (YYYY-MM-DD) without working time. */
  holidays: string[];
}

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const interval = z.tuple([z.string().regex(HHMM, 'must be "HH:mm"'), z.string().regex(HHMM, 'must be "HH:mm"')]);

export const calendarSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes'),
    name: z.string().min(1),
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'is not an IANA time zone'),
    // strict: a misspelt weekday ("thurs") must not silently remove a working day
    hours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(interval).default([])])) as Record<Weekday, z.ZodDefault<z.ZodArray<typeof interval>>>).strict(),
    holidays: z
      .array(
        z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
          .refine((date) => DateTime.fromISO(date).isValid, 'is not a calendar date'),
      )
      .default([]),
  })
  .strict()
  .superRefine((cal, ctx) => {
    for (const day of WEEKDAYS) {
      let previousEnd = -1;
      cal.hours[day].forEach(([from, to], i) => {
        const start = minutesOf(from);
        const end = minutesOf(to);
        if (end <= start) ctx.addIssue({ code: 'custom', path: ['hours', day, i], message: `interval ${from}–${to} ends before it starts` });
        if (start < previousEnd) ctx.addIssue({ code: 'custom', path: ['hours', day, i], message: `interval ${from}–${to} overlaps the previous one` });
        previousEnd = end;
      });
    }
    if (WEEKDAYS.every((d) => cal.hours[d].length === 0)) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'has no working time at all' });
  });

/** Validates a calendar; the error names the calendar and the field. */
export function parseCalendar(raw: unknown, where = 'calendar'): BusinessCalendar {
  const parsed = calendarSchema.safeParse(raw);
  if (parsed.success) return parsed.data as BusinessCalendar;
  const id = typeof raw === 'object' && raw && 'id' in raw ? String((raw as { id: unknown }).id) : '?';
  throw new GuichetError('ticketing.invalid-calendar', `${where}: calendar "${id}", ${describeIssue(parsed.error)}`);
}

/** One local day of a calendar: its working intervals as absolute instants, and where the next day starts. */
interface Day {
  intervals: { start: number; end: number }[];
  next: number;
}

/**
 * Days already computed, per calendar object and local day start (ms): the scheduler asks about the
 * same few weeks for every open ticket, and luxon's zone arithmetic is the costly part. Calendars are
 * treated as immutable once parsed; the memo is dropped when it grows past MEMO_LIMIT days.
 */
const memo = new WeakMap<BusinessCalendar, Map<number, Day>>();
const MEMO_LIMIT = 20_000;

function dayOf(cal: BusinessCalendar, dayStart: number): Day {
  let days = memo.get(cal);
  if (!days || days.size > MEMO_LIMIT) memo.set(cal, (days = new Map()));
  const known = days.get(dayStart);
  if (known) return known;
  const day = DateTime.fromMillis(dayStart, { zone: cal.timeZone });
  const next = day.plus({ days: 1 }).startOf('day').toMillis();
  const holiday = cal.holidays.includes(day.toISODate()!);
  const intervals = holiday
    ? []
    : cal.hours[WEEKDAYS[day.weekday - 1]!].map(([from, to]) => {
        // Wall-clock time of that local day (so 08:30 stays 08:30 on a daylight-saving day).
        const at = (hhmm: string) => (hhmm === '24:00' ? next : day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)), second: 0, millisecond: 0 }).toMillis());
        return { start: at(from), end: at(to) };
      });
  const computed = { intervals, next };
  days.set(dayStart, computed);
  return computed;
}

/** Local day starts already found, per calendar and quarter hour of the instant asked about (luxon's zone lookup is the costly part). */
const dayStarts = new WeakMap<BusinessCalendar, Map<number, number>>();
const QUARTER_MS = 15 * 60_000;

/** The start of the local day holding `at`: remembered per quarter hour, and checked, so a quarter hour across a midnight is still exact. */
function startOfLocalDay(cal: BusinessCalendar, at: number): number {
  let starts = dayStarts.get(cal);
  if (!starts || starts.size > MEMO_LIMIT) dayStarts.set(cal, (starts = new Map()));
  const quarter = Math.floor(at / QUARTER_MS);
  const known = starts.get(quarter);
  if (known !== undefined && known <= at && at < dayOf(cal, known).next) return known;
  const start = DateTime.fromMillis(at, { zone: cal.timeZone }).startOf('day').toMillis();
  starts.set(quarter, start);
  return start;
}

const MAX_DAYS = 3_660;

/** The instant when `minutes` working minutes have elapsed after `start` (start outside hours counts from the next opening). */
export function addBusinessMinutes(cal: BusinessCalendar, start: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new GuichetError('ticketing.invalid-minutes', `addBusinessMinutes: minutes must be ≥ 0 (got ${minutes})`);
  let remaining = minutes * 60_000;
  const from = start.getTime();
  let day = startOfLocalDay(cal, from);
  for (let i = 0; i < MAX_DAYS; i += 1) {
    const { intervals, next } = dayOf(cal, day);
    for (const { start: s, end: e } of intervals) {
      const begin = Math.max(s, from);
      if (begin >= e) continue;
      const available = e - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
    }
    day = next;
  }
  throw new GuichetError('ticketing.calendar-too-sparse', `calendar "${cal.id}": no working time found in ten years after ${start.toISOString()}`);
}

/** Working minutes in [from, to); 0 when `to` is not after `from`. */
export function businessMinutesBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  let day = startOfLocalDay(cal, a);
  for (let i = 0; i < MAX_DAYS && day < b; i += 1) {
    const { intervals, next } = dayOf(cal, day);
    for (const { start, end } of intervals) {
      const s = Math.max(start, a);
      const e = Math.min(end, b);
      if (e > s) total += e - s;
    }
    day = next;
  }
  return total / 60_000;
}
