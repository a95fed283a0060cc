/**
 * The directory's variables (documented in .env.example), validated with zod: which directory
 * (DIRECTORY=ldap|graph|none, default none: nothing changes), its connection and credentials, the
 * SMTP server for one-time codes. `directoryEnvShape` joins src/config.ts's schema (so the server
 * reads them once, with the rest); `directoryProblems` says what a chosen directory still lacks.
 */
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import { describeIssue } from '../core/zod-issue.ts';

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' || v === undefined ? undefined : v));
const optionalUrl = optional.refine((v) => v === undefined || URL.canParse(v), 'expected a URL');
const optionalNumber = optional.refine((v) => v === undefined || /^\d+$/.test(v), 'expected a whole number').transform((v) => (v === undefined ? undefined : Number(v)));

/** The directory's variables, each checked on its own (src/config.ts spreads them into its schema). */
export const directoryEnvShape = {
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
};

/** What the chosen directory still lacks, one line per variable ("LDAP_URL: is required when DIRECTORY=ldap"). */
export function directoryProblems(env: DirectoryEnv): string[] {
  const need = (names: (keyof DirectoryEnv)[]) => names.filter((name) => env[name] === undefined).map((name) => `${name}: is required when DIRECTORY=${env.DIRECTORY}`);
  if (env.DIRECTORY === 'ldap') return need(['LDAP_URL', 'LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_BASE_DN', 'SMTP_URL', 'SMTP_FROM']);
  if (env.DIRECTORY === 'graph') return need(['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'GRAPH_AUTHORITY_URL', 'GRAPH_API_URL', 'SMTP_URL', 'SMTP_FROM']);
  return [];
}

/** The shape with the cross-field requirements: what a directory test or tool validates on its own. */
export const directoryEnvSchema = z.object(directoryEnvShape).superRefine((env, ctx) => {
  for (const problem of directoryProblems(env)) {
    const [name = '', message = ''] = problem.split(': ');
    ctx.addIssue({ code: 'custom', path: [name], message });
  }
});

export type DirectoryEnv = z.output<z.ZodObject<typeof directoryEnvShape>>;

/** Reads the directory's variables from `env`; an error names the variable. */
export function loadDirectoryEnv(env: NodeJS.ProcessEnv = process.env): DirectoryEnv {
  const parsed = directoryEnvSchema.safeParse(env);
  if (!parsed.success) throw new GuichetError('directory.invalid-config', `directory: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

