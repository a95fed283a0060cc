/**
 * Knowledge curation for admins. An article is edited as its file (front matter + Markdown) with
 * a preview, saved as a draft, published or retired; every change makes a revision, is audited by
 * the article store, and rebuilds the users' search index. Plus import/export (JSON Lines, CSV)
 * and the gaps page: unanswered questions, unhelpful articles, drafts to review.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { z } from 'zod';
import { parseArticle, serializeArticle, type ArticleStatus } from '../knowledge/article.ts';
import type { ArticleStore } from '../knowledge/article-store.ts';
import { IMPORT_COLUMNS, importKnowledge } from '../knowledge/import.ts';
import { markdownToHtml } from '../markup/markdown-html.ts';
import type { AdminDeps, AdminGuards } from './admin-deps.ts';
import { invalid, me, type PortalContext } from './context.ts';
import { editorHtml, gapsHtml, listHtml } from './article-pages.ts';

export function articlePages(ctx: PortalContext, deps: AdminDeps, guards: AdminGuards): express.Router {
  const pages = express.Router();
  pages.get('/knowledge', guards.adminOnly(false), (_req, res) => {
    ctx.page(res, 'admin-knowledge', listHtml(me(res).lang));
  });
  pages.get('/knowledge/:id/:lang', guards.adminOnly(false), (req, res) => {
    ctx.page(res, 'admin-article', editorHtml(me(res).lang, String(req.params.id), req.params.lang === 'en' ? 'en' : 'fr'));
  });
  /** Knowledge gaps, the least helpful articles, and the drafts waiting for review (from tickets or chat). */
  pages.get('/gaps', guards.adminOnly(false), async (_req, res) => {
    const lang = me(res).lang;
    const [gaps, all, totals] = await Promise.all([deps.articles.topGaps(20), deps.articles.list(), deps.articles.feedbackTotals()]);
    const votes = (id: string) => totals.get(id) ?? { helpful: 0, notHelpful: 0 };
    const unhelpful = all.filter((a) => a.lang === lang && votes(a.id).notHelpful > 0).sort((a, b) => votes(b.id).notHelpful - votes(a.id).notHelpful).slice(0, 10);
    ctx.page(res, 'admin-gaps', gapsHtml(lang, gaps, unhelpful.map((a) => ({ ...a, votes: votes(a.id) })), all.filter((a) => a.status === 'draft')));
  });
  return pages;
}

const saveSchema = z.object({ source: z.string().min(1).max(200_000), status: z.enum(['draft', 'published', 'retired']) });
const importSchema = z.object({ format: z.enum(['csv', 'jsonl']), content: z.string().min(1).max(2_000_000) });

export function articleApi(ctx: PortalContext, deps: AdminDeps, guards: AdminGuards): express.Router {
  const api = express.Router();
  api.use(['/articles', '/export', '/import', '/preview'], guards.adminOnly(true));
  const csrf = ctx.sessions.csrfProtection;
  api.get('/articles', async (_req, res) => {
    const all = await deps.articles.list();
    res.json({ articles: all.map((a) => ({ id: a.id, lang: a.lang, type: a.type, status: a.status, title: a.title, services: a.services, revision: a.revision })) });
  });
  api.get('/articles/:id/:lang', async (req, res) => {
    const lang = req.params.lang === 'en' ? 'en' : 'fr';
    const article = await deps.articles.get(String(req.params.id), lang);
    if (!article) {
      res.status(404).json({ error: 'not-found', message: `no article ${String(req.params.id)} (${lang})` });
      return;
    }
    res.json({ source: serializeArticle(article), status: article.status, revisions: await deps.articles.revisions(article.id, lang) });
  });
  api.post('/articles', csrf, async (req, res) => {
    const body = saveSchema.safeParse(req.body);
    if (!body.success) return invalid(res, body.error);
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
  transferRoutes(api, deps, csrf);
  api.post('/preview', csrf, (req, res) => {
    const markdown = typeof req.body?.markdown === 'string' ? (req.body.markdown as string).slice(0, 200_000) : '';
    res.json({ html: markdownToHtml(markdown) });
  });
  return api;
}

/** Export and import in the import format (knowledge/README.md): they round-trip. */
function transferRoutes(api: express.Router, deps: AdminDeps, csrf: express.RequestHandler): void {
  api.get('/export', async (_req, res) => {
    const all = await deps.articles.list();
    const lines = all.map((a) => JSON.stringify(Object.fromEntries(IMPORT_COLUMNS.map((column) => [column, (a as unknown as Record<string, unknown>)[column] ?? null]).filter(([, v]) => v !== null))));
    res.type('application/x-ndjson').attachment('guichet-knowledge.jsonl').send(`${lines.join('\n')}\n`);
  });
  /** A CSV or JSON Lines file pasted or uploaded by an admin: all rows or none, each problem with its line and field. */
  api.post('/import', csrf, async (req, res) => {
    const body = importSchema.safeParse(req.body);
    if (!body.success) return invalid(res, body.error);
    const report = await importFile(deps.articles, body.data.format, body.data.content, deps.serviceIds);
    if (report.errors.length > 0) {
      res.status(400).json({ error: 'invalid-import', problems: report.errors.map((e) => ({ line: e.line, field: e.field, problem: e.problem })) });
      return;
    }
    await deps.changed();
    res.json({ ok: true, imported: report.imported.length });
  });
}

/** The importer reads files: the upload goes through a private temporary directory, removed after. */
async function importFile(articles: ArticleStore, format: 'csv' | 'jsonl', content: string, serviceIds: readonly string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'guichet-import-'));
  try {
    const file = join(dir, `upload.${format}`);
    await writeFile(file, content);
    return await importKnowledge(articles, file, serviceIds);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
