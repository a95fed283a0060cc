/**
 * The service desk's read-only pages: who waits for a person in each desk's queue, the ticket queue
 * per group with each ticket's SLA state, and the configuration.
 */
import escapeHtml from 'escape-html';
import express from 'express';
import type { Lang } from '../core/lang.ts';
import type { AdminGuards } from './admin-deps.ts';
import { me, type PortalContext } from './context.ts';
import type { DeskOverview } from './ports.ts';
import { queuePage, STATS_DAYS, type DeskWaiting, type QueueFilters } from './queue-page.ts';

export function deskPages(ctx: PortalContext, overview: DeskOverview, guards: AdminGuards, waiting?: DeskWaiting): express.Router {
  const pages = express.Router();
  pages.get('/queue', guards.staffOnly(false), async (req, res) => {
    const text = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string).slice(0, 200) : '');
    const filters: QueueFilters = { desk: text('desk'), group: text('group'), sla: text('sla'), priority: text('priority'), assignee: text('assignee'), q: text('q').trim() };
    const [groups, rows, desks, stats] = await Promise.all([overview.groups(), overview.openTickets(filters.group || undefined), waiting?.waiting(), waiting?.stats?.(STATS_DAYS)]);
    // Each ticket's desk: where its escalation is routed (the requester's site, department, the ticket's skills).
    const deskOf = waiting?.deskOf ? await waiting.deskOf(rows.map((t) => t.number)) : undefined;
    const tickets = deskOf ? rows.map((t) => ({ ...t, desk: deskOf.get(t.number) })) : rows;
    const deskList = waiting?.desks?.();
    ctx.page(res, 'admin-queue', queuePage(me(res).lang, { groups, deskList, tickets, desks, stats, filters, now: new Date() }));
  });
  pages.get('/config', guards.adminOnly(false), async (_req, res) => {
    const [groups, policies, calendars] = await Promise.all([overview.groups(), overview.policies(), overview.calendars()]);
    ctx.page(res, 'admin-config', configHtml(me(res).lang, groups, policies, calendars));
  });
  return pages;
}

function configHtml(lang: Lang, groups: Awaited<ReturnType<DeskOverview['groups']>>, policies: Awaited<ReturnType<DeskOverview['policies']>>, calendars: Awaited<ReturnType<DeskOverview['calendars']>>): string {
  const fr = lang === 'fr';
  const groupRows = groups.map((g) => `<tr><td>${escapeHtml(g.name)}</td><td>${g.level}</td><td>${escapeHtml(g.escalatesTo ?? '—')}</td><td>${escapeHtml(g.members.map((m) => m.displayName + (m.available ? '' : ' (absent)')).join(', '))}</td></tr>`).join('');
  const target = (t: (typeof policies)[number]['targets'][string]) => `${t?.responseMinutes ?? '?'}/${t?.resolutionMinutes ?? '?'}`;
  const policyRows = policies.map((pol) => `<tr><td>${escapeHtml(pol.name)}</td><td>${escapeHtml(pol.calendarId)}</td><td>${['1', '2', '3', '4', '5'].map((k) => `P${k} ${target(pol.targets[k])} min`).join(' · ')}</td></tr>`).join('');
  const calendarRows = calendars.map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.timeZone)}</td><td>${c.holidays}</td></tr>`).join('');
  return `<h2>Configuration</h2><p>${fr ? 'Modifiée dans les fichiers de config/ et synchronisée au démarrage.' : 'Edited in the config/ files and synced at start-up.'}</p>
<h3 id="config-groups">${fr ? 'Groupes de support' : 'Support groups'}</h3><div class="table-scroll" tabindex="0" role="region" aria-labelledby="config-groups"><table><thead><tr><th scope="col">${fr ? 'Groupe' : 'Group'}</th><th scope="col">${fr ? 'Niveau' : 'Level'}</th><th scope="col">${fr ? 'Escalade vers' : 'Escalates to'}</th><th scope="col">${fr ? 'Membres' : 'Members'}</th></tr></thead><tbody>${groupRows}</tbody></table></div>
<h3 id="config-sla">${fr ? 'Politiques SLA (prise en charge / résolution)' : 'SLA policies (response / resolution)'}</h3><div class="table-scroll" tabindex="0" role="region" aria-labelledby="config-sla"><table><tbody>${policyRows}</tbody></table></div>
<h3 id="config-calendars">${fr ? 'Calendriers' : 'Calendars'}</h3><div class="table-scroll" tabindex="0" role="region" aria-labelledby="config-calendars"><table><thead><tr><th scope="col">${fr ? 'Calendrier' : 'Calendar'}</th><th scope="col">${fr ? 'Fuseau' : 'Time zone'}</th><th scope="col">${fr ? 'Jours fériés' : 'Holidays'}</th></tr></thead><tbody>${calendarRows}</tbody></table></div>`;
}
