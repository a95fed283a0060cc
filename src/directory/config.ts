/**
 * Builds the configured directory adapter from the environment's directory variables (./env.ts).
 */
import type { AccountDirectory } from '../core/directory.ts';
import type { DirectoryEnv } from './env.ts';
import { GraphDirectory } from './graph-directory.ts';
import { LdapDirectory } from './ldap-directory.ts';

export { directoryEnvSchema, loadDirectoryEnv, type DirectoryEnv } from './env.ts';

/** The configured directory, or undefined with DIRECTORY=none. */
export function createDirectory(env: DirectoryEnv): AccountDirectory | undefined {
  if (env.DIRECTORY === 'ldap') {
    return new LdapDirectory({
      url: env.LDAP_URL!,
      bindDn: env.LDAP_BIND_DN!,
      bindPassword: env.LDAP_BIND_PASSWORD!,
      baseDn: env.LDAP_BASE_DN!,
      flavour: env.LDAP_FLAVOUR,
      ...(env.LDAP_OBJECT_ID_ATTRIBUTE ? { objectIdAttribute: env.LDAP_OBJECT_ID_ATTRIBUTE } : {}),
      ...(env.LDAP_RECOVERY_EMAIL_ATTRIBUTE ? { recoveryEmailAttribute: env.LDAP_RECOVERY_EMAIL_ATTRIBUTE } : {}),
      ...(env.LDAP_PASSWORD_POLICY_DN ? { passwordPolicyDn: env.LDAP_PASSWORD_POLICY_DN } : {}),
      ...(env.LDAP_MAX_PASSWORD_AGE_DAYS !== undefined ? { maxPasswordAgeDays: env.LDAP_MAX_PASSWORD_AGE_DAYS } : {}),
      ...(env.LDAP_LOCKOUT_MINUTES !== undefined ? { lockoutMinutes: env.LDAP_LOCKOUT_MINUTES } : {}),
    });
  }
  if (env.DIRECTORY === 'graph') {
    return new GraphDirectory({
      tenantId: env.GRAPH_TENANT_ID!,
      clientId: env.GRAPH_CLIENT_ID!,
      clientSecret: env.GRAPH_CLIENT_SECRET!,
      authorityUrl: env.GRAPH_AUTHORITY_URL!.replace(/\/$/, ''),
      apiUrl: env.GRAPH_API_URL!.replace(/\/$/, ''),
      ...(env.GRAPH_MAX_PASSWORD_AGE_DAYS !== undefined ? { maxPasswordAgeDays: env.GRAPH_MAX_PASSWORD_AGE_DAYS } : {}),
    });
  }
  return undefined;
}
