/**
 * Analytics per desk, from how waits for a person ended (the desks' queue history) joined with the
 * tickets: volumes, waiting times (median, p90), abandonment, first-contact resolution, SLA met, and
 * the volume by hour of day in the desk's time zone. Pure: the caller brings the rows.
 */
import { DateTime } from 'luxon';

export interface DeskWaitRow {
  deskId: string;
  queuedAt: Date;
  endedAt: Date;
  outcome: 'taken' | 'abandoned';
  /** Resolved by the first group that had it, without reopening or escalation; null while open. */
  firstContactResolved: boolean | null;
  /** Response and resolution targets met; null while not decided (open, no SLA). */
  slaMet: boolean | null;
}

export interface DeskStats {
  deskId: string;
  /** Users who waited for a person. */
  volume: number;
  taken: number;
  abandoned: number;
  /** abandoned / volume, 0..1. */
  abandonmentRate: number;
  /** Minutes from joining the queue to being taken (taken waits only); null without any. */
  waitMedianMinutes: number | null;
  waitP90Minutes: number | null;
  /** Of decided tickets, 0..1; null when none is decided. */
  firstContactResolutionRate: number | null;
  slaMetRate: number | null;
  /** Waits started in each local hour 0..23. */
  byHour: number[];
}

/** The q-quantile (0..1) of sorted `values`, nearest rank; null when empty. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const rate = (values: (boolean | null)[]): number | null => {
  const decided = values.filter((v): v is boolean => v !== null);
  return decided.length === 0 ? null : decided.filter(Boolean).length / decided.length;
};

export function deskStats(rows: DeskWaitRow[], timeZoneOf: (deskId: string) => string): DeskStats[] {
  const byDesk = new Map<string, DeskWaitRow[]>();
  for (const r of rows) byDesk.set(r.deskId, [...(byDesk.get(r.deskId) ?? []), r]);
  return [...byDesk.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([deskId, waits]) => {
      const taken = waits.filter((w) => w.outcome === 'taken');
      const minutes = taken.map((w) => (w.endedAt.getTime() - w.queuedAt.getTime()) / 60_000).sort((a, b) => a - b);
      const byHour = Array.from({ length: 24 }, () => 0);
      for (const w of waits) byHour[DateTime.fromJSDate(w.queuedAt, { zone: timeZoneOf(deskId) }).hour]! += 1;
      return {
        deskId,
        volume: waits.length,
        taken: taken.length,
        abandoned: waits.length - taken.length,
        abandonmentRate: (waits.length - taken.length) / waits.length,
        waitMedianMinutes: quantile(minutes, 0.5),
        waitP90Minutes: quantile(minutes, 0.9),
        firstContactResolutionRate: rate(taken.map((w) => w.firstContactResolved)),
        slaMetRate: rate(waits.map((w) => w.slaMet)),
        byHour,
      };
    });
}
