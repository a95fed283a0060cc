/**
 * A real OpenLDAP for a test file: started in beforeAll on its own port and temp folder, seeded from
 * scripts/slapd/seed.ldif, stopped and removed in afterAll. Nothing is skipped when slapd is missing:
 * the start fails saying how to install it (CI installs it in .ci/run).
 */
import { afterAll, beforeAll } from 'vitest';
import { LdapDirectory, type LdapDirectoryOptions } from '../../src/directory/ldap-directory.ts';
import { SLAPD_BASE_DN, SLAPD_BIND_DN, SLAPD_BIND_PASSWORD, SLAPD_POLICY_DN, startSlapd, type Slapd } from '../../scripts/slapd.ts';

export { SLAPD_BASE_DN } from '../../scripts/slapd.ts';

/** The seeded entry of `uid` (a person) or `cn` (a group). */
export const personDn = (uid: string) => `uid=${uid},ou=people,${SLAPD_BASE_DN}`;
export const groupDn = (cn: string) => `cn=${cn},ou=groups,${SLAPD_BASE_DN}`;

export interface SlapdFixture {
  slapd: Slapd;
  options: LdapDirectoryOptions;
  directory: LdapDirectory;
}

/** Starts slapd for this file; the returned getter is valid inside tests and hooks. */
export function useSlapd(): () => SlapdFixture {
  let fixture: SlapdFixture | undefined;
  beforeAll(async () => {
    const slapd = await startSlapd();
    const options: LdapDirectoryOptions = {
      url: slapd.url,
      bindDn: SLAPD_BIND_DN,
      bindPassword: SLAPD_BIND_PASSWORD,
      baseDn: SLAPD_BASE_DN,
      flavour: 'openldap',
      objectIdAttribute: 'employeeNumber',
      passwordPolicyDn: SLAPD_POLICY_DN,
      timeoutMs: 3000,
    };
    fixture = { slapd, options, directory: new LdapDirectory(options) };
  });
  afterAll(async () => {
    await fixture?.slapd.stop();
  });
  return () => {
    if (!fixture) throw new Error('slapd: not started (useSlapd() must be called at the top of a describe or file)');
    return fixture;
  };
}
