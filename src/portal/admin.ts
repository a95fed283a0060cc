/**
 * The admin console's knowledge and major-incident pages and their JSON API
 * (admins curate knowledge; agents and admins manage major incidents). An
 * article is edited as its file (front matter + Markdown) with a preview,
 * saved as a draft, published or retired; every change makes a revision,
 * is audited by the article store, and rebuilds the users' search index.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import escapeHtml from 'escape-html';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { isGuichetError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import type { Viewer } from '../core/tickets.ts';
import { parseArticle, serializeArticle, type ArticleStatus } from '../knowledge/article.ts';
import type { ArticleStore } from '../knowledge/article-store.ts';
import { IMPORT_COLUMNS, importKnowledge } from '../knowledge/import.ts';
import { markdownToHtml } from '../markup/markdown-html.ts';
import type { MajorIncidents } from '../ticketing/major-incidents.ts';
import type { Database } from '../persistence/database.ts';
import { statusLabel } from '../core/ticket-texts.ts';
import type { TicketStatus } from '../core/tickets.ts';

export interface AdminDeps {
  db: Database;
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
<p><a href="/portal/api/admin/export" download>${me(res).lang === 'fr' ? 'Exporter (JSON Lines)' : 'Export (JSON Lines)'}</a></p>
<form id="import"><label for="import-file">${me(res).lang === 'fr' ? 'Importer un fichier CSV ou JSON Lines' : 'Import a CSV or JSON Lines file'}</label> <input id="import-file" type="file" accept=".csv,.jsonl,.ndjson" required> <button type="submit">${me(res).lang === 'fr' ? 'Importer' : 'Import'}</button></form>
<div id="import-status" role="status" aria-live="polite"></div>
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

  /** The ticket queue per group, with the SLA state of each ticket. */
  pages.get('/queue', async (req, res) => {
    const p = me(res);
    if (p.role === 'employee') {
      res.status(403);
      page(res, p.lang, 'forbidden', '<h2>403</h2>');
      return;
    }
    const fr = p.lang === 'fr';
    const groups = await deps.db.client.supportGroup.findMany({ orderBy: { level: 'asc' }, select: { id: true, name: true } });
    const group = typeof req.query.group === 'string' ? req.query.group : '';
    const state = typeof req.query.sla === 'string' ? req.query.sla : '';
    const now = new Date();
    const tickets = await deps.db.client.ticket.findMany({
      where: { status: { in: ['new', 'assigned', 'in-progress', 'pending-user'] }, ...(group ? { groupId: group } : {}) },
      orderBy: [{ priority: 'asc' }, { resolutionDueAt: 'asc' }],
      include: { assignee: { select: { displayName: true } }, group: { select: { name: true } } },
      take: 200,
    });
    const slaOf = (t: (typeof tickets)[number]) =>
      t.resolutionBreached || t.responseBreached ? 'breached' : t.resolutionWarnedAt || t.responseWarnedAt ? 'at-risk' : t.slaPausedAt ? 'paused' : t.resolutionDueAt && t.resolutionDueAt < now ? 'breached' : 'on-time';
    const labels: Record<string, string> = fr ? { breached: 'dépassé', 'at-risk': 'à risque', paused: 'suspendu', 'on-time': 'dans les temps' } : { breached: 'breached', 'at-risk': 'at risk', paused: 'paused', 'on-time': 'on time' };
    const rows = tickets
      .filter((t) => !state || slaOf(t) === state)
      .map((t) => `<tr data-number="${t.number}"><td>#${t.number}</td><td>${escapeHtml(t.title)}</td><td>P${t.priority}</td><td>${escapeHtml(statusLabel(p.lang, t.status as TicketStatus))}</td><td>${escapeHtml(t.group?.name ?? '—')}</td><td>${escapeHtml(t.assignee?.displayName ?? '—')}</td><td class="sla ${slaOf(t)}">${labels[slaOf(t)]}</td></tr>`)
      .join('');
    const groupOptions = groups.map((g) => `<option value="${escapeHtml(g.id)}"${g.id === group ? ' selected' : ''}>${escapeHtml(g.name)}</option>`).join('');
    const slaOptions = Object.entries(labels).map(([k, v]) => `<option value="${k}"${k === state ? ' selected' : ''}>${v}</option>`).join('');
    page(res, p.lang, 'admin-queue', `<h2 id="queue-title">${fr ? 'File des tickets' : 'Ticket queue'}</h2>
<form method="get"><label for="group">${fr ? 'Groupe' : 'Group'}</label> <select id="group" name="group"><option value="">${fr ? 'Tous' : 'All'}</option>${groupOptions}</select>
<label for="sla">SLA</label> <select id="sla" name="sla"><option value="">${fr ? 'Tous' : 'All'}</option>${slaOptions}</select> <button type="submit">OK</button></form>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="queue-title"><table><thead><tr><th scope="col">#</th><th scope="col">${fr ? 'Titre' : 'Title'}</th><th scope="col">${fr ? 'Priorité' : 'Priority'}</th><th scope="col">${fr ? 'Statut' : 'Status'}</th><th scope="col">${fr ? 'Groupe' : 'Group'}</th><th scope="col">${fr ? 'Technicien' : 'Agent'}</th><th scope="col">SLA</th></tr></thead><tbody>${rows}</tbody></table></div>`);
  });

  /** Knowledge gaps, the least helpful articles, and the drafts waiting for review (from tickets or chat). */
  pages.get('/gaps', adminOnly(false), async (_req, res) => {
    const p = me(res);
    const fr = p.lang === 'fr';
    const gaps = await deps.articles.topGaps(20);
    const all = await deps.articles.list();
    const totals = await deps.articles.feedbackTotals();
    const votes = (id: string) => totals.get(id) ?? { helpful: 0, notHelpful: 0 };
    const unhelpful = all.filter((a) => a.lang === p.lang && votes(a.id).notHelpful > 0).sort((a, b) => votes(b.id).notHelpful - votes(a.id).notHelpful).slice(0, 10);
    const drafts = all.filter((a) => a.status === 'draft');
    const li = (items: string[]) => (items.length ? `<ol>${items.join('')}</ol>` : `<p>${fr ? 'Rien pour l’instant.' : 'Nothing yet.'}</p>`);
    page(res, p.lang, 'admin-gaps', `<h2>${fr ? 'Lacunes de la base' : 'Knowledge gaps'}</h2>
<section><h3>${fr ? 'Questions sans bonne réponse' : 'Questions with no good answer'}</h3>${li(gaps.map((g) => `<li>${escapeHtml(g.example)} (${g.count}, ${g.lang})</li>`))}</section>
<section><h3>${fr ? 'Articles jugés « pas utiles »' : 'Articles rated “not helpful”'}</h3>${li(unhelpful.map((a) => `<li><a href="/portal/admin/knowledge/${escapeHtml(a.id)}/${a.lang}">${escapeHtml(a.id)}</a> ${escapeHtml(a.title)} (👎 ${votes(a.id).notHelpful}, 👍 ${votes(a.id).helpful})</li>`))}</section>
<section><h3>${fr ? 'Brouillons à relire (dont ceux tirés des tickets)' : 'Drafts to review (including those from tickets)'}</h3>${li(drafts.map((a) => `<li><a href="/portal/admin/knowledge/${escapeHtml(a.id)}/${a.lang}">${escapeHtml(a.id)}</a> ${escapeHtml(a.title)} — ${escapeHtml(a.source)}</li>`))}</section>`);
  });

  /** Groups, SLA policies and calendars as the database holds them (edited in config/). */
  pages.get('/config', adminOnly(false), async (_req, res) => {
    const p = me(res);
    const fr = p.lang === 'fr';
    const [groups, policies, calendars] = await Promise.all([
      deps.db.client.supportGroup.findMany({ orderBy: { level: 'asc' }, include: { members: { include: { user: { select: { displayName: true } } } }, escalatesTo: { select: { name: true } } } }),
      deps.db.client.slaPolicy.findMany({ orderBy: { id: 'asc' } }),
      deps.db.client.calendar.findMany({ orderBy: { id: 'asc' } }),
    ]);
    const groupRows = groups.map((g) => `<tr><td>${escapeHtml(g.name)}</td><td>${g.level}</td><td>${escapeHtml(g.escalatesTo?.name ?? '—')}</td><td>${escapeHtml(g.members.map((m) => m.user.displayName + (m.available ? '' : ' (absent)')).join(', '))}</td></tr>`).join('');
    const policyRows = policies.map((pol) => {
      const targets = pol.targets as Record<string, { responseMinutes: number; resolutionMinutes: number }>;
      return `<tr><td>${escapeHtml(pol.name)}</td><td>${escapeHtml(pol.calendarId)}</td><td>${['1', '2', '3', '4', '5'].map((k) => `P${k} ${targets[k]?.responseMinutes ?? '?'}/${targets[k]?.resolutionMinutes ?? '?'} min`).join(' · ')}</td></tr>`;
    }).join('');
    const calendarRows = calendars.map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.timeZone)}</td><td>${(c.holidays as string[]).length}</td></tr>`).join('');
    page(res, p.lang, 'admin-config', `<h2>${fr ? 'Configuration' : 'Configuration'}</h2><p>${fr ? 'Modifiée dans les fichiers de config/ et synchronisée au démarrage.' : 'Edited in the config/ files and synced at start-up.'}</p>
<h3 id="config-groups">${fr ? 'Groupes de support' : 'Support groups'}</h3><div class="table-scroll" tabindex="0" role="region" aria-labelledby="config-groups"><table><thead><tr><th scope="col">${fr ? 'Groupe' : 'Group'}</th><th scope="col">${fr ? 'Niveau' : 'Level'}</th><th scope="col">${fr ? 'Escalade vers' : 'Escalates to'}</th><th scope="col">${fr ? 'Membres' : 'Members'}</th></tr></thead><tbody>${groupRows}</tbody></table></div>
<h3 id="config-sla">${fr ? 'Politiques SLA (prise en charge / résolution)' : 'SLA policies (response / resolution)'}</h3><div class="table-scroll" tabindex="0" role="region" aria-labelledby="config-sla"><table><tbody>${policyRows}</tbody></table></div>
<h3 id="config-calendars">${fr ? 'Calendriers' : 'Calendars'}</h3><div class="table-scroll" tabindex="0" role="region" aria-labelledby="config-calendars"><table><thead><tr><th scope="col">${fr ? 'Calendrier' : 'Calendar'}</th><th scope="col">${fr ? 'Fuseau' : 'Time zone'}</th><th scope="col">${fr ? 'Jours fériés' : 'Holidays'}</th></tr></thead><tbody>${calendarRows}</tbody></table></div>`);
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

  /** Every article version as JSON Lines in the import format (knowledge/README.md): export and import round-trip. */
  api.get('/export', adminOnly(true), async (_req, res) => {
    const all = await deps.articles.list();
    const lines = all.map((a) => JSON.stringify(Object.fromEntries(IMPORT_COLUMNS.map((column) => [column, (a as unknown as Record<string, unknown>)[column] ?? null]).filter(([, v]) => v !== null))));
    res.type('application/x-ndjson').attachment('guichet-knowledge.jsonl').send(`${lines.join('\n')}\n`);
  });

  /** A CSV or JSON Lines file pasted or uploaded by an admin: all rows or none, each problem with its line and field. */
  api.post('/import', adminOnly(true), csrfProtection, async (req, res) => {
    const body = z.object({ format: z.enum(['csv', 'jsonl']), content: z.string().min(1).max(2_000_000) }).safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'invalid', field: body.error.issues[0]?.path.join('.'), message: body.error.issues[0]?.message });
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'guichet-import-'));
    try {
      const file = join(dir, `upload.${body.data.format}`);
      await writeFile(file, body.data.content);
      const report = await importKnowledge(deps.articles, file, deps.serviceIds);
      if (report.errors.length > 0) {
        res.status(400).json({ error: 'invalid-import', problems: report.errors.map((e) => ({ line: e.line, field: e.field, problem: e.problem })) });
        return;
      }
      await deps.changed();
      res.json({ ok: true, imported: report.imported.length });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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

  api.post('/incidents/:number/update', staffOnly, csrfProtection, async (req, res) => {
    const body = z.object({ text: z.string().trim().min(1).max(2_000) }).safeParse(req.body);
    if (!body.success || !deps.incidents) {
      res.status(400).json({ error: 'invalid', message: body.success ? 'portal: major incidents are not available' : body.error.issues[0]?.message });
      return;
    }
    const p = me(res);
    await incidentCall(res, () => deps.incidents!.update({ id: p.id, role: p.role }, Number(req.params.number), { fr: body.data.text, en: body.data.text }));
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
    if (isGuichetError(err) && err.code.startsWith('ticketing.')) {
      res.status(err.code === 'ticketing.not-found' ? 404 : 409).json({ error: err.code, message: err.message });
      return;
    }
    throw err;
  }
}
