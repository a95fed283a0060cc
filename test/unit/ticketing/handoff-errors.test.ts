/**
 * A ticketing error during an agent's action is told to the agent, not thrown: here a policy whose
 * calendar disappeared from the configuration (`ticketing.invalid-calendar`) when the priority changes.
 */
import { OutboundChannels } from '../../../src/core/channel-contract.ts';
import { expect, it } from 'vitest';
import { Handoff } from '../../../src/handoff/handoff.ts';
import type { HandoffStore } from '../../../src/handoff/ports.ts';
import { MEMORY_DESK_CONFIG, memoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';
import { RecordingNotifier } from '../../helpers/recording-notifier.ts';

/** Nothing posted, nobody relayed: only what an admin's priority change reads. */
const emptyStore: HandoffStore = {
  relayOf: async () => 'bot',
  setRelay: async () => {},
  relayedTicketOf: async () => undefined,
  posts: async () => [],
  savePost: async () => true,
  ticketOfThread: async () => undefined,
  channelsOf: async () => [],
  isMember: async () => false,
  setAvailability: async () => 0,
  availableAgents: async () => 0,
  findStaff: async () => undefined,
  threadKeyOfConversation: async () => undefined,
};

it('turns a calendar error during an agent action into a reply', async () => {
  const config = structuredClone(MEMORY_DESK_CONFIG);
  const { desk, repository } = memoryTicketDesk({ config });
  repository.addPerson({ id: 'alice', displayName: 'Alice Martin' });
  repository.addPerson({ id: 'root', displayName: 'Admin', role: 'admin' });
  const { ticket } = await desk.create({ type: 'incident', title: 'Écran noir', description: 'Plus rien', category: 'workstation', impact: 3, urgency: 2, requesterId: 'alice', createdBy: { id: 'alice', kind: 'user' } });
  config.policies[0]!.calendarId = 'nowhere';
  const handoff = new Handoff({ desk, store: emptyStore, channels: new OutboundChannels(), notifier: new RecordingNotifier(), lang: 'fr' });
  const admin = { user: { id: 'root', displayName: 'Admin', role: 'admin' as const, locale: 'fr' as const }, lang: 'fr' as const };
  const replies = await handoff.act(admin, { kind: 'priority', number: ticket.number, impact: 1, urgency: 1 }, 'teams:act-1');
  expect(replies).toEqual([{ type: 'text', text: 'La configuration du support est incorrecte (sla.yml: calendar "nowhere") : un administrateur doit la corriger. Rien n’a été changé.' }]);
  expect((await repository.find(ticket.number))?.priority).toBe(4);
});
