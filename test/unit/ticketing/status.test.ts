import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, type TicketStatus } from '../../../src/core/tickets.ts';
import { DEFAULT_MATRIX, priorityOf } from '../../../src/ticketing/priority.ts';
import { assertRequeue, assertTransition, canTransition } from '../../../src/ticketing/status.ts';

const LEGAL: Record<TicketStatus, TicketStatus[]> = {
  new: ['assigned', 'in-progress', 'resolved', 'cancelled'],
  assigned: ['new', 'in-progress', 'pending-user', 'resolved', 'cancelled'],
  'in-progress': ['assigned', 'pending-user', 'resolved', 'cancelled'],
  'pending-user': ['in-progress', 'resolved', 'cancelled'],
  resolved: ['closed', 'in-progress'],
  closed: ['in-progress'],
  cancelled: [],
};

describe('ticket status machine', () => {
  const pairs = TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.filter((to) => to !== from).map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', (from, to) => {
    const legal = LEGAL[from].includes(to);
    expect(canTransition(from, to)).toBe(legal);
    if (legal) expect(() => assertTransition(42, from, to)).not.toThrow();
    else expect(() => assertTransition(42, from, to)).toThrow(`ticket #42: cannot go from ${from} to ${to}`);
  });
});

describe('back to the queue on a functional escalation', () => {
  it.each(TICKET_STATUSES)('from %s', (from) => {
    const allowed = ['new', 'assigned', 'in-progress', 'pending-user'].includes(from);
    if (allowed) expect(() => assertRequeue(42, from)).not.toThrow();
    else expect(() => assertRequeue(42, from)).toThrow(expect.objectContaining({ code: 'ticketing.illegal-transition' }));
  });
});

describe('priority matrix', () => {
  it('maps impact × urgency to P1–P5', () => {
    const table = [1, 2, 3].map((impact) => [1, 2, 3].map((urgency) => priorityOf(DEFAULT_MATRIX, impact as 1, urgency as 1)));
    expect(table).toEqual([[1, 2, 3], [2, 3, 4], [3, 4, 5]]);
  });
});
