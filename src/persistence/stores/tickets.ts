/**
 * The ticket store on Prisma (SQLite or PostgreSQL), as one client reads and writes it (the
 * database's, or a unit of work's; the repository around it is tickets-repository.ts): the timeline (unique per ticket and dedupe key), the audit log, and the queries the
 * desk and the SLA clock need. The people and groups it reads are in tickets-directory.ts. Rules
 * live in src/ticketing; this file only loads and saves.
 */
import { randomBytes } from 'node:crypto';
import type { TicketStatus, TicketView } from '../../core/tickets.ts';
import { toTicketView } from '../../ticketing/views.ts';
import {
  type AuditEntry,
  type NewTicketEvent,
  type NewTicketRecord,
  type SlaClaim,
  type SlaCursor,
  type TicketChanges,
  type TicketEvent,
  type TicketRecord,
  type TicketStore,
  type TicketUnit,
} from '../../ticketing/ports.ts';
import type { NewJob } from '../../core/jobs.ts';
import type { Provider } from '../database.ts';
import { enqueueJobs } from './jobs.ts';
import { RAW_CHUNK, rawSql } from './raw-sql.ts';
import { toJson } from './json.ts';
import { PrismaDeskDirectory, type Client } from './tickets-directory.ts';


const OPEN: TicketStatus[] = ['new', 'assigned', 'in-progress', 'pending-user'];

/** The people, group and major incident a ticket view names. */
const TICKET_INCLUDE = {
  requester: { select: { id: true, displayName: true } },
  assignee: { select: { id: true, displayName: true } },
  group: { select: { id: true, name: true, level: true } },
  majorIncident: { select: { number: true, title: true } },
} as const;

type Row = Awaited<ReturnType<Client['ticket']['findUniqueOrThrow']>>;

const toRecord = (row: Row): TicketRecord => ({
  id: row.id,
  number: row.number,
  type: row.type as TicketRecord['type'],
  title: row.title,
  status: row.status as TicketStatus,
  priority: row.priority as TicketRecord['priority'],
  impact: row.impact as TicketRecord['impact'],
  urgency: row.urgency as TicketRecord['urgency'],
  serviceId: row.serviceId,
  requesterId: row.requesterId,
  assigneeId: row.assigneeId,
  groupId: row.groupId,
  level: row.level,
  slaPolicyId: row.slaPolicyId,
  responseDueAt: row.responseDueAt,
  resolutionDueAt: row.resolutionDueAt,
  firstResponseAt: row.firstResponseAt,
  slaPausedAt: row.slaPausedAt,
  slaPausedMinutes: row.slaPausedMinutes,
  responseBreached: row.responseBreached,
  resolutionBreached: row.resolutionBreached,
  responseWarnedAt: row.responseWarnedAt,
  resolutionWarnedAt: row.resolutionWarnedAt,
  nextSlaAt: row.nextSlaAt,
  majorIncidentId: row.majorIncidentId,
  createdAt: row.createdAt,
  resolvedAt: row.resolvedAt,
  closedAt: row.closedAt,
});

/**
 * Called for each timeline event appended, on the same client (inside the unit of work when there
 * is one): what must be written with the change (the GLPI outbox, app/glpi.ts) is committed with it.
 */
export type EventWrittenHook = (unit: { client: Client; reader: TicketUnit }, number: number, event: NewTicketEvent & { id: string }) => Promise<void>;

/** Reads and writes through one client: the database's, or a transaction's. */
export class PrismaTicketUnit extends PrismaDeskDirectory implements TicketStore {
  async find(number: number): Promise<TicketRecord | undefined> {
    const row = await this.client.ticket.findUnique({ where: { number } });
    return row ? toRecord(row) : undefined;
  }

  async view(number: number): Promise<TicketView | undefined> {
    const row = await this.client.ticket.findUnique({ where: { number }, include: TICKET_INCLUDE });
    return row ? toTicketView(row) : undefined;
  }

  async numberByOrigin(origin: string): Promise<number | undefined> {
    return (await this.client.ticket.findUnique({ where: { originKey: origin }, select: { number: true } }))?.number;
  }

  constructor(
    client: Client,
    /** The next ticket number (tickets-repository.ts, `ticketNumbers`). */
    private readonly nextNumber: (client: Client) => Promise<number>,
    protected readonly provider: Provider,
    protected readonly onEvent?: EventWrittenHook,
  ) {
    super(client);
  }

  async insert(t: NewTicketRecord): Promise<number> {
    const number = await this.nextNumber(this.client);
    const policy = await this.client.slaPolicy.findUnique({ where: { id: t.slaPolicyId }, select: { id: true } });
    const { diagnosis, originKey, ...fields } = t;
    await this.client.ticket.create({ data: { ...fields, number, slaPolicyId: policy?.id ?? null, diagnosis: toJson(diagnosis ?? {}), originKey } });
    return number;
  }

  async update(number: number, changes: TicketChanges, guard?: Partial<Pick<TicketRecord, 'status' | 'assigneeId'>>): Promise<boolean> {
    if (!guard) {
      await this.client.ticket.update({ where: { number }, data: changes });
      return true;
    }
    const { count } = await this.client.ticket.updateMany({ where: { number, ...guard }, data: changes });
    return count > 0;
  }

  async appendEvent(number: number, event: NewTicketEvent): Promise<boolean> {
    const ticket = await this.client.ticket.findUniqueOrThrow({ where: { number }, select: { id: true } });
    if (event.dedupeKey) {
      const seen = await this.client.ticketEvent.findUnique({ where: { ticketId_dedupeKey: { ticketId: ticket.id, dedupeKey: event.dedupeKey } }, select: { id: true } });
      if (seen) return false;
    }
    const written = await this.client.ticketEvent.create({
      select: { id: true },
      data: {
        ticketId: ticket.id,
        kind: event.kind,
        actorId: event.actorId,
        actorKind: event.actorKind,
        visibility: event.visibility ?? 'public',
        data: toJson(event.data ?? {}),
        dedupeKey: event.dedupeKey ?? null,
        createdAt: event.at,
      },
    });
    await this.onEvent?.({ client: this.client, reader: this }, number, { ...event, id: String(written.id) });
    return true;
  }

  async appendEvents(events: readonly (NewTicketEvent & { number: number; ticketId: string })[]): Promise<boolean[]> {
    // One raw INSERT per chunk (raw-sql.ts: Prisma's createMany costs some 70 ms for 200 events).
    const written = new Set<string>();
    for (let i = 0; i < events.length; i += RAW_CHUNK) {
      const sql = rawSql(this.provider);
      const rows = events.slice(i, i + RAW_CHUNK).map((e) => {
        const values = [eventId(), e.ticketId, e.kind, e.actorId, e.actorKind, e.visibility ?? 'public'].map((v) => sql.p(v));
        return `(${values.join(', ')}, ${sql.p(JSON.stringify(e.data ?? {}), 'jsonb')}, ${sql.p(e.dedupeKey ?? null)}, ${sql.p(e.at, 'timestamp(3)')})`;
      });
      const inserted = await this.client.$queryRawUnsafe<{ ticketId: string; dedupeKey: string | null }[]>(
        `INSERT INTO "TicketEvent" ("id", "ticketId", "kind", "actorId", "actorKind", "visibility", "data", "dedupeKey", "createdAt") VALUES ${rows.join(', ')}
         ON CONFLICT ("ticketId", "dedupeKey") DO NOTHING RETURNING "ticketId", "dedupeKey"`,
        ...sql.args,
      );
      for (const r of inserted) written.add(`${r.ticketId}|${r.dedupeKey}`);
    }
    return events.map((e) => !e.dedupeKey || written.has(`${e.ticketId}|${e.dedupeKey}`));
  }

  async updateMany(numbers: readonly number[], changes: TicketChanges): Promise<number> {
    // Raw (raw-sql.ts), with the updatedAt Prisma would set; the columns are TicketChanges' keys, named in code.
    const values = Object.entries({ ...changes, updatedAt: new Date() }).filter(([, v]) => v !== undefined);
    let count = 0;
    for (let i = 0; i < numbers.length; i += RAW_CHUNK) {
      const sql = rawSql(this.provider);
      const set = values.map(([column, value]) => `"${column}" = ${this.rawValue(sql, value)}`);
      const list = numbers.slice(i, i + RAW_CHUNK).map((n) => sql.p(n, 'int'));
      count += await this.client.$executeRawUnsafe(`UPDATE "Ticket" SET ${set.join(', ')} WHERE "number" IN (${list.join(', ')})`, ...sql.args);
    }
    return count;
  }

  /** A ticket field's value as a raw statement's placeholder (SQLite stores booleans as 0 and 1). */
  private rawValue(sql: ReturnType<typeof rawSql>, value: unknown): string {
    if (typeof value === 'boolean') return this.provider === 'postgres' ? sql.p(value, 'boolean') : sql.p(value ? 1 : 0);
    if (value instanceof Date) return sql.p(value, 'timestamp(3)');
    if (typeof value === 'number') return sql.p(value, 'int');
    return sql.p(value);
  }

  async claimSlaMoments(claims: readonly SlaClaim[]): Promise<number[]> {
    // UPDATE … FROM (VALUES …): one statement per chunk, each row compared with what the clock read.
    // On PostgreSQL a concurrent claim waits for the first one's commit, then sees the moment moved on.
    const claimed: number[] = [];
    for (let i = 0; i < claims.length; i += RAW_CHUNK) {
      const sql = rawSql(this.provider);
      const rows = claims.slice(i, i + RAW_CHUNK).map(
        (c) => `(${sql.p(c.number, 'int')}, ${sql.p(c.was.nextSlaAt, 'timestamp(3)')}, ${sql.p(c.was.status, 'text')}, ${sql.p(c.was.priority, 'int')}, ${sql.p(c.next, 'timestamp(3)')})`,
      );
      const set = await this.client.$queryRawUnsafe<{ number: number }[]>(
        `UPDATE "Ticket" SET "nextSlaAt" = v.column5 FROM (VALUES ${rows.join(', ')}) AS v
         WHERE "Ticket"."number" = v.column1 AND "Ticket"."nextSlaAt" = v.column2 AND "Ticket"."status" = v.column3 AND "Ticket"."priority" = v.column4
         RETURNING "Ticket"."number"`,
        ...sql.args,
      );
      claimed.push(...set.map((r) => Number(r.number)));
    }
    return claimed;
  }

  enqueue(jobs: readonly NewJob[], now: Date): Promise<number> {
    return enqueueJobs(this.client, this.provider, jobs, now);
  }

  async events(number: number, filter: { publicOnly?: boolean; kinds?: readonly string[] } = {}): Promise<TicketEvent[]> {
    const rows = await this.client.ticketEvent.findMany({
      where: { ticket: { number }, ...(filter.publicOnly ? { visibility: 'public' } : {}), ...(filter.kinds ? { kind: { in: [...filter.kinds] } } : {}) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((e) => ({
      kind: e.kind,
      actorId: e.actorId,
      actorKind: e.actorKind as TicketEvent['actorKind'],
      visibility: e.visibility as TicketEvent['visibility'],
      data: (e.data ?? {}) as Record<string, unknown>,
      at: e.createdAt,
    }));
  }

  async audit(entry: AuditEntry): Promise<void> {
    const { before, after, ...rest } = entry;
    await this.client.auditLog.create({ data: { ...rest, before: before === null || before === undefined ? undefined : toJson(before), after: toJson(after) } });
  }

  async ofRequester(requesterId: string, options: { statuses?: readonly TicketStatus[]; limit: number }): Promise<TicketView[]> {
    const rows = await this.client.ticket.findMany({
      where: { requesterId, ...(options.statuses ? { status: { in: [...options.statuses] } } : {}) },
      orderBy: { number: 'desc' },
      take: options.limit,
      include: TICKET_INCLUDE,
    });
    return rows.map(toTicketView);
  }

  async awaitingConfirmation(requesterId: string): Promise<TicketView[]> {
    const rows = await this.client.ticket.findMany({ where: { requesterId, status: 'resolved' }, orderBy: { resolvedAt: 'desc' }, include: TICKET_INCLUDE });
    return rows.map(toTicketView);
  }

  async queue(groupIds: readonly string[] | undefined, assigneeId: string): Promise<TicketView[]> {
    const rows = await this.client.ticket.findMany({
      where: { status: { in: OPEN }, ...(groupIds ? { OR: [{ groupId: { in: [...groupIds] } }, { assigneeId }] } : {}) },
      include: TICKET_INCLUDE,
      take: 200,
    });
    return rows.map(toTicketView);
  }

  async watched(): Promise<TicketRecord[]> {
    const rows = await this.client.ticket.findMany({
      where: { status: { in: OPEN }, OR: [{ resolutionBreached: false }, { responseBreached: false, firstResponseAt: null }] },
      orderBy: { number: 'asc' },
    });
    return rows.map(toRecord);
  }

  async slaDue(now: Date, limit: number, cursor?: SlaCursor): Promise<TicketRecord[]> {
    // One range of the (nextSlaAt, number) index, read in its order: no sort of every due ticket per page
    // (an OR of two ranges made SQLite sort them all, some milliseconds a page in a mass breach).
    const after = cursor ? { nextSlaAt: { gte: cursor.at, lte: now }, NOT: { nextSlaAt: cursor.at, number: { lte: cursor.number } } } : { nextSlaAt: { lte: now } };
    const rows = await this.client.ticket.findMany({ where: after, orderBy: [{ nextSlaAt: 'asc' }, { number: 'asc' }], take: limit });
    return rows.map(toRecord);
  }

  async slaTracked(afterNumber: number, limit: number): Promise<TicketRecord[]> {
    const rows = await this.client.ticket.findMany({ where: { number: { gt: afterNumber }, status: { in: [...OPEN, 'resolved'] } }, orderBy: { number: 'asc' }, take: limit });
    return rows.map(toRecord);
  }

  async resolved(): Promise<TicketRecord[]> {
    return (await this.client.ticket.findMany({ where: { status: 'resolved', resolvedAt: { not: null } } })).map(toRecord);
  }

  async unlinkedOpenOn(serviceId: string): Promise<number[]> {
    const rows = await this.client.ticket.findMany({ where: { serviceId, status: { in: OPEN }, majorIncidentId: null }, select: { number: true } });
    return rows.map((r) => r.number);
  }

  async countRecentReports(serviceId: string, since: Date): Promise<number> {
    return this.client.ticket.count({ where: { serviceId, type: 'incident', createdAt: { gte: since }, majorIncidentId: null } });
  }

  async linkedTo(incidentId: string, options: { openOnly: boolean; requesterId?: string }): Promise<{ number: number; requesterId: string }[]> {
    return this.client.ticket.findMany({
      where: { majorIncidentId: incidentId, ...(options.openOnly ? { status: { in: OPEN } } : {}), ...(options.requesterId ? { requesterId: options.requesterId } : {}) },
      select: { number: true, requesterId: true },
      orderBy: { number: 'asc' },
    });
  }
}

/**
 * An id for a timeline event written by raw SQL: a timeline orders events of one instant by id, so
 * ids increase in the order written (time, then a counter), like the cuids Prisma writes; the
 * process's random tag keeps two instances' ids apart.
 */
const PROCESS_TAG = randomBytes(4).toString('hex');
let eventSeq = 0;
function eventId(): string {
  eventSeq = (eventSeq + 1) % 36 ** 4;
  return `e${Date.now().toString(36).padStart(9, '0')}${eventSeq.toString(36).padStart(4, '0')}${PROCESS_TAG}`;
}
