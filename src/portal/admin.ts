/**
 * The admin console: knowledge curation (articles, import/export, gaps) for admins, and the
 * queue, configuration and major incidents for the service desk. One router per page group:
 * article-routes.ts, desk-routes.ts, incident-routes.ts; this file holds what they share.
 */
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { mayGlobally } from '../core/authorization.ts';
import { articleApi, articlePages } from './article-routes.ts';
import { me, type PortalContext } from './context.ts';
import { deskPages } from './desk-routes.ts';
import { incidentApi, incidentPages } from './incident-routes.ts';
import { privacyPages } from './privacy-routes.ts';
import type { AdminDeps, AdminGuards } from './admin-deps.ts';

export type { AdminDeps, AdminGuards } from './admin-deps.ts';

export function adminRoutes(deps: AdminDeps, ctx: PortalContext): { pages: express.Router; api: express.Router } {
  const guards = adminGuards(ctx);
  const pages = express.Router();
  const api = express.Router();
  pages.use(articlePages(ctx, deps, guards), deskPages(ctx, deps.overview, guards, deps.waiting), incidentPages(ctx, deps.serviceIds, guards), privacyPages(ctx, deps.privacy, guards));
  api.use(articleApi(ctx, deps, guards), incidentApi(ctx, deps.incidents, guards));
  return { pages, api };
}

function adminGuards(ctx: PortalContext): AdminGuards {
  const refuse = (res: Response, json: boolean, message: string, page: string) => {
    res.status(403);
    if (json) res.json({ error: 'forbidden', message });
    else ctx.page(res, 'forbidden', page);
  };
  // The authorization table (core/authorization.ts): knowledge curation and the configuration are the
  // admins' rows; the queue, incidents and analytics the staff's (a test checks each pair has the same cells).
  return {
    adminOnly: (json) => (_req: Request, res: Response, next: NextFunction) => {
      if (mayGlobally(me(res), 'knowledge.curate')) return next();
      const fr = me(res).lang === 'fr';
      refuse(res, json, 'portal: for administrators only', `<h2>403</h2><p>${fr ? 'Cette page est réservée aux administrateurs.' : 'This page is for administrators.'}</p>`);
    },
    staffOnly: (json) => (_req: Request, res: Response, next: NextFunction) => {
      if (mayGlobally(me(res), 'queue.read')) return next();
      refuse(res, json, 'portal: for the service desk only', '<h2>403</h2>');
    },
  };
}
