/**
 * A small service desk in memory for the rule tests: Alice and Bob (employees), Nadia (level-1
 * agent), Sami (level-2 agent), Marc and Léa (managers of levels 1 and 2), the VPN service routed
 * to level 1, which escalates to level 2. The clock starts on Monday 23 November 2026, 09:00 in Paris.
 */
import type { NewTicket, Viewer } from '../../../src/core/tickets.ts';
import { FakeClock } from '../../helpers/fake-channel.ts';
import { memoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const alice: Viewer = { id: 'alice', role: 'employee' };
export const bob: Viewer = { id: 'bob', role: 'employee' };
export const nadia: Viewer = { id: 'nadia', role: 'agent' };

export function deskFixture() {
  const clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));
  const memory = memoryTicketDesk({ clock });
  const { repository } = memory;
  repository.addPerson({ id: 'alice', displayName: 'Alice Martin', locale: 'fr' });
  repository.addPerson({ id: 'bob', displayName: 'Bob Durand', locale: 'en' });
  for (const [id, displayName] of [['nadia', 'Nadia Benali'], ['sami', 'Sami Haddad'], ['marc', 'Marc Petit'], ['lea', 'Léa Roux']] as const) {
    repository.addPerson({ id, displayName, role: 'agent' });
  }
  repository.addGroup({ id: 'network-l2', name: 'Réseau N2', level: 2, managerId: 'lea' }, [{ userId: 'sami' }]);
  repository.addGroup({ id: 'support-l1', name: 'Support N1', level: 1, managerId: 'marc', escalatesToId: 'network-l2' }, [{ userId: 'nadia' }]);
  repository.addService({ id: 'vpn', groupId: 'support-l1' });
  /** Alice's VPN ticket: impact 3 × urgency 2 = P4 (response 8 business hours, resolution 40). */
  const open = async (origin = 'web:d1', input: Partial<NewTicket> = {}) =>
    (
      await memory.desk.create({
        type: 'incident', title: 'Le VPN ne se connecte pas', description: 'Erreur 809 depuis ce matin', category: 'vpn', serviceId: 'vpn',
        impact: 3, urgency: 2, requesterId: 'alice', origin, createdBy: { id: 'alice', kind: 'user' }, ...input,
      })
    ).ticket;
  return { ...memory, clock, open };
}
