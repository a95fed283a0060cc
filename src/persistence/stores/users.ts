/** UserDirectory on Prisma: users and their platform identities. */
import type { Lang } from '../../core/lang.ts';
import type { PlatformIdentity, Role, UserDirectory, UserProfile, UserRecord } from '../../core/ports.ts';
import { toLang } from '../../core/lang.ts';
import { isUniqueViolation, type Database } from '../database.ts';

type UserRow = { id: string; displayName: string; role: string; locale: string | null };

const ROLES: readonly Role[] = ['employee', 'agent', 'admin'];

export class PrismaUserDirectory implements UserDirectory {
  constructor(private readonly db: Database) {}

  async identify(identity: PlatformIdentity, profile: UserProfile): Promise<UserRecord> {
    const where = { platform_tenantId_externalId: { platform: identity.platform, tenantId: identity.tenantId, externalId: identity.externalId } };
    const found = await this.db.client.identity.findUnique({ where, include: { user: true } });
    if (found) return toRecord(await this.fillProfile(found.user, profile));
    // A person the configuration already knows (an agent, a CMDB owner) is recognised by the
    // e-mail their platform vouches for, and keeps their role and assets.
    const email = profile.email?.trim().toLowerCase();
    const known = email ? await this.db.client.user.findFirst({ where: { email, erasedAt: null }, orderBy: { createdAt: 'asc' } }) : null;
    if (known) {
      try {
        await this.db.client.identity.create({ data: { userId: known.id, platform: identity.platform, tenantId: identity.tenantId, externalId: identity.externalId } });
        return toRecord(await this.fillProfile(known, profile));
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const winner = await this.db.client.identity.findUniqueOrThrow({ where, include: { user: true } });
        return toRecord(winner.user);
      }
    }
    try {
      const user = await this.db.client.user.create({
        data: {
          // No name from the platform (an anonymous web visitor): empty, shown as "unknown name", never the platform id.
          displayName: profile.displayName ?? '',
          email: email ?? null,
          locale: profile.locale ?? null,
          timeZone: profile.timeZone ?? null,
          identities: { create: { platform: identity.platform, tenantId: identity.tenantId, externalId: identity.externalId } },
        },
      });
      return toRecord(user);
    } catch (err) {
      // First contact from two deliveries at once: the other one created the identity.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.db.client.identity.findUniqueOrThrow({ where, include: { user: true } });
      return toRecord(winner.user);
    }
  }

  async setLocale(userId: string, locale: Lang): Promise<void> {
    await this.db.client.user.update({ where: { id: userId }, data: { locale } });
  }

  /** Fills profile fields the user record lacks; never overwrites what an admin or the user set. */
  private async fillProfile<U extends UserRow & { email: string | null; timeZone: string | null }>(user: U, profile: UserProfile): Promise<UserRow> {
    const data: { email?: string; locale?: string; timeZone?: string } = {};
    if (!user.email && profile.email) data.email = profile.email;
    if (!user.locale && profile.locale) data.locale = profile.locale;
    if (!user.timeZone && profile.timeZone) data.timeZone = profile.timeZone;
    if (Object.keys(data).length === 0) return user;
    return this.db.client.user.update({ where: { id: user.id }, data });
  }
}

function toRecord(row: UserRow): UserRecord {
  const role = ROLES.find((r) => r === row.role) ?? 'employee';
  return { id: row.id, displayName: row.displayName, role, locale: toLang(row.locale) ?? null };
}
