/**
 * Portal sessions: a signed, HttpOnly, SameSite=Lax cookie holding the user's
 * id and an expiry (cookie-parser signs it with SESSION_SECRET; a forged or
 * expired cookie is no session). CSRF protection for every mutation is the
 * double-submit token of csrf-csrf, bound to the session.
 */
import type { Request, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';

export const SESSION_COOKIE = 'guichet_session';
const SESSION_HOURS = 12;

export interface SessionOptions {
  secret: string;
  secure: boolean;
}

export function createSessions(options: SessionOptions) {
  const csrf = doubleCsrf({
    getSecret: () => options.secret,
    getSessionIdentifier: (req) => userIdOf(req) ?? 'anonymous',
    cookieName: options.secure ? '__Host-guichet.csrf' : 'guichet_csrf',
    cookieOptions: { sameSite: 'strict', secure: options.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (req.headers['x-csrf-token'] as string | undefined) ?? (req.body as { _csrf?: string } | undefined)?._csrf,
  });

  function userIdOf(req: Request): string | undefined {
    const raw: unknown = (req.signedCookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    if (typeof raw !== 'string') return undefined;
    const [userId, expires] = raw.split('|');
    if (!userId || !expires || Number(expires) < Date.now()) return undefined;
    return userId;
  }

  return {
    userIdOf,
    signIn(res: Response, userId: string): void {
      const expires = Date.now() + SESSION_HOURS * 3_600_000;
      res.cookie(SESSION_COOKIE, `${userId}|${expires}`, { signed: true, httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/', maxAge: SESSION_HOURS * 3_600_000 });
    },
    signOut(res: Response): void {
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    },
    csrfToken: csrf.generateCsrfToken,
    csrfProtection: csrf.doubleCsrfProtection,
  };
}

export type Sessions = ReturnType<typeof createSessions>;
