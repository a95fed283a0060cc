/**
 * The record of every directory action attempt: who asked, which account, what, and the result —
 * refusals and failures included. Daily limits are counted from it.
 */
import type { DirectoryAction } from './policy.ts';

export interface DirectoryAuditEntry {
  at: Date;
  /** The chat identity that asked ("teams:<aad object id>", "slack:U123"). */
  requester: string;
  /** The directory entry concerned; absent when the person could not be identified. */
  accountId?: string;
  action: DirectoryAction;
  /** The group of a group action. */
  group?: string;
  /** The outcome: "done", "dry-run", "code-sent", "refused:<reason>", "failed:<reason>". */
  result: string;
  idempotencyKey: string;
}

export interface DirectoryAuditLog {
  record(entry: DirectoryAuditEntry): Promise<void>;
  /** Entries for `accountId` and `action` with result `result` since `since`. */
  count(query: { accountId: string; action: DirectoryAction; result: string; since: Date }): Promise<number>;
}

/** In-memory audit log for tests and the terminal chat; not for deployment (an audit trail must survive restarts). */
export class MemoryDirectoryAuditLog implements DirectoryAuditLog {
  readonly entries: DirectoryAuditEntry[] = [];

  async record(entry: DirectoryAuditEntry): Promise<void> {
    this.entries.push({ ...entry });
  }

  async count(query: { accountId: string; action: DirectoryAction; result: string; since: Date }): Promise<number> {
    return this.entries.filter(
      (e) => e.accountId === query.accountId && e.action === query.action && e.result === query.result && e.at >= query.since,
    ).length;
  }
}
