/**
 * The ITIL status machine of a ticket. Only these moves are legal:
 *
 *   new → assigned → in-progress → pending-user → in-progress …
 *   new / assigned / in-progress / pending-user → resolved → closed
 *   resolved → in-progress (the requester says it is not fixed: reopen)
 *   closed → in-progress (reopen within REOPEN_DAYS of closure)
 *   new / assigned / in-progress / pending-user → cancelled
 *   assigned → new (unassigned)
 *   any open status → new, only for a functional escalation (assertRequeue)
 */
import { GuichetError } from '../core/errors.ts';
import { statusLabel } from '../core/ticket-texts.ts';
import type { TicketStatus } from '../core/tickets.ts';

const MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['assigned', 'in-progress', 'resolved', 'cancelled'],
  assigned: ['new', 'in-progress', 'pending-user', 'resolved', 'cancelled'],
  'in-progress': ['assigned', 'pending-user', 'resolved', 'cancelled'],
  'pending-user': ['in-progress', 'resolved', 'cancelled'],
  resolved: ['closed', 'in-progress'],
  closed: ['in-progress'],
  cancelled: [],
};

/** A closed ticket can be reopened this long after closure; later, a new ticket is the way. */
export const REOPEN_DAYS = 14;

export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in-progress', 'pending-user'];

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return MOVES[from].includes(to);
}

export function assertTransition(number: number, from: TicketStatus, to: TicketStatus): void {
  if (!canTransition(from, to)) {
    throw new GuichetError('ticketing.illegal-transition', `ticket #${number}: cannot go from ${from} to ${to}`, {
      user: { key: 'tickets.refusedTransition', vars: (lang) => ({ number, from: statusLabel(lang, from), to: statusLabel(lang, to) }) },
    });
  }
}

/**
 * A functional escalation (an agent's, or the SLA clock's on a breach) puts an open ticket back in
 * the new group's queue: any open status → new. Closed, resolved and cancelled tickets stay put.
 */
export function assertRequeue(number: number, from: TicketStatus): void {
  if (!OPEN_STATUSES.includes(from)) {
    throw new GuichetError('ticketing.illegal-transition', `ticket #${number}: cannot go back to the queue from ${from}`);
  }
}

export function isOpen(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
