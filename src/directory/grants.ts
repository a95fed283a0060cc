/**
 * Access granted until an end date: an approved access request that gives one ("jusqu'au
 * 31/12/2026", "until 2026-12-31") is recorded, and a sweep removes the person from the group once
 * the date has passed (the end of that day, in UTC), audited. The sweep is idempotent: a grant is
 * removed once, and one the directory refuses to remove stays due for the next sweep.
 */
import type { AccountDirectory } from '../core/directory.ts';
import type { DirectoryAuditLog } from './audit.ts';

export interface TimedGrant {
  id: string;
  accountId: string;
  group: string;
  until: Date;
  ticketNumber: number;
}

export interface GrantStore {
  /** Records a grant (once per ticket and group). */
  add(grant: Omit<TimedGrant, 'id'>): Promise<void>;
  /** Grants whose end has passed at `now` and are not removed yet. */
  due(now: Date): Promise<TimedGrant[]>;
  markRemoved(id: string, at: Date): Promise<void>;
}

const DATE_WORDS = String.raw`(?:jusqu['’]au|jusqu['’]à|until|till|through|end date|date de fin|fin)`;
const DMY = new RegExp(String.raw`${DATE_WORDS}\s*:?\s*(?:le\s+|the\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})`, 'i');
const YMD = new RegExp(String.raw`${DATE_WORDS}\s*:?\s*(\d{4})-(\d{2})-(\d{2})`, 'i');

/** The end date a request gives (after "jusqu'au", "until"…; day first, or ISO), as the end of that day in UTC. */
export function endDateIn(text: string): Date | undefined {
  const dmy = DMY.exec(text);
  const ymd = YMD.exec(text);
  const [y, m, d] = ymd ? [ymd[1], ymd[2], ymd[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d), 23, 59, 59));
  // 31/02 rolls over into March: not a date.
  return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) ? date : undefined;
}

/** Removes every grant that is due; answers how many were removed. */
export async function expireGrants(directory: AccountDirectory, store: GrantStore, audit: DirectoryAuditLog, now: Date): Promise<number> {
  let removed = 0;
  for (const grant of await store.due(now)) {
    const group = await directory.findGroup(grant.group);
    const result = group.ok ? await directory.removeFromGroup(grant.accountId, group.value.id) : group;
    const outcome = result.ok ? 'done' : `failed:${result.reason}`;
    await audit.record({ at: now, requester: `automation:end-date:#${grant.ticketNumber}`, accountId: grant.accountId, action: 'remove-from-group', group: grant.group, result: outcome, idempotencyKey: `end-date:${grant.id}:${now.toISOString()}` });
    if (!result.ok) continue;
    await store.markRemoved(grant.id, now);
    removed += 1;
  }
  return removed;
}
