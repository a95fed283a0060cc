/** People, support groups and services as the ticket desk reads them, on Prisma. */
import { toLang } from '../../core/lang.ts';
import type { ContactView } from '../../core/tickets.ts';
import type { DeskDirectory, GroupRecord, Person } from '../../ticketing/ports.ts';
import type { Database } from '../database.ts';

/** The database's client or a transaction's (same models). */
export type Client = Database['client'];

const GROUP_SELECT = { id: true, name: true, level: true, managerId: true, escalatesToId: true } as const;

export class PrismaDeskDirectory implements DeskDirectory {
  constructor(protected readonly client: Client) {}

  async person(id: string): Promise<Person | undefined> {
    const user = await this.client.user.findUnique({
      where: { id },
      select: { id: true, displayName: true, email: true, department: true, jobTitle: true, vip: true, locale: true, managerId: true, role: true, memberships: { select: { groupId: true } } },
    });
    if (!user) return undefined;
    const { memberships, locale, role, ...rest } = user;
    return { ...rest, locale: toLang(locale) ?? null, role: role as Person['role'], groupIds: memberships.map((m) => m.groupId) };
  }

  async personByEmail(email: string): Promise<string | undefined> {
    return (await this.client.user.findFirst({ where: { email, erasedAt: null }, select: { id: true } }))?.id;
  }

  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    const users = await this.client.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, displayName: true } });
    return new Map(users.map((u) => [u.id, u.displayName]));
  }

  async group(id: string): Promise<GroupRecord | undefined> {
    return (await this.client.supportGroup.findUnique({ where: { id }, select: GROUP_SELECT })) ?? undefined;
  }

  async groupAtLevel(level: number): Promise<GroupRecord | undefined> {
    return (await this.client.supportGroup.findFirst({ where: { level }, orderBy: { id: 'asc' }, select: GROUP_SELECT })) ?? undefined;
  }

  async availableMembers(groupId: string): Promise<string[]> {
    const members = await this.client.groupMember.findMany({ where: { groupId, available: true }, select: { userId: true }, orderBy: { userId: 'asc' } });
    return members.map((m) => m.userId);
  }

  async service(id: string): Promise<{ id: string; groupId: string | null; criticality: string | null } | undefined> {
    return (await this.client.service.findUnique({ where: { id }, select: { id: true, groupId: true, criticality: true } })) ?? undefined;
  }

  async assetsOf(userId: string): Promise<(ContactView['assets'][number] & { serviceIds: string[] })[]> {
    const assets = await this.client.configurationItem.findMany({
      where: { ownerId: userId, status: { not: 'retired' } },
      select: { tag: true, kind: true, name: true, status: true, dependsOn: { select: { serviceId: true } } },
      orderBy: { tag: 'asc' },
    });
    return assets.map(({ dependsOn, ...a }) => ({ ...a, serviceIds: dependsOn.map((d) => d.serviceId) }));
  }

  async reachable(): Promise<string[]> {
    const rows = await this.client.conversation.findMany({ where: { kind: 'personal', userId: { not: null } }, select: { userId: true }, distinct: ['userId'] });
    return rows.map((r) => r.userId!).filter(Boolean);
  }
}
