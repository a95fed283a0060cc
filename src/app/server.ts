/**
 * The server, composed in one order with nothing bound late: the core (createGuichet: database,
 * stores, knowledge, desk, handoff, flows) first; then the channels, given the core's turn; then
 * their outbound sides registered where the core's notifier and handoff look them up; then the
 * portal and the one Express app. No request is accepted before everything is built.
 */
import type { Server } from 'node:http';
import { loadServices } from '../catalog/services.ts';
import { createWebSender } from '../channels/web/sender.ts';
import { describeConfig, type Config } from '../config.ts';
import { OutboundChannels } from '../core/channel-contract.ts';
import { GuichetError } from '../core/errors.ts';
import { systemClock } from '../core/ports.ts';
import type { SyncReport } from '../knowledge/sync.ts';
import { createLogger, type Logger } from '../log.ts';
import { PrismaArticleStore } from '../persistence/stores/articles.ts';
import { maskingDesk } from '../privacy/masking-desk.ts';
import type { PrivacyAdmin } from '../privacy/ports.ts';
import { portalStores } from '../persistence/stores/portal.ts';
import { createPortal } from '../portal/routes.ts';
import { databaseLimiterStore } from '../persistence/stores/rate-limits.ts';
import { memoryLimiterStore, rateLimits } from '../server/rate-limits.ts';
import type { Timer } from '../channels/kit/channel-pacer.ts';
import { WorkQueue } from '../channels/kit/work-queue.ts';
import { countWaitingEscalations } from '../persistence/stores/ops.ts';
import { alertWebhookMount } from './alerts.ts';
import { createApp } from '../server/app.ts';
import { createMetrics, type JobQueueStatsProvider, type Metrics } from '../server/metrics.ts';
import { createDrain, gracefulStop, InFlight } from '../server/shutdown.ts';
import { instrumentTurn, queued } from '../server/turns.ts';
import { glpiSettingsOf, glpiWebhookMount } from './glpi.ts';
import { openPrivacy } from './privacy.ts';
import { createGuichet, hasTicketDesk, settingsOptions, type Guichet } from './guichet.ts';
import { directoryResetPort } from './open-directory.ts';
import { watchDesks } from '../desks/load.ts';
import { jobSettingsOf, scheduleSlaClock } from './jobs.ts';

export interface Running {
  server: Server;
  log: Logger;
  url: string;
  /** The bot and its desk, for tests and embedding. */
  guichet: Guichet;
  metrics: Metrics;
  /** Graceful: new requests get 503, requests and turns in flight finish (SHUTDOWN_TIMEOUT_SECONDS), then everything stops. */
  stop(): Promise<void>;
}

/** What the job queue module gives the server, when this process has one (metrics and readiness). */
export interface JobQueueHooks extends JobQueueStatsProvider {
  /** Resolves when the queue's store answers. */
  ping(): Promise<void>;
}

export interface StartOptions {
  jobQueue?: JobQueueHooks;
  /** Where log lines go (default stdout). */
  logDestination?: Parameters<typeof createLogger>[1];
  /** The Slack sender's clock (pacing and retry waits); tests pass a virtual one so that hundreds of DMs take no real seconds. */
  slackTimer?: Timer;
}

/** Starts Guichet with `config`; resolves once the server listens. */
export async function start(config: Config, options: StartOptions = {}): Promise<Running> {
  const log = createLogger(config.LOG_LEVEL, options.logDestination);
  log.info(describeConfig(config), 'starting');
  const outbound = new OutboundChannels();
  const guichet = await createGuichet({
    ...settingsOptions(config),
    logger: log,
    onEffectError: (err) => log.warn({ err }, 'work after a turn failed'),
    onError: (err, context) => log.warn({ err, context }, 'background work failed'),
    publicUrl: config.PUBLIC_URL,
    timeZone: config.TIME_ZONE,
    channels: outbound,
    glpi: glpiSettingsOf(config),
    directory: config.DIRECTORY === 'none' ? undefined : { env: config, publicUrl: config.PUBLIC_URL, secret: config.SESSION_SECRET },
    jobs: jobSettingsOf(config),
    paging: config.PAGING_WEBHOOK_URL && config.PAGING_ROUTING_KEY ? { url: config.PAGING_WEBHOOK_URL, routingKey: config.PAGING_ROUTING_KEY } : undefined,
  });
  // Re-pages unacknowledged on-call pages every minute; desks.yml and oncall.yml apply without a restart.
  const stopPaging = guichet.desks?.start(60_000);
  const desks = guichet.desks;
  const stopWatching = desks
    ? watchDesks(config.CONFIG_DIR, () => desks.reload().then(() => log.info('desks.yml / oncall.yml reloaded')), (err) => log.warn({ err }, 'desks.yml / oncall.yml not reloaded'))
    : undefined;
  // Every turn runs through one bounded queue per process, so platform acknowledgements never wait behind turns.
  const turnQueue = new WorkQueue({ concurrency: config.TURN_CONCURRENCY, maxQueued: config.TURN_QUEUE_MAX });
  // The job queue's gauges and readiness: this process's queue (SQLite's runner or pg-boss) unless the caller gives another.
  const jobQueue: JobQueueHooks = options.jobQueue ?? guichet.jobs;
  const metrics = createMetrics({ turnQueue, jobQueue, escalationsWaiting: () => countWaitingEscalations(guichet.db) });
  const turn = instrumentTurn(guichet.turn, { log, metrics });
  const retry = { observe: metrics.platform };
  // The platform SDKs (botbuilder + teams-ai ≈ 90 MB resident, Bolt ≈ 25 MB) are loaded only when their channel is served.
  const teamsModule = config.channels.has('teams') ? await import('../channels/teams/index.ts') : undefined;
  const slackModule = config.channels.has('slack') ? await import('../channels/slack/index.ts') : undefined;
  const teams = teamsModule?.teamsChannelFor(config, { turn: queued(turnQueue, metrics, 'teams', turn), retry, log, isEscalationThread: async (key) => (await guichet.handoff?.isEscalationThread(key)) ?? false });
  // A Slack run (profile, turn, replies) is tracked until its replies are sent; only its turn takes a queue slot
  // (waiting for Slack's pacing must not hold one).
  const slackRuns = new InFlight();
  const slack = slackModule?.slackChannelFor(config, {
    turn: queued(turnQueue, metrics, 'slack', turn),
    admits: () => turnQueue.hasRoom(),
    work: (job) => slackRuns.track(job),
    retry,
    timer: options.slackTimer,
    log,
    defaultLang: config.DEFAULT_LOCALE,
    // The ticket modal's categories, when the core has a ticket desk (it answers the modal and the Home tab).
    services: hasTicketDesk(config.CONFIG_DIR) ? loadServices(config.CONFIG_DIR) : [],
  });
  if (teams && teamsModule) outbound.add({ sender: teams.sender, poster: teams.poster, threadKeyOf: teamsModule.teamsThreadKey });
  if (slack && slackModule) outbound.add({ sender: slack.sender, poster: slack.poster, threadKeyOf: slackModule.slackThreadKey });
  if (config.channels.has('web')) outbound.add({ sender: createWebSender(guichet.deps.conversations, systemClock) });

  // The SLA clock is scheduled work of the job queue: one tick per period across every instance; each tick's
  // warnings and breaches are counted for /metrics.
  if (guichet.scheduler && config.SLA_TICK_SECONDS > 0) {
    scheduleSlaClock(guichet.jobs, guichet.scheduler, config.SLA_TICK_SECONDS, (err, context) => log.warn({ err, context }, 'background work failed'), (report) => metrics.sla(report));
  }
  guichet.jobs.start();
  // Timed accesses end on their date: checked every hour (each removal is recorded once in the database).
  const directory = guichet.directory;
  const grantSweep = directory ? setInterval(() => void directory.expireGrants().catch((err: unknown) => log.warn({ err }, 'ending timed accesses failed')), 3_600_000) : undefined;
  grantSweep?.unref();
  if (guichet.knowledgeSync) log.info(syncSummary(guichet.knowledgeSync), 'knowledge synced');
  // Personal data: the retention job (config/retention.yml) and the admin console's privacy page.
  const privacy = openPrivacy(guichet.db, config, log);
  const desk = guichet.desk;
  const portal = config.channels.has('web') && desk ? createPortal(portalDeps(config, { ...guichet, desk }, privacy.admin)) : undefined;
  const drain = createDrain();
  const app = createApp({
    log,
    checkDatabase: guichet.ping,
    checkQueue: () => jobQueue.ping(),
    metrics,
    drain,
    web: config.channels.has('web')
      ? { turn: queued(turnQueue, metrics, 'web', turn), conversations: guichet.deps.conversations, secureCookies: secureCookies(config), signedIn: portal?.signedIn }
      : undefined,
    before: [
      // The portal's session first (the limits count per person), then the abuse limits.
      ...(portal ? [{ path: '/api/web', handler: portal.resolveSession }, { path: '/portal/api', handler: portal.resolveSession }] : []),
      ...rateLimits({
        store: databaseLimiterStore(guichet.db) ?? memoryLimiterStore,
        settings: { signInPerMinute: config.RATE_LIMIT_SIGNIN_PER_MINUTE, chatPerMinute: config.RATE_LIMIT_CHAT_PER_MINUTE, apiPerMinute: config.RATE_LIMIT_API_PER_MINUTE },
        log,
        ...(portal ? { signedIn: portal.signedIn } : {}),
      }),
    ],
    portal: portal?.router,
    channels: [...(teams ? [teams.mount] : []), ...(slack ? [slack.mount] : []), ...(guichet.glpi ? [glpiWebhookMount(guichet.glpi)] : []),
      ...(guichet.alerts && guichet.incidents ? [alertWebhookMount(guichet.alerts, guichet.incidents, systemClock, config.ALERT_WEBHOOK_SECRET)] : [])],
  });
  // What stops after the server: on a graceful stop, or when it never listened (nothing may keep running behind it).
  const cleanUp: (() => Promise<void> | void)[] = [() => stopPaging?.(), () => privacy.stop(), () => clearInterval(grantSweep), () => stopWatching?.(), () => guichet.close()];
  const server = await listen(app, config).catch(async (err: unknown) => {
    for (const step of cleanUp) await step();
    throw err;
  });
  // Slack in Socket Mode connects out to Slack now that everything is ready.
  await slack?.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  log.info({ url }, 'listening');
  let stopping: Promise<void> | undefined;
  return {
    server,
    log,
    url,
    guichet,
    metrics,
    stop: () =>
      (stopping ??= gracefulStop({
        server,
        drain,
        log,
        turnsIdle: async () => {
          await turnQueue.idle();
          await slackRuns.idle();
        },
        inFlight: () => ({ turnsRunning: turnQueue.stats().running, turnsQueued: turnQueue.stats().queued, slackRuns: slackRuns.size }),
        timeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1_000,
        before: [() => slack?.stop()],
        after: cleanUp,
      }).then(() => undefined)),
  };
}

/**
 * Listens on PORT/HOST. Express 5 calls the listen callback with the error when the port is taken (it
 * used to emit 'error' only): the callback's argument decides, or a taken port would resolve with a
 * server that never listens (a process that looks started and answers nothing).
 */
function listen(app: ReturnType<typeof createApp>, config: Config): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.host, (err?: Error) => {
      if (!err) return resolve(s);
      reject(new GuichetError('server.listen-failed', `server: cannot listen on ${config.host}:${config.PORT}: ${err.message}`, { cause: err }));
    });
  });
}

/** Cookies are Secure in production and whenever the public URL is https (a TLS proxy in front). */
function secureCookies(config: Config): boolean {
  return config.NODE_ENV === 'production' || config.PUBLIC_URL?.startsWith('https:') === true;
}

/** The portal's ports and settings (only with a desk). */
function portalDeps(config: Config, guichet: Guichet & { desk: NonNullable<Guichet['desk']> }, privacy: PrivacyAdmin): Parameters<typeof createPortal>[0] {
  const ports = portalStores(guichet.db);
  return {
    ...ports,
    // What people type in the portal's forms is masked like the chat (passwords, codes, tokens).
    desk: maskingDesk(guichet.desk),
    knowledge: guichet.knowledge,
    secret: config.SESSION_SECRET,
    secureCookies: secureCookies(config),
    sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
    sessionMaxHours: config.SESSION_MAX_HOURS,
    devSignIn: config.WEB_DEV_SIGNIN,
    oidc:
      config.OIDC_ISSUER_URL && config.OIDC_CLIENT_ID
        ? {
            issuerUrl: config.OIDC_ISSUER_URL,
            clientId: config.OIDC_CLIENT_ID,
            clientSecret: config.OIDC_CLIENT_SECRET,
            redirectUrl: config.OIDC_REDIRECT_URL ?? `${config.PUBLIC_URL!.replace(/\/$/, '')}/portal/oidc/callback`,
            roleClaim: config.OIDC_ROLE_CLAIM,
            adminGroups: config.OIDC_ADMIN_GROUPS,
            agentGroups: config.OIDC_AGENT_GROUPS,
            allowHttp: config.NODE_ENV !== 'production',
          }
        : undefined,
    timeZone: config.TIME_ZONE,
    ...(guichet.directory ? { resets: directoryResetPort(guichet.db, guichet.directory) } : {}),
    admin: {
      overview: ports.overview,
      articles: new PrismaArticleStore(guichet.db),
      serviceIds: guichet.deskConfig?.services.map((s) => s.id) ?? [],
      changed: async () => {
        await guichet.knowledge?.refresh(undefined, { cached: false });
      },
      incidents: guichet.incidents,
      waiting: guichet.desks?.console,
      privacy,
    },
  };
}

function syncSummary(report: SyncReport) {
  return {
    created: report.created.length,
    updated: report.updated.length,
    retired: report.retired.length,
    unchanged: report.unchanged,
    skipped: report.skipped.length,
    warnings: report.warnings.length,
  };
}
