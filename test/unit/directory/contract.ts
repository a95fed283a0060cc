/**
 * The AccountDirectory contract, run against every implementation: the in-memory directory, the LDAP
 * adapter on a real slapd, the Graph adapter on the fake Graph. Each world is seeded with the same
 * people (see scripts/slapd/seed.ldif): alice (manager carol, in vpn-users, object id 1111…), bob
 * (locked after failed sign-ins), carol (password older than the maximum age), erin (disabled),
 * two entries sharing shared@example.org, and a group alice is not in (finance-share).
 */
import { describe, expect, it } from 'vitest';
import type { AccountDirectory, DirectoryResult } from '../../../src/core/directory.ts';

export interface ContractWorld {
  directory: AccountDirectory;
  /** Ids of the seeded people and of the group alice is not in. */
  ids: { alice: string; bob: string; carol: string; erin: string; dave: string; financeShare: string; missing: string };
  /** The same directory's kind, unable to reach its server. */
  unreachable: () => AccountDirectory;
  supports: { unlock: boolean; mfa: boolean; objectId: boolean };
}

export const ALICE_OBJECT_ID = '11111111-1111-1111-1111-111111111111';
export const STRONG_PASSWORD = 'Correct-Horse-Battery-9';

export function value<T>(result: DirectoryResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.reason}: ${result.detail}`);
  return result.value;
}

export function directoryContract(name: string, world: () => ContractWorld): void {
  describe(`AccountDirectory contract: ${name}`, () => {
    it('finds one person by e-mail, with manager, groups and second channel', async () => {
      const { directory, ids } = world();
      const [alice, ...others] = value(await directory.find({ kind: 'email', value: 'Alice@Example.org' }));
      expect(others).toEqual([]);
      expect(alice).toMatchObject({ id: ids.alice, email: 'alice@example.org', managerId: ids.carol, privileged: false });
      expect(alice!.recoveryEmail).toBe('alice.martin@home.example');
      expect(alice!.groups.map((g) => g.name)).toContain('vpn-users');
    });

    it('answers every entry that shares an e-mail, and none for an unknown one', async () => {
      const { directory } = world();
      expect(value(await directory.find({ kind: 'email', value: 'shared@example.org' }))).toHaveLength(2);
      expect(value(await directory.find({ kind: 'email', value: 'nobody@example.org' }))).toEqual([]);
    });

    it('finds a person by the object id their chat platform gives, where the directory keeps it', async () => {
      const { directory, ids, supports } = world();
      const result = await directory.find({ kind: 'object-id', value: ALICE_OBJECT_ID });
      if (supports.objectId) expect(value(result).map((a) => a.id)).toEqual([ids.alice]);
      else expect(result).toMatchObject({ ok: false, reason: 'unsupported' });
    });

    it('looks up the manager, and says null when there is none', async () => {
      const { directory, ids } = world();
      expect(value(await directory.manager(ids.alice))).toMatchObject({ id: ids.carol, email: 'carol@example.org' });
      expect(value(await directory.manager(ids.carol))).toBeNull();
    });

    it('says not-found for an account that does not exist', async () => {
      const { directory, ids } = world();
      expect(await directory.account(ids.missing)).toMatchObject({ ok: false, reason: 'not-found' });
    });

    it('reports status: normal, disabled, password expired', async () => {
      const { directory, ids } = world();
      expect(value(await directory.status(ids.alice))).toMatchObject({ locked: false, disabled: false, passwordExpired: false });
      expect(value(await directory.status(ids.alice)).passwordChangedAt).toBeInstanceOf(Date);
      expect(value(await directory.status(ids.erin))).toMatchObject({ disabled: true, locked: false });
      expect(value(await directory.status(ids.carol))).toMatchObject({ passwordExpired: true, disabled: false });
    });

    it('unlocks a locked account, and unlocking again changes nothing', async () => {
      const { directory, ids, supports } = world();
      if (!supports.unlock) {
        expect(await directory.unlock(ids.bob)).toMatchObject({ ok: false, reason: 'unsupported' });
        return;
      }
      expect(value(await directory.status(ids.bob)).locked).toBe(true);
      expect(await directory.unlock(ids.bob)).toEqual({ ok: true, value: undefined });
      expect(value(await directory.status(ids.bob)).locked).toBe(false);
      expect((await directory.unlock(ids.bob)).ok).toBe(true);
    });

    it('never unlocks a disabled account', async () => {
      const { directory, ids, supports } = world();
      if (!supports.unlock) return;
      expect(await directory.unlock(ids.erin)).toMatchObject({ ok: false, reason: 'refused' });
      expect(value(await directory.status(ids.erin)).disabled).toBe(true);
    });

    it("gives the directory's password policy refusal as a value, and sets a good password", async () => {
      const { directory, ids } = world();
      expect(await directory.setPassword(ids.dave, 'short')).toMatchObject({ ok: false, reason: 'password-policy' });
      expect(await directory.setPassword(ids.dave, STRONG_PASSWORD)).toEqual({ ok: true, value: undefined });
    });

    it('finds a group by its name, and says not-found for an unknown one', async () => {
      const { directory, ids } = world();
      expect(value(await directory.findGroup('finance-share'))).toEqual({ id: ids.financeShare, name: 'finance-share' });
      expect(await directory.findGroup('no-such-group')).toMatchObject({ ok: false, reason: 'not-found' });
    });

    it('adds to and removes from a group, both idempotent', async () => {
      const { directory, ids } = world();
      const inGroup = async () => value(await directory.account(ids.alice)).groups.some((g) => g.id === ids.financeShare);
      expect(await inGroup()).toBe(false);
      expect((await directory.addToGroup(ids.alice, ids.financeShare)).ok).toBe(true);
      expect((await directory.addToGroup(ids.alice, ids.financeShare)).ok).toBe(true);
      expect(await inGroup()).toBe(true);
      expect((await directory.removeFromGroup(ids.alice, ids.financeShare)).ok).toBe(true);
      expect((await directory.removeFromGroup(ids.alice, ids.financeShare)).ok).toBe(true);
      expect(await inGroup()).toBe(false);
    });

    it('requires MFA re-registration where the directory keeps MFA methods', async () => {
      const { directory, ids, supports } = world();
      const result = await directory.requireMfaReRegistration(ids.alice);
      if (supports.mfa) expect(result).toEqual({ ok: true, value: undefined });
      else expect(result).toMatchObject({ ok: false, reason: 'unsupported' });
    });

    it('answers unreachable, as a value, when the server cannot be reached', async () => {
      const { unreachable, ids } = world();
      const directory = unreachable();
      expect(await directory.find({ kind: 'email', value: 'alice@example.org' })).toMatchObject({ ok: false, reason: 'unreachable' });
      expect(await directory.setPassword(ids.alice, STRONG_PASSWORD)).toMatchObject({ ok: false, reason: 'unreachable' });
    });
  });
}
