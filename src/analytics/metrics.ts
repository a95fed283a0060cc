/**
 * How the service desk performs over a period, computed from the database:
 *
 * - conversations per day: conversations with at least one message from a person that day;
 * - self-service (deflection) rate: conversations where an answer was rated "this fixed it", or a
 *   guided flow ended resolved (an AuditLog row action 'flow.resolved', entity 'conversation',
 *   entityId = the conversation id — see FLOW_RESOLVED), and no
 *   ticket was opened, over conversations where a person wrote something;
 * - escalation rate: conversations that led to a ticket, over the same;
 * - SLA compliance per priority: among tickets created in the period whose target is decided
 *   (met, or breached), the share met — response (first answer before its due time) and resolution
 *   (resolved before its due time);
 * - mean time to resolve: from creation to resolution, wall-clock hours, tickets resolved in the period;
 * - satisfaction: the average survey score of tickets closed in the period, and how many answered;
 * - top categories: what tickets were about (the flow or service that opened them);
 * - top intents: what people's messages asked for, as the intent classifier recognised it;
 * - top knowledge gaps: the questions no article answered, most asked first.
 *
 * Everything is counted in the application (the same code on SQLite and PostgreSQL); a period is
 * at most a year.
 */
import { GuichetError } from '../core/errors.ts';
import type { Database } from '../persistence/database.ts';

export interface Period {
  from: Date;
  to: Date;
}

export interface Metrics {
  period: { from: string; to: string };
  conversationsPerDay: { day: string; count: number }[];
  conversations: number;
  deflectionRate: number | null;
  escalationRate: number | null;
  sla: { priority: number; tickets: number; responseMet: number | null; resolutionMet: number | null }[];
  meanHoursToResolve: number | null;
  satisfaction: { average: number | null; answers: number };
  topCategories: { category: string; count: number }[];
  /** What people asked for, as the intent classifier recognised it (flows and global intents). */
  topIntents: { intent: string; count: number }[];
  topGaps: { text: string; count: number }[];
}

const DAY = 86_400_000;
/** Conversation ids per query (PostgreSQL binds at most 65,535 parameters, SQLite 32,766). */
const ID_SLICE = 5_000;

/**
 * The audit row that says a guided flow ended resolved in a conversation (the user confirmed the
 * fix): { action: 'flow.resolved', entity: 'conversation', entityId: <Conversation.id>,
 * actorId: <user id>, actorKind: 'user', after: { flowId, serviceId } }. Written by whoever carries
 * out the flows' 'resolved' effect; counted here as self-service.
 */
export const FLOW_RESOLVED = { action: 'flow.resolved', entity: 'conversation' } as const;

export async function computeMetrics(db: Database, period: Period, timeZone = 'UTC'): Promise<Metrics> {
  const { from, to } = period;
  if (!(from < to) || to.getTime() - from.getTime() > 366 * DAY) {
    throw new GuichetError('analytics.invalid-period', 'analytics: the period must end after it starts and last a year at most');
  }
  const c = db.client;
  // One formatter for every message (making one per call costs more than the rest of the loop).
  const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const dayOf = (d: Date) => dayFormat.format(d);

  const messages = await c.message.findMany({ where: { direction: 'in', createdAt: { gte: from, lt: to } }, select: { conversationId: true, createdAt: true, payload: true } });
  const intents = new Map<string, number>();
  for (const m of messages) {
    const intent = (m.payload as { intent?: unknown } | null)?.intent;
    if (typeof intent === 'string') intents.set(intent, (intents.get(intent) ?? 0) + 1);
  }
  const perDay = new Map<string, Set<string>>();
  for (let t = from.getTime(); t < to.getTime(); t += DAY) perDay.set(dayOf(new Date(t)), new Set());
  const conversations = new Set<string>();
  for (const m of messages) {
    conversations.add(m.conversationId);
    const day = dayOf(m.createdAt);
    if (!perDay.has(day)) perDay.set(day, new Set());
    perDay.get(day)!.add(m.conversationId);
  }
  const ids = [...conversations];
  // In slices, so that a busy year stays under the databases' limits on bound parameters.
  const ticketed: { conversationId: string | null }[] = [];
  const helped: { conversationId: string | null }[] = [];
  const resolvedFlows: { entityId: string | null }[] = [];
  for (let i = 0; i < ids.length; i += ID_SLICE) {
    const slice = ids.slice(i, i + ID_SLICE);
    const [t, h, r] = await Promise.all([
      c.ticket.findMany({ where: { conversationId: { in: slice } }, select: { conversationId: true }, distinct: ['conversationId'] }),
      c.answerFeedback.findMany({ where: { conversationId: { in: slice }, helpful: true }, select: { conversationId: true }, distinct: ['conversationId'] }),
      c.auditLog.findMany({ where: { action: FLOW_RESOLVED.action, entity: FLOW_RESOLVED.entity, entityId: { in: slice } }, select: { entityId: true }, distinct: ['entityId'] }),
    ]);
    ticketed.push(...t);
    helped.push(...h);
    resolvedFlows.push(...r);
  }
  const withTicket = new Set(ticketed.map((t) => t.conversationId!));
  const selfServed = new Set([...helped.map((h) => h.conversationId), ...resolvedFlows.map((r) => r.entityId)]);
  const deflected = [...selfServed].filter((id) => id && !withTicket.has(id)).length;
  const rate = (n: number) => (ids.length ? n / ids.length : null);

  const tickets = await c.ticket.findMany({
    where: { createdAt: { gte: from, lt: to } },
    select: { priority: true, category: true, responseDueAt: true, firstResponseAt: true, responseBreached: true, resolutionDueAt: true, resolvedAt: true, resolutionBreached: true },
  });
  const sla = [1, 2, 3, 4, 5].map((priority) => {
    const mine = tickets.filter((t) => t.priority === priority);
    const response = mine.filter((t) => t.responseDueAt && (t.firstResponseAt || t.responseBreached));
    const resolution = mine.filter((t) => t.resolutionDueAt && (t.resolvedAt || t.resolutionBreached));
    const share = (list: typeof mine, met: (t: (typeof mine)[number]) => boolean) => (list.length ? list.filter(met).length / list.length : null);
    return {
      priority,
      tickets: mine.length,
      responseMet: share(response, (t) => !t.responseBreached && !!t.firstResponseAt && t.firstResponseAt <= t.responseDueAt!),
      resolutionMet: share(resolution, (t) => !t.resolutionBreached && !!t.resolvedAt && t.resolvedAt <= t.resolutionDueAt!),
    };
  });

  const resolved = await c.ticket.findMany({ where: { resolvedAt: { gte: from, lt: to } }, select: { createdAt: true, resolvedAt: true } });
  const meanHoursToResolve = resolved.length ? resolved.reduce((sum, t) => sum + (t.resolvedAt!.getTime() - t.createdAt.getTime()), 0) / resolved.length / 3_600_000 : null;

  const rated = await c.ticket.findMany({ where: { closedAt: { gte: from, lt: to }, csatScore: { not: null } }, select: { csatScore: true } });
  const average = rated.length ? rated.reduce((sum, t) => sum + t.csatScore!, 0) / rated.length : null;

  const categories = new Map<string, number>();
  for (const t of tickets) categories.set(t.category, (categories.get(t.category) ?? 0) + 1);
  const gapRows = await c.unansweredQuery.findMany({ where: { createdAt: { gte: from, lt: to } }, select: { text: true, normalized: true } });
  const gaps = new Map<string, { text: string; count: number }>();
  for (const g of gapRows) {
    const entry = gaps.get(g.normalized) ?? { text: g.text, count: 0 };
    entry.count += 1;
    gaps.set(g.normalized, entry);
  }

  return {
    period: { from: from.toISOString(), to: to.toISOString() },
    conversationsPerDay: [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, set]) => ({ day, count: set.size })),
    conversations: ids.length,
    deflectionRate: rate(deflected),
    escalationRate: rate(withTicket.size),
    sla,
    meanHoursToResolve,
    satisfaction: { average, answers: rated.length },
    topCategories: [...categories].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)).slice(0, 10),
    topIntents: [...intents].map(([intent, count]) => ({ intent, count })).sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent)).slice(0, 10),
    topGaps: [...gaps.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)).slice(0, 10),
  };
}
