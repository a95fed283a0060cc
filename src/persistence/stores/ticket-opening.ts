/**
 * A ticket's opening (TicketRepository.open) in direct statements (../direct-sql.ts): the ticket, its
 * first timeline events, the audit entry and the outbox jobs, one unit of work. Through Prisma it
 * was a numbering statement, a policy check, the insert, a re-read and an update for the next SLA
 * moment, a lookup of the ticket's id per event, the events, the jobs: eleven statements with
 * BEGIN and COMMIT, each a round trip on PostgreSQL and a query plan on either database.
 *
 * PostgreSQL: two statements and no transaction. The number is drawn first (`nextval`, no row
 * lock: concurrent openings do not queue; a retried origin leaves a gap), so that the caller can
 * build the jobs that name it (the desk draws it with its first reads: drawTicketNumber); then one statement of data-modifying CTEs writes everything, atomic
 * as any statement. The ticket's insert skips an origin already used (ON CONFLICT DO NOTHING), and
 * the other rows are selected from its RETURNING: a retried delivery writes nothing at all.
 *
 * SQLite: one transaction (BEGIN IMMEDIATE, synchronous, a few microseconds a statement): the
 * origin checked, the "ticket" counter row drawn (no gaps: one writer at a time anyway), then
 * the rows one statement each.
 *
 * Values are written as Prisma writes them (direct-sql.ts). Ids are rowIds (raw-sql.ts): a timeline
 * orders one instant's events by id, and a rowId sorts before the cuids Prisma writes later (and
 * before the SLA clock's "e…" ids), in the order written.
 */
import type { NewJob } from '../../core/jobs.ts';
import type { AuditEntry, NewTicketEvent, NewTicketRecord, OpeningWrites, TicketRecord } from '../../ticketing/ports.ts';
import type { Database } from '../database.ts';
import type { DirectStatements } from '../direct-sql.ts';
import { jsonText, portable, rowId } from './raw-sql.ts';

export type OpeningTicket = NewTicketRecord & Pick<TicketRecord, 'nextSlaAt'>;

const TICKET_COLUMNS = `"id", "number", "type", "title", "description", "category", "serviceId", "impact", "urgency", "priority", "requesterId", "groupId", "level",
  "slaPolicyId", "responseDueAt", "resolutionDueAt", "nextSlaAt", "diagnosis", "conversationId", "originKey", "createdAt", "updatedAt"`;
/** The ticket's values; the policy stored only when storage has it (as NewTicketRecord says). */
const TICKET_VALUES = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT "id" FROM "SlaPolicy" WHERE "id" = ?), ?t, ?t, ?t, ?j, ?, ?, ?t, ?t`;
const EVENT_COLUMNS = `"id", "ticketId", "kind", "actorId", "actorKind", "visibility", "data", "dedupeKey", "createdAt"`;
const AUDIT_COLUMNS = `"id", "at", "actorId", "actorKind", "action", "entity", "entityId", "before", "after"`;
const JOB_COLUMNS = `"queue", "key", "payload", "runAt", "createdAt"`;

function ticketArgs(id: string, number: number, t: OpeningTicket): unknown[] {
  // updatedAt is the time of writing, as Prisma's @updatedAt sets it (createdAt is the desk's clock).
  return [id, number, t.type, t.title, t.description, t.category, t.serviceId, t.impact, t.urgency, t.priority, t.requesterId, t.groupId, t.level,
    t.slaPolicyId, t.responseDueAt, t.resolutionDueAt, t.nextSlaAt, jsonText(t.diagnosis ?? {}), t.conversationId, t.originKey, t.createdAt, new Date()];
}

const eventArgs = (ticketId: string, e: NewTicketEvent): unknown[] => [rowId(), ticketId, e.kind, e.actorId, e.actorKind, e.visibility ?? 'public', jsonText(e.data ?? {}), e.dedupeKey ?? null, e.at];
const auditArgs = (a: AuditEntry): unknown[] => [rowId(), a.at, a.actorId, a.actorKind, a.action, a.entity, a.entityId, a.before === null || a.before === undefined ? null : jsonText(a.before), jsonText(a.after)];
const jobArgs = (j: NewJob, now: Date): unknown[] => [j.queue, j.key, jsonText(j.payload), j.runAt ?? now, now];
const rows = (count: number, row: string) => Array.from({ length: count }, () => `(${row})`).join(', ');

/**
 * Opens `ticket` (see the file's comment); undefined when its origin is already a ticket's. `drawn`: its
 * number, drawn ahead (drawTicketNumber, PostgreSQL) while the desk read what the ticket needs.
 */
export async function openTicketDirect(db: Database, ticket: OpeningTicket, writes: (number: number) => OpeningWrites, drawn?: number): Promise<number | undefined> {
  return db.provider === 'postgres' ? openOnPostgres(db, ticket, writes, drawn) : openOnSqlite(db, ticket, writes);
}

/** PostgreSQL: the next ticket number (the sequence; no lock). */
export async function drawTicketNumber(db: Database): Promise<number> {
  const [row] = await db.direct.all(`SELECT nextval('"ticket_number_seq"') AS "n"`);
  return Number(row!.n);
}

async function openOnPostgres(db: Database, ticket: OpeningTicket, writes: (number: number) => OpeningWrites, drawn?: number): Promise<number | undefined> {
  const number = drawn ?? (await drawTicketNumber(db));
  const { events, audit, jobs } = writes(number);
  const id = rowId();
  const fresh = uniqueJobs(jobs);
  // Each CTE selects from t: nothing is written when the origin was taken (t is then empty).
  const parts = [
    `t AS (INSERT INTO "Ticket" (${TICKET_COLUMNS}) VALUES (${TICKET_VALUES}) ON CONFLICT ("originKey") DO NOTHING RETURNING "number")`,
    events.length > 0 && `e AS (INSERT INTO "TicketEvent" (${EVENT_COLUMNS}) SELECT v.* FROM t, (VALUES ${rows(events.length, '?, ?, ?, ?, ?, ?, ?j, ?, ?t')}) AS v)`,
    audit && `a AS (INSERT INTO "AuditLog" (${AUDIT_COLUMNS}) SELECT ?, ?t, ?, ?, ?, ?, ?, ?j, ?j FROM t)`,
    fresh.length > 0 && `j AS (INSERT INTO "Job" (${JOB_COLUMNS}) SELECT v.* FROM t, (VALUES ${rows(fresh.length, '?, ?, ?j, ?t, ?t')}) AS v ON CONFLICT ("key") DO NOTHING)`,
  ].filter(Boolean);
  const args = [...ticketArgs(id, number, ticket), ...events.flatMap((e) => eventArgs(id, e)), ...(audit ? auditArgs(audit) : []), ...fresh.flatMap((j) => jobArgs(j, ticket.createdAt))];
  const written = await db.direct.all(portable('postgres', `WITH ${parts.join(',\n')}\nSELECT "number" FROM t`), args);
  return written.length > 0 ? number : undefined;
}

async function openOnSqlite(db: Database, ticket: OpeningTicket, writes: (number: number) => OpeningWrites): Promise<number | undefined> {
  return db.direct.transaction(async (tx: DirectStatements) => {
    if (ticket.originKey !== null && (await tx.all('SELECT 1 FROM "Ticket" WHERE "originKey" = ?', [ticket.originKey])).length > 0) return undefined;
    const [counter] = await tx.all(`INSERT INTO "Counter" ("name", "value") VALUES ('ticket', 1001) ON CONFLICT ("name") DO UPDATE SET "value" = "value" + 1 RETURNING "value"`);
    const number = Number(counter!.value);
    const { events, audit, jobs } = writes(number);
    const id = rowId();
    await tx.run(portable('sqlite', `INSERT INTO "Ticket" (${TICKET_COLUMNS}) VALUES (${TICKET_VALUES})`), ticketArgs(id, number, ticket));
    for (const event of events) await tx.run(`INSERT INTO "TicketEvent" (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, eventArgs(id, event));
    if (audit) await tx.run(`INSERT INTO "AuditLog" (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, auditArgs(audit));
    for (const job of uniqueJobs(jobs)) await tx.run(`INSERT INTO "Job" (${JOB_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT ("key") DO NOTHING`, jobArgs(job, ticket.createdAt));
    return number;
  });
}

/** One job per key (the last written wins, as enqueueJobs keeps it): ON CONFLICT cannot touch a row twice in one statement. */
const uniqueJobs = (jobs: readonly NewJob[]): NewJob[] => [...new Map(jobs.map((j) => [j.key, j])).values()];

