/**
 * GLPI as the system of record: every ticket the desk opens is created in GLPI, the requester's
 * messages and answers follow it there, and GLPI's changes come back (see sync-in.ts). The local
 * ticket stays the conversation's mirror (chat, SLA display and handoff keep working) and carries
 * the link to its GLPI id.
 *
 * Each change is queued in the outbox by the ticket store, with its delivery job, in the change's
 * own unit of work (`queueInUnit`, changes.ts); the desk's `onChange(number, kind)` notification
 * after the commit runs those jobs at once in the background, and the job queue retries them
 * (outbox.ts); GLPI down or refusing never fails the user's turn. GLPI's changes come back by
 * webhook and by a poll that is scheduled work of the job queue (once per period across every
 * instance). This instance's own work (runs after a change, polls, webhooks) goes one piece at a
 * time, so changes are applied in order.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Lang } from '../../core/lang.ts';
import { ownedJob, type JobOutbox, type JobService } from '../../core/jobs.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { CommandHandler } from '../../core/ports.ts';
import type { ContactView } from '../../core/tickets.ts';
import { localizeEntry } from '../../texts/define.ts';
import { connectors } from '../../texts/connectors.ts';
import { assetsOf } from './assets.ts';
import type { GlpiContext } from './context.ts';
import { queueChange, type AppendedEvent, type UnitReader } from './changes.ts';
import { resolvedInGlpiKey } from './keys.ts';
import { DELIVERY_QUEUE, deliveryJob, handleDeliveries } from './outbox.ts';
import type { GlpiStore } from './ports.ts';
import { applyTicket, poll } from './sync-in.ts';

/** What the connector needs of the job queue (src/core/jobs.ts). */
export type GlpiJobs = Pick<JobService, 'handle' | 'every' | 'enqueue' | 'runNow' | 'graceMs' | 'deadList' | 'revive'>;

export interface GlpiConnectorOptions {
  /** Poll GLPI for changes every … milliseconds (0: no polling, webhooks only). */
  pollIntervalMs: number;
  /** Shared secret GLPI's webhook sends in the X-Guichet-Token header; without it the webhook is refused. */
  webhookSecret?: string;
}

/** The desk's change kinds after which the outbox may hold something new (see changes.ts). */
const CHANGES_QUEUED: readonly string[] = ['created', 'info', 'closed', 'reopened'];

export class GlpiConnector {
  private chain: Promise<unknown> = Promise.resolve();

  /** Registers the deliveries and the poll (scheduled work) on `jobs`: before the queue starts. */
  constructor(
    private readonly ctx: GlpiContext,
    private readonly jobs: GlpiJobs,
    private readonly options: GlpiConnectorOptions,
  ) {
    handleDeliveries(ctx, jobs, async (item) => {
      if (item.kind !== 'create-ticket') return;
      const link = await this.ctx.store.link(item.ticketNumber);
      if (link?.glpiId) await this.tell(item.ticketNumber, link.glpiId);
    });
    if (options.pollIntervalMs > 0) jobs.every('glpi.poll', options.pollIntervalMs, async () => void (await this.poll()));
  }

  /**
   * Queues what GLPI must hear of a timeline event, through `store` and `outbox` (the GLPI store
   * and the job outbox on the unit of work that appends the event: committed with the change, or
   * not at all). The jobs are left to this instance for the grace: `onTicketChange` runs them.
   */
  queueInUnit(store: GlpiStore, outbox: JobOutbox, reader: UnitReader, number: number, event: AppendedEvent): Promise<number> {
    return queueChange(store, reader, this.ctx.mapping, number, event, async (key) => {
      await outbox.enqueue([ownedJob(this.jobs, deliveryJob(key), event.at)], event.at);
    });
  }

  /**
   * Writes the jobs of pending items that have none (items queued before the deliveries were jobs);
   * a key already written is skipped, so every start may do it.
   */
  async adoptPending(): Promise<number> {
    const pending = await this.ctx.store.pending(10_000);
    return pending.length === 0 ? 0 : this.jobs.enqueue(pending.map((item) => deliveryJob(item.key)));
  }

  /** Whether the ticket's resolution came from GLPI: refusing it asks the user why (the reason goes with the refusal). */
  async refusalWantsReason(number: number): Promise<boolean> {
    const link = await this.ctx.store.link(number);
    return link !== undefined && (link.solutionId !== null || (await this.ctx.store.getValue(resolvedInGlpiKey(number))) !== undefined);
  }

  /** The desk's notification after a committed change: runs the ticket's deliveries, in the background. */
  async onTicketChange(number: number, kind: string): Promise<void> {
    if (!CHANGES_QUEUED.includes(kind)) return;
    void this.run(`delivery after ${kind} of #${number}`, () => this.deliver(number, kind === 'created'));
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

  /** Admin's view: waiting and given-up calls; `retry` queues the given-up ones again (the items and their jobs). */
  async status(lang: Lang, retry = false): Promise<OutboundMessage[]> {
    if (retry) {
      const dead = await this.ctx.store.dead(500);
      for (const item of dead) await this.ctx.store.revive(item.id);
      const keys = new Set(dead.map((item) => deliveryJob(item.key).key));
      for (const job of await this.jobs.deadList(1_000)) if (job.queue === DELIVERY_QUEUE && keys.has(job.key)) await this.jobs.revive(job.id);
      // An item given up before its delivery was a job has none yet.
      await this.jobs.enqueue(dead.map((item) => deliveryJob(item.key)));
      void this.run('retry', () => this.jobs.runNow([...keys]));
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

  /** Waits for this instance's work in flight, then closes the GLPI session (the job queue stops its jobs). */
  async stop(): Promise<void> {
    await this.idle();
    await this.ctx.client.close();
  }

  /** Runs the ticket's pending deliveries here; a new ticket not in GLPI yet: its requester is told it is delayed. */
  private async deliver(number: number, created: boolean): Promise<void> {
    const pending = await this.ctx.store.pendingOf(number);
    // The first runs the others in turn (outbox.ts); each one still runs if it is alone.
    await this.jobs.runNow(pending.map((item) => deliveryJob(item.key).key));
    if (created && !(await this.ctx.store.link(number))?.glpiId) await this.tell(number, null);
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
