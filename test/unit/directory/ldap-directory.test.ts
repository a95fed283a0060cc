import { describe, expect, it } from 'vitest';
import { LdapDirectory } from '../../../src/directory/ldap-directory.ts';

const ad = { bindDn: 'CN=svc-guichet,OU=Services,DC=corp,DC=example,DC=org', bindPassword: 'x', baseDn: 'DC=corp,DC=example,DC=org', flavour: 'active-directory' as const, timeoutMs: 500 };

describe('LDAP directory without a server', () => {
  it('refuses to send an Active Directory password over plain ldap://, before connecting', async () => {
    const directory = new LdapDirectory({ ...ad, url: 'ldap://127.0.0.1:9' });
    const result = await directory.setPassword('CN=Alice Martin,OU=Staff,DC=corp,DC=example,DC=org', 'Correct-Horse-Battery-9');
    expect(result).toEqual({ ok: false, reason: 'refused', detail: 'ldap directory: Active Directory sets unicodePwd over ldaps:// only; LDAP_URL is not ldaps://' });
  });

  it('says MFA lives elsewhere', async () => {
    expect(await new LdapDirectory({ ...ad, url: 'ldaps://127.0.0.1:9' }).requireMfaReRegistration()).toMatchObject({ ok: false, reason: 'unsupported' });
  });

  it('says unreachable, naming the URL, when nothing listens', async () => {
    const result = await new LdapDirectory({ ...ad, url: 'ldap://127.0.0.1:9' }).status('CN=x');
    expect(result).toMatchObject({ ok: false, reason: 'unreachable', detail: expect.stringContaining('ldap://127.0.0.1:9') });
  });
});
