/**
 * The GLPI connector wired to the desk and the database (the composition root's part of
 * src/connectors/glpi): its Prisma store, the job queue that delivers its outbox and polls GLPI,
 * the desk account GLPI's technicians act as, the admins told of failures, and the contact
 * record's assets read from GLPI.
 */
import { join } from 'node:path';
import express from 'express';
import type { Env } from '../config.ts';
import type { ChannelMount } from '../core/channel-contract.ts';
import type { Lang } from '../core/lang.ts';
import type { TicketView } from '../core/tickets.ts';
import type { Clock, Notifier } from '../core/ports.ts';
import type { GlpiJobs } from '../connectors/glpi/connector.ts';
import type { GlpiConnector } from '../connectors/glpi/connector.ts';
import { createGlpiConnector, type GlpiSettings } from '../connectors/glpi/create-glpi-connector.ts';
import type { Database } from '../persistence/database.ts';
import { PrismaGlpiDeliveries } from '../persistence/stores/glpi-deliveries.ts';
import { PrismaGlpiStore } from '../persistence/stores/glpi.ts';
import { enqueueJobs } from '../persistence/stores/jobs.ts';
import type { PrismaTicketRepository } from '../persistence/stores/tickets-repository.ts';
import type { EventWrittenHook } from '../persistence/stores/tickets.ts';
import { QUEUED_KINDS } from '../connectors/glpi/changes.ts';
import type { TicketDeskService } from '../ticketing/desk/ticket-desk.ts';
import type { TicketRepository } from '../ticketing/ports.ts';

/** The desk account GLPI's technicians act as (their follow-ups and solutions reach users from it). */
export const GLPI_AGENT_ID = 'glpi';

export async function openGlpi(
  db: Database,
  desk: TicketDeskService,
  repository: TicketRepository,
  options: { glpi: Omit<GlpiSettings, 'mapping'> & { mapping?: GlpiSettings['mapping'] }; jobs: GlpiJobs; groupIds: readonly string[]; configDir: string; clock: Clock; notifier: Notifier; defaultLang: Lang; onError: (err: unknown, context: string) => void },
): Promise<GlpiConnector> {
  await db.client.user.upsert({ where: { id: GLPI_AGENT_ID }, create: { id: GLPI_AGENT_ID, displayName: 'GLPI', role: 'agent' }, update: {} });
  const connector = createGlpiConnector(
    { ...options.glpi, mapping: options.glpi.mapping ?? join(options.configDir, 'glpi-mapping.yml') },
    {
      store: new PrismaGlpiDeliveries(db),
      jobs: options.jobs,
      desk,
      events: (number, kinds) => repository.events(number, { kinds }),
      notifier: options.notifier,
      clock: options.clock,
      agentId: GLPI_AGENT_ID,
      admins: async () => (await db.client.user.findMany({ where: { role: 'admin', erasedAt: null }, select: { id: true } })).map((u) => u.id),
      defaultLang: options.defaultLang,
      onError: options.onError,
      groupIds: options.groupIds,
    },
  );
  // Items queued before their delivery was a job (an upgraded database) get theirs.
  await connector.adoptPending();
  return connector;
}

/**
 * The ticket store's hook that queues GLPI's outbox items and their delivery jobs inside the unit
 * of work appending each timeline event (the change, its outbox rows and their jobs are committed
 * together). `connector` is read at each event: it is opened after the desk.
 */
export function glpiOutboxHook(db: Pick<Database, 'provider'>, connector: () => GlpiConnector | undefined): EventWrittenHook {
  return async ({ client, reader }, number, event) => {
    const glpi = connector();
    if (!glpi || !QUEUED_KINDS.includes(event.kind)) return;
    const outbox = { enqueue: (jobs: Parameters<typeof enqueueJobs>[2], now: Date) => enqueueJobs(client, db.provider, jobs, now) };
    await glpi.queueInUnit(new PrismaGlpiStore({ client }), outbox, reader, number, { id: event.id, kind: event.kind, actorKind: event.actorKind, data: event.data ?? {}, at: event.at });
  };
}

/** What people see as a GLPI ticket's number on cards and lists (TicketView.reference). */
export const glpiReference = (glpiId: number) => `GLPI ${glpiId}`;

/** Ticket reads whose views get GLPI's number (TicketView.reference). */
const VIEW_READS = new Set<PropertyKey>(['view', 'ofRequester', 'awaitingConfirmation', 'queue']);

/**
 * The repository as the desk sees it in GLPI mode: ticket views carry GLPI's number (cards in
 * Slack, Teams and the web chat show it), and the contact record's assets add the requester's
 * GLPI computers and phones.
 */
export function withGlpi(db: Database, repository: PrismaTicketRepository, connector: () => GlpiConnector | undefined): TicketRepository {
  const referenced = async <T extends TicketView | TicketView[] | undefined>(views: T): Promise<T> => {
    const list: TicketView[] = views === undefined ? [] : Array.isArray(views) ? views : [views as TicketView];
    if (list.length === 0) return views;
    const links = await db.client.glpiTicketLink.findMany({ where: { ticketNumber: { in: list.map((v) => v.number) }, glpiId: { not: null } }, select: { ticketNumber: true, glpiId: true } });
    const byNumber = new Map(links.map((l) => [l.ticketNumber, glpiReference(l.glpiId!)]));
    const withRef = (v: TicketView): TicketView => (byNumber.has(v.number) ? { ...v, reference: byNumber.get(v.number)! } : v);
    return (Array.isArray(views) ? list.map(withRef) : withRef(list[0]!)) as T;
  };
  return new Proxy(repository, {
    get(target, property, receiver) {
      if (property === 'assetsOf') {
        return async (userId: string) => {
          const local = await target.assetsOf(userId);
          const glpi = connector();
          if (!glpi) return local;
          const remote = await glpi.assets((await target.person(userId))?.email ?? null);
          return [...local, ...remote.map((a) => ({ ...a, serviceIds: [] as string[] }))];
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (!VIEW_READS.has(property)) return bound;
      return async (...args: unknown[]) => referenced((await bound(...args)) as TicketView | TicketView[] | undefined);
    },
  });
}

/** The connector's settings from the environment; undefined when Guichet is the system of record. */
export function glpiSettingsOf(config: Env): (Omit<GlpiSettings, 'mapping'> & { mapping?: GlpiSettings['mapping'] }) | undefined {
  if (config.GLPI_MODE !== 'glpi' || !config.GLPI_URL || !config.GLPI_USER_TOKEN) return undefined;
  return {
    url: config.GLPI_URL,
    appToken: config.GLPI_APP_TOKEN,
    userToken: config.GLPI_USER_TOKEN,
    timeoutMs: config.GLPI_TIMEOUT_MS,
    pollIntervalMs: config.GLPI_POLL_SECONDS * 1_000,
    webhookSecret: config.GLPI_WEBHOOK_SECRET,
  };
}

/** POST /glpi/webhook: GLPI's outgoing webhooks (JSON, 64 KB at most), answered 202 once queued. */
export function glpiWebhookMount(connector: GlpiConnector): ChannelMount<express.Router> {
  const router = express.Router();
  router.post('/', express.json({ limit: '64kb' }), async (req, res) => {
    const answer = await connector.webhook(req.body, req.get('x-guichet-token'));
    res.status(answer.status).json(answer.body);
  });
  return { name: 'glpi', path: '/glpi/webhook', handler: router };
}
