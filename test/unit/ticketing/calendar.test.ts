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
    [{ holidays: ['2026-02-30'] }, /field "holidays.0": is not a calendar date/],
    [{ hours: { thurs: [['08:30', '12:30']] } }, /calendar "paris", field "hours": Unrecognized key\(s\) in object: 'thurs'/],
    [{ holiday: ['2026-12-25'] }, /calendar "paris", Unrecognized key\(s\) in object: 'holiday'/],
  ])('rejects %o', (override, message) => {
    expect(() => office(override as Partial<BusinessCalendar>)).toThrow(message);
  });
});

describe('daylight saving, zones and extremes', () => {
  const aroundTheClock = (timeZone: string) =>
    parseCalendar({ id: 'always', name: '24/7', timeZone, hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) });

  it('counts the real length of the days clocks change on, in the calendar’s zone', () => {
    const paris = aroundTheClock('Europe/Paris');
    // Sunday 29 Mar 2026 lasts 23 hours in Paris, Sunday 25 Oct 2026 lasts 25.
    expect(businessMinutesBetween(paris, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * 60);
    expect(businessMinutesBetween(paris, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * 60);
    // Elapsed time is real time: 3 h from 01:00 Paris on 29 Mar is 05:00 Paris (UTC+2).
    expect(addBusinessMinutes(paris, at('2026-03-29T00:00:00Z'), 180).toISOString()).toBe('2026-03-29T03:00:00.000Z');
  });

  it('keeps office hours on the local clock in another zone’s DST change (New York switches on 8 Mar 2026)', () => {
    const ny = office({ id: 'new-york', timeZone: 'America/New_York', holidays: [] });
    // Friday 6 Mar 17:30 EST (22:30 UTC), after Friday's 17:00 closing: all 60 minutes on Monday from 08:30 EDT (12:30 UTC, UTC−4 now) → 09:30 EDT.
    expect(addBusinessMinutes(ny, at('2026-03-06T22:30:00Z'), 60).toISOString()).toBe('2026-03-09T13:30:00.000Z');
    // The same instants are counted on New York's days, not Paris's.
    expect(businessMinutesBetween(ny, at('2026-03-06T22:30:00Z'), at('2026-03-09T13:30:00Z'))).toBe(60);
  });

  it('reads holidays as local dates of the calendar', () => {
    const cal = office();
    // 24 Dec 23:30 UTC is already Christmas Day in Paris: nothing counts until Monday 28 Dec 08:30 Paris.
    expect(businessMinutesBetween(cal, at('2026-12-24T23:30:00Z'), at('2026-12-28T07:30:00Z'))).toBe(0);
  });

  it('returns the start itself (or the next opening) for zero minutes, and refuses negative ones', () => {
    const cal = office();
    expect(addBusinessMinutes(cal, at('2026-11-23T09:00:00Z'), 0).toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(addBusinessMinutes(cal, at('2026-11-23T11:30:00Z'), 0).toISOString()).toBe('2026-11-23T12:30:00.000Z'); // 12:30 Paris: lunch → 13:30
    expect(() => addBusinessMinutes(cal, at('2026-11-23T09:00:00Z'), -5)).toThrow(/minutes must be ≥ 0 \(got -5\)/);
  });

  it('handles targets of months and a start exactly at closing time', () => {
    const cal = office();
    // Closing time Monday 18:00 Paris: the next minute is Tuesday 08:30.
    expect(addBusinessMinutes(cal, at('2026-11-23T17:00:00Z'), 1).toISOString()).toBe('2026-11-24T07:31:00.000Z');
    // 50 working weeks of 2,490 minutes: the inverse holds, and the holidays push the end past 1 Nov 2027.
    const start = at('2026-11-23T07:30:00Z');
    const end = addBusinessMinutes(cal, start, 50 * 2490);
    expect(businessMinutesBetween(cal, start, end)).toBe(50 * 2490);
    expect(end.getTime()).toBeGreaterThan(at('2027-11-01T00:00:00Z').getTime());
  });

  it('goes from week to week on a sparse calendar (one hour on Mondays)', () => {
    const closed = office({ hours: { mon: [['08:00', '09:00']] } as unknown as BusinessCalendar['hours'], holidays: [] });
    expect(addBusinessMinutes(closed, at('2026-11-23T06:00:00Z'), 120).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });
});
