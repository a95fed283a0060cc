/** UserDirectory on Prisma: users and their platform identities. */
import type { Lang } from '../../core/lang.ts';
import type { Created, PlatformIdentity, Role, StoredUser, UserDirectory, UserProfile, UserRecord } from '../../core/ports.ts';
import { toLang } from '../../core/lang.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import { NO_FLUSH_WAIT, portable, rowId } from './raw-sql.ts';

type UserRow = { id: string; displayName: string; role: string; locale: string | null };
type FullRow = StoredUser;

const ROLES: readonly Role[] = ['employee', 'agent', 'admin'];

export class PrismaUserDirectory implements UserDirectory {
  constructor(private readonly db: Database) {}

  async identify(identity: PlatformIdentity, profile: UserProfile, stored?: StoredUser | null): Promise<UserRecord & Created> {
    const found = stored === undefined ? await this.byIdentity(identity) : (stored ?? undefined);
    if (found) return toRecord(await this.fillProfile(found, profile));
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
        return toRecord((await this.byIdentity(identity))!);
      }
    }
    try {
      return { ...toRecord(await this.create(identity, profile, email)), created: true };
    } catch (err) {
      // First contact from two deliveries at once: the other one created the identity.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.byIdentity(identity);
      if (!winner) throw err;
      return toRecord(winner);
    }
  }

  /** The user behind `identity`, in one direct statement (every turn asks). */
  private async byIdentity(identity: PlatformIdentity): Promise<FullRow | undefined> {
    const [row] = await this.db.direct.all(
      portable(this.db.provider, 'SELECT u."id", u."displayName", u."role", u."locale", u."email", u."timeZone" FROM "Identity" i JOIN "User" u ON u."id" = i."userId" WHERE i."platform" = ? AND i."tenantId" = ? AND i."externalId" = ?'),
      [identity.platform, identity.tenantId, identity.externalId],
    );
    return row as FullRow | undefined;
  }

  /**
   * A new user and their identity, as Prisma's nested create writes them: on PostgreSQL one statement
   * (a data-modifying CTE, atomic), one round trip instead of a transaction of four; on SQLite a
   * transaction of the two inserts (synchronous, microseconds).
   */
  private async create(identity: PlatformIdentity, profile: UserProfile, email: string | undefined): Promise<FullRow> {
    const p = this.db.provider;
    if (p === 'postgres') {
      const first = newUserWrites(identity, profile, email);
      await this.db.direct.run(portable(p, `WITH ${first.ctes} SELECT 1 FROM u`), first.args);
      return first.user;
    }
    const { user, userArgs, identityArgs } = newUser(identity, profile, email);
    await this.db.direct.transaction(async (tx) => {
      await tx.run(portable(p, `${INSERT_USER} VALUES (${USER_VALUES})`), userArgs);
      await tx.run(portable(p, `${INSERT_IDENTITY} ?, ?, ?, ?, ?, ?t`), [identityArgs[0], user.id, ...identityArgs.slice(1)]);
    });
    return user;
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

const INSERT_USER = `INSERT INTO "User" ("id", "displayName", "email", "locale", "role", "vip", "timeZone", "createdAt", "updatedAt")`;
const USER_VALUES = '?, ?, ?, ?, ?, ?, ?, ?t, ?t';
const INSERT_IDENTITY = `INSERT INTO "Identity" ("id", "userId", "platform", "tenantId", "externalId", "createdAt") SELECT`;

/** A new user's row and the arguments of its two inserts. */
function newUser(identity: PlatformIdentity, profile: UserProfile, email: string | undefined): { user: FullRow; userArgs: unknown[]; identityArgs: unknown[] } {
  const now = new Date();
  const user: FullRow = {
    id: rowId(),
    // No name from the platform (an anonymous web visitor): empty, shown as "unknown name", never the platform id.
    displayName: profile.displayName ?? '',
    role: 'employee',
    locale: profile.locale ?? null,
    email: email ?? null,
    timeZone: profile.timeZone ?? null,
  };
  return {
    user,
    userArgs: [user.id, user.displayName, user.email, user.locale, user.role, false, user.timeZone, now, now],
    identityArgs: [rowId(), identity.platform, identity.tenantId, identity.externalId, now],
  };
}

/**
 * PostgreSQL: a new user and their identity as the data-modifying CTEs `u` (RETURNING "id") and `i` of one
 * statement, for `WITH ${ctes} …` (other writes of a first contact may select from `u`); `when`: a condition
 * on earlier CTEs of the statement, the user written only if it holds. Written without
 * waiting for the WAL flush (raw-sql.ts NO_FLUSH_WAIT): the turn's own commit follows and makes it durable.
 */
export function newUserWrites(identity: PlatformIdentity, profile: UserProfile, email: string | undefined, when?: string): { user: FullRow; ctes: string; args: unknown[] } {
  const { user, userArgs, identityArgs } = newUser(identity, profile, email);
  return {
    user,
    ctes: `u AS (${INSERT_USER} SELECT ${USER_VALUES} FROM ${NO_FLUSH_WAIT} s${when ? ` WHERE ${when}` : ''} RETURNING "id"), i AS (${INSERT_IDENTITY} ?, u."id", ?, ?, ?, ?t FROM u)`,
    args: [...userArgs, ...identityArgs],
  };
}

export function toRecord(row: UserRow): UserRecord {
  const role = ROLES.find((r) => r === row.role) ?? 'employee';
  return { id: row.id, displayName: row.displayName, role, locale: toLang(row.locale) ?? null };
}
