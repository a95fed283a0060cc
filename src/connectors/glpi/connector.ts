/**
 * GLPI as the system of record: every ticket the desk opens is created in GLPI, the requester's
 * messages and answers follow it there, and GLPI's changes come back (see sync-in.ts). The local
 * ticket stays the conversation's mirror (chat, SLA display and handoff keep working) and carries
 * the link to its GLPI id.
 *
 * Each change is queued in the outbox by the ticket store, in the change's own unit of work
 * (`queueInUnit`, changes.ts); the desk's `onChange(number, kind)` notification after the commit
 * delivers it at once in the background; GLPI down or refusing never fails the user's turn. All work of one connector runs
 * one piece at a time (deliveries, polls, webhooks), so changes are applied in order.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Lang } from '../../core/lang.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { CommandHandler } from '../../core/ports.ts';
import type { ContactView } from '../../core/tickets.ts';
import { localizeEntry } from '../../texts/define.ts';
import { connectors } from '../../texts/connectors.ts';
import { assetsOf } from './assets.ts';
import type { GlpiContext } from './context.ts';
import { queueChange, type AppendedEvent, type UnitReader } from './changes.ts';
import { resolvedInGlpiKey } from './keys.ts';
import { drain } from './outbox.ts';
import type { GlpiStore } from './ports.ts';
import { applyTicket, poll } from './sync-in.ts';

export interface GlpiConnectorOptions {
  /** Poll GLPI for changes every … milliseconds (0: no polling, webhooks only). */
  pollIntervalMs: number;
  /** Retry due outbox items every … milliseconds. */
  retryTickMs?: number;
  /** Shared secret GLPI's webhook sends in the X-Guichet-Token header; without it the webhook is refused. */
  webhookSecret?: string;
}

/** The desk's change kinds after which the outbox may hold something new (see changes.ts). */
const CHANGES_QUEUED: readonly string[] = ['created', 'info', 'closed', 'reopened'];

export class GlpiConnector {
  private chain: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly ctx: GlpiContext,
    private readonly options: GlpiConnectorOptions,
  ) {}

  /**
   * Queues what GLPI must hear of a timeline event, through `store` (the GLPI store on the unit of
   * work that appends the event: committed with the change, or not at all).
   */
  queueInUnit(store: GlpiStore, reader: UnitReader, number: number, event: AppendedEvent): Promise<number> {
    return queueChange(store, reader, this.ctx.mapping, number, event);
  }

  /** Whether the ticket's resolution came from GLPI: refusing it asks the user why (the reason goes with the refusal). */
  async refusalWantsReason(number: number): Promise<boolean> {
    const link = await this.ctx.store.link(number);
    return link !== undefined && (link.solutionId !== null || (await this.ctx.store.getValue(resolvedInGlpiKey(number))) !== undefined);
  }

  /** The desk's notification after a committed change: delivers what it queued, in the background. */
  async onTicketChange(number: number, kind: string): Promise<void> {
    if (!CHANGES_QUEUED.includes(kind)) return;
    void this.run(`delivery after ${kind} of #${number}`, () => this.deliver(kind === 'created' ? number : undefined));
  }

  /** Delivers due outbox items now. */
  flush(): Promise<unknown> {
    return this.run('outbox', () => this.deliver());
  }

  /** One poll of GLPI's changes. */
  poll(): Promise<unknown> {
    return this.run('poll', () => poll(this.ctx));
  }

  /** Resolves when the work queued so far is done. */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  /**
   * GLPI's outgoing webhook (GLPI 11; any payload naming the ticket: `{item: {id}}`, or a
   * follow-up's or solution's `items_id` with `itemtype` "Ticket"). 401 without the shared secret.
   */
  async webhook(body: unknown, token: string | undefined): Promise<{ status: number; body: Record<string, unknown> }> {
    if (!this.options.webhookSecret || !token || !sameSecret(token, this.options.webhookSecret)) return { status: 401, body: { error: 'bad or missing X-Guichet-Token' } };
    const glpiId = ticketIdOf(body);
    if (glpiId === undefined) return { status: 400, body: { error: 'no ticket id in the payload' } };
    void this.run(`webhook for GLPI ticket ${glpiId}`, () => applyTicket(this.ctx, glpiId));
    return { status: 202, body: { accepted: glpiId } };
  }

  /** The user's computers and phones in GLPI, for the contact card (empty when GLPI cannot answer). */
  async assets(email: string | null): Promise<ContactView['assets']> {
    if (!email) return [];
    try {
      return await assetsOf(this.ctx, email);
    } catch (err) {
      this.ctx.onError(err, `GLPI assets of ${email}`);
      return [];
    }
  }

  /** Admin's view: waiting and given-up calls; `retry` queues the given-up ones again. */
  async status(lang: Lang, retry = false): Promise<OutboundMessage[]> {
    if (retry) {
      const dead = await this.ctx.store.dead(500);
      for (const item of dead) await this.ctx.store.revive(item.id, this.ctx.clock.now());
      void this.flush();
      return [{ type: 'text', text: localizeEntry(connectors.glpiRetried, lang, { count: dead.length }) }];
    }
    const pending = (await this.ctx.store.pending(1_000)).length;
    const dead = await this.ctx.store.dead(20);
    const lines = dead.map((d) => localizeEntry(connectors.glpiDeadLine, lang, { number: d.ticketNumber, kind: d.kind, error: d.lastError ?? '' }));
    return [{ type: 'text', text: [localizeEntry(connectors.glpiStatus, lang, { pending, dead: dead.length }), ...lines].join('\n') }];
  }

  /** Admins' chat commands: "glpi" (status and given-up calls), "glpi retry" (queue them again). */
  commands(): CommandHandler {
    return {
      handle: async ({ user, text, lang }) => {
        const words = text.trim().toLowerCase().split(/\s+/);
        if (words[0] !== 'glpi' || user.role !== 'admin' || words.length > 2) return undefined;
        if (words.length === 2 && words[1] !== 'retry' && words[1] !== 'status') return undefined;
        return this.status(lang, words[1] === 'retry');
      },
    };
  }

  /** Polls and retries on timers (one process should). */
  start(): void {
    if (this.options.pollIntervalMs > 0) this.timers.push(setInterval(() => void this.poll(), this.options.pollIntervalMs));
    this.timers.push(setInterval(() => void this.flush(), this.options.retryTickMs ?? 5_000));
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.idle();
    await this.ctx.client.close();
  }

  /** Delivers; for a new ticket, tells its requester where it stands (in GLPI, or delayed). */
  private async deliver(created?: number): Promise<void> {
    const delivered = await drain(this.ctx);
    const told = new Set<number>();
    for (const item of delivered.filter((d) => d.kind === 'create-ticket')) {
      const link = await this.ctx.store.link(item.ticketNumber);
      if (link?.glpiId) await this.tell(item.ticketNumber, link.glpiId);
      told.add(item.ticketNumber);
    }
    if (created !== undefined && !told.has(created)) await this.tell(created, null);
  }

  /** Once per ticket: "recorded in GLPI as N", or "delayed, not lost" (then "recorded" when it arrives). */
  private async tell(number: number, glpiId: number | null): Promise<void> {
    const key = glpiId === null ? `told-delayed:${number}` : `told-created:${number}`;
    if (!(await this.ctx.store.mark(key, this.ctx.clock.now()))) return;
    const view = await this.ctx.desk.view(number, this.ctx.agent);
    if (!view) return;
    const entry = glpiId === null ? connectors.glpiDelayed : connectors.glpiCreated;
    const person = await this.ctx.desk.contact(view.requester.id);
    const lang = person.user.locale ?? this.ctx.defaultLang;
    await this.ctx.notifier.notify(view.requester.id, [{ type: 'text', text: localizeEntry(entry, lang, { number, glpiId: glpiId ?? '' }) }]);
  }

  private run<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    const next = this.chain.then(work).catch((err: unknown) => {
      this.ctx.onError(err, `GLPI connector: ${what}`);
      return undefined;
    });
    this.chain = next;
    return next;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function ticketIdOf(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { item?: { id?: unknown; itemtype?: unknown; items_id?: unknown }; itemtype?: unknown; id?: unknown; items_id?: unknown };
  const item = b.item ?? b;
  const raw = item.itemtype && item.itemtype !== 'Ticket' ? item.items_id : (item.id ?? item.items_id);
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}
