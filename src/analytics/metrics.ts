/**
 * How the service desk performs over a period, computed from rows given by `MetricsQuery`
 * (ports.ts; on the database: src/persistence/stores/metrics.ts):
 *
 * - conversations per day: conversations with at least one message from a person that day;
 * - self-service (deflection) rate: conversations where an answer was rated "this fixed it", or a
 *   guided flow ended resolved (an AuditLog row action 'flow.resolved', entity 'conversation',
 *   entityId = the conversation id — see FLOW_RESOLVED), or a request the directory automation
 *   fulfilled and resolved at first level, and no other ticket was opened, over conversations where a
 *   person wrote something;
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
 * Everything is counted here, in the application (the same code on SQLite and PostgreSQL); a
 * period is at most a year.
 */
import { GuichetError } from '../core/errors.ts';
import type { InboundRow, MetricsQuery, Period, TicketSlaRow } from './ports.ts';

export type { MetricsQuery, Period } from './ports.ts';

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

/**
 * The audit row that says a guided flow ended resolved in a conversation (the user confirmed the
 * fix): { action: 'flow.resolved', entity: 'conversation', entityId: <Conversation.id>,
 * actorId: <user id>, actorKind: 'user', after: { flowId, serviceId } }. Written by whoever carries
 * out the flows' 'resolved' effect; counted here as self-service.
 */
export const FLOW_RESOLVED = { action: 'flow.resolved', entity: 'conversation' } as const;

export async function computeMetrics(query: MetricsQuery, period: Period, timeZone = 'UTC'): Promise<Metrics> {
  const { from, to } = period;
  if (!(from < to) || to.getTime() - from.getTime() > 366 * DAY) {
    throw new GuichetError('analytics.invalid-period', 'analytics: the period must end after it starts and last a year at most');
  }
  const messages = await query.inboundMessages(period);
  const ids = [...new Set(messages.map((m) => m.conversationId))];
  const [ticketed, selfServed] = await Promise.all([query.conversationsWithTicket(ids), query.conversationsSelfServed(ids)]);
  const withTicket = new Set(ticketed);
  const deflected = new Set(selfServed.filter((id) => !withTicket.has(id))).size;
  const rate = (n: number) => (ids.length ? n / ids.length : null);
  const tickets = await query.ticketsCreated(period);
  const resolved = await query.ticketsResolved(period);
  const scores = await query.satisfactionScores(period);
  return {
    period: { from: from.toISOString(), to: to.toISOString() },
    conversationsPerDay: perDay(messages, period, timeZone),
    conversations: ids.length,
    deflectionRate: rate(deflected),
    escalationRate: rate(withTicket.size),
    sla: slaCompliance(tickets),
    meanHoursToResolve: resolved.length ? resolved.reduce((sum, t) => sum + (t.resolvedAt.getTime() - t.createdAt.getTime()), 0) / resolved.length / 3_600_000 : null,
    satisfaction: { average: scores.length ? scores.reduce((sum, s) => sum + s, 0) / scores.length : null, answers: scores.length },
    topCategories: top(countBy(tickets.map((t) => t.category))).map(([category, count]) => ({ category, count })),
    topIntents: top(countBy(messages.flatMap((m) => (m.intent === null ? [] : [m.intent])))).map(([intent, count]) => ({ intent, count })),
    topGaps: topGaps(await query.unansweredQueries(period)),
  };
}

/** Conversations per local day of `timeZone`, every day of the period listed (0 included). */
function perDay(messages: InboundRow[], { from, to }: Period, timeZone: string): { day: string; count: number }[] {
  // One formatter for every message (making one per call costs more than the rest of the loop).
  const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const days = new Map<string, Set<string>>();
  for (let t = from.getTime(); t < to.getTime(); t += DAY) days.set(dayFormat.format(new Date(t)), new Set());
  for (const m of messages) {
    const day = dayFormat.format(m.createdAt);
    if (!days.has(day)) days.set(day, new Set());
    days.get(day)!.add(m.conversationId);
  }
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, set]) => ({ day, count: set.size }));
}

/** Per priority P1…P5: the share of decided response and resolution targets that were met. */
function slaCompliance(tickets: TicketSlaRow[]): Metrics['sla'] {
  const share = (list: TicketSlaRow[], met: (t: TicketSlaRow) => boolean) => (list.length ? list.filter(met).length / list.length : null);
  return [1, 2, 3, 4, 5].map((priority) => {
    const mine = tickets.filter((t) => t.priority === priority);
    const response = mine.filter((t) => t.responseDueAt && (t.firstResponseAt || t.responseBreached));
    const resolution = mine.filter((t) => t.resolutionDueAt && (t.resolvedAt || t.resolutionBreached));
    return {
      priority,
      tickets: mine.length,
      responseMet: share(response, (t) => !t.responseBreached && !!t.firstResponseAt && t.firstResponseAt <= t.responseDueAt!),
      resolutionMet: share(resolution, (t) => !t.resolutionBreached && !!t.resolvedAt && t.resolvedAt <= t.resolutionDueAt!),
    };
  });
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** The ten most frequent, ties in alphabetical order. */
function top(counts: Map<string, number>): [string, number][] {
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).slice(0, 10);
}

/** Unanswered questions grouped by normalized form, shown with the first wording seen. */
function topGaps(rows: { text: string; normalized: string }[]): Metrics['topGaps'] {
  const gaps = new Map<string, { text: string; count: number }>();
  for (const g of rows) {
    const entry = gaps.get(g.normalized) ?? { text: g.text, count: 0 };
    entry.count += 1;
    gaps.set(g.normalized, entry);
  }
  return [...gaps.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)).slice(0, 10);
}
