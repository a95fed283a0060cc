/**
 * Portal sessions, stored on the server: the signed, HttpOnly, SameSite=Lax cookie holds a random
 * token; the database keeps only its SHA-256 with the person, the last request and the end.
 * Signing out revokes it on the server (a copy of the cookie is worth nothing after); a session
 * ends `idleMinutes` after its last request and `maxHours` after sign-in whatever happens; each
 * sign-in makes a new token and revokes the one the browser had (no session fixation). Cookies are
 * Secure when the portal is served over https. CSRF protection for every mutation is the
 * double-submit token of csrf-csrf, bound to the session.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { PortalSessionStore } from './ports.ts';

export const SESSION_COOKIE = 'guichet_session';
/** A request refreshes the session's last use at most this often (fewer writes; the idle timeout is this precise). */
const TOUCH_EVERY_MS = 60_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionOptions {
  secret: string;
  secure: boolean;
  store: PortalSessionStore;
  /** Ends a session this long after its last request. */
  idleMinutes: number;
  /** Ends a session this long after sign-in. */
  maxHours: number;
  now?: () => Date;
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export function createSessions(options: SessionOptions) {
  const now = options.now ?? (() => new Date());
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: options.secure, path: '/' };
  /** One lookup per request, whoever asks (the web chat's resolver, requireUser, the CSRF check). */
  const looked = new WeakMap<Request, Promise<{ id: string; userId: string } | undefined>>();

  /** The session token of the request's cookie, when its signature holds (read from the header: the web chat's router parses cookies unsigned). */
  function tokenOf(req: Request): string | undefined {
    const parsed: unknown = (req.signedCookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    const raw = typeof parsed === 'string' ? parsed : signedFromHeader(req, options.secret);
    return raw && TOKEN.test(raw) ? raw : undefined;
  }

  const csrf = doubleCsrf({
    getSecret: () => options.secret,
    getSessionIdentifier: (req) => {
      const token = tokenOf(req);
      return token ? hashOf(token) : 'anonymous';
    },
    cookieName: options.secure ? '__Host-guichet.csrf' : 'guichet_csrf',
    cookieOptions: { sameSite: 'strict', secure: options.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (req.headers['x-csrf-token'] as string | undefined) ?? (req.body as { _csrf?: string } | undefined)?._csrf,
  });

  async function lookUp(req: Request): Promise<{ id: string; userId: string } | undefined> {
    const token = tokenOf(req);
    if (!token) return undefined;
    const id = hashOf(token);
    const session = await options.store.find(id);
    const at = now();
    if (!session || session.revokedAt || session.expiresAt <= at || session.lastSeenAt.getTime() + options.idleMinutes * 60_000 <= at.getTime()) return undefined;
    if (at.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await options.store.touch(id, at);
    return { id, userId: session.userId };
  }

  function sessionOf(req: Request): Promise<{ id: string; userId: string } | undefined> {
    let found = looked.get(req);
    if (!found) looked.set(req, (found = lookUp(req)));
    return found;
  }

  return {
    sessionOf,
    async userIdOf(req: Request): Promise<string | undefined> {
      return (await sessionOf(req))?.userId;
    },
    /** Starts a new session (a new token; the browser's previous session, if any, is revoked). */
    async signIn(req: Request, res: Response, userId: string): Promise<void> {
      const previous = tokenOf(req);
      if (previous) await options.store.revoke(hashOf(previous), now());
      const token = randomBytes(32).toString('base64url');
      const at = now();
      await options.store.create({ id: hashOf(token), userId, at, expiresAt: new Date(at.getTime() + options.maxHours * 3_600_000) });
      looked.delete(req);
      res.cookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: options.maxHours * 3_600_000 });
    },
    /** Ends the session on the server and clears the cookie. */
    async signOut(req: Request, res: Response): Promise<void> {
      const token = tokenOf(req);
      if (token) await options.store.revoke(hashOf(token), now());
      looked.delete(req);
      res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' });
    },
    csrfToken: csrf.generateCsrfToken,
    csrfProtection: csrf.doubleCsrfProtection,
  };
}

/** The signed session cookie read from the Cookie header (for routers whose cookie parser has no secret). */
function signedFromHeader(req: Request, secret: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined; // a malformed cookie is no session
    }
    const unsigned = cookieParser.signedCookie(value, secret);
    return typeof unsigned === 'string' ? unsigned : undefined;
  }
  return undefined;
}

export type Sessions = ReturnType<typeof createSessions>;
