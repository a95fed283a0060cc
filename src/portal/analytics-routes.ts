/** The service desk's analytics: the page (period, figures, charts) and its figures as JSON, for agents and admins. */
import express from 'express';
import { z } from 'zod';
import { mayGlobally } from '../core/authorization.ts';
import { isGuichetError } from '../core/errors.ts';
import { computeMetrics } from '../analytics/metrics.ts';
import { lastDays, periodOfDays } from '../analytics/period.ts';
import type { MetricsQuery } from '../analytics/ports.ts';
import { invalid, me, type PortalContext } from './context.ts';

export interface AnalyticsRouteDeps {
  metrics: MetricsQuery;
  /** The desk's time zone: days are counted from its midnight. */
  timeZone?: string;
  now?: () => Date;
}

export function analyticsPages(ctx: PortalContext, deps: AnalyticsRouteDeps): express.Router {
  const pages = express.Router();
  pages.get('/admin/analytics', ctx.requireUser(false), ctx.requireStaff, (_req, res) => {
    const fr = me(res).lang === 'fr';
    // Today is the desk's today: just after midnight in Paris, the server's UTC date is still yesterday.
    const { from, to } = lastDays((deps.now ?? (() => new Date()))(), deps.timeZone ?? 'UTC', 31);
    ctx.page(
      res,
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
    );
  });
  return pages;
}

/** The figures of whole local days `from`…`to` (mounted behind requireUser). */
export function analyticsApi(deps: AnalyticsRouteDeps): express.Router {
  const api = express.Router();
  api.get('/admin/metrics', async (req, res) => {
    if (!mayGlobally(me(res), 'analytics.read')) {
      res.status(403).json({ error: 'forbidden', message: 'portal: for the service desk only' });
      return;
    }
    const query = z.object({ from: z.string().date(), to: z.string().date() }).safeParse(req.query);
    if (!query.success) return invalid(res, query.error);
    try {
      // Whole local days in the desk's time zone, the zone computeMetrics counts days in.
      res.json(await computeMetrics(deps.metrics, periodOfDays(query.data.from, query.data.to, deps.timeZone ?? 'UTC'), deps.timeZone));
    } catch (err) {
      if (isGuichetError(err) && err.code === 'analytics.invalid-period') res.status(400).json({ error: err.code, message: err.message });
      else throw err;
    }
  });
  return api;
}
