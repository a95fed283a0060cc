/**
 * The self-service portal for employees, at /portal: their tickets with live
 * status and due times (Server-Sent Events, no reload), a ticket's public
 * timeline with "add information" and "is it fixed?", the FAQ/known-error
 * search with ratings, and the banner of current major incidents.
 *
 * Pages are small server-rendered HTML shells (every value escaped) filled by
 * /portal/portal.js from the JSON API below (values set as text, never HTML).
 * Every mutation needs the session and a CSRF token. Sign-in: the local
 * development sign-in (WEB_DEV_SIGNIN, loopback only); OpenID Connect is not
 * wired yet.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import escapeHtml from 'escape-html';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { isGuichetError } from '../core/errors.ts';
import { toLang, type Lang } from '../core/lang.ts';
import type { KnowledgeBase } from '../core/ports.ts';
import { dueLines, formatWhen, nextStep, statusLabel } from '../core/ticket-texts.ts';
import type { TicketDesk, TicketView, Viewer } from '../core/tickets.ts';
import type { Database } from '../persistence/database.ts';
import { markdownToHtml } from '../markup/markdown-html.ts';
import { computeMetrics } from '../analytics/metrics.ts';
import { PrismaMetricsQuery } from '../persistence/stores/metrics.ts';
import { lastDays, periodOfDays } from '../analytics/period.ts';
import { adminRoutes, type AdminDeps } from './admin.ts';
import { createOidc, type OidcSettings } from './oidc.ts';
import { createSessions, SESSION_COOKIE } from './session.ts';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
/** uPlot's browser build, served as is (about 50 KB). */
const UPLOT_DIR = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

export interface PortalDeps {
  db: Database;
  desk: TicketDesk;
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
  /** The admin console's knowledge and major-incident pages. */
  admin?: AdminDeps;
  /** Sign-in with the company's OpenID Connect provider. */
  oidc?: OidcSettings;
}

interface Person {
  id: string;
  displayName: string;
  role: Viewer['role'];
  lang: Lang;
}

const TEXT = {
  fr: { title: 'Mon support informatique', tickets: 'Mes tickets', kb: 'Base de connaissances', chat: 'Discuter avec Guichet', signOut: 'Se déconnecter', signIn: 'Se connecter', email: 'Adresse e-mail professionnelle', devNote: 'Connexion locale de développement (WEB_DEV_SIGNIN) : choisissez une personne par son e-mail.', unknown: 'Personne inconnue.' },
  en: { title: 'My IT support', tickets: 'My tickets', kb: 'Knowledge base', chat: 'Chat with Guichet', signOut: 'Sign out', signIn: 'Sign in', email: 'Work e-mail address', devNote: 'Local development sign-in (WEB_DEV_SIGNIN): pick a person by e-mail.', unknown: 'Unknown person.' },
} as const;

export interface Portal {
  router: express.Router;
  /** The person signed in on this request (for the web chat, whose own router parses cookies unsigned). */
  signedIn(req: Request): { userId: string } | undefined;
}

export function createPortal(deps: PortalDeps): Portal {
  const secret = deps.secret ?? randomBytes(32).toString('hex');
  const sessions = createSessions({ secret, secure: deps.secureCookies });
  const router = express.Router();
  router.use(cookieParser(secret));
  // Admins import knowledge files through the JSON API: up to 2 MB.
  router.use(express.json({ limit: '2mb' }));
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));
  router.use('/assets', express.static(PUBLIC_DIR, { maxAge: '1h' }));
  router.use('/assets/uplot', express.static(UPLOT_DIR, { maxAge: '1h' }));

  async function personOf(req: Request): Promise<Person | undefined> {
    const id = sessions.userIdOf(req);
    if (!id) return undefined;
    const user = await deps.db.client.user.findFirst({ where: { id, erasedAt: null }, select: { id: true, displayName: true, role: true, locale: true } });
    if (!user) return undefined;
    const role = user.role === 'admin' || user.role === 'agent' ? user.role : 'employee';
    // The person's language, else the browser's.
    const browser: Lang = req.acceptsLanguages('fr', 'en') === 'en' ? 'en' : 'fr';
    return { id: user.id, displayName: user.displayName, role, lang: toLang(user.locale) ?? browser };
  }

  /** Pages redirect to the sign-in; the API answers 401. */
  const requireUser = (api: boolean) => async (req: Request, res: Response, next: NextFunction) => {
    const person = await personOf(req);
    if (!person) {
      if (api) res.status(401).json({ error: 'unauthenticated', message: 'portal: sign in first' });
      else res.redirect(303, '/portal/signin');
      return;
    }
    res.locals.person = person;
    next();
  };
  const me = (res: Response): Person => res.locals.person as Person;
  const viewer = (p: Person): Viewer => ({ id: p.id, role: p.role });

  function page(res: Response, person: Person | undefined, lang: Lang, name: string, body: string, csrf = ''): void {
    const t = TEXT[lang];
    const nav = person
      ? `<nav aria-label="Portal"><a href="/portal">${t.tickets}</a> <a href="/portal/kb">${t.kb}</a> <a href="/">${t.chat}</a>${person.role === 'employee' ? '' : ` <a href="/portal/admin/analytics">${lang === 'fr' ? 'Indicateurs' : 'Analytics'}</a> <a href="/portal/admin/incidents">${lang === 'fr' ? 'Incidents' : 'Incidents'}</a>`}${person.role === 'employee' ? '' : ` <a href="/portal/admin/queue">${lang === 'fr' ? 'File' : 'Queue'}</a>`}${person.role === 'admin' ? ` <a href="/portal/admin/knowledge">Articles</a> <a href="/portal/admin/gaps">${lang === 'fr' ? 'Lacunes' : 'Gaps'}</a> <a href="/portal/admin/config">Config</a>` : ''}
        <form method="post" action="/portal/signout" class="inline"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit">${t.signOut}</button></form>
        <span class="who">${escapeHtml(person.displayName)}</span></nav>`
      : '';
    res.type('html').send(`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrf)}"><title>${t.title} — Guichet</title>
<link rel="stylesheet" href="/portal/assets/portal.css"></head>
<body data-page="${name}" data-lang="${lang}">
<header><h1><a href="/portal">Guichet</a></h1>${nav}</header>
<div id="incidents" role="status" aria-live="polite"></div>
<main id="main">${body}</main>
<script src="/portal/assets/portal.js" defer></script>
</body></html>`);
  }

  // ——— Sign-in ———
  const oidc = deps.oidc ? createOidc(deps.oidc, deps.db) : undefined;
  router.get('/signin', (req, res) => {
    if (!deps.devSignIn && !oidc) {
      res.status(503).type('text').send('portal: no sign-in is configured (OIDC_ISSUER_URL, or WEB_DEV_SIGNIN=true on a local install)');
      return;
    }
    const lang: Lang = req.acceptsLanguages('fr', 'en') === 'en' ? 'en' : 'fr';
    const t = TEXT[lang];
    const token = sessions.csrfToken(req, res);
    const company = oidc ? `<p><a class="button" href="/portal/signin/oidc">${lang === 'fr' ? 'Se connecter avec son compte de l’entreprise' : 'Sign in with your company account'}</a></p>` : '';
    const local = deps.devSignIn
      ? `<p>${t.devNote}</p><form method="post" action="/portal/signin"><input type="hidden" name="_csrf" value="${escapeHtml(token)}">
<label for="email">${t.email}</label> <input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">${t.signIn}</button></form>`
      : '';
    const failed = req.query.failed ? `<p role="alert">${lang === 'fr' ? 'La connexion a échoué.' : 'Sign-in failed.'}</p>` : '';
    page(res, undefined, lang, 'signin', `<h2>${t.signIn}</h2>${company}${local}${req.query.unknown ? `<p role="alert">${t.unknown}</p>` : ''}${failed}`, token);
  });

  router.get('/signin/oidc', async (_req, res, next) => {
    if (!oidc) return next();
    await oidc.start(res, deps.secureCookies);
  });

  router.get('/oidc/callback', async (req, res, next) => {
    if (!oidc) return next();
    try {
      sessions.signIn(res, await oidc.finish(req, res));
      res.redirect(303, '/portal');
    } catch {
      // The reason stays out of the page (and of the logs: it may quote tokens).
      res.redirect(303, '/portal/signin?failed=1');
    }
  });

  router.post('/signin', sessions.csrfProtection, async (req, res) => {
    if (!deps.devSignIn) {
      res.status(503).end();
      return;
    }
    const email = z.string().trim().toLowerCase().email().safeParse((req.body as { email?: unknown }).email);
    const user = email.success ? await deps.db.client.user.findFirst({ where: { email: email.data, erasedAt: null }, select: { id: true } }) : null;
    if (!user) {
      res.redirect(303, '/portal/signin?unknown=1');
      return;
    }
    // The portal chat speaks for this person: their web identity is "portal/<user id>".
    await deps.db.client.identity.upsert({
      where: { platform_tenantId_externalId: { platform: 'web', tenantId: 'portal', externalId: user.id } },
      create: { userId: user.id, platform: 'web', tenantId: 'portal', externalId: user.id },
      update: {},
    });
    sessions.signIn(res, user.id);
    res.redirect(303, '/portal');
  });

  router.post('/signout', sessions.csrfProtection, (_req, res) => {
    sessions.signOut(res);
    res.redirect(303, '/portal/signin');
  });

  // ——— Pages ———
  router.get('/', requireUser(false), (req, res) => {
    const p = me(res);
    page(res, p, p.lang, 'tickets', `<h2>${TEXT[p.lang].tickets}</h2><div id="tickets" aria-live="polite"></div>`, sessions.csrfToken(req, res));
  });

  router.get('/tickets/:number', requireUser(false), (req, res) => {
    const p = me(res);
    page(res, p, p.lang, 'ticket', `<div id="ticket" data-number="${escapeHtml(String(Number(req.params.number) || 0))}" aria-live="polite"></div>`, sessions.csrfToken(req, res));
  });

  router.get('/kb', requireUser(false), (req, res) => {
    const p = me(res);
    const label = p.lang === 'fr' ? 'Rechercher une solution' : 'Search for a fix';
    page(res, p, p.lang, 'kb', `<h2>${TEXT[p.lang].kb}</h2><form id="kb-search" role="search"><label for="q">${label}</label> <input id="q" name="q" type="search" required> <button type="submit">OK</button></form><div id="kb-results" aria-live="polite"></div>`, sessions.csrfToken(req, res));
  });

  /** The service desk's pages: agents and admins only; others get 403. */
  const requireStaff = async (req: Request, res: Response, next: NextFunction) => {
    const person = res.locals.person as Person;
    if (person.role === 'employee') {
      res.status(403);
      page(res, person, person.lang, 'forbidden', `<h2>403</h2><p>${person.lang === 'fr' ? 'Cette page est réservée au support informatique.' : 'This page is for the IT service desk.'}</p>`, sessions.csrfToken(req, res));
      return;
    }
    next();
  };

  router.get('/admin/analytics', requireUser(false), requireStaff, (req, res) => {
    const p = me(res);
    const fr = p.lang === 'fr';
    // Today is the desk's today: just after midnight in Paris, the server's UTC date is still yesterday.
    const { from, to } = lastDays((deps.now ?? (() => new Date()))(), deps.timeZone ?? 'UTC', 31);
    page(
      res,
      p,
      p.lang,
      'analytics',
      `<h2>${fr ? 'Indicateurs du support' : 'Service desk analytics'}</h2>
<form id="period"><label for="from">${fr ? 'Du' : 'From'}</label> <input id="from" name="from" type="date" value="${from}" required>
<label for="to">${fr ? 'au' : 'to'}</label> <input id="to" name="to" type="date" value="${to}" required> <button type="submit">OK</button></form>
<div id="figures" aria-live="polite"></div>
<h3>${fr ? 'Conversations par jour' : 'Conversations per day'}</h3><div id="chart-conversations" class="chart" role="img" aria-label="${fr ? 'Conversations par jour' : 'Conversations per day'}"></div>
<h3>${fr ? 'Respect des SLA par priorité (%)' : 'SLA compliance per priority (%)'}</h3><div id="chart-sla" class="chart" role="img" aria-label="${fr ? 'Respect des SLA par priorité' : 'SLA compliance per priority'}"></div>
<div class="columns"><section><h3>${fr ? 'Demandes les plus fréquentes' : 'Top intents'}</h3><ol id="intents"></ol></section>
<section><h3>${fr ? 'Sujets des tickets' : 'Ticket categories'}</h3><ol id="categories"></ol></section>
<section><h3>${fr ? 'Questions sans réponse' : 'Top knowledge gaps'}</h3><ol id="gaps"></ol></section></div>
<link rel="stylesheet" href="/portal/assets/uplot/uPlot.min.css"><script src="/portal/assets/uplot/uPlot.iife.min.js" defer></script>`,
      sessions.csrfToken(req, res),
    );
  });

  // ——— API ———
  const api = express.Router();
  api.use(requireUser(true));

  const present = (t: TicketView, lang: Lang) => ({
    number: t.number,
    title: t.title,
    status: t.status,
    statusLabel: statusLabel(lang, t.status),
    priority: t.priority,
    assignee: t.assignee?.displayName ?? null,
    due: dueLines(t, lang, deps.timeZone),
    nextStep: nextStep(lang, t),
    updatedAt: t.updatedAt,
  });

  api.get('/admin/metrics', async (req, res) => {
    const p = me(res);
    if (p.role === 'employee') {
      res.status(403).json({ error: 'forbidden', message: 'portal: for the service desk only' });
      return;
    }
    const query = z.object({ from: z.string().date(), to: z.string().date() }).safeParse(req.query);
    if (!query.success) {
      res.status(400).json({ error: 'invalid', field: query.error.issues[0]?.path.join('.'), message: query.error.issues[0]?.message });
      return;
    }
    try {
      // Whole local days in the desk's time zone, the zone computeMetrics counts days in.
      res.json(await computeMetrics(new PrismaMetricsQuery(deps.db), periodOfDays(query.data.from, query.data.to, deps.timeZone ?? 'UTC'), deps.timeZone));
    } catch (err) {
      if (isGuichetError(err) && err.code === 'analytics.invalid-period') res.status(400).json({ error: err.code, message: err.message });
      else throw err;
    }
  });

  api.get('/me', (_req, res) => {
    const p = me(res);
    res.json({ displayName: p.displayName, role: p.role, lang: p.lang });
  });

  api.get('/tickets', async (_req, res) => {
    const p = me(res);
    const tickets = await deps.desk.listForRequester(p.id, { includeClosed: true, limit: 50 });
    res.json({ tickets: tickets.map((t) => present(t, p.lang)) });
  });

  api.get('/tickets/:number', async (req, res) => {
    const p = me(res);
    const number = Number(req.params.number);
    const ticket = Number.isInteger(number) ? await deps.desk.view(number, viewer(p)) : undefined;
    if (!ticket || ticket.requester.id !== p.id) {
      res.status(404).json({ error: 'not-found', message: `no ticket #${req.params.number} of yours` });
      return;
    }
    const timeline = (await deps.desk.timeline(number, { id: p.id, role: 'employee' }, p.lang)).map((e) => ({ ...e, when: formatWhen(e.at, p.lang, deps.timeZone) }));
    res.json({ ticket: { ...present(ticket, p.lang), description: ticket.description ?? '' }, timeline });
  });

  api.post('/tickets/:number/info', sessions.csrfProtection, async (req, res) => {
    const p = me(res);
    const body = z.object({ text: z.string().trim().min(1).max(8_000), id: z.string().min(8).max(100) }).safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'invalid', field: body.error.issues[0]?.path.join('.'), message: body.error.issues[0]?.message });
      return;
    }
    await deskCall(res, () => deps.desk.addInfo(Number(req.params.number), viewer(p), body.data.text, `web:${p.id}:${body.data.id}`));
  });

  api.post('/tickets/:number/confirm', sessions.csrfProtection, async (req, res) => {
    const p = me(res);
    const body = z.object({ fixed: z.boolean(), id: z.string().min(8).max(100) }).safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'invalid', field: body.error.issues[0]?.path.join('.'), message: body.error.issues[0]?.message });
      return;
    }
    await deskCall(res, () => deps.desk.confirmResolution(Number(req.params.number), viewer(p), body.data.fixed, `web:${p.id}:${body.data.id}`));
  });

  api.get('/incidents', async (_req, res) => {
    const p = me(res);
    const open = await deps.desk.openMajorIncidents();
    res.json({ incidents: open.map((i) => ({ number: i.number, title: i.title[p.lang], since: formatWhen(i.startedAt, p.lang, deps.timeZone), latest: i.updates[0]?.text[p.lang] ?? null })) });
  });

  api.get('/kb', async (req, res) => {
    const p = me(res);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 500) : '';
    const found = q && deps.knowledge ? deps.knowledge.answer(q, { lang: p.lang }) : { kind: 'none' as const };
    const articles = found.kind === 'answer' ? [found.article] : found.kind === 'choose' ? found.options.map((o) => o.article) : [];
    res.json({ query: q, articles: articles.map((a) => ({ id: a.id, lang: a.lang, title: a.title, html: markdownToHtml(a.markdown) })) });
  });

  api.post('/kb/:id/feedback', sessions.csrfProtection, async (req, res) => {
    const p = me(res);
    const body = z.object({ helpful: z.boolean(), query: z.string().max(500), lang: z.enum(['fr', 'en']) }).safeParse(req.body);
    const articleId = String(req.params.id);
    if (!body.success || !deps.knowledge?.article(articleId, body.data.lang)) {
      res.status(400).json({ error: 'invalid', message: 'portal: unknown article or bad rating' });
      return;
    }
    await deps.knowledge.recordFeedback({ articleId, lang: body.data.lang, helpful: body.data.helpful, userId: p.id, query: body.data.query, conversationId: '' });
    res.json({ ok: true });
  });

  /** Live updates: an event whenever one of the person's tickets or the open incidents change. */
  api.get('/events', async (req, res) => {
    const p = me(res);
    res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.flushHeaders();
    let last = '';
    const check = async () => {
      const [latest, incidents] = await Promise.all([
        deps.db.client.ticket.findFirst({ where: { requesterId: p.id }, orderBy: { updatedAt: 'desc' }, select: { updatedAt: true } }),
        deps.db.client.majorIncident.findFirst({ orderBy: { updatedAt: 'desc' }, select: { updatedAt: true } }),
      ]);
      const stamp = `${latest?.updatedAt.toISOString() ?? ''}|${incidents?.updatedAt.toISOString() ?? ''}`;
      if (stamp !== last) {
        last = stamp;
        res.write(`event: changed\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
      }
    };
    const timer = setInterval(() => void check().catch(() => undefined), deps.pollMs ?? 2_000);
    await check().catch(() => undefined);
    req.on('close', () => clearInterval(timer));
  });

  if (deps.admin) {
    const admin = adminRoutes(deps.admin, (res, lang, name, body) => page(res, me(res), lang, name, body, sessions.csrfToken(res.req, res)), sessions.csrfProtection);
    router.use('/admin', requireUser(false), admin.pages);
    api.use('/admin', admin.api);
  }
  router.use('/api', api);
  router.use('/api', (_req: Request, res: Response) => {
    res.status(404).json({ error: 'not-found' });
  });
  const signedIn = (req: Request): { userId: string } | undefined => {
    const raw: unknown = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    const value = typeof raw === 'string' ? cookieParser.signedCookie(raw, secret) : false;
    if (typeof value !== 'string') return undefined;
    const [userId, expires] = value.split('|');
    return userId && Number(expires) > Date.now() ? { userId } : undefined;
  };
  // A bad or missing CSRF token: refused, nothing changed.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if ((err as { code?: string }).code === 'EBADCSRFTOKEN' || (err as { name?: string }).name === 'ForbiddenError') {
      res.status(403).json({ error: 'csrf', message: 'portal: missing or invalid CSRF token' });
      return;
    }
    next(err);
  });
  return { router, signedIn };
}

async function deskCall(res: Response, work: () => Promise<TicketView>): Promise<void> {
  try {
    const ticket = await work();
    res.json({ ok: true, number: ticket.number, status: ticket.status });
  } catch (err) {
    if (isGuichetError(err) && err.code.startsWith('tickets.')) {
      res.status(err.code === 'tickets.not-found' ? 404 : 409).json({ error: err.code, message: err.message });
      return;
    }
    throw err;
  }
}
