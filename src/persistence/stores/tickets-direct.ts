/**
 * What the ticket repository reads outside units of work, in direct statements (../direct-sql.ts):
 * a few microseconds each on SQLite instead of a Prisma query plan (about a millisecond). Ticket views
 * (the ticket with its requester, assignee, group and major incident, as TICKET_INCLUDE in tickets.ts)
 * are one statement where Prisma's `include` ran five, and a ticket turn read views five times.
 */
import { toLang } from '../../core/lang.ts';
import type { ContactView, TicketView } from '../../core/tickets.ts';
import type { Person, TicketEvent } from '../../ticketing/ports.ts';
import { toTicketView, type TicketRow } from '../../ticketing/views.ts';
import type { Database } from '../database.ts';
import type { Row } from '../direct-sql.ts';
import { portable, readDate, readJson } from './raw-sql.ts';

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
    responseDueAt: readDate(row.responseDueAt),
    resolutionDueAt: readDate(row.resolutionDueAt),
    firstResponseAt: readDate(row.firstResponseAt),
    slaPausedAt: readDate(row.slaPausedAt),
    responseBreached: Boolean(row.responseBreached),
    resolutionBreached: Boolean(row.resolutionBreached),
    majorIncident: row.incidentNumber === null ? null : { number: Number(row.incidentNumber), title: readJson(db.provider, row.incidentTitle) },
    createdAt: readDate(row.createdAt)!,
    updatedAt: readDate(row.updatedAt)!,
    resolvedAt: readDate(row.resolvedAt),
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

export async function numberByOriginDirect(db: Database, origin: string): Promise<number | undefined> {
  const [row] = await db.direct.all(portable(db.provider, 'SELECT "number" FROM "Ticket" WHERE "originKey" = ?'), [origin]);
  return row ? Number(row.number) : undefined;
}

export async function serviceDirect(db: Database, id: string): Promise<{ id: string; groupId: string | null; criticality: string | null } | undefined> {
  const [row] = await db.direct.all(portable(db.provider, 'SELECT "id", "groupId", "criticality" FROM "Service" WHERE "id" = ?'), [id]);
  return row ? { id: String(row.id), groupId: (row.groupId as string | null) ?? null, criticality: (row.criticality as string | null) ?? null } : undefined;
}

export async function countRecentReportsDirect(db: Database, serviceId: string, since: Date): Promise<number> {
  const [row] = await db.direct.all(
    portable(db.provider, `SELECT COUNT(*) AS "n" FROM "Ticket" WHERE "serviceId" = ? AND "type" = 'incident' AND "createdAt" >= ?t AND "majorIncidentId" IS NULL`),
    [serviceId, since],
  );
  return Number(row?.n ?? 0);
}

export async function eventsDirect(db: Database, number: number, filter: { publicOnly?: boolean; kinds?: readonly string[] }): Promise<TicketEvent[]> {
  if (filter.kinds?.length === 0) return []; // as Prisma's `in: []`
  const visibility = filter.publicOnly ? ` AND e."visibility" = 'public'` : '';
  const kinds = filter.kinds ? ` AND e."kind" IN (${filter.kinds.map(() => '?').join(', ')})` : '';
  const rows = await db.direct.all(
    portable(db.provider, `SELECT e."kind", e."actorId", e."actorKind", e."visibility", e."data", e."createdAt" FROM "TicketEvent" e JOIN "Ticket" t ON t."id" = e."ticketId" WHERE t."number" = ?${visibility}${kinds} ORDER BY e."createdAt", e."id"`),
    [number, ...(filter.kinds ?? [])],
  );
  return rows.map((e) => ({
    kind: String(e.kind),
    actorId: (e.actorId as string | null) ?? null,
    actorKind: e.actorKind as TicketEvent['actorKind'],
    visibility: e.visibility as TicketEvent['visibility'],
    data: (readJson(db.provider, e.data) ?? {}) as Record<string, unknown>,
    at: readDate(e.createdAt)!,
  }));
}

/** The person and their groups in one direct statement (the groups as a JSON array). */
export async function personDirect(db: Database, id: string): Promise<Person | undefined> {
  const groups = db.provider === 'postgres' ? `COALESCE((SELECT json_agg(m."groupId") FROM "GroupMember" m WHERE m."userId" = u."id"), '[]'::json)` : `(SELECT json_group_array(m."groupId") FROM "GroupMember" m WHERE m."userId" = u."id")`;
  const [row] = await db.direct.all(
    portable(db.provider, `SELECT u."id", u."displayName", u."email", u."department", u."jobTitle", u."vip", u."locale", u."managerId", u."role", ${groups} AS "groupIds" FROM "User" u WHERE u."id" = ?`),
    [id],
  );
  if (!row) return undefined;
  return {
    id: String(row.id),
    displayName: String(row.displayName),
    email: (row.email as string | null) ?? null,
    department: (row.department as string | null) ?? null,
    jobTitle: (row.jobTitle as string | null) ?? null,
    vip: Boolean(row.vip),
    locale: toLang(row.locale as string | null) ?? null,
    managerId: (row.managerId as string | null) ?? null,
    role: row.role as Person['role'],
    groupIds: readJson(db.provider, row.groupIds) as string[],
  };
}

/** A person's assets and the services each depends on, in one direct statement. */
export async function assetsOfDirect(db: Database, userId: string): Promise<(ContactView['assets'][number] & { serviceIds: string[] })[]> {
  const rows = await db.direct.all(
    portable(db.provider, `SELECT ci."id", ci."tag", ci."kind", ci."name", ci."status", d."serviceId" FROM "ConfigurationItem" ci LEFT JOIN "CiDependency" d ON d."ciId" = ci."id" WHERE ci."ownerId" = ? AND ci."status" <> 'retired' ORDER BY ci."tag"`),
    [userId],
  );
  const assets = new Map<string, ContactView['assets'][number] & { serviceIds: string[] }>();
  for (const row of rows) {
    const id = String(row.id);
    let asset = assets.get(id);
    if (!asset) assets.set(id, (asset = { tag: String(row.tag), kind: String(row.kind), name: String(row.name), status: String(row.status), serviceIds: [] }));
    if (row.serviceId !== null && row.serviceId !== undefined) asset.serviceIds.push(String(row.serviceId));
  }
  return [...assets.values()];
}
