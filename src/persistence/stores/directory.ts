/**
 * The directory actions' stores on Prisma (SQLite and PostgreSQL alike): the audit log, the one-time
 * code challenges, the reset tokens and one run per chat delivery. They outlive a restart and are
 * shared by every instance serving the same channels.
 */
import { GuichetError } from '../../core/errors.ts';
import type { DirectoryAuditEntry, DirectoryAuditLog } from '../../directory/audit.ts';
import type { GrantStore, TimedGrant } from '../../directory/grants.ts';
import type { IdempotencyStore } from '../../directory/idempotency.ts';
import type { ChatIdentity } from '../../directory/identity.ts';
import type { ChallengeStore, CodeChallenge } from '../../directory/one-time-code.ts';
import type { ResetTokenRecord, ResetTokenStore } from '../../directory/password-resets.ts';
import type { DirectoryAction } from '../../directory/policy.ts';
import { isUniqueViolation, type Database } from '../database.ts';

export class PrismaDirectoryAuditLog implements DirectoryAuditLog {
  constructor(private readonly db: Database) {}

  async record(entry: DirectoryAuditEntry): Promise<void> {
    await this.db.client.directoryAudit.create({
      data: { at: entry.at, requester: entry.requester, accountId: entry.accountId ?? null, action: entry.action, group: entry.group ?? null, result: entry.result, idempotencyKey: entry.idempotencyKey },
    });
  }

  async count(query: { accountId: string; action: DirectoryAction; result: string; since: Date }): Promise<number> {
    return this.db.client.directoryAudit.count({ where: { accountId: query.accountId, action: query.action, result: query.result, at: { gte: query.since } } });
  }

  /** The latest entries, newest first (the console and tests read them). */
  async latest(limit = 50): Promise<DirectoryAuditEntry[]> {
    const rows = await this.db.client.directoryAudit.findMany({ orderBy: { at: 'desc' }, take: limit });
    return rows.map((r) => ({
      at: r.at,
      requester: r.requester,
      ...(r.accountId ? { accountId: r.accountId } : {}),
      action: r.action as DirectoryAction,
      ...(r.group ? { group: r.group } : {}),
      result: r.result,
      idempotencyKey: r.idempotencyKey,
    }));
  }
}

export class PrismaChallengeStore implements ChallengeStore {
  constructor(private readonly db: Database) {}

  async put(c: CodeChallenge): Promise<void> {
    const data = { accountId: c.accountId, action: c.action, hash: c.hash, salt: c.salt, expiresAt: c.expiresAt, attemptsLeft: c.attemptsLeft };
    await this.db.client.directoryChallenge.upsert({ where: { id: c.id }, create: { id: c.id, ...data }, update: data });
  }

  async get(id: string): Promise<CodeChallenge | undefined> {
    return (await this.db.client.directoryChallenge.findUnique({ where: { id } })) ?? undefined;
  }

  async delete(id: string): Promise<void> {
    await this.db.client.directoryChallenge.deleteMany({ where: { id } });
  }
}

export class PrismaResetTokenStore implements ResetTokenStore {
  constructor(private readonly db: Database) {}

  async put(record: ResetTokenRecord): Promise<void> {
    const data = { accountId: record.accountId, expiresAt: record.expiresAt };
    await this.db.client.directoryResetToken.upsert({ where: { hash: record.hash }, create: { hash: record.hash, ...data }, update: data });
  }

  async get(hash: string): Promise<ResetTokenRecord | undefined> {
    return (await this.db.client.directoryResetToken.findUnique({ where: { hash } })) ?? undefined;
  }

  async take(hash: string): Promise<ResetTokenRecord | undefined> {
    const record = await this.db.client.directoryResetToken.findUnique({ where: { hash } });
    if (!record) return undefined;
    // Only the caller whose delete removed the row gets it: a link used twice at once works once.
    const { count } = await this.db.client.directoryResetToken.deleteMany({ where: { hash } });
    return count === 1 ? record : undefined;
  }
}

export interface IdempotencyOptions<T> {
  /** Rebuilds an outcome from its stored JSON (dates come back as strings). */
  revive: (json: unknown) => T;
  /** How long a retry waits for a first run still in progress (default 15 s). */
  waitMs?: number;
}

/**
 * A row per key, claimed before the work runs: a concurrent or later delivery with the same key
 * waits for the first run's outcome instead of running again. A run that crashed removes its claim.
 */
export class PrismaIdempotencyStore<T> implements IdempotencyStore<T> {
  constructor(
    private readonly db: Database,
    private readonly options: IdempotencyOptions<T>,
  ) {}

  async once(key: string, work: () => Promise<T>): Promise<{ outcome: T; replayed: boolean }> {
    const runs = this.db.client.directoryActionRun;
    try {
      await runs.create({ data: { key } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { outcome: await this.awaitOutcome(key), replayed: true };
    }
    let outcome: T;
    try {
      outcome = await work();
    } catch (error) {
      await runs.deleteMany({ where: { key } });
      throw error;
    }
    await runs.update({ where: { key }, data: { outcome: JSON.parse(JSON.stringify(outcome)) as object } });
    return { outcome, replayed: false };
  }

  private async awaitOutcome(key: string): Promise<T> {
    const deadline = Date.now() + (this.options.waitMs ?? 15_000);
    for (;;) {
      const row = await this.db.client.directoryActionRun.findUnique({ where: { key } });
      if (row?.outcome !== null && row?.outcome !== undefined) return this.options.revive(row.outcome);
      if (!row) throw new GuichetError('directory.busy', `directory: the first run of "${key}" failed; ask again`);
      if (Date.now() > deadline) throw new GuichetError('directory.busy', `directory: the first run of "${key}" is still in progress`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Entra object ids are GUIDs; Bot Framework's own ids ("29:…") are not. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How the person behind `userId` is identified on `channel`, from what the channel recorded: the
 * Teams Entra object id, the Slack user and the e-mail of their Slack profile (the workspace's
 * sign-in address), or the web OIDC subject and its e-mail. Undefined where no platform vouches
 * (the terminal, an anonymous web visitor).
 */
export async function chatIdentityOf(db: Database, userId: string, channel: string): Promise<ChatIdentity | undefined> {
  const user = await db.client.user.findFirst({ where: { id: userId, erasedAt: null }, select: { email: true, identities: { select: { platform: true, tenantId: true, externalId: true } } } });
  if (!user) return undefined;
  const email = user.email ?? undefined;
  const on = user.identities.filter((i) => i.platform === channel);
  if (channel === 'teams') {
    if (on.length === 0) return undefined;
    const aadObjectId = on.find((i) => GUID.test(i.externalId))?.externalId;
    if (!aadObjectId && !email) return undefined;
    return { channel: 'teams', ...(aadObjectId ? { aadObjectId } : {}), ...(email ? { email } : {}) };
  }
  if (channel === 'slack') {
    const slack = on[0];
    return slack ? { channel: 'slack', userId: slack.externalId, ...(email ? { email } : {}), emailVerified: email !== undefined } : undefined;
  }
  if (channel === 'web') {
    // Signed in through the identity provider: the issuer's identity (tenant = issuer URL) holds the subject.
    const oidc = on.find((i) => i.tenantId !== '' && i.tenantId !== 'portal');
    return oidc ? { channel: 'web', subject: oidc.externalId, ...(email ? { email } : {}), emailVerified: email !== undefined } : undefined;
  }
  return undefined;
}

export class PrismaGrantStore implements GrantStore {
  constructor(private readonly db: Database) {}

  async add(grant: Omit<TimedGrant, 'id'>): Promise<void> {
    await this.db.client.directoryGrant.upsert({ where: { ticketNumber_group: { ticketNumber: grant.ticketNumber, group: grant.group } }, create: grant, update: {} });
  }

  async due(now: Date): Promise<TimedGrant[]> {
    return this.db.client.directoryGrant.findMany({ where: { removedAt: null, until: { lt: now } }, select: { id: true, accountId: true, group: true, until: true, ticketNumber: true }, orderBy: { until: 'asc' } });
  }

  async markRemoved(id: string, at: Date): Promise<void> {
    await this.db.client.directoryGrant.update({ where: { id }, data: { removedAt: at } });
  }
}
