/**
 * PrivacyStore on Prisma (issue #19): a person's data exported as JSON, erased (their tickets kept under
 * a tombstone, the User row pseudonymised, everything else of theirs deleted, their name and e-mail
 * replaced wherever other records mention them), and the retention periods applied. Every export and
 * erasure is written to the audit log, without personal data.
 *
 * Tables with a user reference (prisma/sqlite/schema.prisma): User (manager), Identity, Conversation,
 * Message, AnswerFeedback, UnansweredQuery, ConfigurationItem (owner), SupportGroup (manager),
 * GroupMember, Ticket (requester, assignee), TicketEvent (actor), MajorIncident (declared by),
 * MajorIncidentUpdate (author), ArticleRevision (author), AuditLog (actor), PortalSession; RateLimit keys
 * end with their id, e-mail or web visitor id. Free text and JSON that may name them: Message, Ticket,
 * TicketEvent, AuditLog, GlpiOutbox, ProcessedDelivery, MajorIncidentUpdate.
 */
import { GuichetError } from '../../core/errors.ts';
import type { ErasureReport, PersonalDataExport, PrivacyActor, PrivacyStore, PrivacySubject, RetentionReport } from '../../privacy/ports.ts';
import { cutoff, type RetentionPeriods } from '../../privacy/retention.ts';
import type { Database } from '../database.ts';
import type { PrismaClient } from '../generated/sqlite/client.ts';
import { toJson } from './json.ts';

type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** Ids per IN (…) list. */
const PAGE = 500;
/** An erasure touches many tables in one transaction: give it time. */
const ERASE_TIMEOUT_MS = 120_000;

export class PrismaPrivacyStore implements PrivacyStore {
  constructor(private readonly db: Database) {}

  async find(idOrEmail: string): Promise<PrivacySubject | undefined> {
    const key = idOrEmail.trim();
    if (!key) return undefined;
    const select = { id: true, displayName: true, email: true } as const;
    const byId = await this.db.client.user.findFirst({ where: { id: key, erasedAt: null }, select });
    if (byId) return byId;
    // E-mail addresses are compared without case (the directory and the platforms do not agree on it).
    const candidates = await this.db.client.user.findMany({ where: { erasedAt: null, email: { not: null } }, select, orderBy: { createdAt: 'asc' } });
    return candidates.find((u) => u.email?.toLowerCase() === key.toLowerCase());
  }

  async exportData(userId: string, actor: PrivacyActor, at: Date): Promise<PersonalDataExport> {
    const c = this.db.client;
    const user = await c.user.findFirst({ where: { id: userId, erasedAt: null } });
    if (!user) throw new GuichetError('privacy.unknown-person', `privacy: no person with id "${userId}" (or already erased)`);
    const conversations = await c.conversation.findMany({ where: { userId }, orderBy: { createdAt: 'asc' }, include: { messages: { orderBy: { createdAt: 'asc' } } } });
    const own = new Set(conversations.map((x) => x.id));
    const identities = await c.identity.findMany({ where: { userId } });
    const data: PersonalDataExport = {
      exportedAt: at.toISOString(),
      profile: user,
      identities,
      groups: await c.groupMember.findMany({ where: { userId } }),
      assets: await c.configurationItem.findMany({ where: { ownerId: userId } }),
      conversations: conversations.map(({ state: _state, reference: _reference, ...rest }) => rest),
      otherMessages: (await c.message.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } })).filter((m) => !own.has(m.conversationId)),
      tickets: await c.ticket.findMany({
        where: { requesterId: userId },
        orderBy: { number: 'asc' },
        include: { events: { where: { visibility: 'public' }, orderBy: { createdAt: 'asc' } } },
      }),
      ticketEvents: await c.ticketEvent.findMany({ where: { actorId: userId }, orderBy: { createdAt: 'asc' } }),
      ratings: [
        ...(await c.answerFeedback.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } })).map((r) => ({ kind: 'answer', ...r })),
        ...(await c.ticket.findMany({ where: { requesterId: userId, csatScore: { not: null } }, select: { number: true, csatScore: true, csatComment: true } })).map((r) => ({ kind: 'ticket', ...r })),
      ],
      gaps: await c.unansweredQuery.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } }),
      audit: await c.auditLog.findMany({ where: { OR: [{ actorId: userId }, { entity: 'user', entityId: userId }] }, orderBy: { at: 'asc' } }),
      incidents: await c.majorIncident.findMany({ where: { declaredById: userId } }),
      // What a session is (its id is the hash of the cookie's token) stays out: the export is a copy of their data, not a way in.
      sessions: (await c.portalSession.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } })).map((x) => ({
        createdAt: x.createdAt.toISOString(),
        lastSeenAt: x.lastSeenAt.toISOString(),
        expiresAt: x.expiresAt.toISOString(),
        revokedAt: x.revokedAt?.toISOString() ?? null,
      })),
      rateLimits: (await rateLimitsOf(c, rateLimitValues(user, identities))).map((r) => ({ key: r.key, points: r.points, expire: r.expire?.toISOString() ?? null })),
    };
    await c.auditLog.create({ data: { at, actorId: actor.id, actorKind: actor.kind, action: 'privacy.export', entity: 'user', entityId: userId, after: { via: actor.via } } });
    // Dates and JSON as they will be read: plain JSON.
    return JSON.parse(JSON.stringify(data)) as PersonalDataExport;
  }

  async erase(userId: string, actor: PrivacyActor, tombstone: string, at: Date): Promise<ErasureReport> {
    return this.db.client.$transaction(async (tx) => this.eraseIn(tx, userId, actor, tombstone, at), { timeout: ERASE_TIMEOUT_MS, maxWait: 10_000 });
  }

  private async eraseIn(tx: Tx, userId: string, actor: PrivacyActor, tombstone: string, at: Date): Promise<ErasureReport> {
    const user = await tx.user.findFirst({ where: { id: userId, erasedAt: null }, include: { identities: true } });
    if (!user) throw new GuichetError('privacy.unknown-person', `privacy: no person with id "${userId}" (or already erased)`);
    const needles = [user.displayName, user.email ?? '', ...user.identities.map((i) => i.externalId)].filter((n) => n.trim().length >= 3);

    // Their conversations and everything they wrote, with the deliveries kept to answer retries.
    const conversations = await tx.conversation.findMany({ where: { userId }, select: { id: true, channel: true } });
    const conversationIds = conversations.map((x) => x.id);
    const written = await tx.message.findMany({
      where: { OR: [{ userId }, { conversationId: { in: conversationIds } }], deliveryId: { not: null } },
      select: { deliveryId: true, conversation: { select: { channel: true } } },
    });
    const byChannel = new Map<string, string[]>();
    for (const m of written) byChannel.set(m.conversation.channel, [...(byChannel.get(m.conversation.channel) ?? []), m.deliveryId!]);
    for (const [channel, ids] of byChannel) {
      for (let i = 0; i < ids.length; i += PAGE) await tx.processedDelivery.deleteMany({ where: { channel, deliveryId: { in: ids.slice(i, i + PAGE) } } });
    }
    const messagesDeleted =
      (await tx.message.deleteMany({ where: { conversationId: { in: conversationIds } } })).count + (await tx.message.deleteMany({ where: { userId } })).count;
    const conversationsDeleted = (await tx.conversation.deleteMany({ where: { id: { in: conversationIds } } })).count;
    const gapsDeleted = (await tx.unansweredQuery.deleteMany({ where: { OR: [{ userId }, { conversationId: { in: conversationIds } }] } })).count;
    // Ratings stay counted on their articles, anonymous.
    const ratingsAnonymised = (
      await tx.answerFeedback.updateMany({ where: { OR: [{ userId }, { conversationId: { in: conversationIds } }] }, data: { userId: null, query: null, conversationId: null } })
    ).count;
    // Deleting a session ends it: the portal refuses a cookie whose session it cannot find.
    const sessionsDeleted = (await tx.portalSession.deleteMany({ where: { userId } })).count;
    const counts = await rateLimitsOf(tx, rateLimitValues(user, user.identities));
    const rateLimitsDeleted = counts.length === 0 ? 0 : (await tx.rateLimit.deleteMany({ where: { key: { in: counts.map((r) => r.key) } } })).count;
    const identitiesDeleted = (await tx.identity.deleteMany({ where: { userId } })).count;
    await tx.groupMember.deleteMany({ where: { userId } });
    // Incident notices held for them (their digest job, scrubbed below, then finds nothing).
    await tx.incidentNotice.deleteMany({ where: { userId } });
    await tx.incidentNoticeWindow.deleteMany({ where: { userId } });
    await tx.supportGroup.updateMany({ where: { managerId: userId }, data: { managerId: null } });
    await tx.configurationItem.updateMany({ where: { ownerId: userId }, data: { ownerId: null } });
    await tx.user.updateMany({ where: { managerId: userId }, data: { managerId: null } });
    // Their tickets stay for the desk's records; their satisfaction comment is theirs.
    await tx.ticket.updateMany({ where: { requesterId: userId }, data: { csatComment: null } });
    for (const rated of await tx.ticketEvent.findMany({ where: { actorId: userId, kind: 'rated' }, select: { id: true, data: true } })) {
      const { comment: _comment, ...rest } = (rated.data ?? {}) as Record<string, unknown>;
      await tx.ticketEvent.update({ where: { id: rated.id }, data: { data: toJson(rest) } });
    }
    const ticketsKept = await tx.ticket.count({ where: { requesterId: userId } });

    const postgres = this.db.provider === 'postgres';
    // Jobs first: a done job of theirs is deleted whole, not scrubbed.
    const jobsScrubbed = await scrubJobs(tx, userId, await ticketNumbersOf(tx, userId), tombstone, postgres);
    const mentionsScrubbed = await scrubMentions(tx, needles, tombstone, postgres);
    await tx.user.update({
      where: { id: userId },
      data: { displayName: tombstone, email: null, locale: null, role: 'employee', department: null, jobTitle: null, vip: false, timeZone: null, managerId: null, erasedAt: at },
    });
    const report: ErasureReport = {
      userId,
      tombstone,
      ticketsKept,
      messagesDeleted,
      conversationsDeleted,
      identitiesDeleted,
      gapsDeleted,
      ratingsAnonymised,
      sessionsDeleted,
      rateLimitsDeleted,
      mentionsScrubbed,
      jobsScrubbed,
    };
    await tx.auditLog.create({ data: { at, actorId: actor.id, actorKind: actor.kind, action: 'privacy.erase', entity: 'user', entityId: userId, after: toJson({ via: actor.via, ...report }) } });
    return report;
  }

  async applyRetention(now: Date, periods: RetentionPeriods): Promise<RetentionReport> {
    const c = this.db.client;
    const report: RetentionReport = {};
    const before = (kind: keyof RetentionPeriods) => cutoff(now, periods[kind]);
    const transcripts = before('transcripts');
    if (transcripts) {
      report.transcripts = (await c.message.deleteMany({ where: { createdAt: { lt: transcripts } } })).count;
      report.conversations = (await c.conversation.deleteMany({ where: { lastActivityAt: { lt: transcripts }, messages: { none: {} } } })).count;
    }
    const gaps = before('gaps');
    if (gaps) report.gaps = (await c.unansweredQuery.deleteMany({ where: { createdAt: { lt: gaps } } })).count;
    const ratings = before('ratings');
    if (ratings) report.ratings = (await c.answerFeedback.deleteMany({ where: { createdAt: { lt: ratings } } })).count;
    const audit = before('audit');
    if (audit) report.audit = (await c.auditLog.deleteMany({ where: { at: { lt: audit } } })).count;
    const deliveries = before('deliveries');
    if (deliveries) report.deliveries = (await c.processedDelivery.deleteMany({ where: { createdAt: { lt: deliveries } } })).count;
    const outbox = before('outbox');
    if (outbox) report.outbox = (await c.glpiOutbox.deleteMany({ where: { status: { in: ['done', 'dead'] }, createdAt: { lt: outbox } } })).count;
    const sessions = before('sessions');
    if (sessions) report.sessions = (await c.portalSession.deleteMany({ where: { OR: [{ expiresAt: { lt: sessions } }, { revokedAt: { lt: sessions } }] } })).count;
    // A count without an end (rate-limiter-flexible's duration 0) is never written by Guichet; it is left alone.
    const rateLimits = before('rateLimits');
    if (rateLimits) report.rateLimits = (await c.rateLimit.deleteMany({ where: { expire: { lt: rateLimits } } })).count;
    const deleted = Object.values(report).reduce((a, b) => a + b, 0);
    if (deleted > 0) await c.auditLog.create({ data: { at: now, actorKind: 'system', action: 'privacy.retention', entity: 'retention', entityId: now.toISOString().slice(0, 10), after: toJson(report) } });
    return report;
  }
}

/**
 * What the abuse limits may count a person under (src/server/rate-limits.ts keys are "<limit>:<value>"):
 * their user id (signed in), their e-mail as typed at sign-in (lower case), and their web visitor ids.
 */
function rateLimitValues(user: { id: string; email: string | null }, identities: Array<{ externalId: string }>): string[] {
  return [user.id, ...(user.email ? [user.email.toLowerCase()] : []), ...identities.map((i) => i.externalId)];
}

/** The abuse-limit counts whose key ends with ":<one of values>", whatever the limit. */
async function rateLimitsOf(c: Tx, values: string[]): Promise<Array<{ key: string; points: number; expire: Date | null }>> {
  const rows: Array<{ key: string; points: number; expire: Date | null }> = [];
  for (const value of new Set(values)) {
    // The database narrows (LIKE may treat "_" in an e-mail as a wildcard); the exact suffix is checked here.
    const candidates = await c.rateLimit.findMany({ where: { key: { endsWith: `:${value}` } }, orderBy: { key: 'asc' } });
    rows.push(...candidates.filter((r) => r.key.endsWith(`:${value}`)));
  }
  return rows;
}

/** The numbers of the tickets `userId` asked for (their jobs' lanes). */
async function ticketNumbersOf(tx: Tx, userId: string): Promise<number[]> {
  return (await tx.ticket.findMany({ where: { requesterId: userId }, select: { number: true } })).map((t) => t.number);
}

/** pg-boss's schema (src/jobs/pg-boss-queue.ts's default) and its tables that keep a job's data and outcome. */
const PG_BOSS_TABLES = ['pgboss.job', 'pgboss.archive'];

/**
 * Their traces in the job queue. A job may carry their raw id (a recipient, an SLA tell's
 * requester) in its payload, its steps or its last error, and what they wrote (a message relayed
 * from their ticket). A done job is history: deleted when it names them or is one of their
 * tickets' jobs (lane "ticket:N"). A job waiting or dead still tells others: kept, their id
 * replaced by the tombstone (a notice to it reaches no channel, which is no failure). On
 * PostgreSQL, pg-boss's own rows (their data and recorded failures) lose the id the same way.
 * Returns how many rows were deleted or changed.
 */
async function scrubJobs(tx: Tx, userId: string, tickets: number[], tombstone: string, postgres: boolean): Promise<number> {
  const like = `%${userId.replace(/[\\%_]/g, '\\$&')}%`;
  const text = (field: string, n: number) => (postgres ? `"${field}"::text LIKE $${n} ESCAPE '\\'` : `"${field}" LIKE ? ESCAPE '\\'`);
  const naming = await tx.$queryRawUnsafe<Array<{ id: number; status: string }>>(
    `SELECT "id", "status" FROM "Job" WHERE ${text('payload', 1)} OR ${text('progress', 2)} OR ${text('lastError', 3)}`,
    like,
    like,
    like,
  );
  const lanes = tickets.map((n) => `ticket:${n}`);
  const done = naming.filter((j) => j.status === 'done').map((j) => Number(j.id));
  let changed = 0;
  for (let i = 0; i < lanes.length; i += PAGE) {
    const page = lanes.slice(i, i + PAGE);
    const marks = page.map((_, k) => (postgres ? `$${k + 1}` : '?')).join(', ');
    changed += await tx.$executeRawUnsafe(`DELETE FROM "Job" WHERE "status" = 'done' AND ${postgres ? `"payload"->>'lane'` : `json_extract("payload", '$.lane')`} IN (${marks})`, ...page);
  }
  for (let i = 0; i < done.length; i += PAGE) changed += (await tx.job.deleteMany({ where: { id: { in: done.slice(i, i + PAGE) } } })).count;
  const pattern = new RegExp(escapeRegex(userId), 'g');
  for (const { id, status } of naming) {
    if (status === 'done') continue;
    const row = await tx.job.findUnique({ where: { id: Number(id) } });
    if (!row) continue;
    await tx.job.update({
      where: { id: row.id },
      data: { payload: toJson(replaceIn(row.payload, [pattern], tombstone)), progress: toJson(replaceIn(row.progress, [pattern], tombstone)), lastError: row.lastError?.replace(pattern, tombstone) ?? null },
    });
    changed += 1;
  }
  if (!postgres) return changed;
  for (const table of PG_BOSS_TABLES) {
    const [exists] = await tx.$queryRawUnsafe<Array<{ found: string | null }>>(`SELECT to_regclass($1)::text AS "found"`, table);
    if (!exists?.found) continue;
    changed += await tx.$executeRawUnsafe(
      `UPDATE ${table} SET data = replace(data::text, $1, $2)::jsonb, output = replace(output::text, $1, $2)::jsonb WHERE data::text LIKE $3 OR output::text LIKE $3`,
      userId,
      tombstone,
      like,
    );
  }
  return changed;
}

/** `value` with every needle (any case) replaced by `tombstone`, deep in JSON. */
function replaceIn<T>(value: T, patterns: RegExp[], tombstone: string): T {
  if (typeof value === 'string') return patterns.reduce((s, p) => s.replace(p, tombstone), value as string) as T;
  if (Array.isArray(value)) return value.map((v) => replaceIn(v, patterns, tombstone)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIn(v, patterns, tombstone)])) as T;
  }
  return value;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces their name, e-mail and platform ids wherever other records mention them (another person's
 * transcript, a ticket's text and timeline, the audit log, the GLPI outbox, stored replies). The database
 * finds the rows (LIKE over the text and JSON columns); only those are read and written. Returns how many
 * rows changed.
 */
async function scrubMentions(tx: Tx, needles: string[], tombstone: string, postgres: boolean): Promise<number> {
  if (needles.length === 0) return 0;
  const patterns = needles.map((n) => new RegExp(escapeRegex(n), 'gi'));
  const mentions = (v: unknown) => patterns.some((p) => ((p.lastIndex = 0), p.test(typeof v === 'string' ? v : JSON.stringify(v ?? null))));
  const likes = needles.map((n) => `%${n.replace(/[\\%_]/g, '\\$&')}%`);
  let changed = 0;
  /** Rows of `table` whose `fields` mention a needle: found by the database, changed here. */
  const scrub = async <Id extends string | number>(
    table: string,
    fields: string[],
    read: (id: Id) => Promise<Record<string, unknown> | null>,
    write: (id: Id, data: never) => Promise<unknown>,
  ) => {
    const params: string[] = [];
    const conditions = fields.flatMap((f) =>
      likes.map((like) => {
        params.push(like);
        return postgres ? `"${f}"::text ILIKE $${params.length} ESCAPE '\\'` : `"${f}" LIKE ? ESCAPE '\\'`;
      }),
    );
    const rows = await tx.$queryRawUnsafe<Array<{ id: Id }>>(`SELECT "id" FROM "${table}" WHERE ${conditions.join(' OR ')}`, ...params);
    for (const { id } of rows) {
      const row = await read(id);
      if (!row) continue;
      const data: Record<string, unknown> = {};
      for (const f of fields) if (row[f] !== null && row[f] !== undefined && mentions(row[f])) data[f] = replaceIn(row[f], patterns, tombstone);
      if (Object.keys(data).length === 0) continue;
      await write(id, data as never);
      changed += 1;
    }
  };
  await scrub<string>('Message', ['text', 'payload'], (id) => tx.message.findUnique({ where: { id } }), (id, data) => tx.message.update({ where: { id }, data }));
  await scrub<string>(
    'Ticket',
    ['title', 'description', 'resolution', 'diagnosis', 'csatComment'],
    (id) => tx.ticket.findUnique({ where: { id } }),
    (id, data) => tx.ticket.update({ where: { id }, data }),
  );
  await scrub<string>('TicketEvent', ['data'], (id) => tx.ticketEvent.findUnique({ where: { id } }), (id, data) => tx.ticketEvent.update({ where: { id }, data }));
  await scrub<string>('AuditLog', ['before', 'after'], (id) => tx.auditLog.findUnique({ where: { id } }), (id, data) => tx.auditLog.update({ where: { id }, data }));
  await scrub<number>('GlpiOutbox', ['payload', 'lastError'], (id) => tx.glpiOutbox.findUnique({ where: { id } }), (id, data) => tx.glpiOutbox.update({ where: { id }, data }));
  // The outbox's jobs carry what they tell (an agent's reply, a relayed message) until purged.
  await scrub<number>('Job', ['payload', 'lastError'], (id) => tx.job.findUnique({ where: { id } }), (id, data) => tx.job.update({ where: { id }, data }));
  await scrub<string>('ProcessedDelivery', ['replies'], (id) => tx.processedDelivery.findUnique({ where: { id } }), (id, data) => tx.processedDelivery.update({ where: { id }, data }));
  await scrub<string>('MajorIncidentUpdate', ['text'], (id) => tx.majorIncidentUpdate.findUnique({ where: { id } }), (id, data) => tx.majorIncidentUpdate.update({ where: { id }, data }));
  return changed;
}
