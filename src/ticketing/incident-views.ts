/** Major incident rows as the core's read model. */
import type { Localized } from '../core/lang.ts';
import type { MajorIncidentView } from '../core/tickets.ts';
import type { IncidentScopeRecord } from './ports.ts';

export interface IncidentRow {
  number: number;
  serviceId: string;
  title: unknown;
  impact: string;
  status: string;
  startedAt: Date;
  resolvedAt: Date | null;
  scope?: unknown;
  updates: { text: unknown; createdAt: Date }[];
}

export function toIncidentView(row: IncidentRow): MajorIncidentView {
  const scope = scopeOf(row.scope);
  return {
    number: row.number,
    serviceId: row.serviceId,
    title: row.title as Localized,
    impact: row.impact as MajorIncidentView['impact'],
    status: row.status === 'resolved' ? 'resolved' : 'open',
    startedAt: row.startedAt.toISOString(),
    resolvedAt: row.resolvedAt ? row.resolvedAt.toISOString() : null,
    updates: row.updates.map((u) => ({ text: u.text as Localized, at: u.createdAt.toISOString() })),
    ...(scope ? { scope } : {}),
  };
}

/** The stored scope (JSON), or undefined when absent or not of the expected shape. */
export function scopeOf(value: unknown): IncidentScopeRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const list = (x: unknown) => (Array.isArray(x) ? x.filter((e): e is string => typeof e === 'string') : []);
  return { services: list(v.services), items: list(v.items), sites: list(v.sites) };
}

/** Every service an incident names: its own and its scope's. */
export function servicesNamed(view: Pick<MajorIncidentView, 'serviceId' | 'scope'>): string[] {
  return [...new Set([view.serviceId, ...(view.scope?.services ?? [])])];
}
