/**
 * The Slack channel: `POST /slack/events` (events, button clicks and the `/guichet` command, all on
 * one Request URL) served by Bolt's ExpressReceiver in HTTP mode, and a ChannelSender for proactive
 * messages.
 *
 * A request goes: signature guard (verify.ts: v0 HMAC, ±5 min, replays) → Bolt (parses, acks) →
 * workspace filter (inbound.ts `admit`) → one listener per kind → `fromEvent` / `fromBlockActions` /
 * `fromSlashCommand` → users.info (cached) → `turn` → render → post (sender.ts: paced, retried).
 * Events are acked by Bolt before the listener runs; clicks and commands are acked first thing, so
 * Slack always has its 200 within 3 s and the turn runs after. Ignored requests (another workspace,
 * an external Slack Connect user, a bot's message, an edit…) get their 200 too, so Slack does not
 * retry them, and nothing is stored.
 *
 * A redelivered event (Slack retries with the same event_id; Bolt does not deduplicate) is answered
 * by the core from the database as a duplicate, and nothing is posted again: the first delivery's
 * replies were (or are being) posted by the first request.
 *
 * Socket Mode (SLACK_APP_TOKEN) is not implemented: HTTP mode is used, and a warning says so.
 */
import { App, ExpressReceiver, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import express from 'express';
import type { Config } from '../../config.ts';
import { GuichetError } from '../../core/errors.ts';
import type { TurnResult } from '../../core/handle-turn.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { Logger } from '../../log.ts';
import type { ChannelMount } from '../../server/app.ts';
import { SlackDirectory, type BotIdentity } from './directory.ts';
import { admit, fromBlockActions, fromEvent, fromSlashCommand, toInbound, type Place, type SlackTurn, type Translation } from './inbound.ts';
import { renderForSlack, type SlackMessage } from './outbound.ts';
import type { PacingPolicy, Timer } from './pacing.ts';
import type { RetryPolicy } from './retry.ts';
import { createSlackSender, type SlackSender } from './sender.ts';
import { slackRequestGuard, type ReplayCache } from './verify.ts';

export const SLACK_PATH = '/slack/events';

/** Said when a turn fails before any reply: the core's texts are not reachable from here. */
const APOLOGY = 'Désolé, une erreur est survenue de mon côté. Réessayez dans un instant. / Sorry, something went wrong on my side. Please try again in a moment.';

export interface SlackChannelDeps {
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'SLACK_TEAM_IDS'>;
  turn(message: InboundMessage): Promise<TurnResult>;
  log: Logger;
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

export interface SlackChannel {
  mount: ChannelMount;
  sender: SlackSender;
}

export function createSlackChannel(deps: SlackChannelDeps): SlackChannel {
  const log = deps.log.child({ channel: 'slack' });
  const { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: signingSecret } = deps.config;
  if (!token || !signingSecret) {
    throw new GuichetError('slack.misconfigured', 'slack: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are both required to serve Slack');
  }
  if (deps.config.SLACK_APP_TOKEN) log.warn('slack: SLACK_APP_TOKEN is set but Socket Mode is not supported; serving HTTP requests at /slack/events');

  const apiUrl = deps.config.SLACK_API_URL ? deps.config.SLACK_API_URL.replace(/\/?$/, '/') : undefined;
  const boltLogger = toBoltLogger(log);
  const clientOptions = { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), logger: boltLogger, retryConfig: { retries: 0 } };
  const client = new webApi.WebClient(token, { ...clientOptions, rejectRateLimitedCalls: true, timeout: 10_000 });
  const directory = new SlackDirectory(client, log, deps.bot);
  const sender = createSlackSender({ client, pacing: deps.pacing, retry: deps.retry, timer: deps.timer, fetch: deps.fetch });
  const allowed = new Set(deps.config.SLACK_TEAM_IDS);

  const router = express.Router();
  router.post('/', ...slackRequestGuard({ signingSecret, log, nowSeconds: deps.nowSeconds, replays: deps.replays }));
  const receiver = new ExpressReceiver({
    signingSecret,
    endpoints: '/',
    router,
    logger: boltLogger,
    processBeforeResponse: deps.processBeforeResponse ?? false,
  });
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
  app.action({ type: 'block_actions' }, async ({ ack, body }) => {
    await ack();
    await handle(fromBlockActions(body));
  });
  app.command(/.*/, async ({ ack, body }) => {
    await ack();
    await handle(fromSlashCommand(body));
  });

  async function handle(translation: Translation, retryNum?: number): Promise<void> {
    if (translation.kind === 'ignore') {
      log.debug({ reason: translation.reason }, 'slack: request ignored');
      return;
    }
    const t = translation.turn;
    let personal: string | undefined;
    let result: TurnResult;
    try {
      const [profile, dm] = await Promise.all([
        directory.profile(t.teamId, t.userId),
        t.place.kind === 'private' ? directory.dmChannel(t.teamId, t.userId) : Promise.resolve(undefined),
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
  }

  /** Replies where the turn happened: the DM or its thread, the channel thread, or privately. */
  async function deliver(t: SlackTurn, personal: string | undefined, messages: SlackMessage[]): Promise<void> {
    const place: Place = t.place;
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

  return { mount: { name: 'slack', path: SLACK_PATH, handler: router }, sender };
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
