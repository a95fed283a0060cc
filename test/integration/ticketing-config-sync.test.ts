/**
 * The desk configuration synced to a real database (SQLite, or PostgreSQL
 * with DATABASE_URL): groups, people by e-mail, calendars, SLA policies,
 * services and the CMDB; a second run changes nothing; people keep their id
 * and an admin keeps the role; what leaves the files is retired, not deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeskConfig, type DeskConfig } from '../../src/ticketing/config.ts';
import { syncDeskConfig } from '../../src/persistence/stores/desk-config.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;
let config: DeskConfig;

beforeAll(async () => {
  testDb = await createTestDatabase();
  config = loadDeskConfig('config');
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

const client = () => testDb.db.client;
const user = (email: string) => client().user.findFirstOrThrow({ where: { email } });

/** Every synced row with its updatedAt, to prove a run wrote nothing. */
async function snapshot() {
  const c = client();
  return {
    users: await c.user.findMany({ orderBy: { id: 'asc' } }),
    groups: await c.supportGroup.findMany({ orderBy: { id: 'asc' } }),
    members: await c.groupMember.findMany({ orderBy: [{ groupId: 'asc' }, { userId: 'asc' }] }),
    channels: await c.groupChannel.findMany({ orderBy: { id: 'asc' } }),
    calendars: await c.calendar.findMany({ orderBy: { id: 'asc' } }),
    policies: await c.slaPolicy.findMany({ orderBy: { id: 'asc' } }),
    services: await c.service.findMany({ orderBy: { id: 'asc' } }),
    items: await c.configurationItem.findMany({ orderBy: { tag: 'asc' } }),
    dependencies: await c.ciDependency.findMany({ orderBy: [{ ciId: 'asc' }, { serviceId: 'asc' }] }),
  };
}

describe('syncing the desk configuration', () => {
  it('keeps the id of people who talked to Guichet before, raises their role, and never lowers an admin', async () => {
    // Camille came from Teams first (another spelling of her name); Marc was made admin by hand.
    const camille = await client().user.create({ data: { email: 'camille.roux@example.org', displayName: 'Roux, Camille', role: 'employee' } });
    const marc = await client().user.create({ data: { email: 'marc.dubois@example.org', displayName: 'Marc Dubois', role: 'admin' } });

    const report = await syncDeskConfig(testDb.db, config);
    expect(report).toMatchObject({ groups: 5, services: 12, items: 36, retiredItems: 0, retiredGroups: 0, demotedAgents: 0 });
    expect(report.changes).toBeGreaterThan(100);

    expect(await user('camille.roux@example.org')).toMatchObject({ id: camille.id, role: 'agent', displayName: 'Roux, Camille' });
    expect(await user('marc.dubois@example.org')).toMatchObject({ id: marc.id, role: 'admin' });
    expect(await user('claire.fontaine@example.org')).toMatchObject({ role: 'admin', displayName: 'Claire Fontaine' });
    expect(await client().user.count({ where: { email: 'camille.roux@example.org' } })).toBe(1);
  });

  it('writes groups with manager and escalation, members, calendars, policies, services and items with owners and services', async () => {
    const olivier = await user('olivier.garnier@example.org');
    expect(olivier).toMatchObject({ displayName: 'Olivier Garnier', role: 'employee', department: 'IT' });
    expect(await client().supportGroup.findUniqueOrThrow({ where: { id: 'service-desk' } })).toMatchObject({ level: 1, escalatesToId: 'workplace', managerId: (await user('claire.fontaine@example.org')).id });
    expect(await client().supportGroup.findUniqueOrThrow({ where: { id: 'network' } })).toMatchObject({ level: 2, escalatesToId: 'infrastructure', managerId: olivier.id });
    const members = await client().groupMember.findMany({ where: { groupId: 'service-desk' }, include: { user: true } });
    expect(members.map((m) => m.user.email).sort()).toEqual(['bruno.petit@example.org', 'julien.moreau@example.org', 'sarah.haddad@example.org']);

    const paris = await client().calendar.findUniqueOrThrow({ where: { id: 'paris' } });
    expect(paris.timeZone).toBe('Europe/Paris');
    expect(paris.holidays).toContain('2027-05-06');
    const standard = await client().slaPolicy.findUniqueOrThrow({ where: { id: 'standard' } });
    expect(standard).toMatchObject({ calendarId: 'paris', pauseOnPending: true, targets: { '4': { responseMinutes: 240, resolutionMinutes: 2700 } } });
    expect(await client().service.findUniqueOrThrow({ where: { id: 'vpn' } })).toMatchObject({ groupId: 'network', criticality: 'high' });

    const sap = await client().configurationItem.findUniqueOrThrow({ where: { tag: 'APP-SAP' }, include: { dependsOn: true, owner: true } });
    expect(sap).toMatchObject({ kind: 'application', status: 'in-use', owner: { email: 'isabelle.mercier@example.org' } });
    expect(sap.dependsOn.map((d) => d.serviceId)).toEqual(['business-apps']);
    const alice = await client().user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' }, include: { manager: true, assets: true } });
    expect(alice.manager?.email).toBe('claire.fontaine@example.org');
    expect(alice.assets.map((a) => a.tag).sort()).toEqual(['DK-004224', 'LT-004223', 'PH-004225']);
  });

  it('changes nothing the second time: no row written, updatedAt untouched', async () => {
    const before = await snapshot();
    const report = await syncDeskConfig(testDb.db, config);
    expect(report.changes).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('retires what left the files: an item becomes retired, a group is emptied, a leaver of the desk is an employee again', async () => {
    const edited = structuredClone(config);
    edited.cmdb.items = edited.cmdb.items.filter((i) => i.tag !== 'LT-004223');
    edited.groups = edited.groups.filter((g) => g.id !== 'applications');
    edited.services = edited.services.map((s) => (s.group === 'applications' ? { ...s, group: 'service-desk' } : s));
    const serviceDesk = edited.groups.find((g) => g.id === 'service-desk')!;
    serviceDesk.members = serviceDesk.members.filter((m) => m.email !== 'julien.moreau@example.org');
    serviceDesk.channels = [{ platform: 'slack', address: { teamId: 'T012345', channelId: 'C0SERVICEDESK' } }];
    // The ticket history that names the removed things stays.
    const item = await client().configurationItem.findUniqueOrThrow({ where: { tag: 'LT-004223' } });

    const report = await syncDeskConfig(testDb.db, edited);
    expect(report).toMatchObject({ retiredItems: 1, retiredGroups: 1, demotedAgents: 2 }); // Julien, and Antoine of the applications group
    expect(await client().configurationItem.findUniqueOrThrow({ where: { tag: 'LT-004223' } })).toMatchObject({ id: item.id, status: 'retired' });
    expect(await client().supportGroup.findUnique({ where: { id: 'applications' } })).not.toBeNull();
    expect(await client().groupMember.count({ where: { groupId: 'applications' } })).toBe(0);
    expect(await user('julien.moreau@example.org')).toMatchObject({ role: 'employee' });
    expect(await user('antoine.faure@example.org')).toMatchObject({ role: 'employee' });
    expect(await user('marc.dubois@example.org')).toMatchObject({ role: 'admin' });
    expect(await client().groupChannel.findMany({ where: { groupId: 'service-desk' } })).toMatchObject([{ platform: 'slack', address: { teamId: 'T012345', channelId: 'C0SERVICEDESK' } }]);
    expect((await syncDeskConfig(testDb.db, edited)).changes).toBe(0);

    // Put back: the item is in use again, the agents are agents again.
    const restored = await syncDeskConfig(testDb.db, config);
    expect(restored).toMatchObject({ retiredItems: 0, demotedAgents: 0 });
    expect(await client().configurationItem.findUniqueOrThrow({ where: { tag: 'LT-004223' } })).toMatchObject({ id: item.id, status: 'in-use' });
    expect(await user('julien.moreau@example.org')).toMatchObject({ role: 'agent' });
    expect(await client().groupMember.count({ where: { groupId: 'applications' } })).toBe(1);
    expect(await client().groupChannel.count({ where: { groupId: 'service-desk' } })).toBe(0);
  });
});
