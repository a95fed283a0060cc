/**
 * Configuration, read once from the environment and validated. A missing or
 * malformed variable stops start-up with a message naming the variable and
 * what it expects. Secrets are kept out of `describeConfig` (what gets logged).
 */
import { z } from 'zod';
import { GuichetError } from './core/errors.ts';
import { directoryEnvShape, directoryProblems } from './directory/env.ts';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const idList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3978),
  /** Interface to listen on; defaults to loopback in development, all interfaces in production. */
  HOST: optionalString,
  /** SQLite file (`file:./data/guichet.db`) or PostgreSQL URL (`postgresql://user@host:5432/db`). */
  DATABASE_URL: z
    .string()
    .default('file:./data/guichet.db')
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), 'expected "file:<path>" (SQLite) or "postgresql://…"'),
  /**
   * PostgreSQL server where `npm run db:new` / `db:diff` create and drop disposable shadow databases
   * (default: DATABASE_URL when it is a PostgreSQL URL).
   */
  SHADOW_DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'expected "postgresql://…"'),
  DEFAULT_LOCALE: z.enum(['fr', 'en']).default('fr'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Channels to serve: any of web, teams, slack. Default: web, plus Teams and Slack when configured. */
  CHANNELS: optionalString,
  /** Public base URL of this server (links in cards and manifests), e.g. https://guichet.example.org */
  PUBLIC_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  KNOWLEDGE_DIR: z.string().default('knowledge'),
  /**
   * Folder of the start-up caches (the search index, the intent classifier, the knowledge files' list), so
   * that a restart with nothing changed skips their work. Default: `cache` beside the SQLite file, or
   * `data/cache` with PostgreSQL; `off`: none.
   */
  CACHE_DIR: optionalString,
  DIALOGS_DIR: z.string().default('dialogs'),
  CONFIG_DIR: z.string().default('config'),
  /** IANA time zone used to show due times to people whose own zone is unknown. */
  TIME_ZONE: z.string().default('Europe/Paris').refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone such as Europe/Paris'),
  /** The portal's local sign-in form (pick a person by e-mail): development on one machine only. */
  WEB_DEV_SIGNIN: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Signs the portal's session and CSRF cookies; required in production. */
  SESSION_SECRET: optionalString,
  /** A portal session ends after this many minutes without a request, and this many hours after sign-in whatever happens. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1_440).default(60),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  /** Abuse limits, per minute: sign-in attempts per e-mail (×10 per IP); web chat messages per person (×20 per IP); portal API calls per person (×20 per IP). */
  RATE_LIMIT_SIGNIN_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  RATE_LIMIT_CHAT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
  /** OpenID Connect sign-in for the portal: the provider's issuer URL (discovery), the client. */
  OIDC_ISSUER_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  /** Where the provider sends people back; default PUBLIC_URL + /portal/oidc/callback. */
  OIDC_REDIRECT_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  /** Claim holding the person's groups, and the groups that make them admins or agents. */
  OIDC_ROLE_CLAIM: z.string().default('groups'),
  OIDC_ADMIN_GROUPS: idList,
  OIDC_AGENT_GROUPS: idList,
  /** How often the SLA clock looks at open tickets, in seconds (0: not in this process). */
  SLA_TICK_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  /** Turns run at once in this process; the others wait in arrival order (platform acks never wait behind them). */
  TURN_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /** Turns waiting at most; beyond, a new one is refused (web: 503) rather than memory growing without bound. */
  TURN_QUEUE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** On SIGTERM/SIGINT, how long requests and turns in flight may take to finish, in seconds. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(0).max(600).default(25),
  /** The job queue (src/jobs): pause between two polls when idle, in ms. */
  JOBS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** How long a claimed job is left to its instance before another may take it, in seconds. */
  JOBS_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(300),
  /** How long a job written by a change is left to its instance (it runs it at once) before another may, in seconds. */
  JOBS_GRACE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  /** Attempts before a job is dead (listed for admins: npm run jobs -- dead). */
  JOBS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** Jobs run at once by one instance (0: 1 on SQLite, 4 on PostgreSQL). */
  JOBS_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(0),
  /** The on-call paging webhook in the Events API v2 format (PagerDuty, Opsgenie), and its routing key. */
  PAGING_WEBHOOK_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  PAGING_ROUTING_KEY: optionalString,
  // Teams (botbuilder's conventional names)
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /** Where Teams' signing keys are published (a sovereign cloud's, or a local one in tests); default the public cloud's. */
  TEAMS_OPENID_METADATA_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  MicrosoftAppTenantId: optionalString,
  TEAMS_TENANT_IDS: idList,
  // Slack
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  SLACK_TEAM_IDS: idList,
  // GLPI (src/connectors/glpi): "glpi" makes GLPI the system of record of tickets.
  GLPI_MODE: z.enum(['guichet', 'glpi']).default('guichet'),
  /** GLPI's legacy REST API, ending with apirest.php, e.g. https://glpi.example.fr/apirest.php */
  GLPI_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  GLPI_APP_TOKEN: optionalString,
  GLPI_USER_TOKEN: optionalString,
  /** One call's time limit; a new ticket's first try waits no longer before the outbox takes over. */
  GLPI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** How often GLPI is polled for changes, in seconds (0: not in this process; webhooks only). */
  GLPI_POLL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Shared secret GLPI's webhooks send in the X-Guichet-Token header (unset: the webhook is refused). */
  GLPI_WEBHOOK_SECRET: optionalString,
  // The company directory for first-level account actions (src/directory/env.ts; DIRECTORY=none by default).
  ...directoryEnvShape,
  /** Monitoring's webhooks (POST /alerts/alertmanager, /alerts/generic): the bearer token or HMAC-SHA256 key; unset: refused. */
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
});

export type Env = z.output<typeof envSchema>;

/** Every variable Guichet reads at start-up (each is documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);
export type ChannelName = 'web' | 'teams' | 'slack';

export interface Config extends Env {
  host: string;
  channels: Set<ChannelName>;
}

/** Every variable parsed and checked on its own, defaults applied; throws `config.invalid` naming each bad one. */
function parseVariables(env: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}${describeValue(env, i.path[0])}`);
    throw new GuichetError('config.invalid', `config: invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * The settings of a command-line tool (`npm run chat`, `kb`, `db:*`): the same variables, checks and
 * defaults as the server's, without what only serving requires (channel credentials, the portal's
 * sign-in and session secret), so a tool runs wherever its own settings are right.
 */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): Env {
  return parseVariables(env);
}

/** The server's configuration: every variable checked, then what serving the enabled channels and the portal requires. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseVariables(env);
  const production = e.NODE_ENV === 'production';
  const problems: string[] = [];

  const slackConfigured = Boolean(e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET);
  const teamsConfigured = Boolean(e.MicrosoftAppId);
  const channels = e.CHANNELS ? parseChannels(e.CHANNELS, problems) : defaultChannels(production, teamsConfigured, slackConfigured);

  if (channels.has('slack')) {
    if (!e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: required when Slack is enabled (the bot token, xoxb-…)');
    if (!e.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET: required when Slack is enabled (Basic Information › Signing Secret)');
    if (production && e.SLACK_TEAM_IDS.length === 0) problems.push('SLACK_TEAM_IDS: required in production when Slack is enabled (comma-separated workspace ids)');
  }
  if (channels.has('teams') && production) {
    if (!e.MicrosoftAppId) problems.push('MicrosoftAppId: required in production when Teams is enabled (without it every request is accepted unauthenticated)');
    if (e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) problems.push('MicrosoftAppPassword: required in production when Teams is enabled');
    if (e.MicrosoftAppType === 'SingleTenant' && !e.MicrosoftAppTenantId) problems.push('MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant');
    if (e.TEAMS_TENANT_IDS.length === 0) problems.push('TEAMS_TENANT_IDS: required in production when Teams is enabled (comma-separated tenant ids)');
  }
  const host = e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  if (e.WEB_DEV_SIGNIN && (production || !['127.0.0.1', 'localhost', '::1'].includes(host))) {
    problems.push(`WEB_DEV_SIGNIN: the local sign-in lets anyone be anyone; it is refused in production and when listening beyond this machine (HOST=${host})`);
  }
  if (e.GLPI_MODE === 'glpi' && !e.GLPI_URL) problems.push('GLPI_URL: required when GLPI_MODE=glpi (the API URL, ending with apirest.php)');
  if (e.GLPI_MODE === 'glpi' && !e.GLPI_USER_TOKEN) problems.push("GLPI_USER_TOKEN: required when GLPI_MODE=glpi (the service account's API token)");
  if (e.OIDC_ISSUER_URL && !e.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: required with OIDC_ISSUER_URL');
  if (e.OIDC_ISSUER_URL && !e.OIDC_REDIRECT_URL && !e.PUBLIC_URL) problems.push('OIDC_REDIRECT_URL: required with OIDC_ISSUER_URL when PUBLIC_URL is not set');
  if (production && e.OIDC_ISSUER_URL && !e.OIDC_ISSUER_URL.startsWith('https://')) problems.push('OIDC_ISSUER_URL: must be https in production');
  problems.push(...directoryProblems(e));
  if (production && !e.SESSION_SECRET) problems.push('SESSION_SECRET: required in production (signs the portal sessions; 32 random bytes or more)');
  if (problems.length > 0) {
    throw new GuichetError('config.invalid', `config: invalid environment:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return { ...e, host, channels };
}

function defaultChannels(production: boolean, teams: boolean, slack: boolean): Set<ChannelName> {
  const channels = new Set<ChannelName>(['web']);
  // Teams runs with auth off in development, for local tests and the Agents Playground.
  if (teams || !production) channels.add('teams');
  if (slack) channels.add('slack');
  return channels;
}

function parseChannels(value: string, problems: string[]): Set<ChannelName> {
  const channels = new Set<ChannelName>();
  for (const name of value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    if (name === 'web' || name === 'teams' || name === 'slack') channels.add(name);
    else problems.push(`CHANNELS: unknown channel "${name}" (expected a comma-separated list of web, teams, slack)`);
  }
  return channels;
}

const SECRET = /PASSWORD|SECRET|TOKEN/i;

function describeValue(env: NodeJS.ProcessEnv, key: string | number | undefined): string {
  if (typeof key !== 'string' || env[key] === undefined) return '';
  return SECRET.test(key) ? ' (value hidden)' : ` (got "${hideCredentials(String(env[key])).slice(0, 80)}")`;
}

/** A URL's user and password (`postgresql://user:pw@host`) replaced by `***`. */
const hideCredentials = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');

/** What is safe to log about the configuration: no secrets, no credentials in URLs. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    env: config.NODE_ENV,
    listen: `${config.host}:${config.PORT}`,
    database: hideCredentials(config.DATABASE_URL),
    channels: [...config.channels],
    defaultLocale: config.DEFAULT_LOCALE,
    directory: config.DIRECTORY,
  };
}
