/**
 * What analytics reads, as rows: the one port between the metrics (pure, in metrics.ts) and the
 * database (src/persistence/stores/metrics.ts). Every period is [from, to): `from` included, `to`
 * excluded. An in-memory implementation is in memory-metrics.ts.
 */
/** An analytics period: the instants [from, to), `to` excluded. */
export interface Period {
  from: Date;
  to: Date;
}

/** A person's message: when, in which conversation, and the intent the classifier recognised (if any). */
export interface InboundRow {
  conversationId: string;
  createdAt: Date;
  intent: string | null;
}

/** A ticket's SLA facts, for compliance per priority and top categories. */
export interface TicketSlaRow {
  priority: number;
  category: string;
  responseDueAt: Date | null;
  firstResponseAt: Date | null;
  responseBreached: boolean;
  resolutionDueAt: Date | null;
  resolvedAt: Date | null;
  resolutionBreached: boolean;
}

export interface MetricsQuery {
  /** Messages people wrote in the period (direction "in"). */
  inboundMessages(period: Period): Promise<InboundRow[]>;
  /** Of `conversationIds`, those that led to a ticket. */
  conversationsWithTicket(conversationIds: readonly string[]): Promise<string[]>;
  /** Of `conversationIds`, those where an answer was rated helpful or a guided flow ended resolved (FLOW_RESOLVED). */
  conversationsSelfServed(conversationIds: readonly string[]): Promise<string[]>;
  /** Tickets created in the period. */
  ticketsCreated(period: Period): Promise<TicketSlaRow[]>;
  /** Tickets resolved in the period: when created and when resolved. */
  ticketsResolved(period: Period): Promise<{ createdAt: Date; resolvedAt: Date }[]>;
  /** Survey scores (1–5) of tickets closed in the period. */
  satisfactionScores(period: Period): Promise<number[]>;
  /** Questions no article answered, asked in the period, with their normalized form. */
  unansweredQueries(period: Period): Promise<{ text: string; normalized: string }[]>;
}
