/**
 * Every `GuichetError` code of src/, per module: a code is `<module>.<what went wrong>`, the module
 * being the folder that throws it (STYLE: "ticketing.invalid-calendar", not "tickets."). Callers
 * match codes (`err.code === 'ticketing.not-found'`), so a code is part of a module's interface:
 * add one here when a module starts throwing it (test/unit/core/error-codes.test.ts checks that
 * every code thrown or matched in src/ is listed).
 *
 * The compiler enforces it too: `GuichetError.code` is a `GuichetErrorCode`, so a code that is not
 * listed here does not compile.
 */
/** Checks that each module's codes start with the module's name. */
const perModule = <const T extends { [M in keyof T]: readonly `${M & string}.${string}`[] }>(codes: T): T => codes;

export const ERROR_CODES = perModule({
  analytics: ['analytics.invalid-period'],
  /** bench/: the benchmarks' own data checks. */
  bench: ['bench.no-test-split', 'bench.no-train-split'],
  /** The composition root (src/app/, started by src/main.ts). */
  app: ['app.not-started'],
  /** src/channels/kit: what the channels share (the bounded turn queue). */
  channels: ['channels.overloaded'],
  cli: ['cli.invalid-option'],
  /** Settings and the desk's configuration files (config/*.yml: services, calendars, groups). */
  config: ['config.invalid', 'config.services', 'config.unreadable'],
  /** src/connectors: other service desks (GLPI). */
  connectors: ['connectors.glpi-bad-answer', 'connectors.glpi-corrupt-row', 'connectors.glpi-mapping', 'connectors.glpi-no-link', 'connectors.glpi-refused', 'connectors.glpi-unreachable'],
  core: ['core.conversation-conflict', 'core.invalid-inbound'],
  /** src/desks: desks, live queue, on-call paging. */
  desks: ['desks.page-failed'],
  /** src/directory: the account directory's settings and action policy. */
  directory: ['directory.invalid-config', 'directory.invalid-policy', 'directory.busy', 'directory.invalid-reset'],
  database: ['database.bad-url', 'database.closed', 'database.connect-failed', 'database.migration-failed'],
  flows: ['flows.invalid', 'flows.loop', 'flows.no-route', 'flows.unknown-node', 'flows.wrong-state'],
  handoff: ['handoff.unknown-ticket'],
  /** src/nlu: the intent classifier and its data set. */
  intents: ['intents.data-invalid', 'intents.data-not-found', 'intents.invalid-example', 'intents.invalid-option', 'intents.invalid-snapshot', 'intents.no-examples'],
  /** src/jobs: the job queue (outbox, runner). */
  jobs: ['jobs.corrupt-row', 'jobs.duplicate-handler', 'jobs.given-up', 'jobs.invalid-option', 'jobs.no-handler', 'jobs.not-dead', 'jobs.not-delivered', 'jobs.not-ready', 'jobs.relay-needs-postgres'],
  knowledge: ['knowledge.concurrent-change', 'knowledge.corrupt-row', 'knowledge.duplicate-article', 'knowledge.ids-exhausted', 'knowledge.invalid', 'knowledge.unknown-article'],
  /** src/nlu/routing-config.ts: the router's settings (config/other-services.yml, security.yml). */
  nlu: ['nlu.invalid-config'],
  portal: ['portal.oidc-no-flow', 'portal.oidc-no-subject'],
  /** src/privacy: exports, erasures, retention periods (config/retention.yml). */
  privacy: ['privacy.invalid-retention', 'privacy.unknown-person'],
  /** scripts/manifest-*.ts: the Teams and Slack app packages. */
  manifest: ['manifest.invalid', 'manifest.invalid-env', 'manifest.template'],
  /** src/persistence/migrate: the offline migration engine. */
  migrate: [
    'migrate.bad-database-name',
    'migrate.bad-name',
    'migrate.create-database-failed',
    'migrate.diff-failed',
    'migrate.drop-database-failed',
    'migrate.engine-unavailable',
    'migrate.failed',
    'migrate.no-postgres-server',
    'migrate.no-schema',
    'migrate.status-failed',
  ],
  /** src/server and src/app/server.ts: the HTTP edge (readiness checks, listening). */
  server: ['server.check-timeout', 'server.listen-failed'],
  slack: ['slack.invalid-reference', 'slack.manifest', 'slack.misconfigured', 'slack.no-dm', 'slack.no-personal-channel', 'slack.send-failed'],
  /** src/nlu/synonyms.ts: the synonym file of the knowledge folder. */
  synonyms: ['synonyms.invalid'],
  teams: ['teams.invalid-address', 'teams.invalid-reference', 'teams.lookup-timeout', 'teams.post-failed', 'teams.send-failed'],
  ticketing: [
    'ticketing.calendar-too-sparse',
    'ticketing.conflict',
    'ticketing.forbidden',
    'ticketing.illegal-transition',
    'ticketing.invalid',
    'ticketing.invalid-alert',
    'ticketing.invalid-calendar',
    'ticketing.invalid-minutes',
    'ticketing.not-found',
  ],
  web: ['web.invalid-reference', 'web.no-conversation'],
});

export type ErrorModule = keyof typeof ERROR_CODES;
/** The codes of one module, e.g. `ErrorCodeOf<'flows'>` = 'flows.invalid' | 'flows.loop' | …. */
export type ErrorCodeOf<M extends ErrorModule> = (typeof ERROR_CODES)[M][number];

export type AnalyticsErrorCode = ErrorCodeOf<'analytics'>;
export type AppErrorCode = ErrorCodeOf<'app'>;
export type CliErrorCode = ErrorCodeOf<'cli'>;
export type ConfigErrorCode = ErrorCodeOf<'config'>;
export type CoreErrorCode = ErrorCodeOf<'core'>;
export type DirectoryErrorCode = ErrorCodeOf<'directory'>;
export type DatabaseErrorCode = ErrorCodeOf<'database'>;
export type DesksErrorCode = ErrorCodeOf<'desks'>;
export type FlowsErrorCode = ErrorCodeOf<'flows'>;
export type HandoffErrorCode = ErrorCodeOf<'handoff'>;
export type IntentsErrorCode = ErrorCodeOf<'intents'>;
export type JobsErrorCode = ErrorCodeOf<'jobs'>;
export type KnowledgeErrorCode = ErrorCodeOf<'knowledge'>;
export type MigrateErrorCode = ErrorCodeOf<'migrate'>;
export type NluErrorCode = ErrorCodeOf<'nlu'>;
export type PortalErrorCode = ErrorCodeOf<'portal'>;
export type PrivacyErrorCode = ErrorCodeOf<'privacy'>;
export type SlackErrorCode = ErrorCodeOf<'slack'>;
export type SynonymsErrorCode = ErrorCodeOf<'synonyms'>;
export type TeamsErrorCode = ErrorCodeOf<'teams'>;
export type TicketingErrorCode = ErrorCodeOf<'ticketing'>;
export type WebErrorCode = ErrorCodeOf<'web'>;

/** Every code a GuichetError may carry. */
export type GuichetErrorCode = ErrorCodeOf<ErrorModule>;

/** Every code, as a set (for checks). */
export const ALL_ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ERROR_CODES).flat());
