/**
 * Password reset without ever showing a password: the action issues a one-time reset token (random,
 * kept only as its SHA-256, single use, 15 minutes) and a link path /portal/reset/<token>; the portal
 * page calls `completeReset` with the password the person chose, and the directory sets it as its
 * administrator, so the directory's own password policy judges it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AccountDirectory, DirectoryFailureReason } from '../core/directory.ts';

export interface ResetTokenRecord {
  /** SHA-256 of the token, hex (the token itself is 256 random bits: no salt needed). */
  hash: string;
  accountId: string;
  expiresAt: Date;
}

export interface ResetTokenStore {
  put(record: ResetTokenRecord): Promise<void>;
  /** The record, left in place (the reset page shows whose link it is before the person chooses). */
  get(hash: string): Promise<ResetTokenRecord | undefined>;
  /** Removes and returns the record: at most one caller gets it (single use). */
  take(hash: string): Promise<ResetTokenRecord | undefined>;
}

/** In-memory reset tokens: tests and a single process only (a restart voids pending links). */
export class MemoryResetTokenStore implements ResetTokenStore {
  readonly records = new Map<string, ResetTokenRecord>();
  async put(record: ResetTokenRecord): Promise<void> {
    this.records.set(record.hash, { ...record });
  }
  async get(hash: string): Promise<ResetTokenRecord | undefined> {
    const record = this.records.get(hash);
    return record && { ...record };
  }
  async take(hash: string): Promise<ResetTokenRecord | undefined> {
    const record = this.records.get(hash);
    this.records.delete(hash);
    return record;
  }
}

export type ResetOutcome =
  | { kind: 'done'; accountId: string }
  /** Unknown, used or expired token. */
  | { kind: 'invalid-token' }
  /** The token was issued for another account than the signed-in person's; it stays valid for its owner. */
  | { kind: 'not-yours' }
  /** The directory's password policy said no; the link stays valid for another try. */
  | { kind: 'password-refused'; detail: string }
  | { kind: 'failed'; reason: DirectoryFailureReason; detail: string };

export const RESET_PATH = '/portal/reset/';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class PasswordResets {
  private readonly ttlMinutes: number;
  private readonly now: () => Date;

  constructor(
    private readonly directory: AccountDirectory,
    private readonly store: ResetTokenStore,
    options: { ttlMinutes?: number; now?: () => Date } = {},
  ) {
    this.ttlMinutes = options.ttlMinutes ?? 15;
    this.now = options.now ?? (() => new Date());
  }

  /** A new reset token for `accountId`, and the link path to give the person. */
  async issue(accountId: string): Promise<{ token: string; path: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.ttlMinutes * 60_000);
    await this.store.put({ hash: hashToken(token), accountId, expiresAt });
    return { token, path: `${RESET_PATH}${token}`, expiresAt };
  }

  /** The account a still valid `token` resets, without using it up. */
  async accountOf(token: string): Promise<string | undefined> {
    const record = await this.store.get(hashToken(token));
    return record && record.expiresAt.getTime() > this.now().getTime() ? record.accountId : undefined;
  }

  /**
   * Checks `token` and sets `newPassword` through the directory. `ownerId`: the account of the
   * signed-in person; a token issued for another account is refused and left for its owner.
   */
  async completeReset(token: string, newPassword: string, ownerId?: string): Promise<ResetOutcome> {
    const record = await this.store.take(hashToken(token));
    if (!record || record.expiresAt.getTime() <= this.now().getTime()) return { kind: 'invalid-token' };
    if (ownerId !== undefined && ownerId !== record.accountId) {
      await this.store.put(record);
      return { kind: 'not-yours' };
    }
    const result = await this.directory.setPassword(record.accountId, newPassword);
    if (result.ok) return { kind: 'done', accountId: record.accountId };
    // Nothing changed in the directory: the person may try again with the same link.
    await this.store.put(record);
    if (result.reason === 'password-policy') return { kind: 'password-refused', detail: result.detail };
    return { kind: 'failed', reason: result.reason, detail: result.detail };
  }
}
