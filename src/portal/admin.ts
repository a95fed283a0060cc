/**
 * The admin console: knowledge curation (articles, import/export, gaps) for admins, and the
 * queue, configuration and major incidents for the service desk. One router per page group:
 * article-routes.ts, desk-routes.ts, incident-routes.ts; this file holds what they share.
 */
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import type { ArticleStore } from '../knowledge/article-store.ts';
import type { MajorIncidents } from '../ticketing/major-incidents.ts';
import { articleApi, articlePages } from './article-routes.ts';
import { me, type PortalContext } from './context.ts';
import { deskPages } from './desk-routes.ts';
import type { DeskWaiting } from './queue-page.ts';
import { incidentApi, incidentPages } from './incident-routes.ts';
import type { DeskOverview } from './ports.ts';

export interface AdminDeps {
  /** The queue and configuration as the database holds them. */
  overview: DeskOverview;
  articles: ArticleStore;
  serviceIds: readonly string[];
  /** Rebuilds the search index after a change. */
  changed(): Promise<void>;
  incidents?: MajorIncidents;
  /** Users waiting for a person, per desk (src/desks), shown above the ticket queue. */
  waiting?: DeskWaiting;
}

/** Guards of the console's pages and API. */
export interface AdminGuards {
  /** Admins only: a 403 page, or with `json` a 403 answer. */
  adminOnly(json: boolean): express.RequestHandler;
  /** Agents and admins only (pages: a bare 403 page). */
  staffOnly(json: boolean): express.RequestHandler;
}

export function adminRoutes(deps: AdminDeps, ctx: PortalContext): { pages: express.Router; api: express.Router } {
  const guards = adminGuards(ctx);
  const pages = express.Router();
  const api = express.Router();
  pages.use(articlePages(ctx, deps, guards), deskPages(ctx, deps.overview, guards, deps.waiting), incidentPages(ctx, deps.serviceIds, guards));
  api.use(articleApi(ctx, deps, guards), incidentApi(ctx, deps.incidents, guards));
  return { pages, api };
}

function adminGuards(ctx: PortalContext): AdminGuards {
  const refuse = (res: Response, json: boolean, message: string, page: string) => {
    res.status(403);
    if (json) res.json({ error: 'forbidden', message });
    else ctx.page(res, 'forbidden', page);
  };
  return {
    adminOnly: (json) => (_req: Request, res: Response, next: NextFunction) => {
      if (me(res).role === 'admin') return next();
      const fr = me(res).lang === 'fr';
      refuse(res, json, 'portal: for administrators only', `<h2>403</h2><p>${fr ? 'Cette page est réservée aux administrateurs.' : 'This page is for administrators.'}</p>`);
    },
    staffOnly: (json) => (_req: Request, res: Response, next: NextFunction) => {
      if (me(res).role !== 'employee') return next();
      refuse(res, json, 'portal: for the service desk only', '<h2>403</h2>');
    },
  };
}
