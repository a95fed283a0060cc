/**
 * The portal's ports on a real database (SQLite, or PostgreSQL with DATABASE_URL): who signs in
 * and their web identities, the live updates' change stamp, and the admin console's views of the
 * queue and the configuration synced from config/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncDeskConfig } from '../../src/persistence/stores/desk-config.ts';
import { PrismaDeskOverview, PrismaPortalActivity } from '../../src/persistence/stores/portal.ts';
import { PrismaPortalPeople } from '../../src/persistence/stores/sessions.ts';
import { loadDeskConfig } from '../../src/ticketing/config.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await syncDeskConfig(testDb.db, loadDeskConfig('config'));
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('PrismaPortalPeople', () => {
  it('finds people by id and e-mail, never erased ones, and links the portal chat once', async () => {
    const people = new PrismaPortalPeople(testDb.db);
    const c = testDb.db.client;
    const zoe = await c.user.create({ data: { displayName: 'Zoé Petit', email: 'zoe.petit@example.org', locale: 'en' } });
    const gone = await c.user.create({ data: { displayName: 'Erased', email: 'gone@example.org', erasedAt: new Date() } });
    expect(await people.person(zoe.id)).toEqual({ id: zoe.id, displayName: 'Zoé Petit', role: 'employee', locale: 'en' });
    expect(await people.person(gone.id)).toBeUndefined();
    expect(await people.idByEmail('zoe.petit@example.org')).toBe(zoe.id);
    expect(await people.idByEmail('gone@example.org')).toBeUndefined();
    await people.linkPortalChat(zoe.id);
    await people.linkPortalChat(zoe.id);
    expect(await c.identity.count({ where: { userId: zoe.id, platform: 'web', tenantId: 'portal', externalId: zoe.id } })).toBe(1);
  });

  it('finds an issuer’s person by subject, else by e-mail (keeping their role), else creates an employee', async () => {
    const people = new PrismaPortalPeople(testDb.db);
    const agentEmail = loadDeskConfig('config').groups[0]!.members[0]!.email;
    const agent = await people.findOrCreateByIssuer({ issuer: 'https://idp.example.org', subject: 'sub-1', email: agentEmail });
    expect(agent.role).toBe('agent');
    expect((await people.findOrCreateByIssuer({ issuer: 'https://idp.example.org', subject: 'sub-1' })).id).toBe(agent.id);
    const newcomer = await people.findOrCreateByIssuer({ issuer: 'https://idp.example.org', subject: 'sub-2', name: 'Léa Nouvel', locale: 'fr' });
    expect(newcomer).toMatchObject({ displayName: 'Léa Nouvel', role: 'employee', locale: 'fr' });
    await people.setRole(newcomer.id, 'admin');
    expect((await people.person(newcomer.id))?.role).toBe('admin');
  });
});

describe('PrismaPortalActivity and PrismaDeskOverview', () => {
  it('moves the change stamp when the requester’s ticket changes, and lists it in the queue', async () => {
    const c = testDb.db.client;
    const activity = new PrismaPortalActivity(testDb.db);
    const overview = new PrismaDeskOverview(testDb.db);
    const requester = await c.user.create({ data: { displayName: 'Hugo Lambert' } });
    const before = await activity.changeStamp(requester.id);
    const group = (await overview.groups())[0]!;
    await c.ticket.create({ data: { number: 4242, type: 'incident', title: 'Écran noir', description: 'd', category: 'hardware', impact: 2, urgency: 2, priority: 3, requesterId: requester.id, groupId: group.id, diagnosis: {}, responseBreached: true } });
    expect(await activity.changeStamp(requester.id)).not.toBe(before);
    const queue = await overview.openTickets(group.id);
    expect(queue).toEqual([expect.objectContaining({ number: 4242, title: 'Écran noir', status: 'new', group: group.name, assignee: null, responseBreached: true, warned: false, paused: false })]);
    expect(await overview.openTickets('no-such-group')).toEqual([]);
  });

  it('shows the configuration synced from config/', async () => {
    const overview = new PrismaDeskOverview(testDb.db);
    const config = loadDeskConfig('config');
    const groups = await overview.groups();
    expect(groups.map((g) => g.id).sort()).toEqual(config.groups.map((g) => g.id).sort());
    expect(groups.map((g) => g.level)).toEqual([...groups.map((g) => g.level)].sort());
    expect((await overview.policies()).map((p) => p.name).sort()).toEqual(config.policies.map((p) => p.name).sort());
    const calendar = (await overview.calendars()).find((c) => c.name === config.calendars[0]!.name);
    expect(calendar).toEqual({ name: config.calendars[0]!.name, timeZone: config.calendars[0]!.timeZone, holidays: config.calendars[0]!.holidays.length });
  });
});
