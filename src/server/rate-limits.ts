/**
 * Abuse limits (rate-limiter-flexible): per IP and per person on the web chat's messages, the
 * portal's sign-in and the portal's API. Over a limit the request gets 429 with Retry-After and
 * nothing runs; the security headers are set before (helmet comes first in app.ts). Counts live in
 * memory with SQLite (one instance) and in the database with PostgreSQL, so several instances
 * share them (the store comes from the composition root: src/persistence/stores/rate-limits.ts).
 * A store that fails lets the request through and says so in the log: the limits protect the
 * service, they must not take it down.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Lang } from '../core/lang.ts';
import type { Logger } from '../log.ts';
import { say } from '../texts/index.ts';

/** What a limiter does: counts one request for a key, rejecting with the wait when over. */
export interface Limiter {
  consume(key: string, points?: number): Promise<unknown>;
}

/** Makes a limiter of `points` requests per `duration` seconds; keys are prefixed with `keyPrefix`. */
export type LimiterStore = (options: { keyPrefix: string; points: number; duration: number }) => Limiter;

export const memoryLimiterStore: LimiterStore = (options) => new RateLimiterMemory(options);

export interface RateLimitSettings {
  /** Sign-in attempts per minute per e-mail tried; an IP gets ten times as many (an office behind one address). */
  signInPerMinute: number;
  /** Web chat messages per minute per person (signed in or visitor); an IP gets twenty times as many. */
  chatPerMinute: number;
  /** Portal API calls per minute per signed-in person; an IP gets twenty times as many. */
  apiPerMinute: number;
}

export interface RateLimitDeps {
  store: LimiterStore;
  settings: RateLimitSettings;
  log: Logger;
  /** The signed-in person of a request, when known (the portal's session, looked up before). */
  signedIn?: (req: Request) => { userId: string } | undefined;
}

/** One rule: the limiters it counts in, and the key of the request in each (undefined: not counted there). */
interface Rule {
  name: string;
  applies(req: Request): boolean;
  limits: { limiter: Limiter; keyOf(req: Request): string | undefined }[];
}

const lang = (req: Request): Lang => (req.acceptsLanguages('fr', 'en') === 'en' ? 'en' : 'fr');
const ipOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** The e-mail a sign-in form tries (its body parsed here, before the portal's router: body-parser does not parse twice). */
function emailTried(req: Request): string | undefined {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() ? email.trim().toLowerCase().slice(0, 320) : undefined;
}

function visitorOf(req: Request): string | undefined {
  const cookie = req.headers.cookie ?? '';
  const match = /(?:^|;\s*)guichet_visitor=([A-Za-z0-9_-]{22,64})(?:;|$)/.exec(cookie);
  return match?.[1];
}

/** The handlers to mount before the routes they protect (app.ts `before`). */
export function rateLimits(deps: RateLimitDeps): { path: string; handler: RequestHandler }[] {
  const { store, settings } = deps;
  const make = (keyPrefix: string, points: number) => store({ keyPrefix, points, duration: 60 });
  const signInIp = make('signin-ip', settings.signInPerMinute * 10);
  const signInEmail = make('signin-email', settings.signInPerMinute);
  const chatUser = make('chat-user', settings.chatPerMinute);
  const chatIp = make('chat-ip', settings.chatPerMinute * 20);
  const apiUser = make('api-user', settings.apiPerMinute);
  const apiIp = make('api-ip', settings.apiPerMinute * 20);
  const user = (req: Request) => deps.signedIn?.(req)?.userId;

  const signIn: Rule = {
    name: 'sign-in',
    // The form's POST, the start of an OpenID Connect sign-in and the provider's return.
    applies: (req) => (req.method === 'POST' && req.path === '/') || req.path === '/oidc',
    limits: [
      { limiter: signInIp, keyOf: ipOf },
      { limiter: signInEmail, keyOf: emailTried },
    ],
  };
  const callback: Rule = { name: 'sign-in', applies: () => true, limits: [{ limiter: signInIp, keyOf: ipOf }] };
  const chat: Rule = {
    name: 'web-chat',
    applies: (req) => req.method === 'POST' && req.path === '/messages',
    limits: [
      { limiter: chatIp, keyOf: ipOf },
      { limiter: chatUser, keyOf: (req) => user(req) ?? visitorOf(req) },
    ],
  };
  const api: Rule = {
    name: 'portal-api',
    applies: () => true,
    limits: [
      { limiter: apiIp, keyOf: ipOf },
      { limiter: apiUser, keyOf: user },
    ],
  };
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const signInLimit = limit(signIn, deps.log);
  return [
    { path: '/portal/signin', handler: (req, res, next) => (req.method === 'POST' ? form(req, res, (err?: unknown) => (err ? next(err) : signInLimit(req, res, next))) : signInLimit(req, res, next)) },
    { path: '/portal/oidc/callback', handler: limit(callback, deps.log) },
    { path: '/api/web', handler: limit(chat, deps.log) },
    { path: '/portal/api', handler: limit(api, deps.log) },
  ];
}

function limit(rule: Rule, log: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!rule.applies(req)) return next();
    void check(rule, req).then(
      (waitMs) => {
        if (waitMs === undefined) return next();
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        log.warn({ event: 'rate-limited', rule: rule.name, ip: ipOf(req), path: req.originalUrl.split('?')[0], retryAfter: seconds }, 'request over an abuse limit: 429');
        res.set('Retry-After', String(seconds));
        res.status(429).json({ error: 'too-many-requests', message: say(lang(req), 'security.tooManyRequests', { seconds }), retryAfter: seconds });
      },
      (err: unknown) => {
        // The store failed (database busy or down): the request goes on; the limits must not take the service down.
        log.error({ err, rule: rule.name }, 'abuse limits: the store failed; request let through');
        next();
      },
    );
  };
}

/**
 * Counts the request in every limiter of the rule, all at once (with the database store each is its own
 * round trip: a request waits for one, not for each in turn); the longest wait when one is over, else
 * undefined. A store's failure (not a rejection) fails the check.
 */
async function check(rule: Rule, req: Request): Promise<number | undefined> {
  const counted = rule.limits.flatMap(({ limiter, keyOf }) => {
    const key = keyOf(req);
    return key === undefined ? [] : [limiter.consume(key).then(() => undefined, (rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return rejection.msBeforeNext;
    })];
  });
  const waits = (await Promise.all(counted)).filter((w): w is number => w !== undefined);
  return waits.length > 0 ? Math.max(...waits) : undefined;
}
