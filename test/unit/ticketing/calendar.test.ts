import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, parseCalendar, type BusinessCalendar } from '../../../src/ticketing/calendar.ts';

const office = (overrides: Partial<BusinessCalendar> = {}): BusinessCalendar =>
  parseCalendar({
    id: 'paris',
    name: 'Paris',
    timeZone: 'Europe/Paris',
    hours: {
      mon: [['08:30', '12:30'], ['13:30', '18:00']],
      tue: [['08:30', '12:30'], ['13:30', '18:00']],
      wed: [['08:30', '12:30'], ['13:30', '18:00']],
      thu: [['08:30', '12:30'], ['13:30', '18:00']],
      fri: [['08:30', '12:30'], ['13:30', '17:00']],
    },
    holidays: ['2026-12-25', '2027-01-01'],
    ...overrides,
  });

const at = (iso: string) => new Date(iso);

describe('adding business minutes', () => {
  const cal = office();
  it('stays within the morning', () => {
    // Monday 23 Nov 2026 10:00 Paris (09:00 UTC) + 60 min → 11:00 Paris.
    expect(addBusinessMinutes(cal, at('2026-11-23T09:00:00Z'), 60).toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });
  it('skips lunch', () => {
    // 12:00 Paris + 60 → 30 min before lunch, 30 after 13:30 → 14:00 Paris.
    expect(addBusinessMinutes(cal, at('2026-11-23T11:00:00Z'), 60).toISOString()).toBe('2026-11-23T13:00:00.000Z');
  });
  it('goes across the night', () => {
    // Monday 17:30 Paris + 60 → 30 min Monday, 30 min Tuesday from 08:30 → 09:00 Paris.
    expect(addBusinessMinutes(cal, at('2026-11-23T16:30:00Z'), 60).toISOString()).toBe('2026-11-24T08:00:00.000Z');
  });
  it('goes across the weekend, with Friday’s shorter afternoon', () => {
    // Friday 16:30 Paris + 60 → 30 min Friday (ends 17:00), 30 min Monday → 09:00 Paris Monday.
    expect(addBusinessMinutes(cal, at('2026-11-27T15:30:00Z'), 60).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });
  it('starts counting at the next opening when started at night or on a weekend', () => {
    expect(addBusinessMinutes(cal, at('2026-11-28T12:00:00Z'), 30).toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(addBusinessMinutes(cal, at('2026-11-24T03:00:00Z'), 0).toISOString()).toBe('2026-11-24T07:30:00.000Z');
  });
  it('skips holidays (Christmas on a Friday, then the weekend)', () => {
    // Thursday 24 Dec 2026 17:00 Paris + 120 → 60 min Thursday, Christmas Friday off, weekend → Monday 28 Dec 09:30 Paris.
    expect(addBusinessMinutes(cal, at('2026-12-24T16:00:00Z'), 120).toISOString()).toBe('2026-12-28T08:30:00.000Z');
  });
  it('keeps wall-clock hours on the day clocks go back (25 Oct 2026) and forward (29 Mar 2026)', () => {
    // Monday 26 Oct: Paris is UTC+1 again, so 08:30 Paris is 07:30 UTC.
    expect(addBusinessMinutes(cal, at('2026-10-24T10:00:00Z'), 30).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // Friday 27 Mar 16:30 Paris (UTC+1) + 60 → Monday 30 Mar 09:00 Paris (UTC+2) = 07:00 UTC.
    expect(addBusinessMinutes(cal, at('2026-03-27T15:30:00Z'), 60).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });
  it('counts in the calendar’s own time zone', () => {
    const montreal = office({ id: 'montreal', timeZone: 'America/Toronto', holidays: [] });
    // Monday 23 Nov 2026 08:00 in Montréal (13:00 UTC) + 30 → 09:00 local (opening 08:30) = 14:00 UTC.
    expect(addBusinessMinutes(montreal, at('2026-11-23T13:00:00Z'), 30).toISOString()).toBe('2026-11-23T14:00:00.000Z');
  });
  it('handles a 24/7 calendar and long targets (a week of office hours)', () => {
    const always = parseCalendar({ id: 'always', name: '24/7', timeZone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) });
    expect(addBusinessMinutes(always, at('2026-11-28T23:30:00Z'), 90).toISOString()).toBe('2026-11-29T01:00:00.000Z');
    // 8.5 h × 4 + 7.5 h = 41.5 h (2,490 min) per week: Monday 08:30 + 2490 min → Friday 17:00, closing time.
    expect(addBusinessMinutes(cal, at('2026-11-23T07:30:00Z'), 2490).toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });
});

describe('business minutes between two instants', () => {
  const cal = office();
  it('counts only working time', () => {
    expect(businessMinutesBetween(cal, at('2026-11-23T09:00:00Z'), at('2026-11-23T13:00:00Z'))).toBe(180);
    expect(businessMinutesBetween(cal, at('2026-11-27T15:30:00Z'), at('2026-11-30T08:00:00Z'))).toBe(60);
    expect(businessMinutesBetween(cal, at('2026-12-24T16:00:00Z'), at('2026-12-28T08:30:00Z'))).toBe(120);
    expect(businessMinutesBetween(cal, at('2026-11-23T13:00:00Z'), at('2026-11-23T09:00:00Z'))).toBe(0);
  });
  it('is the inverse of addBusinessMinutes', () => {
    const start = at('2026-11-26T14:10:00Z');
    for (const minutes of [1, 59, 240, 1000, 4321]) expect(businessMinutesBetween(cal, start, addBusinessMinutes(cal, start, minutes))).toBeCloseTo(minutes, 6);
  });
});

describe('calendar validation', () => {
  it.each([
    [{ timeZone: 'Europe/Atlantis' }, /calendar "paris", field "timeZone": is not an IANA time zone/],
    [{ hours: { mon: [['8:30', '12:00']] } }, /field "hours.mon.0.0": must be "HH:mm"/],
    [{ hours: { mon: [['12:00', '08:00']] } }, /field "hours.mon.0": interval 12:00–08:00 ends before it starts/],
    [{ hours: { mon: [['08:00', '12:00'], ['11:00', '13:00']] } }, /overlaps the previous one/],
    [{ hours: {} }, /has no working time at all/],
    [{ holidays: ['25/12/2026'] }, /field "holidays.0": must be YYYY-MM-DD/],
  ])('rejects %o', (override, message) => {
    expect(() => office(override as Partial<BusinessCalendar>)).toThrow(message);
  });
});
