/**
 * Wires the core to its persistence, language tools and domain modules. Used
 * by the server, the terminal chat and the integration tests, so all three run
 * the same bot.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GuichetError } from './core/errors.ts';
import { handleTurn, type CoreDeps, type TurnResult } from './core/handle-turn.ts';
import type { Lang } from './core/lang.ts';
import type { InboundMessage } from './core/messages.ts';
import { FLOW_RESOLVED } from './analytics/metrics.ts';
import { createNotifier } from './core/notifier.ts';
import { systemClock, type AgentChannelPoster, type ChannelSender, type Clock, type Notifier } from './core/ports.ts';
import { openDeskOrganisation, type DeskOrganisationHandle } from './app/desks.ts';
import type { EventSender } from './desks/pagerduty.ts';
import { Handoff } from './handoff/handoff.ts';
import { createHandoffModule } from './handoff/module.ts';
import { draftFromTicket } from './knowledge/ticket-draft.ts';
import { PrismaHandoffStore } from './persistence/stores/handoff.ts';
import { createTicketChatModule } from './ticketing/chat.ts';
import { loadDeskConfig, type DeskConfig } from './ticketing/config.ts';
import { TicketDeskService } from './ticketing/desk/ticket-desk.ts';
import { PrismaIncidentStore } from './persistence/stores/incidents.ts';
import { PrismaTicketRepository } from './persistence/stores/tickets.ts';
import { createIncidentChatModule } from './ticketing/major-incident-chat.ts';
import { MajorIncidents } from './ticketing/major-incidents.ts';
import { createSlaScheduler, type SlaScheduler } from './ticketing/scheduler.ts';
import { syncDeskConfig, type ConfigSyncReport } from './persistence/stores/desk-config.ts';
import { createCurationCommands } from './knowledge/curation.ts';
import { IndexedKnowledgeBase } from './knowledge/knowledge-base.ts';
import { loadServiceIds } from './catalog/services.ts';
import { describeSync, syncKnowledge, type SyncReport } from './knowledge/sync.ts';
import { loadFlows } from './flows/load.ts';
import { createFlowsModule, type IncidentReports } from './flows/module.ts';
import type { Flow } from './flows/schema.ts';
import { detectLanguage } from './nlu/language.ts';
import { assetTags, errorCodes } from './nlu/entities.ts';
import { createIntentRecognizer, trainRouter } from './nlu/router-intents.ts';
import { loadSynonymFile } from './nlu/synonyms.ts';
import { openDatabase, type Database } from './persistence/database.ts';
import { PrismaArticleStore } from './persistence/stores/articles.ts';
import { PrismaConversationStore } from './persistence/stores/conversations.ts';
import { PrismaResolvedTickets } from './persistence/stores/resolved-tickets.ts';
import { PrismaUserDirectory } from './persistence/stores/users.ts';

export interface GuichetOptions {
  databaseUrl: string;
  /** Apply pending migrations at start-up (default true); false for a database another instance already migrated. */
  migrate?: boolean;
  defaultLang: Lang;
  clock?: Clock;
  /**
   * The knowledge folder, synced into the database at start-up (a content error stops
   * the start with the file, field and problem). Without it the bot answers from what
   * the database already holds, and only when `configDir` is given.
   */
  knowledgeDir?: string;
  /** Folder of services.yml (and the ticketing configuration). Enables the knowledge base. */
  configDir?: string;
  /** Told about failures of work done after a committed turn (a lost rating or gap). */
  onEffectError?: (err: unknown) => void;
  /** The channels' proactive senders (status changes, agent replies reach users through them). */
  senders?: ChannelSender[];
  /** The channels' posters into agents' channels (escalation cards and their threads). */
  posters?: AgentChannelPoster[];
  /** How a platform names the thread of a post it made ("channel|tenantId|externalId"), for the relay. */
  threadKeyOf?: (platform: string, post: unknown) => string | null;
  /** Replaces the notifier built from `senders` (tests record what users are told). */
  notifier?: Notifier;
  /** Base URL of the web console, for links to a ticket's full record. */
  publicUrl?: string;
  /** Time zone used to show due times when the user's is unknown. */
  timeZone?: string;
  /** Told about failures of background work (notifications, card updates, the SLA clock). */
  onError?: (err: unknown, context: string) => void;
  /**
   * The folder of the conversation flows (`dialogs`). With `configDir`, the flows are loaded
   * (a broken flow stops the start with the file, node and problem), the intent classifier is
   * trained on their examples, and conversations are routed to them.
   */
  dialogsDir?: string;
  /** Links a flow's report to an open major incident instead of a ticket of its own (the ticketing's major incidents). */
  incidents?: IncidentReports;
  /** Start-up facts (flows loaded, intent classifier trained and how long it took). */
  logger?: { info(fields: object, message: string): void };
  /** The on-call paging webhook (Events API v2: PagerDuty, Opsgenie); `send` replaces the HTTP post in tests. */
  paging?: { url: string; routingKey: string; send?: EventSender };
}

/** What was set up for conversations at start-up. */
export interface FlowsReport {
  flows: number;
  /** Training examples of the intent classifier (flows' and global intents'). */
  examples: number;
  intents: number;
  /** Confidence threshold chosen by calibration. */
  threshold: number;
  /** Training time including calibration, milliseconds. */
  trainMs: number;
}

export interface Guichet {
  db: Database;
  deps: CoreDeps;
  /** The knowledge base, when enabled (admins' changes rebuild its index). */
  knowledge?: IndexedKnowledgeBase;
  /** What the start-up sync of the knowledge folder did. */
  knowledgeSync?: SyncReport;
  /** The ticket desk, when the configuration folder has groups.yml and sla.yml. */
  desk?: TicketDeskService;
  handoff?: Handoff;
  incidents?: MajorIncidents;
  /** The SLA clock (not started: `start()` it where one process should tick). */
  scheduler?: SlaScheduler;
  deskConfig?: DeskConfig;
  deskSync?: ConfigSyncReport;
  /** Desks, live queue and on-call paging, when the configuration folder has desks.yml; `reload` re-reads it (audited). */
  desks?: DeskOrganisationHandle;
  /** The flows loaded from `dialogsDir`. */
  flows?: Flow[];
  flowsReport?: FlowsReport;
  notifier: Notifier;
  turn(message: InboundMessage): Promise<TurnResult>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database (applying pending migrations) and builds the core. */
export async function createGuichet(options: GuichetOptions): Promise<Guichet> {
  const db = await openDatabase(options.databaseUrl, { migrate: options.migrate ?? true });
  try {
    const clock = options.clock ?? systemClock;
    const deps: CoreDeps = {
      users: new PrismaUserDirectory(db),
      conversations: new PrismaConversationStore(db),
      language: { detect: detectLanguage },
      clock,
      defaultLang: options.defaultLang,
      onEffectError: options.onEffectError,
    };
    const knowledge = options.configDir ? await openKnowledge(db, deps, { ...options, configDir: options.configDir, clock }) : undefined;
    const notifier = options.notifier ?? createNotifier(deps.conversations, options.senders ?? [], (channel, err) => options.onError?.(err, `notification on ${channel}`));
    const ticketing =
      options.configDir && existsSync(join(options.configDir, 'groups.yml')) && existsSync(join(options.configDir, 'sla.yml'))
        ? await openTicketing(db, deps, { ...options, configDir: options.configDir, clock, notifier, knowledge: knowledge?.base })
        : undefined;
    const conversation =
      options.dialogsDir && options.configDir
        ? openFlows(db, deps, {
            ...options,
            dialogsDir: options.dialogsDir,
            configDir: options.configDir,
            knowledge: knowledge?.base,
            desk: ticketing?.desk,
            handoff: ticketing?.handoff,
            // A report of a known outage: a ticket of its own (once per delivery), linked to the incident.
            incidents:
              options.incidents ??
              (ticketing
                ? {
                    linkReport: async (incidentNumber, report) => {
                      const made = await ticketing.desk.create(report);
                      await ticketing.incidents.link(made.ticket.number, incidentNumber);
                      return { ticket: (await ticketing.desk.view(made.ticket.number, { id: report.requesterId, role: 'employee' })) ?? made.ticket, created: made.created };
                    },
                  }
                : undefined),
          })
        : undefined;
    if (conversation) options.logger?.info({ ...conversation.report }, 'flows loaded, intent classifier trained');
    return {
      db,
      deps,
      knowledge: knowledge?.base,
      knowledgeSync: knowledge?.sync,
      ...ticketing,
      flows: conversation?.flows,
      flowsReport: conversation?.report,
      notifier,
      turn: (message) => handleTurn(deps, message),
      ping: async () => {
        await db.client.$queryRawUnsafe('SELECT 1');
      },
      close: async () => {
        await ticketing?.scheduler.stop();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Syncs the knowledge folder, builds the search index and the admins' curation commands. */
async function openKnowledge(db: Database, deps: CoreDeps, options: GuichetOptions & { configDir: string; clock: Clock }) {
  const serviceIds = loadServiceIds(options.configDir);
  const store = new PrismaArticleStore(db);
  let sync: SyncReport | undefined;
  if (options.knowledgeDir) {
    sync = await syncKnowledge(store, options.knowledgeDir, serviceIds);
    if (sync.errors.length > 0) {
      throw new GuichetError('knowledge.invalid', `knowledge folder "${options.knowledgeDir}" has errors:\n${describeSync(sync).join('\n')}`);
    }
  }
  const synonymsFile = options.knowledgeDir ? join(options.knowledgeDir, 'synonyms.yml') : undefined;
  const synonyms = synonymsFile && existsSync(synonymsFile) ? loadSynonymFile(synonymsFile) : [];
  const base = new IndexedKnowledgeBase(store, synonyms);
  await base.refresh();
  deps.knowledge = base;
  deps.commands = [
    ...(deps.commands ?? []),
    createCurationCommands({
      store,
      serviceIds,
      synonyms,
      tickets: new PrismaResolvedTickets(db),
      changed: () => base.refresh(),
      today: () => options.clock.now().toISOString().slice(0, 10),
    }),
  ];
  return { base, sync };
}

/** Loads and syncs the desk configuration; builds the desk, the handoff, their chat modules and the SLA clock. */
async function openTicketing(
  db: Database,
  deps: CoreDeps,
  options: GuichetOptions & { configDir: string; clock: Clock; notifier: Notifier; knowledge?: IndexedKnowledgeBase },
) {
  const deskConfig = loadDeskConfig(options.configDir);
  const deskSync = await syncDeskConfig(db, deskConfig);
  const onError = options.onError ?? (() => {});
  let handoff: Handoff | undefined;
  let incidents: MajorIncidents | undefined;
  const handoffStore = new PrismaHandoffStore(db);
  const incidentStore = new PrismaIncidentStore(db);
  const desk = new TicketDeskService({
    repository: new PrismaTicketRepository(db),
    incidents: incidentStore,
    defaultLang: options.defaultLang,
    timeZone: options.timeZone,
    clock: options.clock,
    notifier: options.notifier,
    config: deskConfig,
    defaultGroupId: deskConfig.groups.find((g) => g.level === 1)?.id,
    // A new ticket gets its card in the group's agents' channels; any later change updates it.
    onChange: async (number: number, kind: string) => {
      if (kind !== 'created') return handoff?.refresh(number);
      await handoff?.escalate(number, { live: false });
      const created = await db.client.ticket.findUnique({ where: { number }, select: { serviceId: true } });
      await incidents?.checkSuggestion(created?.serviceId ?? null);
    },
    onError,
  });
  const articles = new PrismaArticleStore(db);
  const resolvedTickets = new PrismaResolvedTickets(db);
  const serviceIds = deskConfig.services.map((s) => s.id);
  const desks = existsSync(join(options.configDir, 'desks.yml')) ? openDeskOrganisation(db, deskConfig, desk, handoffStore, options) : undefined;
  handoff = new Handoff({
    desk,
    store: handoffStore,
    desks: desks?.desks,
    posters: options.posters ?? [],
    notifier: options.notifier,
    threadKeyOf: options.threadKeyOf ?? (() => null),
    suggestKnownErrors: options.knowledge
      ? (text, lang) =>
          options.knowledge!
            .search(text, { lang, limit: 8, highlights: false })
            .filter((h) => h.article.type === 'known-error' && h.confidence >= 0.1)
            .map((h) => ({ id: h.article.id, title: h.article.title }))
      : undefined,
    draftFaq: async (number, authorId, lang) => {
      const ticket = await resolvedTickets.resolved(number);
      if (!ticket) return undefined;
      const service = ticket.serviceId && serviceIds.includes(ticket.serviceId) ? ticket.serviceId : serviceIds[0]!;
      const draft = draftFromTicket(ticket, { id: await articles.nextId('faq'), lang, service, today: options.clock.now().toISOString().slice(0, 10) });
      await articles.save(draft, { source: 'ticket', authorId, reason: `drafted from ticket #${number}` });
      return draft.id;
    },
    lang: options.defaultLang,
    timeZone: options.timeZone,
    publicUrl: options.publicUrl,
    onError,
  });
  incidents = new MajorIncidents({ store: incidentStore, clock: options.clock, desk: desk.internals, resolveTicket: (n, actor, text) => desk.resolve(n, actor, text), config: deskConfig, onError });
  const majorIncidents = incidents;
  deps.modules = [
    ...(desks ? [desks.module] : []),
    createHandoffModule(handoff),
    createIncidentChatModule(majorIncidents),
    createTicketChatModule({
      desk,
      approvals: desk,
      services: deskConfig.services,
      timeZoneOf: () => options.timeZone,
      linkToOpenIncident: async (ticket) => {
        const open = ticket.serviceId ? await desk.openMajorIncident(ticket.serviceId) : undefined;
        if (!open) return undefined;
        await majorIncidents.link(ticket.number, open.number);
        return open;
      },
    }),
    ...(deps.modules ?? []),
  ];
  const scheduler = createSlaScheduler({ clock: options.clock, desk: desk.internals, config: deskConfig, onError: (err) => onError(err, 'SLA clock') });
  return { desk, handoff, incidents: majorIncidents, scheduler, deskConfig, deskSync, desks };
}


/**
 * Loads the flows, trains the intent classifier on their examples plus the global intents,
 * and plugs the flows module in after the handoff and ticket modules (they own relayed
 * conversations and ticket commands; the flows module owns guided conversations).
 */
function openFlows(
  db: Database,
  deps: CoreDeps,
  options: GuichetOptions & { dialogsDir: string; configDir: string; knowledge?: IndexedKnowledgeBase; desk?: TicketDeskService; handoff?: Handoff },
): { flows: Flow[]; report: FlowsReport } {
  const flows = loadFlows(options.dialogsDir, { serviceIds: loadServiceIds(options.configDir) });
  const router = trainRouter(flows);
  deps.intents = createIntentRecognizer(router.classifier);
  deps.offerHelp = options.desk !== undefined;
  deps.modules = [
    ...(deps.modules ?? []),
    createFlowsModule({
      flows,
      desk: options.desk,
      handoff: options.handoff,
      incidents: options.incidents,
      knowledge: options.knowledge,
      timeZone: options.timeZone,
      recordResolved: async ({ conversationId, userId, flowId, serviceId }) => {
        await db.client.auditLog.create({ data: { ...FLOW_RESOLVED, entityId: conversationId, actorId: userId, actorKind: 'user', after: { flowId, serviceId } } });
      },
      entities: (text) => ({ 'error-code': errorCodes(text)[0], 'asset-tag': assetTags(text)[0] }),
    }),
  ];
  const report: FlowsReport = {
    flows: flows.length,
    examples: router.examples,
    intents: router.classifier.intents.length,
    threshold: router.classifier.threshold,
    trainMs: Math.round(router.trainMs),
  };
  return { flows, report };
}
