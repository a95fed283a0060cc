/**
 * The status page of the portal, for every signed-in person: the major incidents in progress (the
 * services they reach, since when, the latest update), the recent history, and a button to follow
 * an incident (its updates are then sent to the person like to the affected). Rendered on the
 * server; following is a plain form (CSRF token in the body), so it works without script.
 */
import escapeHtml from 'escape-html';
import express from 'express';
import { isGuichetError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import type { MajorIncidentView } from '../core/tickets.ts';
import { say } from '../texts/index.ts';
import type { MajorIncidents } from '../ticketing/major-incidents.ts';
import { me, type PortalContext } from './context.ts';
import { renderPage } from './page.ts';

export function statusPages(ctx: PortalContext, incidents: MajorIncidents, timeZone?: string): express.Router {
  const pages = express.Router();
  pages.get('/status', ctx.requireUser(false), async (_req, res) => {
    const p = me(res);
    const [open, resolved, followed] = await Promise.all([incidents.list({ status: 'open' }), incidents.list({ status: 'resolved' }), incidents.followedBy(p.id)]);
    const csrf = ctx.sessions.csrfToken(res.req, res);
    const when = (iso: string) => new Intl.DateTimeFormat(p.lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: timeZone ?? 'Europe/Paris', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
    const current = open.length > 0 ? open.map((i) => card(i, p.lang, incidents, when, followed.includes(i.number), csrf)).join('\n') : `<p>${say(p.lang, 'incidents.statusNone')}</p>`;
    const history =
      resolved.length > 0
        ? `<ul class="history">${resolved
            .slice(0, 20)
            .map((i) => `<li><strong>#${i.number} ${escapeHtml(incidents.serviceName(i.serviceId, p.lang))}</strong> : ${escapeHtml(i.title[p.lang])} — ${say(p.lang, 'incidents.statusResolvedAt')} ${escapeHtml(when(i.resolvedAt ?? i.startedAt))}${i.updates[0] ? ` — ${escapeHtml(i.updates[0].text[p.lang])}` : ''}</li>`)
            .join('')}</ul>`
        : `<p>${say(p.lang, 'incidents.statusNoHistory')}</p>`;
    // The forms carry the page's own CSRF token (a second token would replace the cookie of the first).
    renderPage(res, p, p.lang, 'status', `<h2>${say(p.lang, 'incidents.statusTitle')}</h2>
<section aria-labelledby="status-current"><h3 id="status-current">${say(p.lang, 'incidents.statusCurrent')}</h3>
${current}</section>
<section aria-labelledby="status-history"><h3 id="status-history">${say(p.lang, 'incidents.statusHistory')}</h3>
${history}</section>`, csrf);
  });
  pages.post('/status/:number/follow', ctx.requireUser(false), ctx.sessions.csrfProtection, async (req, res) => {
    const number = Number(req.params.number);
    const follow = (req.body as { follow?: unknown } | undefined)?.follow !== '0';
    if (!Number.isInteger(number) || number <= 0) return void res.status(400).type('text').send('portal: the incident number must be a positive whole number');
    try {
      await incidents.follow(me(res).id, number, follow);
    } catch (err) {
      if (isGuichetError(err) && err.code === 'ticketing.not-found') return void res.status(404).type('text').send(`portal: no major incident #${number}`);
      throw err;
    }
    res.redirect(303, '/portal/status');
  });
  return pages;
}

function card(i: MajorIncidentView, lang: Lang, incidents: MajorIncidents, when: (iso: string) => string, following: boolean, csrf: string): string {
  const services = incidents.affectedServices(i).map((s) => escapeHtml(incidents.serviceName(s, lang))).join(', ');
  const latest = i.updates[0] ? `${escapeHtml(i.updates[0].text[lang])} (${escapeHtml(when(i.updates[0].at))})` : escapeHtml(say(lang, 'incidents.outageNoUpdate'));
  const sites = i.scope?.sites.length ? `<dt>${say(lang, 'incidents.statusSites')}</dt><dd>${escapeHtml(i.scope.sites.join(', '))}</dd>` : '';
  const button = following
    ? `<p>${say(lang, 'incidents.statusFollowing')}</p><form method="post" action="/portal/status/${i.number}/follow"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="follow" value="0"><button type="submit">${say(lang, 'incidents.statusUnfollow')}</button></form>`
    : `<form method="post" action="/portal/status/${i.number}/follow"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="follow" value="1"><button type="submit" aria-label="${escapeHtml(`${say(lang, 'incidents.statusFollow')} #${i.number}`)}">${say(lang, 'incidents.statusFollow')}</button></form>`;
  return `<article class="incident" aria-labelledby="incident-${i.number}"><h4 id="incident-${i.number}">#${i.number} ${escapeHtml(incidents.serviceName(i.serviceId, lang))} : ${escapeHtml(i.title[lang])}</h4>
<dl><dt>${say(lang, 'incidents.statusServices')}</dt><dd>${services}</dd>${sites}<dt>${say(lang, 'incidents.statusSince')}</dt><dd>${escapeHtml(when(i.startedAt))}</dd><dt>${say(lang, 'incidents.statusLastUpdate')}</dt><dd>${latest}</dd></dl>
${button}</article>`;
}
