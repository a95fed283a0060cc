import { describe, expect, it } from 'vitest';
import type { QueueRow } from '../../../src/portal/ports.ts';
import { filterTickets, queuePage, timeLeft, type QueueFilters } from '../../../src/portal/queue-page.ts';

const now = new Date('2026-12-01T09:00:00Z');
const row = (number: number, over: Partial<QueueRow & { desk: string }> = {}): QueueRow & { desk?: string } => ({
  number, title: `Ticket ${number}`, priority: 3, status: 'new', group: 'Service desk', assignee: null, requester: 'Alice Martin', requesterEmail: 'alice.martin@example.org', desk: 'paris',
  responseBreached: false, resolutionBreached: false, warned: false, paused: false, resolutionDueAt: null, ...over,
});
const tickets = [
  row(1001, { resolutionDueAt: new Date('2026-12-01T12:00:00Z'), assignee: 'Bruno Petit' }),
  row(1002, { resolutionDueAt: new Date('2026-12-01T09:30:00Z'), priority: 1, title: 'VPN <down> for Sales' }),
  row(1003, { priority: 1, requester: 'Henri Blanc', requesterEmail: 'henri.blanc@example.org', desk: 'lyon' }),
  row(1004, { resolutionDueAt: new Date('2026-12-01T08:50:00Z'), assignee: 'Sarah Haddad', resolutionBreached: true }),
];
const none: QueueFilters = { desk: '', group: '', sla: '', priority: '', assignee: '', q: '' };
const numbers = (f: Partial<QueueFilters>) => filterTickets(tickets, { ...none, ...f }, now).map((t) => t.number);

describe('the console queue', () => {
  it('sorts by due time, no due time last', () => {
    expect(numbers({})).toEqual([1004, 1002, 1001, 1003]);
  });

  it('filters by priority, assignee (or nobody), SLA state, and searches number or text', () => {
    expect(numbers({ priority: '1' })).toEqual([1002, 1003]);
    expect(numbers({ assignee: '-' })).toEqual([1002, 1003]);
    expect(numbers({ assignee: 'Bruno Petit' })).toEqual([1001]);
    expect(numbers({ sla: 'breached' })).toEqual([1004]);
    expect(numbers({ q: '#1003' })).toEqual([1003]);
    // By desk, and by the requester's name or e-mail.
    expect(numbers({ desk: 'lyon' })).toEqual([1003]);
    expect(numbers({ desk: 'paris' })).toEqual([1004, 1002, 1001]);
    expect(numbers({ q: 'henri' })).toEqual([1003]);
    expect(numbers({ q: 'blanc@example' })).toEqual([1003]);
    expect(numbers({ q: '1001' })).toEqual([1001]);
    expect(numbers({ q: 'vpn' })).toEqual([1002]);
    expect(numbers({ q: 'sarah' })).toEqual([1004]);
  });

  it('shows the time left, and how late when overdue', () => {
    expect(timeLeft('en', new Date('2026-12-01T12:05:00Z'), now)).toBe('3 h 05');
    expect(timeLeft('fr', new Date('2026-12-01T09:12:00Z'), now)).toBe('12 min');
    expect(timeLeft('fr', new Date('2026-12-01T08:50:00Z'), now)).toBe('dépassée de 10 min');
  });

  it('renders the filters kept, escaped rows with their due time for the countdown, and the live script', () => {
    const html = queuePage('en', { groups: [], tickets, filters: { ...none, priority: '1', q: 'vpn' }, now });
    expect(html).toContain('<option value="1" selected>P1</option>');
    expect(html).toContain('<input id="q" name="q" type="search" value="vpn">');
    expect(html).toContain('<td>VPN &lt;down&gt; for Sales</td>');
    expect(html).toContain('<td class="due" data-due="2026-12-01T09:30:00.000Z">30 min</td>');
    expect(html).not.toContain('data-number="1003"');
    expect(html).toContain('<script src="/portal/assets/queue.js" defer></script>');
  });
});
