/**
 * The Slack channel: `POST /slack/events` (or Socket Mode), a ChannelSender for the Notifier and an AgentChannelPoster for agents' channels.
 * How a request travels and when it is acked: docs/slack.md, "How the adapter is built".
 */
import type express from 'express';
import type { Config } from '../../config.ts';
import type { ChannelMount } from '../../core/channel-contract.ts';
import { GuichetError } from '../../core/errors.ts';
import { yieldToLoop } from '../../core/event-loop.ts';
import type { TurnResult } from '../../core/handle-turn.ts';
import type { Lang } from '../../core/lang.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { AgentChannelPoster } from '../../core/ports.ts';
import type { Logger } from '../../log.ts';
import type { PacingPolicy, Timer } from '../kit/channel-pacer.ts';
import type { RetryPolicy } from '../kit/retry.ts';
import { SlackDirectory, type BotIdentity } from './directory.ts';
import { admit, fromBlockActions, fromEvent, fromHomeOpened, fromSlashCommand, fromViewSubmission, type Translation } from './inbound.ts';
import { TICKET_MODAL, type SlackService } from './modal.ts';
import { createSlackAgentPoster } from './poster.ts';
import { createBoltApp, createWebClient } from './receiver.ts';
import { withSlackEditing } from './editable.ts';
import { createSlackSender, type SlackSender } from './sender.ts';
import { createSurfaces } from './surfaces.ts';
import { createTurnRunner } from './turns.ts';

export const SLACK_PATH = '/slack/events';

/** The Slack channel for `config`, or undefined when Slack is not among config.channels. */
export function slackChannelFor(config: Config, deps: Omit<SlackChannelDeps, 'config'>): SlackChannel | undefined {
  return config.channels.has('slack') ? createSlackChannel({ config, ...deps }) : undefined;
}

export interface SlackChannelDeps {
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'SLACK_TEAM_IDS'>;
  turn(message: InboundMessage): Promise<TurnResult>;
  log: Logger;
  /** The ticket modal's categories: the service catalogue, when the core has a ticket desk (else `/guichet` alone shows the help). */
  services?: readonly SlackService[];
  /** Language of the modal (and of a Home tab without tickets) when Slack's locale does not say (default "fr"). */
  defaultLang?: Lang;
  /** How long a modal submission may wait for the ticket before acking anyway (default 2 500 ms; Slack allows 3 s). */
  submissionBudgetMs?: number;
  /** Guichet's bot id and bot user id, when known (else one auth.test on the first request). */
  bot?: BotIdentity;
  /** Hold each HTTP response until the turn is over (deterministic tests; never in production: Slack wants its 200 within 3 s). */
  processBeforeResponse?: boolean;
  pacing?: Partial<PacingPolicy>;
  retry?: Partial<RetryPolicy>;
  /** Clock and delays of the sender (tests make waits instant). */
  timer?: Timer;
  /** Whether the turn queue has room for one more turn; when not, requests get 503 and Slack retries them (default: always). */
  admits?: () => boolean;
  /** Runs each acknowledged event's whole run (the server tracks them until their replies are sent, for shutdown); default: at once. */
  work?: <T>(job: () => Promise<T>) => Promise<T>;
}

export interface SlackChannel {
  mount: ChannelMount<express.Router>;
  /** Socket Mode: opens the WebSocket to Slack (HTTP mode: nothing to do). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The ChannelSender for the core's Notifier (DMs and threads, paced, in order). */
  sender: SlackSender;
  /** The AgentChannelPoster for agents' channels (post references {teamId, channelId, ts}). */
  poster: AgentChannelPoster;
}

export function createSlackChannel(deps: SlackChannelDeps): SlackChannel {
  const log = deps.log.child({ channel: 'slack' });
  const { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken } = deps.config;
  if (!token || !signingSecret) {
    throw new GuichetError('slack.misconfigured', 'slack: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are both required to serve Slack');
  }
  const apiUrl = deps.config.SLACK_API_URL ? deps.config.SLACK_API_URL.replace(/\/?$/, '/') : undefined;
  const setup = { token, signingSecret, appToken, apiUrl, log, processBeforeResponse: deps.processBeforeResponse, admits: deps.admits };
  const client = createWebClient(setup);
  const directory = new SlackDirectory(client, log, deps.bot);
  const openDm = (teamId: string, userId: string) => directory.dmChannel(teamId, userId);
  const sender = withSlackEditing(createSlackSender({ client, pacing: deps.pacing, retry: deps.retry, timer: deps.timer, openDm }), openDm);
  const { app, router } = createBoltApp(setup, () => directory.bot());
  const runner = createTurnRunner({ turn: deps.turn, log, directory, sender, apiUrl });
  const work = deps.work ?? ((job) => job());
  // The run starts from a macrotask of its own: Bolt calls this listener right after the 200 is written, and the
  // profile lookup and the turn must not lengthen the callback that reads the next requests (and acks them).
  const runTurn: typeof runner = (translation, retryNum) => work(() => yieldToLoop().then(() => runner(translation, retryNum)));
  const services = deps.services ?? [];
  const surfaces = createSurfaces({ turn: deps.turn, runTurn, log, client, directory, sender, services, defaultLang: deps.defaultLang ?? 'fr', submissionBudgetMs: deps.submissionBudgetMs });
  const run = (translation: Translation, retryNum?: number) => (translation.kind === 'open-modal' ? surfaces.openModal(translation.request) : runTurn(translation, retryNum));
  // Once acked, Bolt's listener returns at once (the run goes on in the work queue): a burst of waiting runs then holds
  // a translation each, not Bolt's whole request (body, context, response) — less to collect while the loop must ack.
  // processBeforeResponse (tests) keeps the response until the run is over.
  const handle = async (translation: Translation, retryNum?: number): Promise<void> => {
    const running = run(translation, retryNum);
    if (deps.processBeforeResponse) return running;
    running.catch((err: unknown) => log.error({ err }, 'slack: run failed'));
  };

  // The workspace filter runs for every request (after Bolt's ack of events) and acks the clicks and commands it drops.
  const allowed = new Set(deps.config.SLACK_TEAM_IDS);
  app.use(async (args) => {
    const admission = admit(args.body, allowed);
    if (admission.ok) return args.next();
    log.warn({ reason: admission.reason, kind: (args.body as { type?: unknown }).type ?? 'command' }, 'slack: request ignored (not served)');
    await (args as { ack?: () => Promise<void> }).ack?.();
  });
  for (const event of ['message', 'app_mention'] as const) app.event(event, async ({ body, context }) => handle(fromEvent(body, context.botUserId), context.retryNum));
  app.event('app_home_opened', async ({ body }) => {
    const opened = fromHomeOpened(body);
    if (opened) await surfaces.publishHome(opened).catch((err: unknown) => log.warn({ err }, 'slack: the Home tab could not be published'));
  });
  // Clicks and commands are acked first thing, so Slack has its 200 within 3 s whatever the turn takes.
  app.action({ type: 'block_actions' }, async ({ ack, body }) => {
    await ack();
    await handle(fromBlockActions(body));
  });
  app.command(/.*/, async ({ ack, body }) => {
    await ack();
    await handle(fromSlashCommand(body));
  });
  app.view(TICKET_MODAL, async ({ ack, body }) => surfaces.submit(ack as (response?: object) => Promise<void>, fromViewSubmission(body)));

  return {
    mount: { name: 'slack', path: SLACK_PATH, handler: router },
    sender,
    poster: createSlackAgentPoster(sender),
    start: async () => {
      if (appToken) await app.start();
    },
    stop: async () => {
      if (appToken) await app.stop();
    },
  };
}
