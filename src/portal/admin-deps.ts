/** What the admin console's routers are given (admin.ts composes them; each router file imports this). */
import type express from 'express';
import type { ArticleStore } from '../knowledge/article-store.ts';
import type { MajorIncidents } from '../ticketing/major-incidents.ts';
import type { DeskOverview } from './ports.ts';
import type { PrivacyAdmin } from '../privacy/ports.ts';
import type { DeskWaiting } from './queue-page.ts';

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
  /** Export and erasure of a person's data, and the retention periods shown (the privacy page). */
  privacy?: PrivacyAdmin;
}

/** Guards of the console's pages and API. */
export interface AdminGuards {
  /** Admins only: a 403 page, or with `json` a 403 answer. */
  adminOnly(json: boolean): express.RequestHandler;
  /** Agents and admins only (pages: a bare 403 page). */
  staffOnly(json: boolean): express.RequestHandler;
}
