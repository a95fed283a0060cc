/** Ticket rows (with their people, group and major incident) as the core's read models. */
import type { Localized } from '../core/lang.ts';
import type { Level, Priority, TicketStatus, TicketType, TicketView } from '../core/tickets.ts';

export interface TicketRow {
  number: number;
  type: string;
  title: string;
  description: string;
  status: string;
  priority: number;
  impact: number;
  urgency: number;
  category: string;
  serviceId: string | null;
  requester: { id: string; displayName: string };
  assignee: { id: string; displayName: string } | null;
  group: { id: string; name: string; level: number } | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseAt: Date | null;
  slaPausedAt: Date | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  majorIncident: { number: number; title: unknown } | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toTicketView(row: TicketRow): TicketView {
  return {
    number: row.number,
    type: row.type as TicketType,
    title: row.title,
    description: row.description,
    status: row.status as TicketStatus,
    priority: row.priority as Priority,
    impact: row.impact as Level,
    urgency: row.urgency as Level,
    category: row.category,
    serviceId: row.serviceId,
    requester: row.requester,
    assignee: row.assignee,
    group: row.group,
    // The response target is met once someone answered: no due time to show any more.
    responseDueAt: row.firstResponseAt ? null : iso(row.responseDueAt),
    resolutionDueAt: iso(row.resolutionDueAt),
    slaPaused: row.slaPausedAt !== null,
    responseBreached: row.responseBreached,
    resolutionBreached: row.resolutionBreached,
    majorIncident: row.majorIncident ? { number: row.majorIncident.number, title: row.majorIncident.title as Localized } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: iso(row.resolvedAt),
    resolution: row.resolution,
  };
}
