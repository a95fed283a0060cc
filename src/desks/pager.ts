/**
 * Paging the on-call person for an urgent ticket while its desk is closed: a direct message on the
 * channels they use (the notifier) and a trigger on the paging webhook. Nobody acknowledges within
 * `ackMinutes`? `tick` pages the next person of the order, and so on until the order runs out.
 * Each page is recorded once per key (one ticket: `page:#1042`), so a retried escalation or a
 * second instance never pages twice.
 */
import type { Clock } from '../core/ports.ts';
import { pagerDutyEvent, type EventSender, type PageFacts, type PageSeverity } from './pagerduty.ts';

export interface PageRecord {
  key: string;
  number: number;
  summary: string;
  severity: PageSeverity;
  deskId: string;
  /** E-mails, in paging order. */
  order: string[];
  /** Index in `order` of the person paged last. */
  attempt: number;
  pagedAt: Date;
  acknowledgedBy?: string;
  closed: boolean;
}

/** Pages in progress. In memory (memory-pages.ts) for one instance; PostgreSQL deployments need a shared store. */
export interface PageStore {
  /** Saves a new page; false when the key is already recorded. */
  create(page: PageRecord): Promise<boolean>;
  get(key: string): Promise<PageRecord | undefined>;
  update(page: PageRecord): Promise<void>;
  /** Pages neither acknowledged nor closed. */
  pending(): Promise<PageRecord[]>;
}

export interface PagerDeps {
  clock: Clock;
  store: PageStore;
  ackMinutes: () => number;
  /** Direct message to a person by e-mail; false when they cannot be reached (then the next is paged at once). */
  message(email: string, page: PageRecord): Promise<boolean>;
  /** The Events API webhook; absent when no PAGING_WEBHOOK_URL. */
  webhook?: { send: EventSender; routingKey: string };
  onError?: (err: unknown, context: string) => void;
}

export const pageKey = (number: number) => `page:#${number}`;

export class Pager {
  constructor(private readonly deps: PagerDeps) {}

  /** Pages the first person of `order` for ticket `number`; undefined when it was already paged or nobody is on call. */
  async page(input: Omit<PageRecord, 'key' | 'attempt' | 'pagedAt' | 'closed' | 'acknowledgedBy'>, details: Record<string, unknown> = {}): Promise<PageRecord | undefined> {
    if (input.order.length === 0) return undefined;
    const page: PageRecord = { ...input, key: pageKey(input.number), attempt: 0, pagedAt: this.deps.clock.now(), closed: false };
    if (!(await this.deps.store.create(page))) return undefined;
    await this.send('trigger', page, { ...details, ticket: page.number, desk: page.deskId, onCall: page.order[0] });
    await this.reach(page);
    return page;
  }

  /** Whether ticket `number` has a page still running (not closed), acknowledged or not. */
  async isPaged(number: number): Promise<boolean> {
    const page = await this.deps.store.get(pageKey(number));
    return page !== undefined && !page.closed;
  }

  /** The person acknowledges (from chat, or anyone of the order); re-paging stops. False when nothing was pending. */
  async acknowledge(number: number, by: string): Promise<boolean> {
    const page = await this.deps.store.get(pageKey(number));
    if (!page || page.closed || page.acknowledgedBy) return false;
    page.acknowledgedBy = by;
    await this.deps.store.update(page);
    await this.send('acknowledge', page);
    return true;
  }

  /** The ticket was taken or resolved: the page is over. */
  async resolve(number: number): Promise<void> {
    const page = await this.deps.store.get(pageKey(number));
    if (!page || page.closed) return;
    page.closed = true;
    await this.deps.store.update(page);
    await this.send('resolve', page);
  }

  /** Re-pages every unacknowledged page older than `ackMinutes`; returns how many people were paged. */
  async tick(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    let paged = 0;
    for (const page of await this.deps.store.pending()) {
      if (now - page.pagedAt.getTime() < this.deps.ackMinutes() * 60_000) continue;
      if (page.attempt + 1 >= page.order.length) continue; // everyone was paged; the webhook's own escalation goes on
      page.attempt += 1;
      page.pagedAt = new Date(now);
      await this.deps.store.update(page);
      await this.reach(page);
      paged += 1;
    }
    return paged;
  }

  /** Messages the person of the current attempt; one who cannot be reached passes to the next at once. */
  private async reach(page: PageRecord): Promise<void> {
    for (;;) {
      const email = page.order[page.attempt]!;
      let reached = false;
      try {
        reached = await this.deps.message(email, page);
      } catch (err) {
        this.deps.onError?.(err, `page of #${page.number} to ${email}`);
      }
      if (reached || page.attempt + 1 >= page.order.length) return;
      page.attempt += 1;
      await this.deps.store.update(page);
    }
  }

  private async send(action: 'trigger' | 'acknowledge' | 'resolve', page: PageRecord, details: Record<string, unknown> = {}): Promise<void> {
    const hook = this.deps.webhook;
    if (!hook) return;
    const facts: PageFacts = { dedupKey: `guichet-ticket-${page.number}`, summary: page.summary, severity: page.severity, at: this.deps.clock.now(), details };
    try {
      await hook.send(pagerDutyEvent(hook.routingKey, action, facts));
    } catch (err) {
      this.deps.onError?.(err, `paging webhook (${action}) for #${page.number}`);
    }
  }
}
