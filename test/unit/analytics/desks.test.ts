import { describe, expect, it } from 'vitest';
import { deskStats, quantile, type DeskWaitRow } from '../../../src/analytics/desks.ts';

const at = (iso: string) => new Date(iso);
const wait = (deskId: string, from: string, minutes: number, outcome: DeskWaitRow['outcome'], fcr: boolean | null = null, sla: boolean | null = null): DeskWaitRow => ({
  deskId, queuedAt: at(from), endedAt: new Date(at(from).getTime() + minutes * 60_000), outcome, firstContactResolved: fcr, slaMet: sla,
});

describe('desk analytics', () => {
  it('nearest-rank quantiles', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('volumes, waits, abandonment, first-contact resolution, SLA met and hours per desk', () => {
    const rows = [
      wait('paris', '2026-12-01T08:05:00Z', 4, 'taken', true, true), // 09:05 in Paris
      wait('paris', '2026-12-01T08:30:00Z', 10, 'taken', false, true),
      wait('paris', '2026-12-01T13:00:00Z', 2, 'abandoned', null, false),
      wait('paris', '2026-12-01T13:10:00Z', 30, 'taken', null, null),
      wait('central', '2026-12-01T20:00:00Z', 6, 'taken', true, true),
    ];
    const [central, paris] = deskStats(rows, () => 'Europe/Paris');
    expect(paris).toMatchObject({ deskId: 'paris', volume: 4, taken: 3, abandoned: 1, abandonmentRate: 0.25, waitMedianMinutes: 10, waitP90Minutes: 30, firstContactResolutionRate: 0.5, slaMetRate: 2 / 3 });
    expect(paris!.byHour[9]).toBe(2);
    expect(paris!.byHour[14]).toBe(2);
    expect(central).toMatchObject({ deskId: 'central', volume: 1, waitMedianMinutes: 6, firstContactResolutionRate: 1 });
    expect(central!.byHour[21]).toBe(1);
  });
});
