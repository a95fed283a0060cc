import { describe, expect, it } from 'vitest';
import { LdapDirectory } from '../../src/directory/ldap-directory.ts';
import { groupDn, personDn, useSlapd } from '../helpers/slapd.ts';
import { directoryContract, STRONG_PASSWORD, value } from '../unit/directory/contract.ts';
import { actionsWorld, POLICY, slack } from '../unit/directory/world.ts';

const slapd = useSlapd();

directoryContract('LDAP on a real slapd (OpenLDAP ppolicy)', () => {
  const { directory, options } = slapd();
  return {
    directory,
    ids: {
      alice: personDn('alice'),
      bob: personDn('bob'),
      carol: personDn('carol'),
      erin: personDn('erin'),
      dave: personDn('dave'),
      financeShare: groupDn('finance-share'),
      missing: personDn('nobody'),
    },
    unreachable: () => new LdapDirectory({ ...options, url: 'ldap://127.0.0.1:9', timeoutMs: 1000 }),
    supports: { unlock: true, mfa: false, objectId: true },
  };
});

describe('LDAP directory on slapd', () => {
  it('sees the lockout ppolicy sets after three failed binds, and unlocks it quickly', async () => {
    const { directory, options } = slapd();
    const { Client } = await import('ldapts');
    for (let i = 0; i < 3; i++) {
      const client = new Client({ url: options.url });
      await expect(client.bind(personDn('frank'), 'wrong-password')).rejects.toMatchObject({ code: 49 });
      await client.unbind();
    }
    expect(value(await directory.status(personDn('frank'))).locked).toBe(true);
    const started = performance.now();
    expect((await directory.unlock(personDn('frank'))).ok).toBe(true);
    const elapsedMs = performance.now() - started;
    console.info(`directory: unlock against slapd took ${elapsedMs.toFixed(1)} ms`);
    expect(elapsedMs).toBeLessThan(2000);
    expect(value(await directory.status(personDn('frank'))).locked).toBe(false);
  });

  it('unlocks through the whole action (identity, policy, audit) well under a second', async () => {
    const { directory, options } = slapd();
    const { Client } = await import('ldapts');
    for (let i = 0; i < 3; i++) {
      const client = new Client({ url: options.url });
      await expect(client.bind(personDn('alice'), 'wrong-password')).rejects.toMatchObject({ code: 49 });
      await client.unbind();
    }
    const world = actionsWorld({ policy: POLICY }, directory);
    const started = performance.now();
    const outcome = await world.ask(slack('alice@example.org'), 'unlock');
    const elapsedMs = performance.now() - started;
    console.info(`directory: unlock action (identify + policy + status + unlock + audit) against slapd took ${elapsedMs.toFixed(1)} ms`);
    expect(outcome).toEqual({ kind: 'done', action: 'unlock', accountId: personDn('alice'), changed: true });
    expect(world.audit.entries).toEqual([expect.objectContaining({ accountId: personDn('alice'), action: 'unlock', result: 'done' })]);
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('refuses a password from the history, naming the policy', async () => {
    const { directory } = slapd();
    expect((await directory.setPassword(personDn('carol'), STRONG_PASSWORD)).ok).toBe(true);
    const result = await directory.setPassword(personDn('carol'), 'carol-initial-pass-1');
    expect(result).toMatchObject({ ok: false, reason: 'password-policy' });
    expect(result.ok ? '' : result.detail).toMatch(/history/i);
  });

  it('answers unreachable when the service account cannot bind', async () => {
    const { options } = slapd();
    const directory = new LdapDirectory({ ...options, bindPassword: 'not-the-password' });
    const result = await directory.status(personDn('alice'));
    expect(result).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(result.ok ? '' : result.detail).toContain(options.bindDn);
  });
});
