/**
 * The major-incident journey, played through each channel adapter (test/integration/journeys-incidents.test.ts):
 * a requester in the VPN guide when the desk declares a VPN outage is told at once with the offer to
 * join; joining answers at once, ends the guide and opens no ticket; « le vpn est en panne ? » names the
 * incident; at the end the "restored" notice waits in the digest window (one message per moment) and
 * the "it works" button is answered.
 */
import { expect } from 'vitest';
import type { Running } from '../../src/main.ts';
import type { TestDatabase } from '../helpers/database.ts';

export interface IncidentChannel {
  name: string;
  /** Sends the requester's words; resolves with what Guichet answered in the turn (text, buttons' values). */
  say(text: string): Promise<string>;
  /** Everything the requester was told out of their turns so far (text, buttons' values). */
  told(): Promise<string>;
  /** The requester's user id. */
  userId(): Promise<string>;
}

export async function playIncidentJourney(channel: IncidentChannel, running: Running, testDb: TestDatabase): Promise<void> {
  const where = (step: string) => `${channel.name}: ${step}`;
  await channel.say('le vpn ne marche pas depuis chez moi');
  const requesterId = await channel.userId();
  const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { userId: requesterId, kind: 'personal' } });
  expect((conversation.state as { flow?: { flowId?: string } }).flow?.flowId, where('in the VPN guide')).toBe('vpn');

  const admin = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'claire.fontaine@example.org' } });
  const staff = { id: admin.id, role: 'admin' as const };
  const incident = await running.guichet.incidents!.declare(staff, { serviceId: 'vpn', title: { fr: 'Passerelle VPN hors service', en: 'VPN gateway down' }, impact: 'high' });
  await expect.poll(() => channel.told(), { timeout: 15_000, message: where('told at once, mid-guide') }).toMatch(/Incident majeur en cours sur Accès à distance \(VPN\) : Passerelle VPN hors service/);
  expect(await channel.told(), where('offered to join')).toContain(`rejoindre incident ${incident.number}`);

  const joined = await channel.say(`rejoindre incident ${incident.number}`);
  expect(joined, where('joined')).toContain(`vous êtes ajouté à l’incident majeur #${incident.number}`);
  expect(await testDb.db.client.ticket.count({ where: { requesterId } }), where('no ticket')).toBe(0);
  const after = await testDb.db.client.conversation.findFirstOrThrow({ where: { id: conversation.id } });
  expect((after.state as { flow?: unknown }).flow, where('guide ended')).toBeUndefined();

  expect(await channel.say('le vpn est en panne ?'), where('outage question')).toMatch(/Oui, incident en cours qui vous concerne :\n?.*Passerelle VPN hors service/s);

  await running.guichet.incidents!.resolve(staff, incident.number, { fr: 'Passerelle redémarrée', en: 'Gateway restarted' });
  // Told a moment ago: the "restored" notice waits for the digest window instead of a second message now.
  expect(await testDb.db.client.incidentNotice.count({ where: { userId: requesterId } }), where('held for the digest')).toBe(1);
  expect(await channel.told(), where('nothing more yet')).not.toContain('Passerelle redémarrée');
  expect(await channel.say(`incident ${incident.number} ça marche`), where('it works')).toContain('Parfait, merci de me l’avoir confirmé.');
}
