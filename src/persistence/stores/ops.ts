/** What the operations metrics read from the database (src/server/metrics.ts, wired by the composition root). */
import { isOpenStatus, TICKET_STATUSES } from '../../core/tickets.ts';
import type { Database } from '../database.ts';

const OPEN = TICKET_STATUSES.filter(isOpenStatus);

/** Open tickets whose requester waits for a person to take them (relay "queued"). */
export async function countWaitingEscalations(db: Database): Promise<number> {
  return db.client.ticket.count({ where: { relay: 'queued', status: { in: OPEN } } });
}
