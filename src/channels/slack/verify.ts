/**
 * Slack request signatures, checked before Bolt (which accepts timestamps from the future and replays; docs/slack.md, "Signatures"):
 * `x-slack-request-timestamp` within ±5 minutes of our clock, `x-slack-signature` `v0=<64 hex>` equal to HMAC-SHA256(secret,
 * `v0:{ts}:{raw body}`) in constant time, and an accepted signature refused while its timestamp is in the window. Anything else:
 * 401 with an empty body, before any parsing or database access.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../log.ts';
import { ReplayCache } from '../kit/replay-cache.ts';

/** How far a request timestamp may be from our clock, either way (Slack's recommendation). */
export const MAX_SKEW_SECONDS = 5 * 60;

export type Rejection = 'missing-headers' | 'bad-timestamp' | 'stale' | 'future' | 'bad-signature-format' | 'signature-mismatch' | 'replay';

export type SignedRequest = { timestamp: string | undefined; signature: string | undefined; body: Buffer | string };

/** Checks a request's v0 signature and freshness (not replays); `nowSeconds` is Unix time in seconds. */
export function checkSignature(secret: string, request: SignedRequest, nowSeconds: number): { ok: true; timestamp: number } | { ok: false; reason: Rejection } {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const ts = Number(timestamp);
  if (nowSeconds - ts > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  if (ts - nowSeconds > MAX_SKEW_SECONDS) return { ok: false, reason: 'future' };
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'bad-signature-format' };
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(request.body).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  return timingSafeEqual(expected, given) ? { ok: true, timestamp: ts } : { ok: false, reason: 'signature-mismatch' };
}

/** The signature header Slack would send for `body` at `timestamp` (tests and tools). */
export function signature(secret: string, timestamp: number | string, body: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

export interface GuardOptions {
  signingSecret: string;
  log: Logger;
  /** Unix time in seconds (default: the system clock). */
  nowSeconds?: () => number;
  replays?: ReplayCache;
  /** Largest body accepted (express/bytes syntax, default "1mb"); larger → 413. */
  maxBody?: string;
  /**
   * Whether the turn queue has room; when not, a signed request gets 503 (Retry-After: 5) instead of a 200: Slack
   * retries the event later (x-slack-retry-num), where a 200 followed by a refused turn would lose it.
   */
  admits?: () => boolean;
}

/**
 * Express middleware for the Slack endpoint: reads the raw body (any content type), verifies it as
 * above, and hands it to Bolt as `req.rawBody` (Bolt's ExpressReceiver reads that instead of the
 * already consumed stream).
 */
export function slackRequestGuard(options: GuardOptions): RequestHandler[] {
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const replays = options.replays ?? new ReplayCache();
  const raw = express.raw({ type: () => true, limit: options.maxBody ?? '1mb' });

  const verify = (req: Request, res: Response, next: NextFunction): void => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const sig = header('x-slack-signature');
    const nowSeconds = now();
    const result = checkSignature(options.signingSecret, { timestamp: header('x-slack-request-timestamp'), signature: sig, body }, nowSeconds);
    // A full queue refuses an event before the signature is remembered: Slack's retry may then come
    // with the same one. Only Events API deliveries are retried by Slack; a click, a form or a
    // command refused would be lost, so those are always taken.
    if (result.ok && options.admits && !options.admits() && isEventDelivery(body)) {
      options.log.warn({ retryNum: header('x-slack-retry-num') }, 'slack: request refused (the turn queue is full); Slack retries it');
      res.status(503).set('Retry-After', '5').end();
      return;
    }
    let reason: Rejection | undefined = result.ok ? undefined : result.reason;
    if (result.ok && !replays.remember(sig!, result.timestamp + MAX_SKEW_SECONDS, nowSeconds)) reason = 'replay';
    if (reason) {
      options.log.warn({ reason, retryNum: header('x-slack-retry-num') }, 'slack: request refused (signature check)');
      res.status(401).end();
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = body;
    next();
  };

  const tooLarge = (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const status = (err as { status?: number }).status;
    if (status === 413 || status === 400) res.status(status).end();
    else next(err);
  };

  return [raw, verify, tooLarge as unknown as RequestHandler];
}

/** An Events API delivery (a JSON `event_callback`), the one kind of request Slack retries. */
function isEventDelivery(body: Buffer): boolean {
  try {
    return (JSON.parse(body.toString('utf8')) as { type?: unknown }).type === 'event_callback';
  } catch {
    return false; // a form (interaction, command): not an event
  }
}
