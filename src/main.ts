/** Composition root: configuration, database, core, HTTP server. `npm start` runs this. */
import './bootstrap-env.ts';
import type { Server } from 'node:http';
import { slackChannelFor, slackThreadKey } from './channels/slack/index.ts';
import { teamsChannelFor, teamsThreadKey } from './channels/teams/index.ts';
import { describeConfig, loadConfig, type Config } from './config.ts';
import { GuichetError, isGuichetError } from './core/errors.ts';
import { createGuichet, type Guichet } from './guichet.ts';
import { watchDesks } from './desks/load.ts';
import { createWebSender } from './channels/web/sender.ts';
import { systemClock } from './core/ports.ts';
import type { InboundMessage } from './core/messages.ts';
import type { SyncReport } from './knowledge/sync.ts';
import { createLogger, type Logger } from './log.ts';
import { PrismaArticleStore } from './persistence/stores/articles.ts';
import { createPortal } from './portal/routes.ts';
import { portalStores } from './persistence/stores/portal.ts';
import { createApp } from './server/app.ts';

export interface Running {
  server: Server;
  log: Logger;
  url: string;
  /** The bot and its desk, for tests and embedding. */
  guichet: Guichet;
  stop(): Promise<void>;
}

/** Starts Guichet with `config`; resolves once the server listens. */
export async function start(config: Config): Promise<Running> {
  const log = createLogger(config.LOG_LEVEL);
  log.info(describeConfig(config), 'starting');
  // The channels need the core's turn and the core needs the channels' senders: the turn is bound late.
  let guichet: Guichet | undefined;
  const turn = (message: InboundMessage) => {
    if (!guichet) throw new GuichetError('app.not-started', 'guichet: a message arrived before start-up finished');
    return guichet.turn(message);
  };
  const teams = teamsChannelFor(config, { turn, log, isEscalationThread: async (key) => (await guichet?.handoff?.isEscalationThread(key)) ?? false });
  const slack = slackChannelFor(config, {
    turn,
    log,
    defaultLang: config.DEFAULT_LOCALE,
    // The ticket form and the Home tab need the desk, which exists once the core is built.
    tickets: () =>
      guichet?.desk && guichet.deskConfig
        ? { desk: guichet.desk, users: guichet.deps.users, conversations: guichet.deps.conversations, services: guichet.deskConfig.services }
        : undefined,
  });
  guichet = await createGuichet({
    databaseUrl: config.DATABASE_URL,
    defaultLang: config.DEFAULT_LOCALE,
    knowledgeDir: config.KNOWLEDGE_DIR,
    configDir: config.CONFIG_DIR,
    dialogsDir: config.DIALOGS_DIR,
    logger: log,
    onEffectError: (err) => log.warn({ err }, 'work after a turn failed'),
    onError: (err, context) => log.warn({ err, context }, 'background work failed'),
    publicUrl: config.PUBLIC_URL,
    timeZone: config.TIME_ZONE,
    senders: [
      ...(teams ? [teams.sender] : []),
      ...(slack ? [slack.sender] : []),
      ...(config.channels.has('web') ? [createWebSender({ appendProactive: (...args) => guichet!.deps.conversations.appendProactive(...args) }, systemClock)] : []),
    ],
    posters: [...(teams ? [teams.poster] : []), ...(slack ? [slack.poster] : [])],
    threadKeyOf: (platform, post) => (platform === 'teams' ? teamsThreadKey(post) : platform === 'slack' ? slackThreadKey(post) : null),
    paging: config.PAGING_WEBHOOK_URL && config.PAGING_ROUTING_KEY ? { url: config.PAGING_WEBHOOK_URL, routingKey: config.PAGING_ROUTING_KEY } : undefined,
  });
  // Re-pages unacknowledged on-call pages every minute; desks.yml and oncall.yml apply without a restart.
  const stopPaging = guichet.desks?.start(60_000);
  const desks = guichet.desks;
  const stopWatching = desks
    ? watchDesks(config.CONFIG_DIR, () => desks.reload().then(() => log.info('desks.yml / oncall.yml reloaded')), (err) => log.warn({ err }, 'desks.yml / oncall.yml not reloaded'))
    : undefined;
  if (guichet.scheduler && config.SLA_TICK_SECONDS > 0) {
    // Ticking in every instance is safe: each SLA event is recorded once, the database deduplicates.
    guichet.scheduler.start(config.SLA_TICK_SECONDS * 1_000);
  }
  if (guichet.knowledgeSync) log.info(syncSummary(guichet.knowledgeSync), 'knowledge synced');
  const portalPorts = portalStores(guichet.db);
  const portal =
    config.channels.has('web') && guichet.desk
      ? createPortal({
          ...portalPorts,
          desk: guichet.desk,
          knowledge: guichet.knowledge,
          secret: config.SESSION_SECRET,
          secureCookies: config.NODE_ENV === 'production',
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
          admin: {
            overview: portalPorts.overview,
            articles: new PrismaArticleStore(guichet.db),
            serviceIds: guichet.deskConfig?.services.map((s) => s.id) ?? [],
            changed: async () => {
              await guichet?.knowledge?.refresh();
            },
            incidents: guichet.incidents,
            waiting: guichet.desks?.console,
          },
        })
      : undefined;
  const app = createApp({
    log,
    checkDatabase: guichet.ping,
    web: config.channels.has('web')
      ? { turn: guichet.turn, conversations: guichet.deps.conversations, secureCookies: config.NODE_ENV === 'production', signedIn: portal?.signedIn }
      : undefined,
    portal: portal?.router,
    channels: [...(teams ? [teams.mount] : []), ...(slack ? [slack.mount] : [])],
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.host, () => resolve(s));
    s.once('error', reject);
  });
  // Slack in Socket Mode connects out to Slack now that everything is ready.
  await slack?.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  log.info({ url }, 'listening');
  const started = guichet;
  return {
    server,
    log,
    url,
    guichet: started,
    stop: async () => {
      stopPaging?.();
      stopWatching?.();
      await slack?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await guichet.close();
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

const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));

if (isEntryPoint) {
  try {
    const running = await start(loadConfig());
    const shutdown = (signal: string) => {
      running.log.info({ signal }, 'stopping');
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  } catch (err) {
    process.stderr.write(`guichet: cannot start: ${isGuichetError(err) ? err.message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  }
}
