/**
 * Writes the desk configuration (config.ts) to the database: support groups,
 * their people and agents' channels, calendars, SLA policies, services, CMDB
 * items and their services. Idempotent: a row is written only when it differs
 * from the file, so a second run changes nothing (`changes` is 0, updatedAt
 * stays). People are found by e-mail and keep their id; the configuration
 * raises roles and never lowers an admin, while an agent who is no longer a
 * member of any group becomes an employee again (a leaver of the service desk
 * loses access to all tickets). Things that left the files are retired, not
 * deleted, because tickets name them: a CMDB item gets status "retired", a
 * group loses its members, channels and escalation but keeps its tickets.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Database } from '../persistence/database.ts';
import { toJson } from '../persistence/stores/json.ts';
import type { DeskConfig } from './config.ts';

export interface ConfigSyncReport {
  groups: number;
  people: number;
  services: number;
  items: number;
  /** Items that left cmdb.yml and were marked retired by this run. */
  retiredItems: number;
  /** Groups that left groups.yml and were emptied by this run. */
  retiredGroups: number;
  /** Agents no longer in any group, made employees by this run. */
  demotedAgents: number;
  /** Rows created, updated or deleted by this run (0 when the database already matched the files). */
  changes: number;
}

type Tx = Parameters<Parameters<Database['client']['$transaction']>[0]>[0];
type Role = 'agent' | 'admin' | 'employee';
const RANK: Record<string, number> = { employee: 0, agent: 1, admin: 2 };

/** True when every field of `want` already has that value in `row` (Json compared by value, key order ignored). */
const matches = (row: Record<string, unknown> | null, want: Record<string, unknown>): boolean => row !== null && Object.entries(want).every(([k, v]) => isDeepStrictEqual(row[k], v));

export async function syncDeskConfig(db: Database, config: DeskConfig): Promise<ConfigSyncReport> {
  return db.client.$transaction(
    async (tx) => {
      let changes = 0;
      const count = (n: number | boolean) => (changes += Number(n));

      // ——— People, by e-mail: the highest role the files give them ———
      const people = new Map<string, { name: string; role: Role }>();
      const want = (email: string, name: string | undefined, role: Role) => {
        const existing = people.get(email);
        people.set(email, { name: existing?.name ?? name ?? email.split('@')[0]!, role: existing && RANK[existing.role]! >= RANK[role]! ? existing.role : role });
      };
      for (const a of config.admins) want(a.email, a.name, 'admin');
      for (const g of config.groups) for (const m of g.members) want(m.email, m.name, 'agent');
      for (const p of config.cmdb.people) want(p.email, p.name, 'employee');
      for (const g of config.groups) if (g.manager) want(g.manager, undefined, 'employee');
      if (config.serviceDeskLead) want(config.serviceDeskLead, undefined, 'employee');
      for (const p of config.cmdb.people) if (p.manager) want(p.manager, undefined, 'employee');
      for (const i of config.cmdb.items) if (i.owner) want(i.owner, undefined, 'employee');

      const ids = new Map<string, string>();
      for (const [email, { name, role }] of people) {
        const { id, changed } = await upsertPerson(tx, email, name, role);
        ids.set(email, id);
        count(changed);
      }
      for (const p of config.cmdb.people) {
        const id = ids.get(p.email)!;
        const data = { department: p.department ?? null, jobTitle: p.jobTitle ?? null, vip: p.vip, managerId: p.manager ? (ids.get(p.manager) ?? null) : null };
        if (!matches(await tx.user.findUnique({ where: { id } }), data)) count(await tx.user.update({ where: { id }, data }).then(() => true));
      }

      // ——— Groups, members and agents' channels ———
      const groupIds = config.groups.map((g) => g.id);
      for (const g of config.groups) {
        const data = { name: g.name, level: g.level, managerId: g.manager ? (ids.get(g.manager) ?? null) : null };
        const row = await tx.supportGroup.findUnique({ where: { id: g.id } });
        if (!row) count(await tx.supportGroup.create({ data: { id: g.id, ...data } }).then(() => true));
        else if (!matches(row, data)) count(await tx.supportGroup.update({ where: { id: g.id }, data }).then(() => true));
      }
      for (const g of config.groups) {
        const escalation = { escalatesToId: g.escalatesTo ?? null };
        if (!matches(await tx.supportGroup.findUnique({ where: { id: g.id } }), escalation)) count(await tx.supportGroup.update({ where: { id: g.id }, data: escalation }).then(() => true));
        const memberIds = g.members.map((m) => ids.get(m.email)!);
        count((await tx.groupMember.deleteMany({ where: { groupId: g.id, userId: { notIn: memberIds } } })).count);
        const present = new Set((await tx.groupMember.findMany({ where: { groupId: g.id }, select: { userId: true } })).map((m) => m.userId));
        for (const userId of new Set(memberIds)) if (!present.has(userId)) count(await tx.groupMember.create({ data: { groupId: g.id, userId } }).then(() => true));
        count((await tx.groupChannel.deleteMany({ where: { groupId: g.id, platform: { notIn: g.channels.map((c) => c.platform) } } })).count);
        for (const c of g.channels) {
          const row = await tx.groupChannel.findUnique({ where: { groupId_platform: { groupId: g.id, platform: c.platform } } });
          if (!row) count(await tx.groupChannel.create({ data: { groupId: g.id, platform: c.platform, address: toJson(c.address) } }).then(() => true));
          else if (!matches(row, { address: toJson(c.address) })) count(await tx.groupChannel.update({ where: { id: row.id }, data: { address: toJson(c.address) } }).then(() => true));
        }
      }
      // Groups that left the file: emptied, kept for their tickets.
      const gone = await tx.supportGroup.findMany({ where: { id: { notIn: groupIds } }, select: { id: true, escalatesToId: true, _count: { select: { members: true, channels: true } } } });
      let retiredGroups = 0;
      for (const g of gone) {
        if (g._count.members === 0 && g._count.channels === 0 && g.escalatesToId === null) continue;
        retiredGroups += 1;
        count((await tx.groupMember.deleteMany({ where: { groupId: g.id } })).count);
        count((await tx.groupChannel.deleteMany({ where: { groupId: g.id } })).count);
        if (g.escalatesToId !== null) count(await tx.supportGroup.update({ where: { id: g.id }, data: { escalatesToId: null } }).then(() => true));
      }
      // Kept groups that escalated to a removed one would point at an empty group: the file's cross-checks forbid it.

      // Agents the files no longer name (no membership left): back to employee.
      const agents = new Set(config.groups.flatMap((g) => g.members.map((m) => m.email)));
      const demoted = await tx.user.updateMany({
        where: { role: 'agent', memberships: { none: {} }, OR: [{ email: null }, { email: { notIn: [...agents] } }] },
        data: { role: 'employee' },
      });
      count(demoted.count);

      // ——— Calendars, SLA policies, services ———
      for (const c of config.calendars) {
        const data = { name: c.name, timeZone: c.timeZone, hours: toJson(c.hours), holidays: toJson(c.holidays) };
        const row = await tx.calendar.findUnique({ where: { id: c.id } });
        if (!row) count(await tx.calendar.create({ data: { id: c.id, ...data } }).then(() => true));
        else if (!matches(row, data)) count(await tx.calendar.update({ where: { id: c.id }, data }).then(() => true));
      }
      for (const p of config.policies) {
        const data = { name: p.name, calendarId: p.calendarId, targets: toJson(p.targets), pauseOnPending: p.pauseOnPending };
        const row = await tx.slaPolicy.findUnique({ where: { id: p.id } });
        if (!row) count(await tx.slaPolicy.create({ data: { id: p.id, ...data } }).then(() => true));
        else if (!matches(row, data)) count(await tx.slaPolicy.update({ where: { id: p.id }, data }).then(() => true));
      }
      for (const s of config.services) {
        const data = { name: toJson(s.name), groupId: s.group, criticality: s.criticality, keywords: toJson(s.keywords) };
        const row = await tx.service.findUnique({ where: { id: s.id } });
        if (!row) count(await tx.service.create({ data: { id: s.id, ...data } }).then(() => true));
        else if (!matches(row, data)) count(await tx.service.update({ where: { id: s.id }, data }).then(() => true));
      }

      // ——— CMDB items and the services they depend on ———
      const tags = config.cmdb.items.map((i) => i.tag);
      for (const item of config.cmdb.items) {
        const data = { kind: item.kind, name: item.name, ownerId: item.owner ? (ids.get(item.owner) ?? null) : null, status: item.status };
        let row = await tx.configurationItem.findUnique({ where: { tag: item.tag }, select: { id: true, kind: true, name: true, ownerId: true, status: true } });
        if (!row) {
          row = await tx.configurationItem.create({ data: { tag: item.tag, ...data, attributes: {} }, select: { id: true, kind: true, name: true, ownerId: true, status: true } });
          count(true);
        } else if (!matches(row, data)) count(await tx.configurationItem.update({ where: { id: row.id }, data }).then(() => true));
        count((await tx.ciDependency.deleteMany({ where: { ciId: row.id, serviceId: { notIn: item.services } } })).count);
        const linked = new Set((await tx.ciDependency.findMany({ where: { ciId: row.id }, select: { serviceId: true } })).map((d) => d.serviceId));
        for (const serviceId of new Set(item.services)) if (!linked.has(serviceId)) count(await tx.ciDependency.create({ data: { ciId: row.id, serviceId } }).then(() => true));
      }
      const retired = await tx.configurationItem.updateMany({ where: { tag: { notIn: tags }, status: { not: 'retired' } }, data: { status: 'retired' } });
      count(retired.count);

      return {
        groups: config.groups.length,
        people: people.size,
        services: config.services.length,
        items: tags.length,
        retiredItems: retired.count,
        retiredGroups,
        demotedAgents: demoted.count,
        changes,
      };
    },
    { timeout: 60_000 },
  );
}

/** Finds a person by e-mail or creates them; raises the role to what the configuration says, never lowers it here. */
async function upsertPerson(tx: Tx, email: string, name: string, role: Role): Promise<{ id: string; changed: boolean }> {
  const found = await tx.user.findFirst({ where: { email, erasedAt: null }, orderBy: { createdAt: 'asc' } });
  if (!found) return { id: (await tx.user.create({ data: { email, displayName: name, role } })).id, changed: true };
  if ((RANK[found.role] ?? 0) >= RANK[role]!) return { id: found.id, changed: false };
  await tx.user.update({ where: { id: found.id }, data: { role } });
  return { id: found.id, changed: true };
}
