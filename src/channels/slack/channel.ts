/**
 * The Slack channel: `POST /slack/events` (events, button clicks, the `/guichet` command and modal
 * submissions, all on one Request URL) served by Bolt's ExpressReceiver in HTTP mode; a
 * ChannelSender for proactive messages (the core's Notifier) and an AgentChannelPoster for the
 * escalation cards in agents' channels.
 *
 * A request goes: signature guard (verify.ts: v0 HMAC, ±5 min, replays) → Bolt (parses, acks) →
 * workspace filter (inbound.ts `admit`) → one listener per kind → `fromEvent` / `fromBlockActions` /
 * `fromSlashCommand` → users.info (cached) → `turn` → render → post (sender.ts: paced, retried).
 * Events are acked by Bolt before the listener runs; clicks and commands are acked first thing, so
 * Slack always has its 200 within 3 s and the turn runs after. Ignored requests (another workspace,
 * an external Slack Connect user, a bot's message, an edit…) get their 200 too, so Slack does not
 * retry them, and nothing is stored.
 *
 * Slack-only features, beside the core's turns (they need `tickets`, possibly bound late):
 * - `/guichet` alone opens the ticket modal (views.open with the command's trigger_id, after the
 *   ack); the Home tab's "Create a ticket" button does the same. Its submission is validated
 *   (modal.ts): problems go back as `response_action: "errors"`; otherwise the ticket is created
 *   through the TicketDesk with origin `slack:view:<view id>` (a resubmitted view makes no second
 *   ticket), the modal says "created", and the ticket card is sent to the user's DM (once, by the
 *   submission that created it). Creation has 2.5 s to finish before the ack; if the database is
 *   slower, the modal is closed and the DM still follows.
 * - `/guichet <text>`: a turn of the user's personal conversation, answered in their DM (where the
 *   conversation goes on) plus a private pointer through the response_url when typed elsewhere.
 * - app_home_opened (Home tab): views.publish of the user's open tickets and, for agents and
 *   admins, their queue (home.ts).
 * - The card buttons of ticket messages carry the core's actions (actions.ts, validated in
 *   inbound.ts); the poster (poster.ts) posts and updates escalation cards, and agents' replies in
 *   a card's thread come back as turns of that thread's conversation.
 *
 * A redelivered event (Slack retries with the same event_id; Bolt does not deduplicate) is answered
 * by the core from the database as a duplicate, and nothing is posted again: the first delivery's
 * replies were (or are being) posted by the first request.
 *
 * Socket Mode (SLACK_APP_TOKEN set): Bolt's SocketModeReceiver connects out to Slack over a
 * WebSocket (no public URL needed); `start()` opens it, `stop()` closes it, and /slack/events answers
 * 404. Everything after the receiver (filters, handlers, the core) is the same as in HTTP mode.
 */
import { App, ExpressReceiver, LogLevel, SocketModeReceiver, webApi, type Logger as BoltLogger } from '@slack/bolt';
import express from 'express';
import type { Config } from '../../config.ts';
import { GuichetError } from '../../core/errors.ts';
import type { TurnResult } from '../../core/handle-turn.ts';
import { toLang, type Lang } from '../../core/lang.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { AgentChannelPoster, ConversationStore, UserDirectory, UserRecord } from '../../core/ports.ts';
import type { TicketDesk } from '../../core/tickets.ts';
import type { Logger } from '../../log.ts';
import type { ChannelMount } from '../../core/channel-contract.ts';
import { SlackDirectory, type BotIdentity } from './directory.ts';
import { homeView } from './home.ts';
import {
  admit,
  fromBlockActions,
  fromEvent,
  fromHomeOpened,
  fromSlashCommand,
  fromViewSubmission,
  toInbound,
  type ModalRequest,
  type Place,
  type Profile,
  type SlackTurn,
  type SlackReference,
  type Submission,
  type Translation,
} from './inbound.ts';
import { TICKET_MODAL, checkSubmission, createdModal, modalLang, ticketModal, type SlackService } from './modal.ts';
import { renderForSlack, type SlackMessage } from './outbound.ts';
import { createSlackAgentPoster } from './poster.ts';
import { slackText } from './texts.ts';
import type { PacingPolicy, Timer } from './pacing.ts';
import type { RetryPolicy } from '../kit/retry.ts';
import { createSlackSender, type SlackSender } from './sender.ts';
import { slackRequestGuard, type ReplayCache } from './verify.ts';

export const SLACK_PATH = '/slack/events';

/** Said when a turn fails before any reply: the core's texts are not reachable from here. */
const APOLOGY = 'Désolé, une erreur est survenue de mon côté. Réessayez dans un instant. / Sorry, something went wrong on my side. Please try again in a moment.';

export interface SlackChannelDeps {
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'SLACK_TEAM_IDS'>;
  turn(message: InboundMessage): Promise<TurnResult>;
  log: Logger;
  /**
   * The ticket features (the modal, the Home tab's tickets), or a function returning them once they
   * exist (the composition root creates the channels before the core). Without them, `/guichet`
   * alone shows the help and the Home tab only the introduction.
   */
  tickets?: SlackTicketing | (() => SlackTicketing | undefined);
  /** Language of the modal and the Home tab when neither the user nor Slack's locale says (default "fr"). */
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
  /** Unix time in seconds for the signature check (default: the system clock). */
  nowSeconds?: () => number;
  replays?: ReplayCache;
  fetch?: typeof fetch;
}

/** What the modal and the Home tab need from the core. */
export interface SlackTicketing {
  /** The modal creates tickets with it; the Home tab lists them. */
  desk: Pick<TicketDesk, 'create' | 'listForRequester' | 'queueFor'>;
  /** Who a Slack user is in Guichet (id, role, language, profile filled from users.info): the core's UserDirectory. */
  users: Pick<UserDirectory, 'identify'>;
  /** The core's ConversationStore: a ticket created from the modal records the user's DM as their personal conversation, so the Notifier reaches them even if they never wrote to Guichet. */
  conversations?: Pick<ConversationStore, 'open'>;
  /** The categories of the ticket modal (config/services.yml: the desk configuration's `services`, or loadServices(configDir)). */
  services: readonly SlackService[];
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

/** How long a modal submission may take before Slack's 3 s ack deadline gets close. */
const SUBMISSION_BUDGET_MS = 2_500;

export function createSlackChannel(deps: SlackChannelDeps): SlackChannel {
  const log = deps.log.child({ channel: 'slack' });
  const { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: signingSecret } = deps.config;
  if (!token || !signingSecret) {
    throw new GuichetError('slack.misconfigured', 'slack: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are both required to serve Slack');
  }
  const socketMode = Boolean(deps.config.SLACK_APP_TOKEN);

  const apiUrl = deps.config.SLACK_API_URL ? deps.config.SLACK_API_URL.replace(/\/?$/, '/') : undefined;
  const boltLogger = toBoltLogger(log);
  const clientOptions = { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), logger: boltLogger, retryConfig: { retries: 0 } };
  const client = new webApi.WebClient(token, { ...clientOptions, rejectRateLimitedCalls: true, timeout: 10_000 });
  const directory = new SlackDirectory(client, log, deps.bot);
  const sender = createSlackSender({
    client,
    pacing: deps.pacing,
    retry: deps.retry,
    timer: deps.timer,
    fetch: deps.fetch,
    openDm: (teamId, userId) => directory.dmChannel(teamId, userId),
  });
  const allowed = new Set(deps.config.SLACK_TEAM_IDS);
  /** The ticket features, when bound and usable (at least one category). */
  const ticketing = (): SlackTicketing | undefined => {
    const bound = typeof deps.tickets === 'function' ? deps.tickets() : deps.tickets;
    return bound && bound.services.length > 0 ? bound : undefined;
  };

  const router = express.Router();
  let receiver: ExpressReceiver | SocketModeReceiver;
  if (socketMode) {
    receiver = new SocketModeReceiver({ appToken: deps.config.SLACK_APP_TOKEN!, logger: boltLogger, installerOptions: { clientOptions } });
    router.use((_req, res) => {
      res.status(404).json({ error: 'socket-mode', message: 'slack: Socket Mode is in use (SLACK_APP_TOKEN); events arrive over the WebSocket' });
    });
  } else {
    router.post('/', ...slackRequestGuard({ signingSecret, log, nowSeconds: deps.nowSeconds, replays: deps.replays }));
    receiver = new ExpressReceiver({
      signingSecret,
      endpoints: '/',
      router,
      logger: boltLogger,
      processBeforeResponse: deps.processBeforeResponse ?? false,
    });
  }
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: token, ...(await directory.bot()) }),
    logger: boltLogger,
    clientOptions,
    convoStore: false,
  });

  app.error(async (error) => {
    log.error({ err: error }, 'slack: request failed in Bolt');
  });

  // Workspace filter: runs for every request after Bolt's ack of events; acks clicks and commands it drops.
  app.use(async (args) => {
    const admission = admit(args.body, allowed);
    if (admission.ok) {
      await args.next();
      return;
    }
    log.warn({ reason: admission.reason, kind: (args.body as { type?: unknown }).type ?? 'command' }, 'slack: request ignored (not served)');
    const ack = (args as { ack?: () => Promise<void> }).ack;
    if (ack) await ack();
  });

  app.event('message', async ({ body, context }) => handle(fromEvent(body, context.botUserId), context.retryNum));
  app.event('app_mention', async ({ body, context }) => handle(fromEvent(body, context.botUserId), context.retryNum));
  app.event('app_home_opened', async ({ body }) => {
    const opened = fromHomeOpened(body);
    if (!opened) return;
    await publishHome(opened.teamId, opened.userId).catch((err: unknown) => log.warn({ err }, 'slack: the Home tab could not be published'));
  });
  app.action({ type: 'block_actions' }, async ({ ack, body }) => {
    await ack();
    await handle(fromBlockActions(body));
  });
  app.command(/.*/, async ({ ack, body }) => {
    await ack();
    await handle(fromSlashCommand(body));
  });
  app.view(TICKET_MODAL, async ({ ack, body }) => {
    await submitTicket(ack as (response?: object) => Promise<void>, fromViewSubmission(body));
  });

  async function handle(translation: Translation, retryNum?: number): Promise<void> {
    if (translation.kind === 'ignore') {
      log.debug({ reason: translation.reason }, 'slack: request ignored');
      return;
    }
    if (translation.kind === 'open-modal') {
      await openModal(translation.request);
      return;
    }
    const t = translation.turn;
    let personal: string | undefined;
    let result: TurnResult;
    try {
      const [profile, dm] = await Promise.all([
        directory.profile(t.teamId, t.userId),
        t.place.kind === 'private' || t.place.kind === 'command' ? directory.dmChannel(t.teamId, t.userId) : Promise.resolve(undefined),
      ]);
      personal = dm;
      result = await deps.turn(toInbound(t, profile, personal));
    } catch (err) {
      log.error({ err, deliveryId: t.deliveryId }, 'slack: turn failed');
      await deliver(t, personal, [{ text: APOLOGY }]).catch((sendErr: unknown) => {
        log.warn({ err: sendErr, deliveryId: t.deliveryId }, 'slack: could not send the apology either');
      });
      return;
    }
    if (result.duplicate) {
      log.info({ deliveryId: t.deliveryId, retryNum }, 'slack: delivery already processed; nothing sent again');
      return;
    }
    await deliver(t, personal, result.replies.map(renderForSlack)).catch((err: unknown) => {
      log.error({ err, deliveryId: t.deliveryId }, 'slack: replies could not be delivered');
    });
    if (t.place.kind === 'command' && personal && t.place.channel !== personal && isTrustedResponseUrl(t.place.responseUrl, apiUrl)) {
      await sender.respond(t.place.responseUrl, [{ text: slackText(result.lang, 'answeredInDm') }]).catch((err: unknown) => {
        log.warn({ err, deliveryId: t.deliveryId }, 'slack: the pointer to the DM could not be sent');
      });
    }
  }

  /** The Guichet user behind a Slack user (created on first contact), with their profile and language. */
  async function whoIs(teamId: string, userId: string, users: SlackTicketing['users']): Promise<{ user: UserRecord; profile: Profile; lang: Lang }> {
    const profile = await directory.profile(teamId, userId);
    const user = await users.identify(
      { platform: 'slack', tenantId: teamId, externalId: userId },
      { displayName: profile.displayName, email: profile.email, locale: toLang(profile.locale), timeZone: profile.timeZone },
    );
    return { user, profile, lang: user.locale ?? toLang(profile.locale) ?? deps.defaultLang ?? 'fr' };
  }

  /** `/guichet` alone or the Home tab's button: the ticket modal (the trigger_id is valid 3 s). */
  async function openModal(request: ModalRequest): Promise<void> {
    try {
      const tickets = ticketing();
      if (!tickets) {
        // No ticket desk wired: `/guichet` alone asks for help ("?"), answered like `/guichet <text>`.
        if (request.command) await handle({ kind: 'turn', turn: { deliveryId: `command:${request.triggerId}`, teamId: request.teamId, userId: request.userId, text: '?', place: { kind: 'command', ...request.command } } });
        return;
      }
      // The user's language; if the directory cannot tell right now, Slack's locale (the form is still useful).
      const lang = await whoIs(request.teamId, request.userId, tickets.users).then(
        (who) => who.lang,
        async (err: unknown) => {
          log.warn({ err }, 'slack: the user could not be identified; the ticket modal opens in the Slack locale');
          return toLang((await directory.profile(request.teamId, request.userId)).locale);
        },
      );
      await client.views.open({ trigger_id: request.triggerId, view: ticketModal(lang ?? deps.defaultLang ?? 'fr', tickets.services) });
    } catch (err) {
      log.error({ err }, 'slack: the ticket modal could not be opened');
    }
  }

  /** A submitted ticket modal: errors back into the modal, or one ticket, the modal updated and the card in the DM. */
  async function submitTicket(ack: (response?: object) => Promise<void>, submission: Submission | undefined): Promise<void> {
    const lang = modalLang(submission?.privateMetadata);
    const tickets = ticketing();
    if (!submission) {
      log.warn('slack: a malformed ticket modal submission was ignored');
      await ack();
      return;
    }
    const { teamId, userId } = submission;
    if (!tickets) {
      await ack({ response_action: 'errors', errors: { description: slackText(lang, 'errNoDesk') } });
      return;
    }
    const checked = checkSubmission(submission.state, lang, new Set(tickets.services.map((s) => s.id)));
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: checked.errors });
      return;
    }
    const { form } = checked;
    let acked = false;
    const creating = (async () => {
      const who = await whoIs(teamId, userId, tickets.users);
      const result = await tickets.desk.create({
        type: 'incident',
        title: form.title,
        description: form.description,
        category: form.serviceId,
        serviceId: form.serviceId,
        impact: form.impact,
        urgency: form.urgency,
        requesterId: who.user.id,
        origin: `slack:view:${submission.viewId}`,
        createdBy: { id: who.user.id, kind: 'user' },
      });
      return { ...result, who };
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deps.submissionBudgetMs ?? SUBMISSION_BUDGET_MS);
    });
    try {
      const first = await Promise.race([creating, late]);
      if (first === 'late') {
        acked = true;
        await ack();
      }
      const { ticket, created, who } = await creating;
      if (!acked) {
        acked = true;
        await ack({ response_action: 'update', view: createdModal(lang, ticket.number) });
      }
      if (!created) {
        log.info({ ticket: ticket.number }, 'slack: a ticket modal was submitted again; the ticket exists, nothing sent again');
        return;
      }
      const dm = await directory.dmChannel(teamId, userId);
      const reference: SlackReference = { teamId, channel: dm };
      await tickets.conversations?.open({ channel: 'slack', tenantId: teamId, externalId: dm }, who.user.id, reference, 'personal');
      const card = renderForSlack({ type: 'ticket', ticket, lang: who.lang, ...(who.profile.timeZone ? { timeZone: who.profile.timeZone } : {}) });
      await sender.post({ channel: dm }, [card]);
    } catch (err) {
      log.error({ err }, 'slack: a ticket from the modal could not be created or confirmed');
      if (!acked) await ack({ response_action: 'errors', errors: { description: slackText(lang, 'errCreate') } });
    } finally {
      clearTimeout(timer);
    }
  }

  /** app_home_opened on the Home tab: the user's open tickets and, for agents, their queue. */
  async function publishHome(teamId: string, userId: string): Promise<void> {
    const features = ticketing();
    if (!features) {
      const profile = await directory.profile(teamId, userId);
      await client.views.publish({ user_id: userId, view: homeView({ lang: toLang(profile.locale) ?? deps.defaultLang ?? 'fr', tickets: [], canCreate: false }) });
      return;
    }
    const who = await whoIs(teamId, userId, features.users);
    const staff = who.user.role !== 'employee';
    const [tickets, queue] = await Promise.all([features.desk.listForRequester(who.user.id), staff ? features.desk.queueFor(who.user.id) : Promise.resolve(undefined)]);
    const view = homeView({
      lang: who.lang,
      ...(who.profile.timeZone ? { timeZone: who.profile.timeZone } : {}),
      tickets: tickets.filter((t) => t.status !== 'closed' && t.status !== 'cancelled'),
      ...(queue ? { queue } : {}),
      canCreate: true,
    });
    await client.views.publish({ user_id: userId, view });
  }

  /** Replies where the turn happened: the DM or its thread, the channel thread, or privately. */
  async function deliver(t: SlackTurn, personal: string | undefined, messages: SlackMessage[]): Promise<void> {
    const place: Place = t.place;
    if (place.kind === 'command') {
      // In the DM, where the conversation goes on; without a DM (conversations.open failed), privately where it was typed.
      if (personal) await sender.post({ channel: personal }, messages);
      else if (isTrustedResponseUrl(place.responseUrl, apiUrl)) await sender.respond(place.responseUrl, messages);
      else throw new GuichetError('slack.send-failed', 'slack: nowhere to answer a slash command (no DM and an untrusted response_url)');
      return;
    }
    if (place.kind !== 'private') {
      await sender.post({ channel: place.channel, ...(place.threadTs ? { threadTs: place.threadTs } : {}) }, messages);
      return;
    }
    // Typed in the DM with Guichet: answer there like any message. Elsewhere: only the user sees it.
    if (personal && place.channel === personal) await sender.post({ channel: personal }, messages);
    else if (isTrustedResponseUrl(place.responseUrl, apiUrl)) await sender.respond(place.responseUrl, messages);
    else if (personal) {
      log.warn({ deliveryId: t.deliveryId }, 'slack: response_url is not a Slack URL; answering in the DM instead');
      await sender.post({ channel: personal }, messages);
    } else throw new GuichetError('slack.send-failed', 'slack: nowhere to answer a private request (untrusted response_url and no DM)');
  }

  return {
    mount: { name: 'slack', path: SLACK_PATH, handler: router },
    sender,
    poster: createSlackAgentPoster(sender),
    start: async () => {
      if (socketMode) await app.start();
    },
    stop: async () => {
      if (socketMode) await app.stop();
    },
  };
}

/** response_urls come from signed requests; posting only to Slack's hooks (or the configured API host) limits the harm of a leaked secret. */
export function isTrustedResponseUrl(url: string, apiUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' && (parsed.hostname === 'hooks.slack.com' || parsed.hostname === 'hooks.slack-gov.com')) return true;
  return apiUrl !== undefined && parsed.origin === new URL(apiUrl).origin;
}

/** Bolt's and the Web API client's logger, on pino (Bolt's own level setting is ignored). */
function toBoltLogger(log: Logger): BoltLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    const err = parts.find((p) => p instanceof Error);
    const msg = parts.filter((p) => !(p instanceof Error)).map(describe).join(' ');
    log[level]({ component: 'bolt', ...(err ? { err } : {}) }, msg);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
