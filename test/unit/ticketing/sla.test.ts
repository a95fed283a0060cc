import { describe, expect, it } from 'vitest';
import { businessMinutesBetween, parseCalendar } from '../../../src/ticketing/calendar.ts';
import { dueDates, resumeDueDates, warningAt, type SlaPolicyConfig } from '../../../src/ticketing/sla.ts';

const weekday = [['08:30', '12:30'], ['13:30', '18:00']];
const paris = parseCalendar({
  id: 'paris',
  name: 'Paris',
  timeZone: 'Europe/Paris',
  hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: [['08:30', '12:30'], ['13:30', '17:00']] },
  holidays: ['2026-12-25'],
});
const always = parseCalendar({ id: 'always', name: '24/7', timeZone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) });

const standard: SlaPolicyConfig = {
  id: 'standard',
  name: 'Standard',
  calendarId: 'paris',
  pauseOnPending: true,
  targets: {
    '1': { responseMinutes: 15, resolutionMinutes: 240 },
    '2': { responseMinutes: 30, resolutionMinutes: 480 },
    '3': { responseMinutes: 120, resolutionMinutes: 1440 },
    '4': { responseMinutes: 240, resolutionMinutes: 2700 },
    '5': { responseMinutes: 480, resolutionMinutes: 5400 },
  },
};
const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('due dates', () => {
  it('counts the priority’s targets in business minutes from creation', () => {
    // Monday 23 Nov 2026 10:00 Paris, P1: response 10:15, resolution 240 min → 10:00–12:30 (150) + 13:30–15:00 (90).
    const due = dueDates(standard, paris, 1, at('2026-11-23T09:00:00Z'));
    expect(iso(due.responseDueAt)).toBe('2026-11-23T09:15:00.000Z');
    expect(iso(due.resolutionDueAt)).toBe('2026-11-23T14:00:00.000Z');
  });

  it('starts the clock at the next opening for a ticket opened on Friday evening', () => {
    // Friday 27 Nov 19:00 Paris, P3: response Monday 10:30, resolution 1,440 min = Mon 510 + Tue 510 + 420 Wed → Wed 16:30 Paris.
    const due = dueDates(standard, paris, 3, at('2026-11-27T18:00:00Z'));
    expect(iso(due.responseDueAt)).toBe('2026-11-30T09:30:00.000Z');
    expect(iso(due.resolutionDueAt)).toBe('2026-12-02T15:30:00.000Z');
  });

  it('runs around the clock on a 24/7 calendar', () => {
    const due = dueDates({ ...standard, calendarId: 'always' }, always, 2, at('2026-11-28T23:50:00Z'));
    expect(iso(due.responseDueAt)).toBe('2026-11-29T00:20:00.000Z');
    expect(iso(due.resolutionDueAt)).toBe('2026-11-29T07:50:00.000Z');
  });
});

describe('resuming after a pause', () => {
  const due = { responseDueAt: at('2026-11-24T10:00:00Z'), resolutionDueAt: at('2026-11-26T10:00:00Z') };

  it('shifts running targets by the business minutes spent paused', () => {
    // Paused Monday 17:00 Paris, resumed Tuesday 09:30 Paris: 60 + 60 business minutes.
    const resumed = resumeDueDates(paris, due, at('2026-11-23T16:00:00Z'), at('2026-11-24T08:30:00Z'));
    expect(resumed.pausedMinutes).toBe(120);
    expect(iso(resumed.responseDueAt)).toBe('2026-11-24T13:00:00.000Z'); // 11:00 Paris + 120 → 90 before lunch, 30 after → 14:00 Paris
    expect(businessMinutesBetween(paris, due.resolutionDueAt, resumed.resolutionDueAt!)).toBe(120);
  });

  it('leaves met targets (null) alone and shifts nothing for a pause outside business hours', () => {
    const resumed = resumeDueDates(paris, { responseDueAt: null, resolutionDueAt: due.resolutionDueAt }, at('2026-11-28T09:00:00Z'), at('2026-11-29T20:00:00Z'));
    expect(resumed).toEqual({ responseDueAt: null, resolutionDueAt: due.resolutionDueAt, pausedMinutes: 0 });
  });

  it('rounds the paused time to whole minutes', () => {
    const resumed = resumeDueDates(paris, due, at('2026-11-23T09:00:00Z'), at('2026-11-23T09:10:40Z'));
    expect(resumed.pausedMinutes).toBe(11);
  });
});

describe('the warning point', () => {
  it('is 75 % of the target in business minutes', () => {
    // P4 response: 240 minutes from Monday 10:00 Paris → 180 minutes → 14:00 Paris (lunch skipped).
    const created = at('2026-11-23T09:00:00Z');
    const { responseDueAt } = dueDates(standard, paris, 4, created);
    expect(iso(warningAt(paris, created, responseDueAt, 0))).toBe('2026-11-23T13:00:00.000Z');
  });

  it('is pushed back by the time paused, which never counts as used', () => {
    const created = at('2026-11-23T09:00:00Z');
    const { responseDueAt } = dueDates(standard, paris, 4, created);
    // 60 business minutes paused early on: the due time and the warning both move by 60.
    const shifted = resumeDueDates(paris, { responseDueAt, resolutionDueAt: null }, at('2026-11-23T09:30:00Z'), at('2026-11-23T10:30:00Z'));
    expect(iso(warningAt(paris, created, shifted.responseDueAt!, shifted.pausedMinutes))).toBe('2026-11-23T14:00:00.000Z');
  });
});
