/**
 * The directory's configuration from the environment (documented in .env.example), validated with
 * zod: which directory (DIRECTORY=ldap|graph|none, default none: nothing changes), its connection and
 * credentials, the SMTP server for one-time codes. `createDirectory` builds the adapter from it.
 * Separate from src/config.ts so the lead can plug `directoryEnvSchema` in where the rest is read.
 */
import { z } from 'zod';
import type { AccountDirectory } from '../core/directory.ts';
import { GuichetError } from '../core/errors.ts';
import { describeIssue } from '../core/zod-issue.ts';
import { GraphDirectory } from './graph-directory.ts';
import { LdapDirectory } from './ldap-directory.ts';

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' || v === undefined ? undefined : v));
const optionalUrl = optional.refine((v) => v === undefined || URL.canParse(v), 'expected a URL');
const optionalNumber = optional.refine((v) => v === undefined || /^\d+$/.test(v), 'expected a whole number').transform((v) => (v === undefined ? undefined : Number(v)));

export const directoryEnvSchema = z
  .object({
    DIRECTORY: optional.pipe(z.enum(['ldap', 'graph', 'none']).default('none')),
    /** ldap://host:389 or ldaps://host:636 (Active Directory password changes need ldaps://). */
    LDAP_URL: optionalUrl.refine((v) => v === undefined || /^ldaps?:\/\//.test(v), 'expected ldap:// or ldaps://'),
    LDAP_BIND_DN: optional,
    LDAP_BIND_PASSWORD: optional,
    LDAP_BASE_DN: optional,
    /** openldap (ppolicy) or active-directory. */
    LDAP_FLAVOUR: optional.pipe(z.enum(['openldap', 'active-directory']).default('openldap')),
    LDAP_OBJECT_ID_ATTRIBUTE: optional,
    LDAP_RECOVERY_EMAIL_ATTRIBUTE: optional,
    LDAP_PASSWORD_POLICY_DN: optional,
    /** Active Directory: the domain's maximum password age (days) and lockout duration (minutes). */
    LDAP_MAX_PASSWORD_AGE_DAYS: optionalNumber,
    LDAP_LOCKOUT_MINUTES: optionalNumber,
    GRAPH_TENANT_ID: optional,
    GRAPH_CLIENT_ID: optional,
    GRAPH_CLIENT_SECRET: optional,
    GRAPH_AUTHORITY_URL: optionalUrl,
    GRAPH_API_URL: optionalUrl,
    GRAPH_MAX_PASSWORD_AGE_DAYS: optionalNumber,
    /** SMTP server for one-time codes: smtp://host:25 or smtps://user:pass@host:465. */
    SMTP_URL: optionalUrl.refine((v) => v === undefined || /^smtps?:\/\//.test(v), 'expected smtp:// or smtps://'),
    SMTP_FROM: optional,
    /** The policy file (default config/directory-actions.yml). */
    DIRECTORY_ACTIONS_FILE: optional.transform((v) => v ?? 'config/directory-actions.yml'),
  })
  .superRefine((env, ctx) => {
    const need = (names: (keyof typeof env)[]) => {
      for (const name of names) {
        if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is required when DIRECTORY=${env.DIRECTORY}` });
      }
    };
    if (env.DIRECTORY === 'ldap') need(['LDAP_URL', 'LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_BASE_DN', 'SMTP_URL', 'SMTP_FROM']);
    if (env.DIRECTORY === 'graph') {
      need(['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'GRAPH_AUTHORITY_URL', 'GRAPH_API_URL', 'SMTP_URL', 'SMTP_FROM']);
    }
  });

export type DirectoryEnv = z.infer<typeof directoryEnvSchema>;

/** Reads the directory's variables from `env`; an error names the variable. */
export function loadDirectoryEnv(env: NodeJS.ProcessEnv = process.env): DirectoryEnv {
  const parsed = directoryEnvSchema.safeParse(env);
  if (!parsed.success) throw new GuichetError('directory.invalid-config', `directory: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

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
