/**
 * The server, composed in one order with nothing bound late: the core (createGuichet: database,
 * stores, knowledge, desk, handoff, flows) first; then the channels, given the core's turn; then
 * their outbound sides registered where the core's notifier and handoff look them up; then the
 * portal and the one Express app. No request is accepted before everything is built.
 */
import type { Server } from 'node:http';
import { loadServices } from '../catalog/services.ts';
import { slackChannelFor } from '../channels/slack/channel.ts';
import { slackThreadKey } from '../channels/slack/poster.ts';
import { teamsChannelFor, teamsThreadKey } from '../channels/teams/index.ts';
import { createWebSender } from '../channels/web/sender.ts';
import { describeConfig, type Config } from '../config.ts';
import { OutboundChannels } from '../core/channel-contract.ts';
import { systemClock } from '../core/ports.ts';
import type { SyncReport } from '../knowledge/sync.ts';
import { createLogger, type Logger } from '../log.ts';
import { PrismaArticleStore } from '../persistence/stores/articles.ts';
import { portalStores } from '../persistence/stores/portal.ts';
import { createPortal } from '../portal/routes.ts';
import { createApp } from '../server/app.ts';
import { glpiSettingsOf, glpiWebhookMount } from './glpi.ts';
import { createGuichet, hasTicketDesk, settingsOptions, type Guichet } from './guichet.ts';
import { watchDesks } from '../desks/load.ts';
import { jobSettingsOf, scheduleSlaClock } from './jobs.ts';

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
    jobs: jobSettingsOf(config),
    paging: config.PAGING_WEBHOOK_URL && config.PAGING_ROUTING_KEY ? { url: config.PAGING_WEBHOOK_URL, routingKey: config.PAGING_ROUTING_KEY } : undefined,
  });
  // Polling and retries in this process (each change is applied once: marks in the database).
  guichet.glpi?.start();
  // Re-pages unacknowledged on-call pages every minute; desks.yml and oncall.yml apply without a restart.
  const stopPaging = guichet.desks?.start(60_000);
  const desks = guichet.desks;
  const stopWatching = desks
    ? watchDesks(config.CONFIG_DIR, () => desks.reload().then(() => log.info('desks.yml / oncall.yml reloaded')), (err) => log.warn({ err }, 'desks.yml / oncall.yml not reloaded'))
    : undefined;
  const teams = teamsChannelFor(config, { turn: guichet.turn, log, isEscalationThread: async (key) => (await guichet.handoff?.isEscalationThread(key)) ?? false });
  const slack = slackChannelFor(config, {
    turn: guichet.turn,
    log,
    defaultLang: config.DEFAULT_LOCALE,
    // The ticket modal's categories, when the core has a ticket desk (it answers the modal and the Home tab).
    services: hasTicketDesk(config.CONFIG_DIR) ? loadServices(config.CONFIG_DIR) : [],
  });
  if (teams) outbound.add({ sender: teams.sender, poster: teams.poster, threadKeyOf: teamsThreadKey });
  if (slack) outbound.add({ sender: slack.sender, poster: slack.poster, threadKeyOf: slackThreadKey });
  if (config.channels.has('web')) outbound.add({ sender: createWebSender(guichet.deps.conversations, systemClock) });

  // The SLA clock is scheduled work of the job queue: one tick per period across every instance.
  if (guichet.scheduler && config.SLA_TICK_SECONDS > 0) scheduleSlaClock(guichet.jobs, guichet.scheduler, config.SLA_TICK_SECONDS, (err, context) => log.warn({ err, context }, 'background work failed'));
  guichet.jobs.start();
  if (guichet.knowledgeSync) log.info(syncSummary(guichet.knowledgeSync), 'knowledge synced');
  const desk = guichet.desk;
  const portal = config.channels.has('web') && desk ? createPortal(portalDeps(config, { ...guichet, desk })) : undefined;
  const app = createApp({
    log,
    checkDatabase: guichet.ping,
    web: config.channels.has('web')
      ? { turn: guichet.turn, conversations: guichet.deps.conversations, secureCookies: config.NODE_ENV === 'production', signedIn: portal?.signedIn }
      : undefined,
    portal: portal?.router,
    channels: [...(teams ? [teams.mount] : []), ...(slack ? [slack.mount] : []), ...(guichet.glpi ? [glpiWebhookMount(guichet.glpi)] : [])],
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
  return {
    server,
    log,
    url,
    guichet,
    stop: async () => {
      stopPaging?.();
      stopWatching?.();
      await slack?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await guichet.close();
    },
  };
}

/** The portal's ports and settings (only with a desk). */
function portalDeps(config: Config, guichet: Guichet & { desk: NonNullable<Guichet['desk']> }): Parameters<typeof createPortal>[0] {
  const ports = portalStores(guichet.db);
  return {
    ...ports,
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
      overview: ports.overview,
      articles: new PrismaArticleStore(guichet.db),
      serviceIds: guichet.deskConfig?.services.map((s) => s.id) ?? [],
      changed: async () => {
        await guichet.knowledge?.refresh();
      },
      incidents: guichet.incidents,
      waiting: guichet.desks?.console,
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
