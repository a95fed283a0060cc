/**
 * Bolt's side of the Slack channel: the Web API client, the receiver and the App. HTTP mode: the signature guard (verify.ts), then Bolt's
 * ExpressReceiver. Socket Mode (SLACK_APP_TOKEN set): Bolt's SocketModeReceiver connects out to Slack, and /slack/events answers 404.
 */
import { App, ExpressReceiver, LogLevel, SocketModeReceiver, webApi, type Logger as BoltLogger } from '@slack/bolt';
import express from 'express';
import type { Logger } from '../../log.ts';
import type { BotIdentity } from './directory.ts';
import { slackRequestGuard } from './verify.ts';

export interface BoltSetup {
  token: string;
  signingSecret: string;
  /** Socket Mode's app-level token; HTTP mode without it. */
  appToken?: string;
  /** The Web API's base URL, ending with "/" (tests: the fake Slack API). */
  apiUrl?: string;
  log: Logger;
  processBeforeResponse?: boolean;
  /** Whether the turn queue has room (verify.ts: 503 instead of the 200 when not). */
  admits?: () => boolean;
}

/** A Web API client with Bolt's logger, its own retries off and rate-limited calls rejected (sender.ts retries). */
export function createWebClient(setup: BoltSetup): webApi.WebClient {
  return new webApi.WebClient(setup.token, { ...clientOptions(setup), rejectRateLimitedCalls: true, timeout: 10_000 });
}

function clientOptions(setup: BoltSetup) {
  return { ...(setup.apiUrl ? { slackApiUrl: setup.apiUrl } : {}), logger: toBoltLogger(setup.log), retryConfig: { retries: 0 } };
}

/** The Bolt App and the router to mount at /slack/events; `bot` tells Bolt who Guichet is. */
export function createBoltApp(setup: BoltSetup, bot: () => Promise<BotIdentity>): { app: App; router: express.Router } {
  const logger = toBoltLogger(setup.log);
  const router = express.Router();
  let receiver: ExpressReceiver | SocketModeReceiver;
  if (setup.appToken) {
    receiver = new SocketModeReceiver({ appToken: setup.appToken, logger, installerOptions: { clientOptions: clientOptions(setup) } });
    router.use((_req, res) => {
      res.status(404).json({ error: 'socket-mode', message: 'slack: Socket Mode is in use (SLACK_APP_TOKEN); events arrive over the WebSocket' });
    });
  } else {
    router.post('/', ...slackRequestGuard({ signingSecret: setup.signingSecret, log: setup.log, admits: setup.admits }));
    receiver = new ExpressReceiver({ signingSecret: setup.signingSecret, endpoints: '/', router, logger, processBeforeResponse: setup.processBeforeResponse ?? false });
  }
  const app = new App({ receiver, authorize: async () => ({ botToken: setup.token, ...(await bot()) }), logger, clientOptions: clientOptions(setup), convoStore: false });
  app.error(async (error) => {
    setup.log.error({ err: error }, 'slack: request failed in Bolt');
  });
  return { app, router };
}

/** Bolt's and the Web API client's logger, on pino (Bolt's own level setting is ignored). */
function toBoltLogger(log: Logger): BoltLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    const err = parts.find((p) => p instanceof Error);
    const msg = parts.filter((p) => !(p instanceof Error)).map(describe).join(' ');
    log[level]({ component: 'bolt', ...(err ? { err } : {}) }, msg);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), setLevel: () => {}, getLevel: () => LogLevel.INFO, setName: () => {} };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
