import { describe, expect, it } from 'vitest';
import { directoryKeys, identify } from '../../../src/directory/identity.ts';
import { LdapDirectory } from '../../../src/directory/ldap-directory.ts';
import { memoryDirectory } from './seed.ts';
import { slack, teams } from './world.ts';

describe('identity first', () => {
  it('maps a Teams object id to its one entry', async () => {
    const outcome = await identify(memoryDirectory(), teams('11111111-1111-1111-1111-111111111111'));
    expect(outcome).toMatchObject({ kind: 'found', account: { id: 'alice' } });
  });

  it("falls back to the Teams sign-in e-mail when the object id finds nothing", async () => {
    const outcome = await identify(memoryDirectory(), teams('00000000-0000-0000-0000-000000000000', 'bob@example.org'));
    expect(outcome).toMatchObject({ kind: 'found', account: { id: 'bob' } });
  });

  it("maps a Slack user's verified e-mail, and refuses an unverified one without asking the directory", async () => {
    expect(await identify(memoryDirectory(), slack('alice@example.org'))).toMatchObject({ kind: 'found', account: { id: 'alice' } });
    expect(await identify(memoryDirectory(), slack('alice@example.org', false))).toEqual({ kind: 'refused', reason: 'unverified-identity' });
  });

  it('maps a web OIDC identity by its verified e-mail claim', async () => {
    const web = { channel: 'web' as const, subject: 'oidc|42', email: 'carol@example.org', emailVerified: true };
    expect(await identify(memoryDirectory(), web)).toMatchObject({ kind: 'found', account: { id: 'carol' } });
    expect(directoryKeys({ ...web, emailVerified: false })).toEqual([]);
  });

  it('refuses when no entry or several entries match', async () => {
    expect(await identify(memoryDirectory(), slack('nobody@example.org'))).toEqual({ kind: 'refused', reason: 'no-entry' });
    expect(await identify(memoryDirectory(), slack('shared@example.org'))).toEqual({ kind: 'refused', reason: 'several-entries' });
  });

  it('says the directory failed when it cannot be reached', async () => {
    const directory = Object.assign(memoryDirectory(), { unreachable: true });
    expect(await identify(directory, slack('alice@example.org'))).toMatchObject({ kind: 'failed', reason: 'unreachable' });
  });

  it('passes over a key the directory cannot use (an LDAP without the object id attribute)', async () => {
    const ldap = new LdapDirectory({ url: 'ldap://127.0.0.1:9', bindDn: 'cn=x', bindPassword: 'x', baseDn: 'dc=x', flavour: 'openldap', timeoutMs: 500 });
    expect(await identify(ldap, teams('11111111-1111-1111-1111-111111111111', 'alice@example.org'))).toMatchObject({ kind: 'failed', reason: 'unreachable' });
  });
});
