/**
 * The admin console's knowledge and major-incident pages and their JSON API
 * (admins curate knowledge; agents and admins manage major incidents). An
 * article is edited as its file (front matter + Markdown) with a preview,
 * saved as a draft, published or retired; every change makes a revision,
 * is audited by the article store, and rebuilds the users' search index.
 */
import escapeHtml from 'escape-html';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { isGuichetError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import type { Viewer } from '../core/tickets.ts';
import { parseArticle, serializeArticle, type ArticleStatus } from '../knowledge/article.ts';
import type { ArticleStore } from '../knowledge/article-store.ts';
import { markdownToHtml } from '../channels/web/render.ts';
import type { MajorIncidents } from '../ticketing/major-incidents.ts';

export interface AdminDeps {
  articles: ArticleStore;
  serviceIds: readonly string[];
  /** Rebuilds the search index after a change. */
  changed(): Promise<void>;
  incidents?: MajorIncidents;
}

interface Person {
  id: string;
  role: Viewer['role'];
  lang: Lang;
}

type PageFn = (res: Response, lang: Lang, name: string, body: string) => void;

const T = {
  fr: { knowledge: 'Articles', filter: 'Filtrer', all: 'Tous', edit: 'Modifier', source: 'Article (front matter + Markdown)', preview: 'Aperçu', saveDraft: 'Enregistrer le brouillon', publish: 'Publier', retire: 'Retirer', revisions: 'Révisions', incidents: 'Incidents majeurs', service: 'Service', title: 'Titre', declare: 'Déclarer', resolveText: 'Texte de résolution', resolve: 'Résoudre', adminsOnly: 'Cette page est réservée aux administrateurs.' },
  en: { knowledge: 'Articles', filter: 'Filter', all: 'All', edit: 'Edit', source: 'Article (front matter + Markdown)', preview: 'Preview', saveDraft: 'Save draft', publish: 'Publish', retire: 'Retire', revisions: 'Revisions', incidents: 'Major incidents', service: 'Service', title: 'Title', declare: 'Declare', resolveText: 'Resolution text', resolve: 'Resolve', adminsOnly: 'This page is for administrators.' },
} as const;

export function adminRoutes(deps: AdminDeps, page: PageFn, csrfProtection: express.RequestHandler) {
  const pages = express.Router();
  const api = express.Router();
  const me = (res: Response) => res.locals.person as Person;

  const adminOnly = (json: boolean) => (_req: Request, res: Response, next: NextFunction) => {
    const p = me(res);
    if (p.role === 'admin') return next();
    res.status(403);
    if (json) res.json({ error: 'forbidden', message: 'portal: for administrators only' });
    else page(res, p.lang, 'forbidden', `<h2>403</h2><p>${T[p.lang].adminsOnly}</p>`);
  };
  const staffOnly = (_req: Request, res: Response, next: NextFunction) => {
    if (me(res).role !== 'employee') return next();
    res.status(403).json({ error: 'forbidden', message: 'portal: for the service desk only' });
  };

  pages.get('/knowledge', adminOnly(false), (_req, res) => {
    const t = T[me(res).lang];
    page(res, me(res).lang, 'admin-knowledge', `<h2>${t.knowledge}</h2>
<form id="article-filter" role="search"><label for="filter-text">${t.filter}</label> <input id="filter-text" type="search">
<label for="filter-status">Status</label> <select id="filter-status"><option value="">${t.all}</option><option>draft</option><option>published</option><option>retired</option></select></form>
<div id="articles" aria-live="polite"></div>`);
  });

  pages.get('/knowledge/:id/:lang', adminOnly(false), (req, res) => {
    const t = T[me(res).lang];
    const id = escapeHtml(String(req.params.id));
    const lang = req.params.lang === 'en' ? 'en' : 'fr';
    page(res, me(res).lang, 'admin-article', `<h2>${t.edit} ${id} (${lang})</h2>
<div id="editor" data-id="${id}" data-lang="${lang}">
<label for="source">${t.source}</label><textarea id="source" rows="22" spellcheck="false"></textarea>
<p><button type="button" id="save-draft">${t.saveDraft}</button> <button type="button" id="publish">${t.publish}</button> <button type="button" id="retire">${t.retire}</button></p>
<div id="editor-status" role="status" aria-live="polite"></div>
<h3>${t.preview}</h3><div id="preview" class="article-body"></div>
<h3>${t.revisions}</h3><ol id="revisions"></ol></div>`);
  });

  pages.get('/incidents', (req, res) => {
    const p = me(res);
    if (p.role === 'employee') {
      res.status(403);
      page(res, p.lang, 'forbidden', `<h2>403</h2>`);
      return;
    }
    const t = T[p.lang];
    const options = deps.serviceIds.map((s) => `<option value="${escapeHtml(s)}">${escapeHtml(s)}</option>`).join('');
    page(res, p.lang, 'admin-incidents', `<h2>${t.incidents}</h2>
<form id="declare"><label for="incident-service">${t.service}</label> <select id="incident-service" required>${options}</select>
<label for="incident-title">${t.title}</label> <input id="incident-title" type="text" maxlength="200" required> <button type="submit">${t.declare}</button></form>
<div id="incident-list" aria-live="polite"></div>`);
  });

  // ——— API ———
  api.get('/articles', adminOnly(true), async (_req, res) => {
    const all = await deps.articles.list();
    res.json({ articles: all.map((a) => ({ id: a.id, lang: a.lang, type: a.type, status: a.status, title: a.title, services: a.services, revision: a.revision })) });
  });

  api.get('/articles/:id/:lang', adminOnly(true), async (req, res) => {
    const lang = req.params.lang === 'en' ? 'en' : 'fr';
    const article = await deps.articles.get(String(req.params.id), lang);
    if (!article) {
      res.status(404).json({ error: 'not-found', message: `no article ${String(req.params.id)} (${lang})` });
      return;
    }
    res.json({ source: serializeArticle(article), status: article.status, revisions: await deps.articles.revisions(article.id, lang) });
  });

  const saveSchema = z.object({ source: z.string().min(1).max(200_000), status: z.enum(['draft', 'published', 'retired']) });
  api.post('/articles', adminOnly(true), csrfProtection, async (req, res) => {
    const body = saveSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'invalid', field: body.error.issues[0]?.path.join('.'), message: body.error.issues[0]?.message });
      return;
    }
    const parsed = parseArticle(body.data.source, deps.serviceIds, 'web');
    const errors = parsed.issues.filter((i) => i.severity === 'error');
    if (!parsed.article || errors.length > 0) {
      res.status(400).json({ error: 'invalid-article', problems: errors.map((e) => ({ field: e.field, problem: e.problem })) });
      return;
    }
    const status: ArticleStatus = body.data.status;
    const article = { ...parsed.article, status, updated: new Date().toISOString().slice(0, 10) };
    const outcome = await deps.articles.save(article, { source: 'web', authorId: me(res).id, reason: `${status} in the web console` });
    await deps.changed();
    res.json({ ok: true, outcome, id: article.id, lang: article.lang, status });
  });

  api.post('/preview', adminOnly(true), csrfProtection, (req, res) => {
    const markdown = typeof req.body?.markdown === 'string' ? (req.body.markdown as string).slice(0, 200_000) : '';
    res.json({ html: markdownToHtml(markdown) });
  });

  api.get('/incidents', staffOnly, async (_req, res) => {
    res.json({ incidents: (await deps.incidents?.list()) ?? [] });
  });

  api.post('/incidents', staffOnly, csrfProtection, async (req, res) => {
    const body = z.object({ serviceId: z.string().min(1).max(60), title: z.string().trim().min(1).max(200) }).safeParse(req.body);
    if (!body.success || !deps.incidents) {
      res.status(400).json({ error: 'invalid', message: body.success ? 'portal: major incidents are not available' : body.error.issues[0]?.message });
      return;
    }
    const p = me(res);
    await incidentCall(res, () => deps.incidents!.declare({ id: p.id, role: p.role }, { serviceId: body.data.serviceId, title: { fr: body.data.title, en: body.data.title }, impact: 'high' }));
  });

  api.post('/incidents/:number/resolve', staffOnly, csrfProtection, async (req, res) => {
    const body = z.object({ text: z.string().trim().min(1).max(2_000) }).safeParse(req.body);
    if (!body.success || !deps.incidents) {
      res.status(400).json({ error: 'invalid', message: body.success ? 'portal: major incidents are not available' : body.error.issues[0]?.message });
      return;
    }
    const p = me(res);
    await incidentCall(res, () => deps.incidents!.resolve({ id: p.id, role: p.role }, Number(req.params.number), { fr: body.data.text, en: body.data.text }));
  });

  return { pages, api };
}

async function incidentCall(res: Response, work: () => Promise<unknown>): Promise<void> {
  try {
    res.json({ ok: true, incident: await work() });
  } catch (err) {
    if (isGuichetError(err) && err.code.startsWith('tickets.')) {
      res.status(err.code === 'tickets.not-found' ? 404 : 409).json({ error: err.code, message: err.message });
      return;
    }
    throw err;
  }
}
