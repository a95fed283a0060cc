/** MetricsQuery on Prisma: the rows analytics counts (src/analytics/metrics.ts does the counting). */
import { FLOW_RESOLVED } from '../../analytics/metrics.ts';
import type { InboundRow, MetricsQuery, Period, TicketSlaRow } from '../../analytics/ports.ts';
import { AUTOMATION_ACTOR } from '../../core/directory.ts';
import type { Database } from '../database.ts';

/** A request the directory automation fulfilled and resolved (still resolved or closed): first-level self-service, not an escalation. */
const AUTOMATED = { assigneeId: AUTOMATION_ACTOR.id, status: { in: ['resolved', 'closed'] } };
/** Every other ticket (written out: SQL's NOT would drop the rows without an assignee). */
const NOT_AUTOMATED = { OR: [{ assigneeId: null }, { assigneeId: { not: AUTOMATION_ACTOR.id } }, { status: { notIn: ['resolved', 'closed'] } }] };

/** Conversation ids per query (PostgreSQL binds at most 65,535 parameters, SQLite 32,766). */
const ID_SLICE = 5_000;

const within = ({ from, to }: Period) => ({ gte: from, lt: to });

export class PrismaMetricsQuery implements MetricsQuery {
  constructor(private readonly db: Database) {}

  async inboundMessages(period: Period): Promise<InboundRow[]> {
    const rows = await this.db.client.message.findMany({ where: { direction: 'in', createdAt: within(period) }, select: { conversationId: true, createdAt: true, payload: true } });
    return rows.map((m) => {
      const intent = (m.payload as { intent?: unknown } | null)?.intent;
      return { conversationId: m.conversationId, createdAt: m.createdAt, intent: typeof intent === 'string' ? intent : null };
    });
  }

  conversationsWithTicket(conversationIds: readonly string[]): Promise<string[]> {
    return this.sliced(conversationIds, async (slice) => {
      const rows = await this.db.client.ticket.findMany({ where: { conversationId: { in: slice }, ...NOT_AUTOMATED }, select: { conversationId: true }, distinct: ['conversationId'] });
      return rows.flatMap((r) => (r.conversationId ? [r.conversationId] : []));
    });
  }

  conversationsSelfServed(conversationIds: readonly string[]): Promise<string[]> {
    return this.sliced(conversationIds, async (slice) => {
      const [helped, flows, automated] = await Promise.all([
        this.db.client.answerFeedback.findMany({ where: { conversationId: { in: slice }, helpful: true }, select: { conversationId: true }, distinct: ['conversationId'] }),
        this.db.client.auditLog.findMany({ where: { action: FLOW_RESOLVED.action, entity: FLOW_RESOLVED.entity, entityId: { in: slice } }, select: { entityId: true }, distinct: ['entityId'] }),
        this.db.client.ticket.findMany({ where: { conversationId: { in: slice }, ...AUTOMATED }, select: { conversationId: true }, distinct: ['conversationId'] }),
      ]);
      return [...new Set([...helped.map((h) => h.conversationId), ...flows.map((f) => f.entityId), ...automated.map((t) => t.conversationId)])].filter((id): id is string => !!id);
    });
  }

  ticketsCreated(period: Period): Promise<TicketSlaRow[]> {
    return this.db.client.ticket.findMany({
      where: { createdAt: within(period) },
      select: { priority: true, category: true, responseDueAt: true, firstResponseAt: true, responseBreached: true, resolutionDueAt: true, resolvedAt: true, resolutionBreached: true },
    });
  }

  async ticketsResolved(period: Period): Promise<{ createdAt: Date; resolvedAt: Date }[]> {
    const rows = await this.db.client.ticket.findMany({ where: { resolvedAt: within(period) }, select: { createdAt: true, resolvedAt: true } });
    return rows.flatMap((r) => (r.resolvedAt ? [{ createdAt: r.createdAt, resolvedAt: r.resolvedAt }] : []));
  }

  async satisfactionScores(period: Period): Promise<number[]> {
    const rows = await this.db.client.ticket.findMany({ where: { closedAt: within(period), csatScore: { not: null } }, select: { csatScore: true } });
    return rows.flatMap((r) => (r.csatScore === null ? [] : [r.csatScore]));
  }

  unansweredQueries(period: Period): Promise<{ text: string; normalized: string }[]> {
    return this.db.client.unansweredQuery.findMany({ where: { createdAt: within(period) }, select: { text: true, normalized: true } });
  }

  /** Runs `query` on slices of `ids`, so that a busy year stays under the databases' limits on bound parameters. */
  private async sliced(ids: readonly string[], query: (slice: string[]) => Promise<string[]>): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < ids.length; i += ID_SLICE) found.push(...(await query(ids.slice(i, i + ID_SLICE))));
    return found;
  }
}
