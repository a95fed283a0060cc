/**
 * Who a major incident reaches, from the real CMDB (config/cmdb.yml), on the real desk over the
 * in-memory repository: exactly the affected people are told, once; people in a guide of the
 * service are offered to join without a ticket; only reports of the affected services are linked
 * (the different-looking ones left for the agent); at the end each requester is asked to confirm
 * and the others "is it working for you?"; a burst of events reaches one person as one digest.
 */
import { describe, expect, it } from 'vitest';
import { loadDeskConfig } from '../../../src/ticketing/config.ts';
import { affectedBy } from '../../../src/ticketing/incident-scope.ts';
import { MajorIncidents } from '../../../src/ticketing/major-incidents.ts';
import { DEFAULT_INCIDENT_SETTINGS, type IncidentSettings } from '../../../src/ticketing/incident-config.ts';
import type { Viewer } from '../../../src/core/tickets.ts';
import { FakeClock } from '../../helpers/fake-channel.ts';
import { MEMORY_DESK_CONFIG, memoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';

const real = loadDeskConfig('config');
const MINUTE = 60_000;
const nadia: Viewer = { id: 'nadia', role: 'agent' };
const idOf = (email: string) => email.split('@')[0]!.split('.')[0]!;

function fixture(settings: Partial<IncidentSettings> = {}) {
  const clock = new FakeClock(new Date('2026-11-23T09:00:00Z'));
  const config = { ...MEMORY_DESK_CONFIG, services: real.services, cmdb: real.cmdb, serviceDeskLead: 'olivier.garnier@example.org' };
  const memory = memoryTicketDesk({ clock, config });
  const { repository } = memory;
  for (const p of real.cmdb.people) repository.addPerson({ id: idOf(p.email), displayName: p.name, email: p.email, locale: 'en' });
  repository.addPerson({ id: 'nadia', displayName: 'Nadia Benali', role: 'agent' });
  repository.addGroup({ id: 'support-l1', name: 'Support N1', level: 1 }, [{ userId: 'nadia' }]);
  for (const s of real.services) repository.addService({ id: s.id, groupId: 'support-l1' });
  const majorIncidents = new MajorIncidents({
    store: memory.incidents, clock, desk: memory.desk.internals, resolveTicket: (n, actor, text) => memory.desk.resolve(n, actor, text), config,
    settings: { ...DEFAULT_INCIDENT_SETTINGS, ...settings, notices: { digestSeconds: 0, ...settings.notices } },
  });
  const open = async (requesterId: string, serviceId: string, title: string, origin: string, type: 'incident' | 'request' = 'incident') =>
    (await memory.desk.create({ type, title, description: title, category: serviceId, serviceId, impact: 3, urgency: 2, requesterId, origin, createdBy: { id: requesterId, kind: 'user' } })).ticket;
  const told = () => [...new Set(memory.notifier.sent.map((s) => s.userId))].sort();
  return { ...memory, clock, majorIncidents, open, told };
}

describe('who a major incident reaches (CMDB)', () => {
  it('a VPN outage reaches the laptop owners with the VPN, not Henri on his desktop nor IT', () => {
    const { people } = affectedBy(real.cmdb, { services: ['vpn'], items: [], sites: [] });
    expect(people.map(idOf).sort()).toEqual(['alice', 'chloe', 'david', 'emma', 'farid', 'gaelle', 'ines']);
    expect(affectedBy(real.cmdb, { services: ['vpn'], items: [], sites: ['Lyon'] }).people.map(idOf).sort()).toEqual(['emma', 'farid', 'ines']);
  });

  it('SAP alone reaches its departments and its subscribers; Salesforce users are left alone', () => {
    const { people, services } = affectedBy(real.cmdb, { services: ['business-apps'], items: ['APP-SAP'], sites: [] });
    expect(people.map(idOf).sort()).toEqual(['alice', 'david', 'henri']);
    expect(services).toEqual(['business-apps']);
  });

  it('single sign-on down reaches what depends on it: Microsoft 365, the VPN and business applications', () => {
    const { services } = affectedBy(real.cmdb, { services: ['identity'], items: [], sites: [] });
    expect(services.sort()).toEqual(['business-apps', 'collaboration', 'email', 'file-shares', 'identity', 'vpn']);
  });
});

describe('a major incident declared', () => {
  it('tells exactly the affected people, once each, in one short message without a card', async () => {
    const { majorIncidents, notifier, told } = fixture();
    const declared = await majorIncidents.declare(nadia, { serviceId: 'vpn', title: { fr: 'Passerelle VPN hors service', en: 'VPN gateway down' }, impact: 'high', sites: ['Lyon'] });
    expect(told()).toEqual(['emma', 'farid', 'ines']);
    expect(declared.reached).toBe(3);
    for (const s of notifier.sent) {
      expect(s.messages).toHaveLength(1);
      expect(s.messages[0]).toMatchObject({ type: 'text', text: '⚠️ Remote access (VPN): VPN gateway down. We’re on it, no need to open a ticket; I’ll tell you as soon as it’s back.' });
    }
  });

  it('with audience "recent", only the affected who talked to the desk in the last hours', async () => {
    const { majorIncidents, incidents, told, clock } = fixture({ audience: 'recent', recentHours: 4 });
    incidents.conversations.push({ userId: 'alice', flowId: null, lastActivityAt: new Date(clock.now().getTime() - 60 * MINUTE) });
    incidents.conversations.push({ userId: 'chloe', flowId: null, lastActivityAt: new Date(clock.now().getTime() - 10 * 60 * MINUTE) });
    incidents.conversations.push({ userId: 'henri', flowId: null, lastActivityAt: clock.now() });
    await majorIncidents.declare(nadia, { serviceId: 'vpn', title: { fr: 'VPN HS', en: 'VPN down' }, impact: 'high' });
    expect(told()).toEqual(['alice']);
  });

  it('links only incident reports of the affected services; a different-looking one is left for the agent, unrelated tickets alone', async () => {
    const { majorIncidents, open, repository } = fixture();
    const vpn = await open('alice', 'vpn', 'VPN cannot connect from home', 'web:1');
    const odd = await open('chloe', 'vpn', 'Quarterly budget spreadsheet question', 'web:2');
    const request = await open('david', 'vpn', 'VPN access for a contractor', 'web:3', 'request');
    const printer = await open('emma', 'printing', 'Printer jammed on floor 2', 'web:4');
    const declared = await majorIncidents.declare(nadia, { serviceId: 'vpn', title: { fr: 'VPN indisponible', en: 'VPN unavailable' }, impact: 'high' });
    expect(declared.linked).toEqual([vpn.number]);
    expect(declared.toConfirm).toEqual([odd.number]);
    for (const t of [odd, request, printer]) expect((await repository.find(t.number))?.majorIncidentId).toBeNull();
    await majorIncidents.resolve(nadia, declared.number, { fr: 'Passerelle redémarrée', en: 'Gateway restarted' });
    expect((await repository.find(vpn.number))?.status).toBe('resolved');
    for (const t of [odd, request, printer]) expect((await repository.find(t.number))?.status).toBe('new');
  });

  it('offers the person in the VPN guide to join at once; joining links their report and opens no ticket', async () => {
    const { majorIncidents, incidents, notifier, repository, clock, open } = fixture();
    majorIncidents.guideServices.set('vpn', 'vpn');
    majorIncidents.guideServices.set('printer', 'printing');
    incidents.conversations.push({ userId: 'henri', flowId: 'vpn', lastActivityAt: clock.now() });
    incidents.conversations.push({ userId: 'emma', flowId: 'printer', lastActivityAt: clock.now() });
    const mine = await open('henri', 'vpn', 'VPN connection refused', 'web:h');
    const declared = await majorIncidents.declare(nadia, { serviceId: 'vpn', title: { fr: 'VPN HS', en: 'VPN down' }, impact: 'medium' });
    const offer = notifier.sent.find((s) => s.userId === 'henri')!.messages[0]!;
    expect(offer).toMatchObject({ type: 'choices', choices: [{ label: 'Add me to the incident', value: `join incident ${declared.number}` }] });
    expect(offer.type === 'choices' && offer.text).toContain('Major incident in progress on Remote access (VPN)');
    // Emma is in the printer guide: her notice is the plain one (she owns a VPN laptop), not the offer.
    expect(notifier.sent.find((s) => s.userId === 'emma')!.messages[0]!.type).toBe('text');
    const { linked } = await majorIncidents.join('henri', declared.number);
    expect(linked).toEqual([]); // already linked at declaration (it speaks of the VPN)
    expect((await repository.find(mine.number))?.majorIncidentId).not.toBeNull();
    expect(await majorIncidents.followedBy('henri')).toEqual([declared.number]);
  });

  it('at resolution asks each requester to confirm their ticket, and the others whether it works, once each', async () => {
    const { majorIncidents, notifier, repository, open } = fixture();
    const alices = await open('alice', 'vpn', 'VPN down since this morning', 'web:a');
    const declared = await majorIncidents.declare(nadia, { serviceId: 'vpn', title: { fr: 'VPN HS', en: 'VPN down' }, impact: 'high' });
    notifier.clear();
    await majorIncidents.resolve(nadia, declared.number, { fr: 'Passerelle redémarrée', en: 'Gateway restarted' });
    expect((await repository.find(alices.number))?.status).toBe('resolved');
    const toAlice = notifier.sent.filter((s) => s.userId === 'alice');
    expect(toAlice).toHaveLength(1);
    expect(toAlice[0]!.messages.at(-1)).toMatchObject({ type: 'choices', choices: [{ value: `#${alices.number} fixed` }, { value: `#${alices.number} not fixed` }] });
    const toChloe = notifier.sent.filter((s) => s.userId === 'chloe');
    expect(toChloe).toHaveLength(1);
    expect(toChloe[0]!.messages).toEqual([
      {
        type: 'choices',
        text: '✅ Remote access (VPN) is restored: Gateway restarted. Is it working for you?',
        choices: [{ label: 'Yes, it works', value: `incident ${declared.number} works` }, { label: 'No, still not', value: `incident ${declared.number} still broken` }],
      },
    ]);
  });
});

describe('notices that respect attention', () => {
  it('groups a burst of events to one person into one digest, and holds non-urgent ones in quiet hours', async () => {
    const { majorIncidents, notifier, clock } = fixture({ notices: { digestSeconds: 120, quietHours: { from: '20:00', to: '07:30' } } });
    const first = await majorIncidents.declare(nadia, { serviceId: 'vpn', title: { fr: 'VPN HS', en: 'VPN down' }, impact: 'high' });
    const second = await majorIncidents.declare(nadia, { serviceId: 'identity', title: { fr: 'Connexion lente', en: 'Sign-in slow' }, impact: 'medium' });
    await majorIncidents.update(nadia, first.number, { fr: 'Cause trouvée', en: 'Cause found' });
    expect(notifier.textsFor('alice')).toHaveLength(1);
    clock.advance(2 * MINUTE);
    expect(await majorIncidents.notices.flushDue()).toBeGreaterThan(0);
    const toAlice = notifier.sent.filter((s) => s.userId === 'alice');
    expect(toAlice).toHaveLength(2);
    expect(toAlice[1]!.messages).toHaveLength(1);
    expect(notifier.textsFor('alice')[1]).toBe(`📬 2 updates:\n• ⚠️ Accounts, passwords and MFA: Sign-in slow. We’re on it, no need to open a ticket; I’ll tell you as soon as it’s back.\n• ℹ️ Remote access (VPN) (incident #${first.number}): Cause found`);
    expect(second.number).toBe(first.number + 1);
    // 21:00 in Paris: an update waits for the morning; nothing is sent during the night.
    clock.advance(11 * 60 * MINUTE);
    notifier.clear();
    await majorIncidents.update(nadia, first.number, { fr: 'Toujours en cours', en: 'Still ongoing' });
    await majorIncidents.notices.flushDue();
    expect(notifier.textsFor('alice')).toEqual([]);
    clock.advance(11 * 60 * MINUTE);
    await majorIncidents.notices.flushDue();
    expect(notifier.textsFor('alice')).toEqual([`ℹ️ Remote access (VPN) (incident #${first.number}): Still ongoing`]);
  });
});
