/**
 * Ticket views (the ticket with its requester, assignee, group and major incident) in one direct
 * statement (../direct-sql.ts): Prisma's `include` runs one query per relation, five statements per
 * read, and a ticket turn read views five times. Same rows as TICKET_INCLUDE in tickets.ts.
 */
import type { TicketView } from '../../core/tickets.ts';
import { toTicketView, type TicketRow } from '../../ticketing/views.ts';
import type { Database } from '../database.ts';
import type { Row } from '../direct-sql.ts';
import { portable, readJson } from './raw-sql.ts';

const SELECT = `SELECT t."number", t."type", t."title", t."description", t."status", t."priority", t."impact", t."urgency", t."category", t."serviceId",
  t."responseDueAt", t."resolutionDueAt", t."firstResponseAt", t."slaPausedAt", t."responseBreached", t."resolutionBreached",
  t."createdAt", t."updatedAt", t."resolvedAt", t."resolution",
  r."id" AS "requesterId", r."displayName" AS "requesterName", a."id" AS "assigneeId", a."displayName" AS "assigneeName",
  g."id" AS "groupId", g."name" AS "groupName", g."level" AS "groupLevel", m."number" AS "incidentNumber", m."title" AS "incidentTitle"
FROM "Ticket" t
  JOIN "User" r ON r."id" = t."requesterId"
  LEFT JOIN "User" a ON a."id" = t."assigneeId"
  LEFT JOIN "SupportGroup" g ON g."id" = t."groupId"
  LEFT JOIN "MajorIncident" m ON m."id" = t."majorIncidentId"`;

/** A date column as read: a Date (PostgreSQL, direct-sql.ts parses timestamps as UTC) or Prisma's ISO text (SQLite). */
const date = (value: unknown): Date | null => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value)));

function toRow(db: Database, row: Row): TicketRow {
  return {
    number: Number(row.number),
    type: String(row.type),
    title: String(row.title),
    description: String(row.description),
    status: String(row.status),
    priority: Number(row.priority),
    impact: Number(row.impact),
    urgency: Number(row.urgency),
    category: String(row.category),
    serviceId: (row.serviceId as string | null) ?? null,
    requester: { id: String(row.requesterId), displayName: String(row.requesterName) },
    assignee: row.assigneeId === null ? null : { id: String(row.assigneeId), displayName: String(row.assigneeName) },
    group: row.groupId === null ? null : { id: String(row.groupId), name: String(row.groupName), level: Number(row.groupLevel) },
    responseDueAt: date(row.responseDueAt),
    resolutionDueAt: date(row.resolutionDueAt),
    firstResponseAt: date(row.firstResponseAt),
    slaPausedAt: date(row.slaPausedAt),
    responseBreached: Boolean(row.responseBreached),
    resolutionBreached: Boolean(row.resolutionBreached),
    majorIncident: row.incidentNumber === null ? null : { number: Number(row.incidentNumber), title: readJson(db.provider, row.incidentTitle) },
    createdAt: date(row.createdAt)!,
    updatedAt: date(row.updatedAt)!,
    resolvedAt: date(row.resolvedAt),
    resolution: (row.resolution as string | null) ?? null,
  };
}

export async function ticketViewDirect(db: Database, number: number): Promise<TicketView | undefined> {
  const [row] = await db.direct.all(portable(db.provider, `${SELECT} WHERE t."number" = ?`), [number]);
  return row ? toTicketView(toRow(db, row)) : undefined;
}

/** A requester's tickets, newest first (by number), `statuses` when given. */
export async function requesterViewsDirect(db: Database, requesterId: string, statuses: readonly string[] | undefined, limit: number): Promise<TicketView[]> {
  if (statuses?.length === 0) return []; // as Prisma's `in: []`
  const status = statuses ? ` AND t."status" IN (${statuses.map(() => '?').join(', ')})` : '';
  const rows = await db.direct.all(portable(db.provider, `${SELECT} WHERE t."requesterId" = ?${status} ORDER BY t."number" DESC LIMIT ?`), [requesterId, ...(statuses ?? []), limit]);
  return rows.map((row) => toTicketView(toRow(db, row)));
}
