/**
 * MetricsQuery over arrays held in memory, for unit tests of the metrics and for demos. Not for a
 * running desk: it knows only the rows it was given, and a real desk's rows live in the database
 * (src/persistence/stores/metrics.ts).
 */
import type { InboundRow, MetricsQuery, Period, TicketSlaRow } from './ports.ts';

export interface MetricsRows {
  messages?: InboundRow[];
  /** Conversations that led to a ticket. */
  ticketed?: string[];
  /** Conversations with a helpful answer or a resolved flow. */
  selfServed?: string[];
  tickets?: (TicketSlaRow & { createdAt: Date; closedAt?: Date | null; csatScore?: number | null })[];
  unanswered?: { text: string; normalized: string; createdAt: Date }[];
}

const inside = (at: Date | null | undefined, { from, to }: Period): at is Date => !!at && at >= from && at < to;

export class MemoryMetricsQuery implements MetricsQuery {
  constructor(private readonly rows: MetricsRows) {}

  async inboundMessages(period: Period): Promise<InboundRow[]> {
    return (this.rows.messages ?? []).filter((m) => inside(m.createdAt, period));
  }
  async conversationsWithTicket(ids: readonly string[]): Promise<string[]> {
    return (this.rows.ticketed ?? []).filter((id) => ids.includes(id));
  }
  async conversationsSelfServed(ids: readonly string[]): Promise<string[]> {
    return (this.rows.selfServed ?? []).filter((id) => ids.includes(id));
  }
  async ticketsCreated(period: Period): Promise<TicketSlaRow[]> {
    return (this.rows.tickets ?? []).filter((t) => inside(t.createdAt, period));
  }
  async ticketsResolved(period: Period): Promise<{ createdAt: Date; resolvedAt: Date }[]> {
    return (this.rows.tickets ?? []).flatMap((t) => (inside(t.resolvedAt, period) ? [{ createdAt: t.createdAt, resolvedAt: t.resolvedAt }] : []));
  }
  async satisfactionScores(period: Period): Promise<number[]> {
    return (this.rows.tickets ?? []).flatMap((t) => (inside(t.closedAt, period) && t.csatScore != null ? [t.csatScore] : []));
  }
  async unansweredQueries(period: Period): Promise<{ text: string; normalized: string }[]> {
    return (this.rows.unanswered ?? []).filter((u) => inside(u.createdAt, period)).map(({ text, normalized }) => ({ text, normalized }));
  }
}
