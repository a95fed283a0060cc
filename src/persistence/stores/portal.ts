/** The portal's read ports on Prisma: the live updates' change stamp and the admin console's views of the desk. */
import { isOpenStatus, TICKET_STATUSES, type TicketStatus } from '../../core/tickets.ts';
import type { MetricsQuery } from '../../analytics/ports.ts';
import type { CalendarRow, DeskOverview, GroupRow, PolicyRow, PortalActivity, PortalPeople, PortalSessionStore, QueueRow } from '../../portal/ports.ts';
import type { Database } from '../database.ts';
import { PrismaMetricsQuery } from './metrics.ts';
import { PrismaPortalPeople, PrismaPortalSessions } from './sessions.ts';

/** Statuses of tickets someone still works on (core's isOpenStatus). */
const OPEN = TICKET_STATUSES.filter(isOpenStatus);

export class PrismaPortalActivity implements PortalActivity {
  constructor(private readonly db: Database) {}

  async changeStamp(requesterId: string): Promise<string> {
    const [latest, incident] = await Promise.all([
      this.db.client.ticket.findFirst({ where: { requesterId }, orderBy: { updatedAt: 'desc' }, select: { updatedAt: true } }),
      this.db.client.majorIncident.findFirst({ orderBy: { updatedAt: 'desc' }, select: { updatedAt: true } }),
    ]);
    return `${latest?.updatedAt.toISOString() ?? ''}|${incident?.updatedAt.toISOString() ?? ''}`;
  }
}

export class PrismaDeskOverview implements DeskOverview {
  constructor(private readonly db: Database) {}

  async openTickets(groupId?: string): Promise<QueueRow[]> {
    const rows = await this.db.client.ticket.findMany({
      where: { status: { in: OPEN }, ...(groupId ? { groupId } : {}) },
      orderBy: [{ priority: 'asc' }, { resolutionDueAt: 'asc' }],
      include: { assignee: { select: { displayName: true } }, group: { select: { name: true } }, requester: { select: { displayName: true, email: true } } },
      take: 200,
    });
    return rows.map((t) => ({
      number: t.number,
      title: t.title,
      priority: t.priority,
      status: t.status as TicketStatus,
      group: t.group?.name ?? null,
      assignee: t.assignee?.displayName ?? null,
      requester: t.requester.displayName,
      requesterEmail: t.requester.email,
      responseBreached: t.responseBreached,
      resolutionBreached: t.resolutionBreached,
      warned: !!(t.resolutionWarnedAt || t.responseWarnedAt),
      paused: !!t.slaPausedAt,
      resolutionDueAt: t.resolutionDueAt,
    }));
  }

  async groups(): Promise<GroupRow[]> {
    const rows = await this.db.client.supportGroup.findMany({
      orderBy: { level: 'asc' },
      include: { members: { include: { user: { select: { displayName: true } } } }, escalatesTo: { select: { name: true } } },
    });
    return rows.map((g) => ({
      id: g.id,
      name: g.name,
      level: g.level,
      escalatesTo: g.escalatesTo?.name ?? null,
      members: g.members.map((m) => ({ displayName: m.user.displayName, available: m.available })),
    }));
  }

  async policies(): Promise<PolicyRow[]> {
    const rows = await this.db.client.slaPolicy.findMany({ orderBy: { id: 'asc' } });
    return rows.map((p) => ({ name: p.name, calendarId: p.calendarId, targets: p.targets as PolicyRow['targets'] }));
  }

  async calendars(): Promise<CalendarRow[]> {
    const rows = await this.db.client.calendar.findMany({ orderBy: { id: 'asc' } });
    return rows.map((c) => ({ name: c.name, timeZone: c.timeZone, holidays: (c.holidays as string[]).length }));
  }
}

/** Every port the portal needs from the database, for the composition root. */
export function portalStores(db: Database): { people: PortalPeople; sessions: PortalSessionStore; activity: PortalActivity; metrics: MetricsQuery; overview: DeskOverview } {
  return { people: new PrismaPortalPeople(db), sessions: new PrismaPortalSessions(db), activity: new PrismaPortalActivity(db), metrics: new PrismaMetricsQuery(db), overview: new PrismaDeskOverview(db) };
}
