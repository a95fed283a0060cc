/** The in-memory HandoffStore keeps the same promises as the Prisma one (src/persistence/stores/handoff.ts). */
import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../../src/core/tickets.ts';
import { MemoryHandoffStore } from '../../../src/handoff/memory-store.ts';

describe('MemoryHandoffStore', () => {
  it('records one card per ticket and platform, and finds the ticket of a thread', async () => {
    const store = new MemoryHandoffStore();
    expect(await store.savePost(1001, 'teams', { id: 'a' }, 'teams|t|a')).toBe(true);
    expect(await store.savePost(1001, 'teams', { id: 'b' }, 'teams|t|b')).toBe(false);
    expect(await store.posts(1001)).toEqual([{ platform: 'teams', post: { id: 'a' } }]);
    expect(await store.ticketOfThread('teams|t|a')).toBe(1001);
    expect(await store.ticketOfThread('teams|t|b')).toBeUndefined();
  });

  it('relays only open tickets of the conversation, the newest first', async () => {
    const status = new Map<number, TicketStatus>([[1001, 'assigned'], [1002, 'new']]);
    const store = new MemoryHandoffStore(async (n) => status.get(n));
    store.linkConversation(1001, 'conv');
    store.linkConversation(1002, 'conv');
    expect(await store.relayedTicketOf('conv')).toBeUndefined();
    await store.setRelay(1001, 'live');
    await store.setRelay(1002, 'queued');
    expect(await store.relayedTicketOf('conv')).toEqual({ number: 1002, relay: 'queued' });
    status.set(1002, 'resolved');
    expect(await store.relayedTicketOf('conv')).toEqual({ number: 1001, relay: 'live' });
  });

  it('sets an agent’s availability in all their groups and counts available agents', async () => {
    const store = new MemoryHandoffStore();
    store.addGroup('network', ['nadia', 'paul']);
    store.addGroup('workplace', ['nadia']);
    expect(await store.setAvailability('nadia', false)).toBe(2);
    expect(await store.availableAgents('network')).toBe(1);
    expect(await store.isMember('workplace', 'nadia')).toBe(true);
    expect(await store.isMember('workplace', 'paul')).toBe(false);
  });

  it('finds staff by e-mail (any case) or exact display name', async () => {
    const store = new MemoryHandoffStore();
    store.addStaff({ id: 'u1', displayName: 'Nadia Benali' }, 'nadia.benali@example.org');
    expect(await store.findStaff('Nadia.Benali@example.org')).toEqual({ id: 'u1', displayName: 'Nadia Benali' });
    expect(await store.findStaff('Nadia Benali')).toEqual({ id: 'u1', displayName: 'Nadia Benali' });
    expect(await store.findStaff('nobody')).toBeUndefined();
  });
});
