import { describe, expect, it } from 'vitest';
import { MemoryAccountDirectory } from '../../../src/core/directory.ts';
import { MemoryDirectoryAuditLog } from '../../../src/directory/audit.ts';
import { endDateIn, expireGrants, type GrantStore, type TimedGrant } from '../../../src/directory/grants.ts';

describe('endDateIn', () => {
  it('reads the end date a request gives, day first or ISO, as the end of that day (UTC)', () => {
    expect(endDateIn("Je remplace Carol jusqu'au 31/12/2026 pendant ses congés")).toEqual(new Date('2026-12-31T23:59:59Z'));
    expect(endDateIn('Covering for Carol until 2027-01-15.')).toEqual(new Date('2027-01-15T23:59:59Z'));
    expect(endDateIn('jusqu’au 5.1.2027')).toEqual(new Date('2027-01-05T23:59:59Z'));
  });

  it('finds none without an end word, and refuses impossible dates', () => {
    expect(endDateIn('Budget 2027, dossier du 31/12/2026')).toBeUndefined();
    expect(endDateIn("jusqu'au 31/02/2027")).toBeUndefined();
    expect(endDateIn('pour toujours')).toBeUndefined();
  });
});

class MemoryGrants implements GrantStore {
  readonly grants: (TimedGrant & { removedAt?: Date })[] = [];
  async add(grant: Omit<TimedGrant, 'id'>) {
    this.grants.push({ ...grant, id: `g${this.grants.length + 1}` });
  }
  async due(now: Date) {
    return this.grants.filter((g) => !g.removedAt && g.until < now);
  }
  async markRemoved(id: string, at: Date) {
    const grant = this.grants.find((g) => g.id === id);
    if (grant) grant.removedAt = at;
  }
}

describe('expireGrants', () => {
  it('removes due grants once, audited, and keeps one the directory refused for the next sweep', async () => {
    const group = { id: 'g-fin', name: 'finance-share' };
    const status = { locked: false, passwordExpired: false, disabled: false, mustChangePassword: false };
    const directory = new MemoryAccountDirectory([{ id: 'alice', login: 'alice', displayName: 'Alice', groups: [group], privileged: false, mfaMethods: [], status }], [group]);
    const store = new MemoryGrants();
    const audit = new MemoryDirectoryAuditLog();
    await store.add({ accountId: 'alice', group: 'finance-share', until: new Date('2026-12-31T23:59:59Z'), ticketNumber: 1001 });
    expect(await expireGrants(directory, store, audit, new Date('2026-12-31T12:00:00Z'))).toBe(0);
    directory.unreachable = true;
    expect(await expireGrants(directory, store, audit, new Date('2027-01-01T00:00:00Z'))).toBe(0);
    directory.unreachable = false;
    expect(await expireGrants(directory, store, audit, new Date('2027-01-01T01:00:00Z'))).toBe(1);
    expect(directory.accounts.get('alice')!.groups).toEqual([]);
    expect(await expireGrants(directory, store, audit, new Date('2027-01-02T00:00:00Z'))).toBe(0);
    expect(audit.entries.map((e) => e.result)).toEqual(['failed:unreachable', 'done']);
  });
});
