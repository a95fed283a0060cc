/**
 * Builds the desks from their organisation and the ports they need: the live queue, the pager
 * (direct messages through the notifier, the Events API webhook when configured), the agents'
 * chat module, and a tick that re-pages unacknowledged pages. The queue and the pages are kept where
 * the caller says (the database: src/persistence/stores/desk-queue.ts), else in memory
 * (memory-queue.ts, memory-pages.ts: one instance only, forgotten on restart).
 */
import type { Lang } from '../core/lang.ts';
import type { Clock, EditHandles, Notifier } from '../core/ports.ts';
import type { AgentLoad } from './assign.ts';
import type { TurnModule } from '../core/turn-module.ts';
import { Desks } from './desks.ts';
import { MemoryPageStore } from './memory-pages.ts';
import { MemoryQueueStore } from './memory-queue.ts';
import { createDesksModule } from './module.ts';
import { Pager, type PageStore } from './pager.ts';
import { webhookSender, type EventSender } from './pagerduty.ts';
import type { QueueStore } from './ports.ts';
import type { DeskOrganisation } from './schema.ts';
import { sayDesks } from './say.ts';

export interface OpenDesksOptions {
  organisation(): DeskOrganisation;
  clock: Clock;
  notifier: Notifier;
  /** A person's user id by e-mail (the on-call person is named by e-mail in oncall.yml). */
  userByEmail(email: string): Promise<string | undefined>;
  presentAgents(groupId: string): Promise<number>;
  /** A group's agents with presence and load, for automatic assignment (round robin, least loaded). */
  agentsOf?(groupId: string): Promise<AgentLoad[]>;
  /** Moves a ticket to the group its escalation was routed to (see Desks). */
  moveToGroup?(number: number, groupId: string, deskId: string): Promise<void>;
  members(groupId: string): number;
  /** Language of pages sent to on-call people, and of requesters whose own is not known yet. */
  lang: Lang;
  /** The Events API v2 endpoint and routing key (PAGING_WEBHOOK_URL, PAGING_ROUTING_KEY). */
  webhook?: { url: string; routingKey: string; send?: EventSender };
  queueStore?: QueueStore;
  pageStore?: PageStore;
  onError?: (err: unknown, context: string) => void;
}

export interface OpenedDesks {
  desks: Desks;
  pager: Pager;
  module: TurnModule;
  queueStore: QueueStore;
  /** Starts re-paging every `everyMs`; returns the stop function. */
  start(everyMs: number): () => void;
}

export function openDesks(options: OpenDesksOptions): OpenedDesks {
  const queueStore = options.queueStore ?? new MemoryQueueStore();
  const pager = new Pager({
    clock: options.clock,
    store: options.pageStore ?? new MemoryPageStore(),
    ackMinutes: () => options.organisation().oncall.ackMinutes,
    message: async (email, page) => {
      const userId = await options.userByEmail(email);
      if (!userId) return false;
      const org = options.organisation();
      const desk = org.desks.find((d) => d.id === page.deskId)?.name ?? page.deskId;
      const text = sayDesks(options.lang, 'page', { number: page.number, summary: page.summary, desk, minutes: org.oncall.ackMinutes });
      const { delivered } = await options.notifier.notify(userId, [{ type: 'text', text }]);
      return delivered.length > 0;
    },
    webhook: options.webhook ? { routingKey: options.webhook.routingKey, send: options.webhook.send ?? webhookSender(options.webhook.url) } : undefined,
    onError: options.onError,
  });
  const desks = new Desks({
    organisation: options.organisation,
    clock: options.clock,
    queue: queueStore,
    pager,
    defaultLang: options.lang,
    presentAgents: options.presentAgents,
    members: options.members,
    agentsOf: options.agentsOf,
    moveToGroup: options.moveToGroup,
    tell: async (userId, text) => {
      await options.notifier.notify(userId, [{ type: 'text', text }]);
    },
    ...(options.notifier.notifyInPlace
      ? { tellInPlace: (userId: string, text: string, previous: unknown) => options.notifier.notifyInPlace!(userId, { type: 'text', text }, (previous ?? {}) as EditHandles) }
      : {}),
    onError: options.onError,
  });
  return {
    desks,
    pager,
    module: createDesksModule(desks, pager),
    queueStore,
    start(everyMs) {
      const timer = setInterval(() => {
        pager.tick().catch((err: unknown) => options.onError?.(err, 'on-call re-paging'));
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
