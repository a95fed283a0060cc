/** Major incidents on Prisma: numbered from the "major-incident" counter row, with their updates, followers and audit rows. */
import { randomUUID } from 'node:crypto';
import type { Localized } from '../../core/lang.ts';
import type { MajorIncidentView } from '../../core/tickets.ts';
import { servicesNamed, toIncidentView } from '../../ticketing/incident-views.ts';
import type { ActiveConversation, AuditEntry, FollowReason, HeldNotice, IncidentRecord, IncidentScopeRecord, IncidentStore, NoticeWindow } from '../../ticketing/ports.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import type { NewJob } from '../../core/jobs.ts';
import { enqueueJobs } from './jobs.ts';
import type { Client } from './tickets-directory.ts';
import { toJson } from './json.ts';
import { RAW_CHUNK, portable, rawSql } from './raw-sql.ts';

/** The latest five updates come with an incident. */
const INCIDENT_INCLUDE = { updates: { orderBy: { createdAt: 'desc' as const }, take: 5 } } as const;

const toRecord = (row: { id: string; number: number; serviceId: string; status: string }): IncidentRecord => ({
  id: row.id,
  number: row.number,
  serviceId: row.serviceId,
  status: row.status === 'resolved' ? 'resolved' : 'open',
});

export class PrismaIncidentStore implements IncidentStore {
  constructor(private readonly db: Database) {}

  private get client() {
    return this.db.client;
  }

  async declare(
    input: { serviceId: string; title: Localized; impact: MajorIncidentView['impact']; declaredById: string | null; scope?: IncidentScopeRecord; at: Date },
    audit: Omit<AuditEntry, 'entityId' | 'entity'>,
    jobsFor?: (incident: IncidentRecord) => NewJob[],
  ): Promise<IncidentRecord> {
    return this.client.$transaction(async (tx) => {
      const counter = await tx.counter.upsert({ where: { name: 'major-incident' }, create: { name: 'major-incident', value: 1 }, update: { value: { increment: 1 } } });
      const row = await tx.majorIncident.create({
        data: {
          number: counter.value, serviceId: input.serviceId, title: toJson(input.title), impact: input.impact, declaredById: input.declaredById, startedAt: input.at,
          ...(input.scope ? { scope: toJson(input.scope) } : {}),
        },
      });
      await tx.auditLog.create({ data: { actorId: audit.actorId, actorKind: audit.actorKind, action: audit.action, entity: 'major-incident', entityId: String(row.number), after: toJson(audit.after), at: audit.at } });
      const record = toRecord(row);
      await this.enqueue(tx, jobsFor?.(record), input.at);
      return record;
    });
  }

  async find(number: number): Promise<IncidentRecord | undefined> {
    const row = await this.client.majorIncident.findUnique({ where: { number } });
    return row ? toRecord(row) : undefined;
  }

  async view(number: number): Promise<MajorIncidentView | undefined> {
    const row = await this.client.majorIncident.findUnique({ where: { number }, include: INCIDENT_INCLUDE });
    return row ? toIncidentView(row) : undefined;
  }

  async list(status?: 'open' | 'resolved'): Promise<MajorIncidentView[]> {
    // Every turn of a guide asks for the open incidents, and there are usually none: one direct statement
    // (../direct-sql.ts) says so before the Prisma query and its relation queries.
    const any = await this.db.direct.all(portable(this.db.provider, `SELECT 1 AS "found" FROM "MajorIncident"${status ? ' WHERE "status" = ?' : ''} LIMIT 1`), status ? [status] : []);
    if (any.length === 0) return [];
    const rows = await this.client.majorIncident.findMany({ where: status ? { status } : {}, orderBy: { startedAt: 'desc' }, take: 50, include: INCIDENT_INCLUDE });
    return rows.map(toIncidentView);
  }

  async openOn(serviceId: string): Promise<MajorIncidentView | undefined> {
    // Open incidents are few: the scope (JSON) is read here rather than queried.
    return (await this.list('open')).find((i) => servicesNamed(i).includes(serviceId));
  }

  async holdNotice(hold: HeldNotice & { key: string; userId: string }, job: NewJob, at: Date): Promise<void> {
    try {
      await this.client.$transaction(async (tx) => {
        // Held once per incident job and person (a retried step holds nothing twice); its own digest job, written with it.
        if (await tx.incidentNotice.findUnique({ where: { key: hold.key }, select: { id: true } })) return;
        await tx.incidentNotice.create({ data: { key: hold.key, userId: hold.userId, notice: toJson(hold.notice), urgent: hold.urgent, createdAt: at } });
        await this.enqueue(tx, [job], at);
        // Their notices wait until its digest job's time (the window's end, or an urgent notice's earlier one): every instance reads it.
        const heldUntil = job.runAt ?? at;
        await tx.incidentNoticeWindow.upsert({ where: { userId: hold.userId }, create: { userId: hold.userId, heldUntil }, update: { heldUntil } });
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // held meanwhile by a twin attempt
    }
  }

  async noticeWindow(userId: string): Promise<NoticeWindow> {
    const row = await this.client.incidentNoticeWindow.findUnique({ where: { userId } });
    return { ...(row?.toldAt ? { toldAt: row.toldAt } : {}), ...(row?.heldUntil ? { heldUntil: row.heldUntil } : {}) };
  }

  async noticeTold(userId: string, at: Date): Promise<void> {
    // One statement (INSERT … ON CONFLICT DO UPDATE): two instances telling the same person both write.
    await this.client.incidentNoticeWindow.upsert({ where: { userId }, create: { userId, toldAt: at }, update: { toldAt: at } });
  }

  async claimNotices(userId: string, by: string): Promise<HeldNotice[]> {
    await this.client.incidentNotice.updateMany({ where: { userId, claimedBy: null }, data: { claimedBy: by } });
    const rows = await this.client.incidentNotice.findMany({ where: { claimedBy: by }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({ notice: r.notice as Record<string, unknown>, urgent: r.urgent }));
  }

  async releaseNotices(by: string): Promise<void> {
    await this.client.incidentNotice.deleteMany({ where: { claimedBy: by } });
  }

  /** Jobs of the change (its notices: the outbox), written in its transaction `tx`. */
  private async enqueue(tx: unknown, jobs: readonly NewJob[] | undefined, at: Date): Promise<void> {
    if (jobs && jobs.length > 0) await enqueueJobs(tx as Client, this.db.provider, jobs, at);
  }

  async addUpdate(incidentId: string, text: Localized, authorId: string | null, at: Date, jobs?: readonly NewJob[]): Promise<void> {
    await this.client.$transaction(async (tx) => {
      await tx.majorIncidentUpdate.create({ data: { majorIncidentId: incidentId, text: toJson(text), authorId, createdAt: at } });
      await this.enqueue(tx, jobs, at);
    });
  }

  async resolve(incident: IncidentRecord, resolution: Localized, actor: { id: string | null; role: string }, at: Date, jobs?: readonly NewJob[]): Promise<void> {
    await this.client.$transaction(async (tx) => {
      await this.enqueue(tx, jobs, at);
      await tx.majorIncident.update({ where: { id: incident.id }, data: { status: 'resolved', resolvedAt: at } });
      await tx.majorIncidentUpdate.create({ data: { majorIncidentId: incident.id, text: toJson(resolution), authorId: actor.id, createdAt: at } });
      await tx.auditLog.create({
        data: { actorId: actor.id, actorKind: actor.role, action: 'major-incident.resolve', entity: 'major-incident', entityId: String(incident.number), after: toJson(resolution), at },
      });
    });
  }

  async recordSuggestion(serviceId: string, since: Date, detail: Record<string, unknown>, at: Date, jobs?: readonly NewJob[]): Promise<boolean> {
    return this.client.$transaction(async (tx) => {
      const already = await tx.auditLog.count({ where: { action: 'major-incident.suggested', entity: 'service', entityId: serviceId, at: { gte: since } } });
      if (already > 0) return false;
      await tx.auditLog.create({ data: { actorKind: 'system', action: 'major-incident.suggested', entity: 'service', entityId: serviceId, after: toJson(detail), at } });
      await this.enqueue(tx, jobs, at);
      return true;
    });
  }

  async follow(incidentId: string, userId: string, reason: FollowReason, at: Date): Promise<boolean> {
    try {
      await this.client.majorIncidentFollower.create({ data: { majorIncidentId: incidentId, userId, reason, createdAt: at } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Many followers in one statement per chunk (a declaration's audience); those who follow already keep their first reason. */
  async followAll(incidentId: string, userIds: readonly string[], reason: FollowReason, at: Date): Promise<void> {
    for (let i = 0; i < userIds.length; i += RAW_CHUNK) {
      const sql = rawSql(this.db.provider);
      const rows = userIds.slice(i, i + RAW_CHUNK).map((userId) => `(${sql.p(randomUUID())}, ${sql.p(incidentId)}, ${sql.p(userId)}, ${sql.p(reason)}, ${sql.p(at, 'timestamp(3)')})`);
      await this.client.$executeRawUnsafe(`INSERT INTO "MajorIncidentFollower" ("id", "majorIncidentId", "userId", "reason", "createdAt") VALUES ${rows.join(', ')} ON CONFLICT ("majorIncidentId", "userId") DO NOTHING`, ...sql.args);
    }
  }

  async unfollow(incidentId: string, userId: string): Promise<void> {
    await this.client.majorIncidentFollower.deleteMany({ where: { majorIncidentId: incidentId, userId } });
  }

  async followers(incidentId: string): Promise<{ userId: string; reason: FollowReason }[]> {
    const rows = await this.client.majorIncidentFollower.findMany({ where: { majorIncidentId: incidentId }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => ({ userId: r.userId, reason: r.reason as FollowReason }));
  }

  async followedBy(userId: string): Promise<number[]> {
    const rows = await this.client.majorIncidentFollower.findMany({ where: { userId }, select: { majorIncident: { select: { number: true } } } });
    return rows.map((r) => r.majorIncident.number);
  }

  async activeSince(since: Date): Promise<ActiveConversation[]> {
    const rows = await this.client.conversation.findMany({ where: { kind: 'personal', userId: { not: null }, lastActivityAt: { gte: since } }, select: { userId: true, state: true, lastActivityAt: true } });
    return rows.map((r) => ({ userId: r.userId!, flowId: flowIdOf(r.state), lastActivityAt: r.lastActivityAt }));
  }
}

/** The guide in progress in a stored conversation state ({flow: {flowId}}), if any. */
function flowIdOf(state: unknown): string | null {
  const flow = (state as { flow?: { flowId?: unknown } } | null)?.flow;
  return typeof flow?.flowId === 'string' ? flow.flowId : null;
}
