/** Major incidents for the service desk: the page to declare, update and resolve them, and its JSON API. */
import escapeHtml from 'escape-html';
import express, { type Response } from 'express';
import { z } from 'zod';
import { firstIssue } from '../core/zod-issue.ts';
import type { MajorIncidents } from '../ticketing/major-incidents.ts';
import type { AdminGuards } from './admin-deps.ts';
import { deskCall, me, viewerOf, type PortalContext } from './context.ts';

const T = {
  fr: { incidents: 'Incidents majeurs', service: 'Service', title: 'Titre', declare: 'Déclarer' },
  en: { incidents: 'Major incidents', service: 'Service', title: 'Title', declare: 'Declare' },
} as const;

export function incidentPages(ctx: PortalContext, serviceIds: readonly string[], guards: AdminGuards): express.Router {
  const pages = express.Router();
  pages.get('/incidents', guards.staffOnly(false), (_req, res) => {
    const t = T[me(res).lang];
    const options = serviceIds.map((s) => `<option value="${escapeHtml(s)}">${escapeHtml(s)}</option>`).join('');
    ctx.page(res, 'admin-incidents', `<h2>${t.incidents}</h2>
<form id="declare"><label for="incident-service">${t.service}</label> <select id="incident-service" required>${options}</select>
<label for="incident-title">${t.title}</label> <input id="incident-title" type="text" maxlength="200" required> <button type="submit">${t.declare}</button></form>
<div id="incident-list" aria-live="polite"></div>`);
  });
  return pages;
}

const ids = z.array(z.string().trim().min(1).max(60)).max(50).optional();
const declareSchema = z.object({
  serviceId: z.string().min(1).max(60),
  title: z.string().trim().min(1).max(200),
  impact: z.enum(['high', 'medium', 'low']).default('high'),
  /** Other services, configuration items (CI tags) and the only sites it touches (docs/incidents.md). */
  services: ids,
  items: ids,
  sites: ids,
  audience: z.enum(['affected', 'recent', 'everyone']).optional(),
});
const textSchema = z.object({ text: z.string().trim().min(1).max(2_000) });

export function incidentApi(ctx: PortalContext, incidents: MajorIncidents | undefined, guards: AdminGuards): express.Router {
  const api = express.Router();
  const staff = guards.staffOnly(true);
  const csrf = ctx.sessions.csrfProtection;
  api.get('/incidents', staff, async (_req, res) => {
    res.json({ incidents: (await incidents?.list()) ?? [] });
  });
  api.post('/incidents', staff, csrf, async (req, res) => {
    const body = declareSchema.safeParse(req.body);
    if (!body.success || !incidents) return unavailable(res, body.success ? undefined : firstIssue(body.error).message);
    const { title, ...rest } = body.data;
    await deskCall(res, async () => ({ incident: await incidents.declare(viewerOf(me(res)), { ...rest, title: { fr: title, en: title } }) }));
  });
  api.post('/incidents/:number/update', staff, csrf, async (req, res) => {
    const body = textSchema.safeParse(req.body);
    if (!body.success || !incidents) return unavailable(res, body.success ? undefined : firstIssue(body.error).message);
    const { text } = body.data;
    await deskCall(res, async () => ({ incident: await incidents.update(viewerOf(me(res)), Number(req.params.number), { fr: text, en: text }) }));
  });
  api.post('/incidents/:number/resolve', staff, csrf, async (req, res) => {
    const body = textSchema.safeParse(req.body);
    if (!body.success || !incidents) return unavailable(res, body.success ? undefined : firstIssue(body.error).message);
    const { text } = body.data;
    await deskCall(res, async () => ({ incident: await incidents.resolve(viewerOf(me(res)), Number(req.params.number), { fr: text, en: text }) }));
  });
  return api;
}

/** 400: bad input (its first problem), or no major incidents on this install. */
function unavailable(res: Response, problem: string | undefined): void {
  res.status(400).json({ error: 'invalid', message: problem ?? 'portal: major incidents are not available' });
}
