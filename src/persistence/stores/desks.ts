/**
 * What the desks read from the database: a group's agents, their presence and how many conversations
 * each relays now; and, for analytics per desk, how the tickets that waited ended.
 */
import type { AgentLoad } from '../../desks/assign.ts';
import { isOpenStatus, TICKET_STATUSES } from '../../core/tickets.ts';
import type { Database } from '../database.ts';

const OPEN = TICKET_STATUSES.filter(isOpenStatus);

export class PrismaDeskAgents {
  constructor(private readonly db: Database) {}

  async agentsOf(groupId: string): Promise<AgentLoad[]> {
    const members = await this.db.client.groupMember.findMany({ where: { groupId, user: { erasedAt: null } }, select: { userId: true, available: true } });
    const ids = members.map((m) => m.userId);
    const live = await this.db.client.ticket.groupBy({
      by: ['assigneeId'],
      where: { relay: 'live', assigneeId: { in: ids }, status: { in: OPEN } },
      _count: { _all: true },
    });
    const load = new Map(live.map((l) => [l.assigneeId, l._count._all]));
    return members.map((m) => ({ id: m.userId, present: m.available, load: load.get(m.userId) ?? 0 }));
  }

  /**
   * Per ticket: resolved at first contact (resolved or closed, never escalated nor reopened; null while
   * open) and SLA met (no breach; null while open without a breach).
   */
  async outcomes(numbers: readonly number[]): Promise<Map<number, { firstContactResolved: boolean | null; slaMet: boolean | null }>> {
    const rows = await this.db.client.ticket.findMany({
      where: { number: { in: [...numbers] } },
      select: { number: true, status: true, responseBreached: true, resolutionBreached: true, events: { where: { kind: { in: ['escalated', 'reopened'] } }, select: { kind: true } } },
    });
    const done = (status: string) => status === 'resolved' || status === 'closed';
    return new Map(
      rows.map((r) => {
        const breached = r.responseBreached || r.resolutionBreached;
        return [r.number, { firstContactResolved: done(r.status) ? r.events.length === 0 : null, slaMet: breached ? false : done(r.status) ? true : null }];
      }),
    );
  }
}
