/** The FAQ/known-error search for employees, with "was it helpful?" ratings. */
import express from 'express';
import { z } from 'zod';
import type { KnowledgeBase } from '../core/ports.ts';
import { markdownToHtml } from '../markup/markdown-html.ts';
import { me, type PortalContext } from './context.ts';
import { TEXT } from './page.ts';

export function knowledgePages(ctx: PortalContext): express.Router {
  const pages = express.Router();
  pages.get('/kb', ctx.requireUser(false), (_req, res) => {
    const p = me(res);
    const label = p.lang === 'fr' ? 'Rechercher une solution' : 'Search for a fix';
    ctx.page(res, 'kb', `<h2>${TEXT[p.lang].kb}</h2><form id="kb-search" role="search"><label for="q">${label}</label> <input id="q" name="q" type="search" required> <button type="submit">OK</button></form><div id="kb-results" aria-live="polite"></div>`);
  });
  return pages;
}

/** The JSON API of the search (mounted behind requireUser). */
export function knowledgeApi(ctx: PortalContext, knowledge: KnowledgeBase | undefined): express.Router {
  const api = express.Router();
  api.get('/kb', (req, res) => {
    const p = me(res);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 500) : '';
    const found = q && knowledge ? knowledge.answer(q, { lang: p.lang }) : { kind: 'none' as const };
    const articles = found.kind === 'answer' ? [found.article] : found.kind === 'choose' ? found.options.map((o) => o.article) : [];
    res.json({ query: q, articles: articles.map((a) => ({ id: a.id, lang: a.lang, title: a.title, html: markdownToHtml(a.markdown) })) });
  });
  api.post('/kb/:id/feedback', ctx.sessions.csrfProtection, async (req, res) => {
    const p = me(res);
    const body = z.object({ helpful: z.boolean(), query: z.string().max(500), lang: z.enum(['fr', 'en']) }).safeParse(req.body);
    const articleId = String(req.params.id);
    if (!body.success || !knowledge?.article(articleId, body.data.lang)) {
      res.status(400).json({ error: 'invalid', message: 'portal: unknown article or bad rating' });
      return;
    }
    await knowledge.recordFeedback({ articleId, lang: body.data.lang, helpful: body.data.helpful, userId: p.id, query: body.data.query, conversationId: '' });
    res.json({ ok: true });
  });
  return api;
}
