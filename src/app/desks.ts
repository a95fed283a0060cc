/**
 * The composition of the desks (src/desks) with the database: desks.yml and oncall.yml loaded against
 * the ticketing configuration, agents' presence and load, the audited reload, analytics per desk.
 */
import { deskStats, type DeskStats } from '../analytics/desks.ts';
import type { Lang } from '../core/lang.ts';
import type { Clock, Notifier } from '../core/ports.ts';
import { timeZoneOf } from '../desks/hours.ts';
import { loadDesks } from '../desks/load.ts';
import { openDesks, type OpenedDesks } from '../desks/open.ts';
import { route } from '../desks/routing.ts';
import type { EventSender } from '../desks/pagerduty.ts';
import type { Database } from '../persistence/database.ts';
import { PrismaDeskAgents } from '../persistence/stores/desks.ts';
import { PrismaPageStore, PrismaQueueStore } from '../persistence/stores/desk-queue.ts';
import type { PrismaHandoffStore } from '../persistence/stores/handoff.ts';
import type { DeskConfig } from '../ticketing/config.ts';
import type { TicketDeskService } from '../ticketing/desk/ticket-desk.ts';

export interface DeskOptions {
  configDir: string;
  clock: Clock;
  notifier: Notifier;
  defaultLang: Lang;
  timeZone?: string;
  paging?: { url: string; routingKey: string; send?: EventSender };
  onError?: (err: unknown, context: string) => void;
}

/** The opened desks, with a reload of their files (audited) and their analytics since an instant. */
export type DeskOrganisationHandle = OpenedDesks & {
  reload(): Promise<void>;
  stats(since: Date): Promise<DeskStats[]>;
  /** What the console's queue page shows: who waits per desk, and each desk's figures (by desk name). */
  console: {
    waiting: OpenedDesks['desks']['queue']['waiting'];
    stats(days: number): Promise<(DeskStats & { desk: string })[]>;
    desks(): { id: string; name: string }[];
    deskOf(numbers: number[]): Promise<Map<number, string>>;
  };
};

/** Desks, hours, live queue and on-call paging from desks.yml and oncall.yml (a bad file stops the start, naming it). */
export function openDeskOrganisation(
  db: Database,
  deskConfig: DeskConfig,
  desk: TicketDeskService,
  handoffStore: PrismaHandoffStore,
  options: DeskOptions,
): DeskOrganisationHandle {
  const refs = { groupIds: deskConfig.groups.map((g) => g.id), calendars: deskConfig.calendars, serviceIds: deskConfig.services.map((s) => s.id) };
  let organisation = loadDesks(options.configDir, refs);
  const agents = new PrismaDeskAgents(db);
  const opened = openDesks({
    organisation: () => organisation,
    clock: options.clock,
    notifier: options.notifier,
    userByEmail: (email) => desk.userByEmail(email),
    presentAgents: (groupId) => handoffStore.availableAgents(groupId),
    agentsOf: (groupId) => agents.agentsOf(groupId),
    moveToGroup: async (number, groupId, deskId) => {
      await desk.setGroup(number, { id: 'system', role: 'admin' }, groupId, `desk ${deskId}`);
    },
    members: (groupId) => deskConfig.groups.find((g) => g.id === groupId)?.members.length ?? 0,
    lang: options.defaultLang,
    webhook: options.paging,
    // In the database: a restart keeps who waits (and what they were told) and the pages to re-send.
    queueStore: new PrismaQueueStore(db),
    pageStore: new PrismaPageStore(db),
    onError: options.onError,
  });
  const reload = async () => {
    const before = organisation.desks.map((d) => d.id);
    organisation = loadDesks(options.configDir, refs);
    await db.client.auditLog.create({ data: { actorKind: 'system', action: 'desks.reloaded', entity: 'desks', entityId: 'desks.yml', before: { desks: before }, after: { desks: organisation.desks.map((d) => d.id) } } });
  };
  const stats = async (since: Date) => {
    const history = await opened.queueStore.history(since);
    const outcomes = await agents.outcomes(history.map((h) => h.number));
    const rows = history.map((h) => ({ ...h, ...(outcomes.get(h.number) ?? { firstContactResolved: null, slaMet: null }) }));
    const zoneOf = (deskId: string) => {
      const desk = organisation.desks.find((d) => d.id === deskId);
      return desk ? timeZoneOf(organisation, desk) : (options.timeZone ?? 'UTC');
    };
    return deskStats(rows, zoneOf);
  };
  const consoleView = {
    waiting: () => opened.desks.queue.waiting(),
    desks: () => organisation.desks.filter((d) => d.type !== 'self-service').map((d) => ({ id: d.id, name: d.name })),
    deskOf: async (numbers: number[]) => {
      const tickets = await db.client.ticket.findMany({
        where: { number: { in: numbers } },
        select: { number: true, category: true, serviceId: true, priority: true, groupId: true, requester: { select: { email: true, department: true, locale: true } } },
      });
      const now = options.clock.now();
      return new Map(
        tickets.map((t) => {
          const lang = t.requester.locale?.startsWith('en') ? 'en' : t.requester.locale?.startsWith('fr') ? 'fr' : options.defaultLang;
          const facts = { email: t.requester.email, department: t.requester.department, lang, category: t.category, serviceId: t.serviceId, priority: t.priority, ticketGroupId: t.groupId } as const;
          return [t.number, route(organisation, facts, now).desk.id];
        }),
      );
    },
    stats: async (days: number) => {
      const since = new Date(options.clock.now().getTime() - days * 86_400_000);
      return (await stats(since)).map((s) => ({ ...s, desk: organisation.desks.find((d) => d.id === s.deskId)?.name ?? s.deskId }));
    },
  };
  return { ...opened, reload, stats, console: consoleView };
}
