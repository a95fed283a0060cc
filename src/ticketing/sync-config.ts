/**
 * Writes the desk configuration (config.ts) to the database: support groups,
 * their people and agents' channels, calendars, SLA policies, services, CMDB
 * items and their services. Idempotent: a second run changes nothing. People
 * are found by e-mail and keep their id (an admin is never demoted); a CMDB
 * item that left the file is marked retired, not deleted (tickets name it).
 */
import type { Database } from '../persistence/database.ts';
import { toJson } from '../persistence/stores/json.ts';
import type { DeskConfig } from './config.ts';

export interface ConfigSyncReport {
  groups: number;
  people: number;
  services: number;
  items: number;
  retiredItems: number;
}

type Tx = Parameters<Parameters<Database['client']['$transaction']>[0]>[0];

export async function syncDeskConfig(db: Database, config: DeskConfig): Promise<ConfigSyncReport> {
  return db.client.$transaction(
    async (tx) => {
      const people = new Map<string, { name: string; role: 'agent' | 'admin' | 'employee' }>();
      const want = (email: string, name: string, role: 'agent' | 'admin' | 'employee') => {
        const existing = people.get(email);
        const rank = { employee: 0, agent: 1, admin: 2 } as const;
        if (!existing || rank[role] > rank[existing.role]) people.set(email, { name: existing?.name ?? name, role });
      };
      for (const a of config.admins) want(a.email, a.name, 'admin');
      for (const g of config.groups) for (const m of g.members) want(m.email, m.name, 'agent');
      for (const p of config.cmdb.people) want(p.email, p.name, 'employee');
      for (const g of config.groups) if (g.manager) want(g.manager, g.manager, 'employee');
      if (config.serviceDeskLead) want(config.serviceDeskLead, config.serviceDeskLead, 'employee');
      for (const p of config.cmdb.people) if (p.manager) want(p.manager, p.manager, 'employee');

      const ids = new Map<string, string>();
      for (const [email, { name, role }] of people) ids.set(email, await upsertPerson(tx, email, name, role));
      for (const p of config.cmdb.people) {
        const data = { department: p.department ?? null, jobTitle: p.jobTitle ?? null, vip: p.vip, managerId: p.manager ? (ids.get(p.manager) ?? null) : null };
        await tx.user.update({ where: { id: ids.get(p.email)! }, data });
      }

      for (const g of config.groups) {
        const data = { name: g.name, level: g.level, managerId: g.manager ? (ids.get(g.manager) ?? null) : null };
        await tx.supportGroup.upsert({ where: { id: g.id }, create: { id: g.id, ...data }, update: data });
      }
      for (const g of config.groups) {
        await tx.supportGroup.update({ where: { id: g.id }, data: { escalatesToId: g.escalatesTo ?? null } });
        const memberIds = g.members.map((m) => ids.get(m.email)!);
        await tx.groupMember.deleteMany({ where: { groupId: g.id, userId: { notIn: memberIds } } });
        for (const userId of memberIds) {
          await tx.groupMember.upsert({ where: { groupId_userId: { groupId: g.id, userId } }, create: { groupId: g.id, userId }, update: {} });
        }
        await tx.groupChannel.deleteMany({ where: { groupId: g.id, platform: { notIn: g.channels.map((c) => c.platform) } } });
        for (const c of g.channels) {
          await tx.groupChannel.upsert({
            where: { groupId_platform: { groupId: g.id, platform: c.platform } },
            create: { groupId: g.id, platform: c.platform, address: toJson(c.address) },
            update: { address: toJson(c.address) },
          });
        }
      }

      for (const c of config.calendars) {
        const data = { name: c.name, timeZone: c.timeZone, hours: toJson(c.hours), holidays: toJson(c.holidays) };
        await tx.calendar.upsert({ where: { id: c.id }, create: { id: c.id, ...data }, update: data });
      }
      for (const p of config.policies) {
        const data = { name: p.name, calendarId: p.calendarId, targets: toJson(p.targets), pauseOnPending: p.pauseOnPending };
        await tx.slaPolicy.upsert({ where: { id: p.id }, create: { id: p.id, ...data }, update: data });
      }
      for (const s of config.services) {
        const data = { name: toJson(s.name), groupId: s.group, criticality: s.criticality, keywords: toJson(s.keywords) };
        await tx.service.upsert({ where: { id: s.id }, create: { id: s.id, ...data }, update: data });
      }

      const tags = config.cmdb.items.map((i) => i.tag);
      for (const item of config.cmdb.items) {
        const data = { kind: item.kind, name: item.name, ownerId: item.owner ? (ids.get(item.owner) ?? null) : null, status: item.status, attributes: {} };
        const row = await tx.configurationItem.upsert({ where: { tag: item.tag }, create: { tag: item.tag, ...data }, update: data, select: { id: true } });
        await tx.ciDependency.deleteMany({ where: { ciId: row.id, serviceId: { notIn: item.services } } });
        for (const serviceId of item.services) {
          await tx.ciDependency.upsert({ where: { ciId_serviceId: { ciId: row.id, serviceId } }, create: { ciId: row.id, serviceId }, update: {} });
        }
      }
      const retired = await tx.configurationItem.updateMany({ where: { tag: { notIn: tags }, status: { not: 'retired' } }, data: { status: 'retired' } });

      return { groups: config.groups.length, people: people.size, services: config.services.length, items: tags.length, retiredItems: retired.count };
    },
    { timeout: 60_000 },
  );
}

/** Finds a person by e-mail or creates them; raises the role to what the configuration says, never lowers an admin. */
async function upsertPerson(tx: Tx, email: string, name: string, role: 'agent' | 'admin' | 'employee'): Promise<string> {
  const found = await tx.user.findFirst({ where: { email, erasedAt: null }, orderBy: { createdAt: 'asc' } });
  if (!found) return (await tx.user.create({ data: { email, displayName: name.includes('@') ? name.split('@')[0]! : name, role } })).id;
  const rank = { employee: 0, agent: 1, admin: 2 } as Record<string, number>;
  if ((rank[found.role] ?? 0) < rank[role]!) await tx.user.update({ where: { id: found.id }, data: { role } });
  return found.id;
}
