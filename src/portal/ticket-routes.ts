/**
 * "My tickets": the list with live status and due times, a ticket's public timeline with "add
 * information" and "is it fixed?", the banner of current major incidents, and the live updates
 * (Server-Sent Events: an event whenever one of the person's tickets or the open incidents change).
 */
import escapeHtml from 'escape-html';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { allows, type TicketAction } from '../core/authorization.ts';
import type { Lang } from '../core/lang.ts';
import { dueLines, formatWhen, nextStep, statusLabel } from '../core/ticket-texts.ts';
import type { TicketDesk, TicketView } from '../core/tickets.ts';
import { deskCall, invalid, me, viewerOf, type PortalContext } from './context.ts';
import { TEXT } from './page.ts';
import type { PortalActivity } from './ports.ts';

export interface TicketRouteDeps {
  desk: TicketDesk;
  activity: PortalActivity;
  timeZone?: string;
  /** How often the live updates look for changes, in ms. */
  pollMs?: number;
}

export function ticketPages(ctx: PortalContext): express.Router {
  const pages = express.Router();
  pages.get('/', ctx.requireUser(false), (_req, res) => {
    ctx.page(res, 'tickets', `<h2>${TEXT[me(res).lang].tickets}</h2><div id="tickets" aria-live="polite"></div>`);
  });
  pages.get('/tickets/:number', ctx.requireUser(false), (req, res) => {
    ctx.page(res, 'ticket', `<div id="ticket" data-number="${escapeHtml(String(Number(req.params.number) || 0))}" aria-live="polite"></div>`);
  });
  return pages;
}

/** The JSON API of the person's tickets (mounted behind requireUser). */
export function ticketApi(ctx: PortalContext, deps: TicketRouteDeps): express.Router {
  const api = express.Router();
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
    const access = Number.isInteger(number) ? await deps.desk.access(number, viewerOf(p)) : undefined;
    // The authorization table (core/authorization.ts): a ticket they may not read looks unknown.
    if (!access || !allows(access.roles, 'ticket.read')) {
      res.status(404).json({ error: 'not-found', message: `no ticket #${req.params.number} you may see` });
      return;
    }
    const { ticket } = access;
    // The portal shows the public timeline, whoever reads it (internal notes stay in the agents' tools).
    const events = (await deps.desk.timeline(number, viewerOf(p), p.lang)).filter((e) => e.visibility === 'public');
    const timeline = events.map((e) => ({ ...e, when: formatWhen(e.at, p.lang, deps.timeZone) }));
    res.json({ ticket: { ...present(ticket, p.lang), description: ticket.description ?? '' }, timeline });
  });
  requesterActions(api, ctx, deps.desk);
  api.get('/incidents', async (_req, res) => {
    const p = me(res);
    const open = await deps.desk.openMajorIncidents();
    res.json({ incidents: open.map((i) => ({ number: i.number, title: i.title[p.lang], since: formatWhen(i.startedAt, p.lang, deps.timeZone), latest: i.updates[0]?.text[p.lang] ?? null })) });
  });
  api.get('/events', (req, res) => liveUpdates(req, res, deps));
  return api;
}

/** "Add information" and "is it fixed?": idempotent per the page's id for the action. */
function requesterActions(api: express.Router, ctx: PortalContext, desk: TicketDesk): void {
  const done = (t: TicketView) => ({ number: t.number, status: t.status });
  /** The authorization table's refusal, before anything is read from the body: 404 when they may not read the ticket, 403 when they may not do this. */
  const refused = async (req: Request, res: Response, action: TicketAction): Promise<boolean> => {
    const p = me(res);
    const number = Number(req.params.number);
    const access = Number.isInteger(number) && number > 0 ? await desk.access(number, viewerOf(p)) : undefined;
    if (access && allows(access.roles, action)) return false;
    if (access && allows(access.roles, 'ticket.read')) res.status(403).json({ error: 'forbidden', message: `ticket #${number}: only its requester can do this` });
    else res.status(404).json({ error: 'not-found', message: `no ticket #${req.params.number} you may see` });
    return true;
  };
  api.post('/tickets/:number/info', ctx.sessions.csrfProtection, async (req, res) => {
    const p = me(res);
    if (await refused(req, res, 'ticket.add-info')) return;
    const body = z.object({ text: z.string().trim().min(1).max(8_000), id: z.string().min(8).max(100) }).safeParse(req.body);
    if (!body.success) return invalid(res, body.error);
    await deskCall(res, async () => done(await desk.addInfo(Number(req.params.number), viewerOf(p), body.data.text, `web:${p.id}:${body.data.id}`)));
  });
  api.post('/tickets/:number/confirm', ctx.sessions.csrfProtection, async (req, res) => {
    const p = me(res);
    if (await refused(req, res, 'ticket.confirm')) return;
    const body = z.object({ fixed: z.boolean(), id: z.string().min(8).max(100) }).safeParse(req.body);
    if (!body.success) return invalid(res, body.error);
    await deskCall(res, async () => done(await desk.confirmResolution(Number(req.params.number), viewerOf(p), body.data.fixed, `web:${p.id}:${body.data.id}`)));
  });
}

/** Server-Sent Events: "changed" whenever the change stamp moves, checked every `pollMs`. */
async function liveUpdates(req: Request, res: Response, deps: TicketRouteDeps): Promise<void> {
  const p = me(res);
  res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.flushHeaders();
  let last = '';
  const check = async () => {
    const stamp = await deps.activity.changeStamp(p.id);
    if (stamp === last) return;
    last = stamp;
    res.write(`event: changed\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
  };
  // A failed check (database busy, client gone) is retried at the next tick; the stream stays open.
  const tick = () => check().catch(() => undefined);
  const timer = setInterval(() => void tick(), deps.pollMs ?? 2_000);
  await tick();
  req.on('close', () => clearInterval(timer));
}
