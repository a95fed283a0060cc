/** The ticket desk at start-up: desk configuration synced, the desk, the handoff, their chat modules and the SLA clock. */
import type { OutboundChannels } from '../core/channel-contract.ts';
import { type CoreDeps } from '../core/handle-turn.ts';
import type { JobService } from '../core/jobs.ts';
import { type Clock, type Notifier } from '../core/ports.ts';
import { Handoff } from '../handoff/handoff.ts';
import { createHandoffModule } from '../handoff/module.ts';
import { draftFromTicket } from '../knowledge/ticket-draft.ts';
import { PrismaHandoffStore } from '../persistence/stores/handoff.ts';
import { createTicketChatModule, parseTicketCommand } from '../ticketing/chat.ts';
import { createFormIntakeModule } from '../ticketing/form-intake.ts';
import { loadDeskConfig } from '../ticketing/config.ts';
import { TicketDeskService } from '../ticketing/desk/ticket-desk.ts';
import { PrismaIncidentStore } from '../persistence/stores/incidents.ts';
import { PrismaTicketRepository } from '../persistence/stores/tickets-repository.ts';
import { createIncidentChatModule } from '../ticketing/major-incident-chat.ts';
import { MajorIncidents } from '../ticketing/major-incidents.ts';
import { loadIncidentSettings } from '../ticketing/incident-config.ts';
import { openAlerts } from './alerts.ts';
import { createSlaScheduler } from '../ticketing/scheduler.ts';
import { syncDeskConfig } from '../persistence/stores/desk-config.ts';
import { IndexedKnowledgeBase } from '../knowledge/knowledge-base.ts';
import { type Database } from '../persistence/database.ts';
import { PrismaArticleStore } from '../persistence/stores/articles.ts';
import { PrismaResolvedTickets } from '../persistence/stores/resolved-tickets.ts';
import type { GuichetOptions } from './types.ts';
import { glpiOutboxHook, openGlpi, withGlpi } from './glpi.ts';
import type { GlpiConnector } from '../connectors/glpi/connector.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDeskOrganisation } from './desks.ts';

/** Loads and syncs the desk configuration; builds the desk, the handoff, their chat modules and the SLA clock. */
export async function openTicketing(
  db: Database,
  deps: CoreDeps,
  options: GuichetOptions & { configDir: string; clock: Clock; notifier: Notifier; channels: OutboundChannels; knowledge?: IndexedKnowledgeBase; jobQueue: JobService },
) {
  const deskConfig = loadDeskConfig(options.configDir);
  const deskSync = await syncDeskConfig(db, deskConfig);
  const onError = options.onError ?? (() => {});
  let handoff: Handoff | undefined;
  let incidents: MajorIncidents | undefined;
  const handoffStore = new PrismaHandoffStore(db);
  const incidentStore = new PrismaIncidentStore(db);
  let glpi: GlpiConnector | undefined;
  // GLPI mode: the outbox is written by the ticket store, in the unit of work of each change.
  const repository = new PrismaTicketRepository(db, options.glpi ? { onEvent: glpiOutboxHook(db, () => glpi) } : {});
  /** Parts opened later that follow ticket changes (the directory grants an approved access). */
  const changeListeners: ((number: number, kind: string) => Promise<void>)[] = [];
  const desk = new TicketDeskService({
    repository: options.glpi ? withGlpi(db, repository, () => glpi) : repository,
    incidents: incidentStore,
    defaultLang: options.defaultLang,
    timeZone: options.timeZone,
    clock: options.clock,
    notifier: options.notifier,
    jobs: options.jobQueue,
    config: deskConfig,
    defaultGroupId: deskConfig.groups.find((g) => g.level === 1)?.id,
    // A new ticket gets its card in the group's agents' channels; any later change updates it.
    onChange: async (number: number, kind: string) => {
      await glpi?.onTicketChange(number, kind).catch((err: unknown) => onError(err, `GLPI connector after ${kind} of #${number}`));
      for (const listener of changeListeners) await listener(number, kind).catch((err: unknown) => onError(err, `after ${kind} of #${number}`));
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
    channels: options.channels,
    notifier: options.notifier,
    jobs: options.jobQueue,
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
  const firstLine = deskConfig.groups.find((g) => g.level === 1)?.id;
  incidents = new MajorIncidents({
    store: incidentStore, clock: options.clock, desk: desk.internals, resolveTicket: (n, actor, text) => desk.resolve(n, actor, text), config: deskConfig, onError,
    jobs: options.jobQueue,
    settings: loadIncidentSettings(options.configDir),
    // Monitoring's suggestions go to the first-line group's agents' channels (the desk lead directly when there is none).
    postToAgents: async (build) => {
      let posted = false;
      for (const { platform, address } of firstLine ? await handoffStore.channelsOf(firstLine) : []) {
        const poster = options.channels.poster(platform);
        if (!poster) continue;
        for (const message of build(options.defaultLang)) await poster.post(address, message);
        posted = true;
      }
      return posted;
    },
  });
  incidents.notices.start();
  const alerts = openAlerts(db, incidents, options.clock, serviceIds, options.jobQueue);
  const majorIncidents = incidents;
  deps.desk = desk;
  deps.modules = [
    // First: its actions come from channels' own forms (Slack's modal and Home tab) whatever is in progress.
    createFormIntakeModule({ desk, services: deskConfig.services, timeZoneOf: () => options.timeZone }),
    ...(desks ? [desks.module] : []),
    createHandoffModule(handoff, { isCommand: (text) => parseTicketCommand(text) !== undefined }),
    createIncidentChatModule(majorIncidents, alerts),
    createTicketChatModule({
      desk,
      approvals: desk,
      services: deskConfig.services,
      timeZoneOf: () => options.timeZone,
      refusalNeedsReason: async (number) => (glpi ? glpi.refusalWantsReason(number) : false),
      // Only a report that speaks of the outage is linked (incident-link.ts); others stay tickets of their own.
      incidentLinks: { relatedOpen: (ticket) => majorIncidents.relatedOpen(ticket), link: (number, incident) => majorIncidents.linkReport(number, incident) },
    }),
    ...(deps.modules ?? []),
  ];
  const scheduler = createSlaScheduler({ clock: options.clock, desk: desk.internals, config: deskConfig, jobs: options.jobQueue, onError: (err) => onError(err, 'SLA clock') });
  if (options.glpi) {
    glpi = await openGlpi(db, desk, repository, { ...options, glpi: options.glpi, jobs: options.jobQueue, groupIds: deskConfig.groups.map((g) => g.id), onError });
    deps.commands = [...(deps.commands ?? []), glpi.commands()];
  }
  return { desk, handoff, incidents: majorIncidents, alerts, scheduler, deskConfig, deskSync, glpi, desks, changeListeners };
}
