/**
 * The contract's people and groups (the same as scripts/slapd/seed.ldif) for the in-memory directory.
 */
import { MemoryAccountDirectory, type AccountStatus, type DirectoryGroup, type MemoryAccount } from '../../../src/core/directory.ts';

const fine: AccountStatus = { locked: false, disabled: false, passwordExpired: false, mustChangePassword: false, passwordChangedAt: new Date('2026-12-01T09:00:00Z') };

export const GROUPS: DirectoryGroup[] = [
  { id: 'g-admins', name: 'admins' },
  { id: 'g-vpn', name: 'vpn-users' },
  { id: 'g-finance', name: 'finance-share' },
];

function person(id: string, displayName: string, extra: Partial<MemoryAccount> = {}): MemoryAccount {
  return { id, login: id, displayName, email: `${id}@example.org`, groups: [], privileged: false, status: { ...fine }, mfaMethods: ['authenticator'], ...extra };
}

export function memoryPeople(): MemoryAccount[] {
  return [
    person('alice', 'Alice Martin', {
      objectId: '11111111-1111-1111-1111-111111111111',
      recoveryEmail: 'alice.martin@home.example',
      managerId: 'carol',
      groups: [GROUPS[1]!],
    }),
    person('bob', 'Bob Durand', { recoveryEmail: 'bob.durand@home.example', managerId: 'carol', status: { ...fine, locked: true } }),
    person('carol', 'Carol Petit', { status: { ...fine, passwordExpired: true, passwordChangedAt: new Date('2020-01-01T00:00:00Z') }, groups: [GROUPS[2]!] }),
    person('dave', 'Dave Admin', { groups: [GROUPS[0]!] }),
    person('erin', 'Erin Left', { status: { ...fine, disabled: true } }),
    person('frank', 'Frank One', { email: 'shared@example.org' }),
    person('frank2', 'Frank Two', { email: 'shared@example.org' }),
  ];
}

export function memoryDirectory(): MemoryAccountDirectory {
  return new MemoryAccountDirectory(memoryPeople(), GROUPS);
}
