/**
 * The self-service portal for employees, at /portal: their tickets with live
 * status and due times (Server-Sent Events, no reload), a ticket's public
 * timeline with "add information" and "is it fixed?", the FAQ/known-error
 * search with ratings, the banner of current major incidents, and the admin
 * console for the service desk (admin.ts).
 *
 * Pages are small server-rendered HTML shells (every value escaped) filled by
 * /portal/portal.js from the JSON API (values set as text, never HTML).
 * Every mutation needs the session and a CSRF token. Sign-in: the company's
 * OpenID Connect provider, or the local development sign-in (WEB_DEV_SIGNIN).
 * One router per page group (*-routes.ts); the portal reads and writes only
 * through ports (ports.ts, the desk, the knowledge base).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { KnowledgeBase } from '../core/ports.ts';
import type { TicketDesk } from '../core/tickets.ts';
import type { MetricsQuery } from '../analytics/ports.ts';
import { adminRoutes, type AdminDeps } from './admin.ts';
import { analyticsApi, analyticsPages } from './analytics-routes.ts';
import { createContext, type PortalContext } from './context.ts';
import { knowledgeApi, knowledgePages } from './knowledge-routes.ts';
import { createOidc, type OidcSettings } from './oidc.ts';
import { statusPages } from './status-page.ts';
import type { PortalActivity, PortalPeople, PortalSessionStore } from './ports.ts';
import { createSessions } from './session.ts';
import { signInRoutes } from './signin-routes.ts';
import { ticketApi, ticketPages } from './ticket-routes.ts';
import { resetPages, type PasswordResetPort } from './reset-routes.ts';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
/** uPlot's browser build, served as is (about 50 KB). */
const UPLOT_DIR = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

export interface PortalDeps {
  desk: TicketDesk;
  /** Who signs in (src/persistence/stores/sessions.ts). */
  people: PortalPeople;
  /** The sessions, kept on the server (sign-out revokes them). */
  sessions: PortalSessionStore;
  /** A session ends this long after its last request (default 60 minutes) and after sign-in (default 12 hours). */
  sessionIdleMinutes?: number;
  sessionMaxHours?: number;
  /** What the live updates watch. */
  activity: PortalActivity;
  /** The rows the analytics count. */
  metrics: MetricsQuery;
  knowledge?: KnowledgeBase;
  /** Signs cookies and CSRF tokens; a random one per process when unset (sessions end on restart). */
  secret?: string;
  secureCookies: boolean;
  /** The local sign-in form (pick a person by e-mail), for trying Guichet on one machine. */
  devSignIn: boolean;
  timeZone?: string;
  /** The clock (tests set it). */
  now?: () => Date;
  /** How often the live updates look for changes, in ms. */
  pollMs?: number;
  /** The admin console's knowledge, queue, configuration and major-incident pages. */
  admin?: AdminDeps;
  /** Sign-in with the company's OpenID Connect provider. */
  oidc?: OidcSettings;
  /** The password reset page of the directory's one-time links (with a directory only). */
  resets?: PasswordResetPort;
}

export interface Portal {
  router: express.Router;
  /** Looks the request's portal session up (mounted before the web chat's router, which then asks `signedIn`). */
  resolveSession: express.RequestHandler;
  /** The person signed in on this request, as `resolveSession` found them (for the web chat). */
  signedIn(req: Request): { userId: string } | undefined;
}

export function createPortal(deps: PortalDeps): Portal {
  const secret = deps.secret ?? randomBytes(32).toString('hex');
  const sessions = createSessions({ secret, secure: deps.secureCookies, store: deps.sessions, idleMinutes: deps.sessionIdleMinutes ?? 60, maxHours: deps.sessionMaxHours ?? 12, now: deps.now });
  const ctx = createContext(sessions, deps.people);
  const router = express.Router();
  router.use(cookieParser(secret));
  // Admins import knowledge files through the JSON API: up to 2 MB.
  router.use(express.json({ limit: '2mb' }));
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));
  router.use('/assets', express.static(PUBLIC_DIR, { maxAge: '1h' }));
  router.use('/assets/uplot', express.static(UPLOT_DIR, { maxAge: '1h' }));
  router.use(signInRoutes(ctx, { devSignIn: deps.devSignIn, secureCookies: deps.secureCookies, oidc: deps.oidc ? createOidc(deps.oidc, deps.people) : undefined }));
  router.use(ticketPages(ctx), knowledgePages(ctx), analyticsPages(ctx, deps));
  if (deps.resets) router.use(resetPages(ctx, deps.resets));
  if (deps.admin?.incidents) router.use(statusPages(ctx, deps.admin.incidents, deps.timeZone));
  const admin = deps.admin ? adminRoutes(deps.admin, ctx) : undefined;
  if (admin) router.use('/admin', ctx.requireUser(false), admin.pages);
  router.use('/api', portalApi(ctx, deps, admin?.api));
  router.use('/api', (_req: Request, res: Response) => {
    res.status(404).json({ error: 'not-found' });
  });
  router.use(csrfRefusal);
  const resolved = new WeakMap<Request, { userId: string }>();
  const resolveSession = (req: Request, _res: Response, next: NextFunction) => {
    sessions.sessionOf(req).then((session) => {
      if (session) resolved.set(req, { userId: session.userId });
      next();
    }, next);
  };
  return { router, resolveSession, signedIn: (req) => resolved.get(req) };
}

/** The JSON API, for signed-in people only. */
function portalApi(ctx: PortalContext, deps: PortalDeps, admin: express.Router | undefined): express.Router {
  const api = express.Router();
  api.use(ctx.requireUser(true));
  api.use(analyticsApi(deps), ticketApi(ctx, deps), knowledgeApi(ctx, deps.knowledge));
  if (admin) api.use('/admin', admin);
  return api;
}

/** A bad or missing CSRF token: refused, nothing changed. */
function csrfRefusal(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if ((err as { code?: string }).code === 'EBADCSRFTOKEN' || (err as { name?: string }).name === 'ForbiddenError') {
    res.status(403).json({ error: 'csrf', message: 'portal: missing or invalid CSRF token' });
    return;
  }
  next(err);
}
