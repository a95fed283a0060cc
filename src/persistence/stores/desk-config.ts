/**
 * Writes the desk configuration (src/ticketing/config.ts) to the database: support groups,
 * their people and agents' channels, calendars, SLA policies, services, CMDB items and their
 * services. Idempotent: a row is written only when it differs from the file, so a second run
 * changes nothing (`changes` is 0, updatedAt stays). People are found by e-mail and keep their id;
 * the configuration raises roles and never lowers an admin, while an agent who is no longer a
 * member of any group becomes an employee again (a leaver of the service desk loses access to all
 * tickets). Things that left the files are retired, not deleted, because tickets name them: a
 * CMDB item gets status "retired", a group loses its members, channels and escalation but keeps
 * its tickets. Who the files name, with which role, is decided in ticketing (`peopleOf`).
 */
import { isDeepStrictEqual } from 'node:util';
import type { DeskConfig } from '../../ticketing/config.ts';
import { peopleOf, ROLE_RANK, type ConfigRole, type ConfigSyncReport } from '../../ticketing/sync-config.ts';
import type { Database } from '../database.ts';
import { toJson } from './json.ts';

export type { ConfigSyncReport } from '../../ticketing/sync-config.ts';

type Tx = Parameters<Parameters<Database['client']['$transaction']>[0]>[0];
/** Person ids by e-mail. */
type Ids = Map<string, string>;

/** True when every field of `want` already has that value in `row` (Json compared by value, key order ignored). */
const matches = (row: Record<string, unknown> | null, want: Record<string, unknown>): boolean => row !== null && Object.entries(want).every(([k, v]) => isDeepStrictEqual(row[k], v));

/** Counts rows written by one run. */
class Changes {
  total = 0;
  add(n: number | boolean): void {
    this.total += Number(n);
  }
}

export async function syncDeskConfig(db: Database, config: DeskConfig): Promise<ConfigSyncReport> {
  return db.client.$transaction(
    async (tx) => {
      const changes = new Changes();
      const people = peopleOf(config);
      const ids = await syncPeople(tx, config, people, changes);
      await syncGroups(tx, config, ids, changes);
      const retiredGroups = await retireGroups(tx, config, changes);
      const demotedAgents = await demoteLeavers(tx, config, changes);
      await syncCatalogue(tx, config, changes);
      const retiredItems = await syncItems(tx, config, ids, changes);
      const counts = { groups: config.groups.length, people: people.size, services: config.services.length, items: config.cmdb.items.length };
      return { ...counts, retiredItems, retiredGroups, demotedAgents, changes: changes.total };
    },
    { timeout: 60_000 },
  );
}

/** People by e-mail (created or raised), then their CMDB profile; returns their ids. */
async function syncPeople(tx: Tx, config: DeskConfig, people: ReturnType<typeof peopleOf>, changes: Changes): Promise<Ids> {
  const ids: Ids = new Map();
  for (const [email, { name, role }] of people) {
    const { id, changed } = await upsertPerson(tx, email, name, role);
    ids.set(email, id);
    changes.add(changed);
  }
  for (const p of config.cmdb.people) {
    const id = ids.get(p.email)!;
    const data = { department: p.department ?? null, jobTitle: p.jobTitle ?? null, vip: p.vip, managerId: p.manager ? (ids.get(p.manager) ?? null) : null };
    if (!matches(await tx.user.findUnique({ where: { id } }), data)) changes.add(await tx.user.update({ where: { id }, data }).then(() => true));
  }
  return ids;
}

/** Finds a person by e-mail or creates them; raises the role to what the configuration says, never lowers it here. */
async function upsertPerson(tx: Tx, email: string, name: string, role: ConfigRole): Promise<{ id: string; changed: boolean }> {
  const found = await tx.user.findFirst({ where: { email, erasedAt: null }, orderBy: { createdAt: 'asc' } });
  if (!found) return { id: (await tx.user.create({ data: { email, displayName: name, role } })).id, changed: true };
  if ((ROLE_RANK[found.role] ?? 0) >= ROLE_RANK[role]!) return { id: found.id, changed: false };
  await tx.user.update({ where: { id: found.id }, data: { role } });
  return { id: found.id, changed: true };
}

/** Groups first (escalation points at groups, so all must exist), then escalation, members and channels. */
async function syncGroups(tx: Tx, config: DeskConfig, ids: Ids, changes: Changes): Promise<void> {
  for (const g of config.groups) {
    const data = { name: g.name, level: g.level, managerId: g.manager ? (ids.get(g.manager) ?? null) : null };
    const row = await tx.supportGroup.findUnique({ where: { id: g.id } });
    if (!row) changes.add(await tx.supportGroup.create({ data: { id: g.id, ...data } }).then(() => true));
    else if (!matches(row, data)) changes.add(await tx.supportGroup.update({ where: { id: g.id }, data }).then(() => true));
  }
  for (const g of config.groups) {
    const escalation = { escalatesToId: g.escalatesTo ?? null };
    if (!matches(await tx.supportGroup.findUnique({ where: { id: g.id } }), escalation)) changes.add(await tx.supportGroup.update({ where: { id: g.id }, data: escalation }).then(() => true));
    await syncMembers(tx, g.id, g.members.map((m) => ids.get(m.email)!), changes);
    await syncChannels(tx, g.id, g.channels, changes);
  }
}

async function syncMembers(tx: Tx, groupId: string, memberIds: string[], changes: Changes): Promise<void> {
  changes.add((await tx.groupMember.deleteMany({ where: { groupId, userId: { notIn: memberIds } } })).count);
  const present = new Set((await tx.groupMember.findMany({ where: { groupId }, select: { userId: true } })).map((m) => m.userId));
  for (const userId of new Set(memberIds)) if (!present.has(userId)) changes.add(await tx.groupMember.create({ data: { groupId, userId } }).then(() => true));
}

async function syncChannels(tx: Tx, groupId: string, channels: DeskConfig['groups'][number]['channels'], changes: Changes): Promise<void> {
  changes.add((await tx.groupChannel.deleteMany({ where: { groupId, platform: { notIn: channels.map((c) => c.platform) } } })).count);
  for (const c of channels) {
    const address = toJson(c.address);
    const row = await tx.groupChannel.findUnique({ where: { groupId_platform: { groupId, platform: c.platform } } });
    if (!row) changes.add(await tx.groupChannel.create({ data: { groupId, platform: c.platform, address } }).then(() => true));
    else if (!matches(row, { address })) changes.add(await tx.groupChannel.update({ where: { id: row.id }, data: { address } }).then(() => true));
  }
}

/**
 * Groups that left the file: emptied, kept for their tickets; returns how many this run emptied.
 * Kept groups that escalated to a removed one would point at an empty group: the file's cross-checks forbid it.
 */
async function retireGroups(tx: Tx, config: DeskConfig, changes: Changes): Promise<number> {
  const gone = await tx.supportGroup.findMany({
    where: { id: { notIn: config.groups.map((g) => g.id) } },
    select: { id: true, escalatesToId: true, _count: { select: { members: true, channels: true } } },
  });
  let retired = 0;
  for (const g of gone) {
    if (g._count.members === 0 && g._count.channels === 0 && g.escalatesToId === null) continue;
    retired += 1;
    changes.add((await tx.groupMember.deleteMany({ where: { groupId: g.id } })).count);
    changes.add((await tx.groupChannel.deleteMany({ where: { groupId: g.id } })).count);
    if (g.escalatesToId !== null) changes.add(await tx.supportGroup.update({ where: { id: g.id }, data: { escalatesToId: null } }).then(() => true));
  }
  return retired;
}

/** Agents the files no longer name (no membership left): back to employee; returns how many. */
async function demoteLeavers(tx: Tx, config: DeskConfig, changes: Changes): Promise<number> {
  const agents = new Set(config.groups.flatMap((g) => g.members.map((m) => m.email)));
  const demoted = await tx.user.updateMany({
    where: { role: 'agent', memberships: { none: {} }, OR: [{ email: null }, { email: { notIn: [...agents] } }] },
    data: { role: 'employee' },
  });
  changes.add(demoted.count);
  return demoted.count;
}

/** Calendars, SLA policies and services. */
async function syncCatalogue(tx: Tx, config: DeskConfig, changes: Changes): Promise<void> {
  for (const c of config.calendars) {
    const data = { name: c.name, timeZone: c.timeZone, hours: toJson(c.hours), holidays: toJson(c.holidays) };
    const row = await tx.calendar.findUnique({ where: { id: c.id } });
    if (!row) changes.add(await tx.calendar.create({ data: { id: c.id, ...data } }).then(() => true));
    else if (!matches(row, data)) changes.add(await tx.calendar.update({ where: { id: c.id }, data }).then(() => true));
  }
  for (const p of config.policies) {
    const data = { name: p.name, calendarId: p.calendarId, targets: toJson(p.targets), pauseOnPending: p.pauseOnPending };
    const row = await tx.slaPolicy.findUnique({ where: { id: p.id } });
    if (!row) changes.add(await tx.slaPolicy.create({ data: { id: p.id, ...data } }).then(() => true));
    else if (!matches(row, data)) changes.add(await tx.slaPolicy.update({ where: { id: p.id }, data }).then(() => true));
  }
  for (const s of config.services) {
    const data = { name: toJson(s.name), groupId: s.group, criticality: s.criticality, keywords: toJson(s.keywords) };
    const row = await tx.service.findUnique({ where: { id: s.id } });
    if (!row) changes.add(await tx.service.create({ data: { id: s.id, ...data } }).then(() => true));
    else if (!matches(row, data)) changes.add(await tx.service.update({ where: { id: s.id }, data }).then(() => true));
  }
}

/** CMDB items and the services they depend on; items that left the file are retired. Returns how many this run retired. */
async function syncItems(tx: Tx, config: DeskConfig, ids: Ids, changes: Changes): Promise<number> {
  const select = { id: true, kind: true, name: true, ownerId: true, status: true } as const;
  for (const item of config.cmdb.items) {
    const data = { kind: item.kind, name: item.name, ownerId: item.owner ? (ids.get(item.owner) ?? null) : null, status: item.status };
    let row = await tx.configurationItem.findUnique({ where: { tag: item.tag }, select });
    if (!row) {
      row = await tx.configurationItem.create({ data: { tag: item.tag, ...data, attributes: {} }, select });
      changes.add(true);
    } else if (!matches(row, data)) changes.add(await tx.configurationItem.update({ where: { id: row.id }, data }).then(() => true));
    changes.add((await tx.ciDependency.deleteMany({ where: { ciId: row.id, serviceId: { notIn: item.services } } })).count);
    const linked = new Set((await tx.ciDependency.findMany({ where: { ciId: row.id }, select: { serviceId: true } })).map((d) => d.serviceId));
    for (const serviceId of new Set(item.services)) if (!linked.has(serviceId)) changes.add(await tx.ciDependency.create({ data: { ciId: row.id, serviceId } }).then(() => true));
  }
  const retired = await tx.configurationItem.updateMany({ where: { tag: { notIn: config.cmdb.items.map((i) => i.tag) }, status: { not: 'retired' } }, data: { status: 'retired' } });
  changes.add(retired.count);
  return retired.count;
}
