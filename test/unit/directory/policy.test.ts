import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DirectoryAccount } from '../../../src/core/directory.ts';
import { decide, loadDirectoryPolicy, parseDirectoryPolicy } from '../../../src/directory/policy.ts';

const alice: DirectoryAccount = { id: 'alice', login: 'alice', displayName: 'Alice', groups: [{ id: 'g1', name: 'Staff' }], privileged: false };

describe('directory policy', () => {
  it('loads the shipped config/directory-actions.yml', async () => {
    const policy = await loadDirectoryPolicy('config/directory-actions.yml');
    expect(policy.actions.unlock).toMatchObject({ enabled: true, perPersonPerDay: 3 });
    expect(policy.actions['reset-password'].requireCode).toBe(true);
    expect(policy.protectedGroups).toContain('Domain Admins');
  });

  it('names the file and the field of a mistake', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guichet-policy-'));
    const file = join(dir, 'directory-actions.yml');
    await writeFile(file, 'actions:\n  unlock:\n    perPersonPerDay: -1\n');
    await expect(loadDirectoryPolicy(file)).rejects.toMatchObject({
      code: 'directory.invalid-policy',
      message: expect.stringContaining(`${file}: field "actions.unlock.perPersonPerDay"`),
    });
    expect(() => parseDirectoryPolicy({ actions: { unlok: {} } }, 'x.yml')).toThrow(/x\.yml.*unlok/);
  });

  it('keeps every action off unless enabled', () => {
    const policy = parseDirectoryPolicy({}, 'empty.yml');
    expect(decide(policy, { action: 'unlock', account: alice, doneToday: 0 })).toEqual({ allowed: false, reason: 'action-disabled' });
  });

  it('refuses people outside the allowed groups', () => {
    const policy = parseDirectoryPolicy({ actions: { unlock: { enabled: true, allowedGroups: ['Contractors'] } } }, 'p.yml');
    expect(decide(policy, { action: 'unlock', account: alice, doneToday: 0 })).toEqual({ allowed: false, reason: 'not-allowed' });
  });

  it('never changes a privileged account or a member of a protected group, but shows their status', () => {
    const policy = parseDirectoryPolicy({ protectedGroups: ['staff'], actions: { unlock: { enabled: true }, status: { enabled: true } } }, 'p.yml');
    expect(decide(policy, { action: 'unlock', account: alice, doneToday: 0 })).toEqual({ allowed: false, reason: 'privileged' });
    const admin = { ...alice, groups: [], privileged: true };
    expect(decide(policy, { action: 'unlock', account: admin, doneToday: 0 })).toEqual({ allowed: false, reason: 'privileged' });
    expect(decide(policy, { action: 'status', account: admin, doneToday: 0 }).allowed).toBe(true);
  });

  it('applies the daily limit', () => {
    const policy = parseDirectoryPolicy({ actions: { unlock: { enabled: true, perPersonPerDay: 3 } } }, 'p.yml');
    expect(decide(policy, { action: 'unlock', account: alice, doneToday: 2 }).allowed).toBe(true);
    expect(decide(policy, { action: 'unlock', account: alice, doneToday: 3 })).toEqual({ allowed: false, reason: 'limit-reached', limit: 3 });
  });

  it('grants only listed groups, with an approval', () => {
    const policy = parseDirectoryPolicy({ actions: { 'add-to-group': { enabled: true, groups: ['VPN-Users'] } } }, 'p.yml');
    const ask = (group: string, approval?: string) => decide(policy, { action: 'add-to-group', account: alice, doneToday: 0, group, ...(approval ? { approval } : {}) });
    expect(ask('finance')).toEqual({ allowed: false, reason: 'group-not-grantable', group: 'finance' });
    expect(ask('vpn-users')).toEqual({ allowed: false, reason: 'approval-missing', group: 'vpn-users' });
    expect(ask('vpn-users', 'REQ-1234')).toEqual({ allowed: true, requireCode: false, dryRun: false });
  });

  it('turns changes into dry runs, but not status', () => {
    const policy = parseDirectoryPolicy({ dryRun: true, actions: { unlock: { enabled: true }, status: { enabled: true } } }, 'p.yml');
    expect(decide(policy, { action: 'unlock', account: alice, doneToday: 0 })).toEqual({ allowed: true, requireCode: false, dryRun: true });
    expect(decide(policy, { action: 'status', account: alice, doneToday: 0 })).toMatchObject({ dryRun: false });
  });
});
