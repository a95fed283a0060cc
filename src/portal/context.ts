/**
 * What every router of the portal shares: its dependencies, the sessions, who is signed in on a
 * request, the page shell for them, and the JSON answers for bad input and refused desk actions.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import { mayGlobally } from '../core/authorization.ts';
import { isGuichetError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import type { Viewer } from '../core/tickets.ts';
import { firstIssue } from '../core/zod-issue.ts';
import { renderPage, type Person } from './page.ts';
import type { PortalPeople } from './ports.ts';
import type { Sessions } from './session.ts';

export type { Person } from './page.ts';

export interface PortalContext {
  sessions: Sessions;
  people: PortalPeople;
  /** Sends a page for the person signed in on this request. */
  page(res: Response, name: string, body: string): void;
  /** Pages redirect to the sign-in; the API (`api`) answers 401. */
  requireUser(api: boolean): RequestHandler;
  /** The service desk's pages: agents and admins only; others get a 403 page. */
  requireStaff: RequestHandler;
}

export function createContext(sessions: Sessions, people: PortalPeople): PortalContext {
  const page = (res: Response, name: string, body: string) => {
    const p = me(res);
    renderPage(res, p, p.lang, name, body, sessions.csrfToken(res.req, res));
  };
  const requireUser = (api: boolean) => async (req: Request, res: Response, next: NextFunction) => {
    const person = await personOf(people, sessions, req);
    if (!person) {
      if (api) res.status(401).json({ error: 'unauthenticated', message: 'portal: sign in first' });
      else res.redirect(303, '/portal/signin');
      return;
    }
    res.locals.person = person;
    next();
  };
  const requireStaff = (_req: Request, res: Response, next: NextFunction) => {
    const p = me(res);
    if (mayGlobally(p, 'analytics.read')) return next();
    res.status(403);
    page(res, 'forbidden', `<h2>403</h2><p>${p.lang === 'fr' ? 'Cette page est réservée au support informatique.' : 'This page is for the IT service desk.'}</p>`);
  };
  return { sessions, people, page, requireUser, requireStaff };
}

/** The signed-in person, in their language, else the browser's. */
async function personOf(people: PortalPeople, sessions: Sessions, req: Request): Promise<Person | undefined> {
  const id = await sessions.userIdOf(req);
  const user = id ? await people.person(id) : undefined;
  if (!user) return undefined;
  return { id: user.id, displayName: user.displayName, role: user.role, lang: user.locale ?? browserLang(req) };
}

export const browserLang = (req: Request): Lang => (req.acceptsLanguages('fr', 'en') === 'en' ? 'en' : 'fr');

/** The person `requireUser` found. */
export const me = (res: Response): Person => res.locals.person as Person;
export const viewerOf = (p: Person): Viewer => ({ id: p.id, role: p.role });

/** 400 with the first problem zod found. */
export function invalid(res: Response, error: ZodError): void {
  const { field, message } = firstIssue(error);
  res.status(400).json({ error: 'invalid', field, message });
}

/** Runs a desk or incident action: its result as JSON, or the desk's refusal as 404 (unknown) / 403 (not theirs to do) / 409 (not now). */
export async function deskCall(res: Response, work: () => Promise<Record<string, unknown>>): Promise<void> {
  try {
    res.json({ ok: true, ...(await work()) });
  } catch (err) {
    if (isGuichetError(err) && err.code.startsWith('ticketing.')) {
      res.status(err.code.endsWith('.not-found') ? 404 : err.code.endsWith('.forbidden') ? 403 : 409).json({ error: err.code, message: err.message });
      return;
    }
    throw err;
  }
}
