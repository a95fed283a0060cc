/**
 * PortalPeople on Prisma: who signs in to the portal, and their web identities (portal chat, OIDC
 * issuer); and the stored portal sessions (PortalSessionStore), which sign-out revokes.
 */
import { toLang } from '../../core/lang.ts';
import type { IssuerIdentity, PortalPeople, PortalPerson, PortalRole, PortalSessionStore, StoredSession } from '../../portal/ports.ts';
import type { Database } from '../database.ts';

const SELECT = { id: true, displayName: true, role: true, locale: true } as const;
const asRole = (role: string): PortalRole => (role === 'admin' || role === 'agent' ? role : 'employee');
const toPerson = (row: { id: string; displayName: string; role: string; locale: string | null }): PortalPerson => ({
  id: row.id,
  displayName: row.displayName,
  role: asRole(row.role),
  locale: toLang(row.locale) ?? null,
});

export class PrismaPortalPeople implements PortalPeople {
  constructor(private readonly db: Database) {}

  async person(id: string): Promise<PortalPerson | undefined> {
    const row = await this.db.client.user.findFirst({ where: { id, erasedAt: null }, select: SELECT });
    return row ? toPerson(row) : undefined;
  }

  async idByEmail(email: string): Promise<string | undefined> {
    return (await this.db.client.user.findFirst({ where: { email, erasedAt: null }, orderBy: { createdAt: 'asc' }, select: { id: true } }))?.id;
  }

  async linkPortalChat(userId: string): Promise<void> {
    await this.webIdentity(userId, 'portal', userId);
  }

  async findOrCreateByIssuer(who: IssuerIdentity): Promise<PortalPerson> {
    const c = this.db.client;
    const key = { platform_tenantId_externalId: { platform: 'web', tenantId: who.issuer, externalId: who.subject } };
    let userId = (await c.identity.findUnique({ where: key, select: { userId: true } }))?.userId;
    if (!userId && who.email) userId = await this.idByEmail(who.email);
    if (!userId) userId = (await c.user.create({ data: { displayName: who.name ?? who.email ?? who.subject, email: who.email ?? null, locale: who.locale ?? null } })).id;
    await this.webIdentity(userId, who.issuer, who.subject);
    return toPerson(await c.user.findUniqueOrThrow({ where: { id: userId }, select: SELECT }));
  }

  async setRole(userId: string, role: PortalRole): Promise<void> {
    await this.db.client.user.update({ where: { id: userId }, data: { role } });
  }

  private async webIdentity(userId: string, tenantId: string, externalId: string): Promise<void> {
    await this.db.client.identity.upsert({
      where: { platform_tenantId_externalId: { platform: 'web', tenantId, externalId } },
      create: { userId, platform: 'web', tenantId, externalId },
      update: {},
    });
  }
}

export class PrismaPortalSessions implements PortalSessionStore {
  constructor(private readonly db: Database) {}

  async create(session: { id: string; userId: string; at: Date; expiresAt: Date }): Promise<void> {
    await this.db.client.portalSession.create({ data: { id: session.id, userId: session.userId, createdAt: session.at, lastSeenAt: session.at, expiresAt: session.expiresAt } });
  }

  async find(id: string): Promise<StoredSession | undefined> {
    return (await this.db.client.portalSession.findUnique({ where: { id } })) ?? undefined;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.client.portalSession.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: at } });
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.db.client.portalSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  }
}
