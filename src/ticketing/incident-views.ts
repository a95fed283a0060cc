/** Major incident rows as the core's read model. */
import type { Localized } from '../core/lang.ts';
import type { MajorIncidentView } from '../core/tickets.ts';

export interface IncidentRow {
  number: number;
  serviceId: string;
  title: unknown;
  impact: string;
  status: string;
  startedAt: Date;
  resolvedAt: Date | null;
  updates: { text: unknown; createdAt: Date }[];
}

export function toIncidentView(row: IncidentRow): MajorIncidentView {
  return {
    number: row.number,
    serviceId: row.serviceId,
    title: row.title as Localized,
    impact: row.impact as MajorIncidentView['impact'],
    status: row.status === 'resolved' ? 'resolved' : 'open',
    startedAt: row.startedAt.toISOString(),
    resolvedAt: row.resolvedAt ? row.resolvedAt.toISOString() : null,
    updates: row.updates.map((u) => ({ text: u.text as Localized, at: u.createdAt.toISOString() })),
  };
}
