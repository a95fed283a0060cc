/**
 * The service desk's read-only pages: who waits for a person in each desk's queue, the ticket queue
 * per group with each ticket's SLA state, and the configuration.
 */
import escapeHtml from 'escape-html';
import express from 'express';
import type { Lang } from '../core/lang.ts';
import { statusLabel } from '../core/ticket-texts.ts';
import type { AdminGuards } from './admin.ts';
import { me, type PortalContext } from './context.ts';
import type { DeskStats } from '../analytics/desks.ts';
import type { DeskOverview, QueueRow } from './ports.ts';
import { localizeEntry } from '../texts/define.ts';
import { desks as desksTexts } from '../texts/desks.ts';

/** Users waiting for a person, per desk, in queue order (src/desks' live queue), and each desk's figures. */
export interface DeskWaiting {
  waiting(): Promise<{ desk: string; lines: { position: number; number: number; priority: number; user: string; waitedMinutes: number }[] }[]>;
  /** Analytics per desk over the last `days` days (desk names, not ids). */
  stats?(days: number): Promise<(DeskStats & { desk: string })[]>;
}

/** Days the console's desk figures cover. */
const STATS_DAYS = 30;

type SlaState = 'breached' | 'at-risk' | 'paused' | 'on-time';

const SLA_LABELS: Record<Lang, Record<SlaState, string>> = {
  fr: { breached: 'dépassé', 'at-risk': 'à risque', paused: 'suspendu', 'on-time': 'dans les temps' },
  en: { breached: 'breached', 'at-risk': 'at risk', paused: 'paused', 'on-time': 'on time' },
};

/** Where a ticket stands against its SLA now. */
function slaOf(t: QueueRow, now: Date): SlaState {
  if (t.resolutionBreached || t.responseBreached) return 'breached';
  if (t.warned) return 'at-risk';
  if (t.paused) return 'paused';
  return t.resolutionDueAt && t.resolutionDueAt < now ? 'breached' : 'on-time';
}

export function deskPages(ctx: PortalContext, overview: DeskOverview, guards: AdminGuards, waiting?: DeskWaiting): express.Router {
  const pages = express.Router();
  pages.get('/queue', guards.staffOnly(false), async (req, res) => {
    const group = typeof req.query.group === 'string' ? req.query.group : '';
    const state = typeof req.query.sla === 'string' ? req.query.sla : '';
    const [groups, tickets, desks, stats] = await Promise.all([overview.groups(), overview.openTickets(group || undefined), waiting?.waiting(), waiting?.stats?.(STATS_DAYS)]);
    const lang = me(res).lang;
    ctx.page(res, 'admin-queue', `${desks ? waitingHtml(lang, desks) : ''}${queueHtml(lang, groups, tickets, group, state)}${stats ? statsHtml(lang, stats) : ''}`);
  });
  pages.get('/config', guards.adminOnly(false), async (_req, res) => {
    const [groups, policies, calendars] = await Promise.all([overview.groups(), overview.policies(), overview.calendars()]);
    ctx.page(res, 'admin-config', configHtml(me(res).lang, groups, policies, calendars));
  });
  return pages;
}

/** One table per desk: position, ticket, priority, requester and minutes waited. */
function waitingHtml(lang: Lang, desks: Awaited<ReturnType<DeskWaiting['waiting']>>): string {
  const t = (key: keyof typeof desksTexts, vars?: Record<string, string | number>) => escapeHtml(localizeEntry(desksTexts[key], lang, vars));
  if (desks.length === 0) return `<h2 id="waiting-title">${t('consoleWaiting')}</h2><p>${t('queueEmpty')}</p>`;
  const tables = desks
    .map(({ desk, lines }, i) => {
      const rows = lines.map((l) => `<tr data-number="${l.number}"><td>${l.position}</td><td>#${l.number}</td><td>P${l.priority}</td><td>${escapeHtml(l.user)}</td><td>${l.waitedMinutes}</td></tr>`).join('');
      return `<h3 id="waiting-${i}">${t('queueTitle', { desk, count: lines.length })}</h3><div class="table-scroll" tabindex="0" role="region" aria-labelledby="waiting-${i}"><table><thead><tr><th scope="col">${t('consolePosition')}</th><th scope="col">#</th><th scope="col">${t('consolePriority')}</th><th scope="col">${t('consoleRequester')}</th><th scope="col">${t('consoleWaited')}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    })
    .join('');
  return `<h2 id="waiting-title">${t('consoleWaiting')}</h2>${tables}`;
}

const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);
const minutes = (v: number | null) => (v === null ? '—' : String(Math.round(v)));

/** Per desk: volumes, waits (median, p90), abandonment, first-contact resolution, SLA met; and waits started per hour of day as bars. */
function statsHtml(lang: Lang, stats: (DeskStats & { desk: string })[]): string {
  const t = (key: keyof typeof desksTexts, vars?: Record<string, string | number>) => escapeHtml(localizeEntry(desksTexts[key], lang, vars));
  const head = ['statsDesk', 'statsVolume', 'statsMedian', 'statsP90', 'statsAbandoned', 'statsFcr', 'statsSla'] as const;
  const rows = stats
    .map((s) => `<tr><th scope="row">${escapeHtml(s.desk)}</th><td>${s.volume}</td><td>${minutes(s.waitMedianMinutes)}</td><td>${minutes(s.waitP90Minutes)}</td><td>${percent(s.abandonmentRate)}</td><td>${percent(s.firstContactResolutionRate)}</td><td>${percent(s.slaMetRate)}</td></tr>`)
    .join('');
  const charts = stats.map((s, i) => hourChart(s.byHour, `desk-hours-${i}`, t('statsByHour', { desk: s.desk }))).join('');
  return `<h2 id="desk-stats">${t('statsTitle', { days: STATS_DAYS })}</h2><div class="table-scroll" tabindex="0" role="region" aria-labelledby="desk-stats"><table><thead><tr>${head.map((k) => `<th scope="col">${t(k)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>${charts}`;
}

/** 24 bars, one per local hour; the figures are in the title (read by screen readers) and each bar's tooltip. */
function hourChart(byHour: number[], id: string, title: string): string {
  const max = Math.max(1, ...byHour);
  const bars = byHour.map((n, h) => `<rect x="${h * 20 + 2}" y="${100 - Math.round((n / max) * 90)}" width="16" height="${Math.round((n / max) * 90)}" fill="#0b5cad"><title>${h}h: ${n}</title></rect>`).join('');
  const labels = [0, 6, 12, 18].map((h) => `<text x="${h * 20 + 2}" y="114" font-size="10">${h}h</text>`).join('');
  const summary = byHour.map((n, h) => `${h}h ${n}`).join(', ');
  return `<figure><svg id="${id}" class="desk-hours" role="img" aria-labelledby="${id}-title" viewBox="0 0 480 120" width="100%"><title id="${id}-title">${title}: ${summary}</title>${bars}${labels}</svg><figcaption>${title}</figcaption></figure>`;
}

function queueHtml(lang: Lang, groups: { id: string; name: string }[], tickets: QueueRow[], group: string, state: string): string {
  const fr = lang === 'fr';
  const now = new Date();
  const labels = SLA_LABELS[lang];
  const rows = tickets
    .filter((t) => !state || slaOf(t, now) === state)
    .map((t) => `<tr data-number="${t.number}"><td>#${t.number}</td><td>${escapeHtml(t.title)}</td><td>P${t.priority}</td><td>${escapeHtml(statusLabel(lang, t.status))}</td><td>${escapeHtml(t.group ?? '—')}</td><td>${escapeHtml(t.assignee ?? '—')}</td><td class="sla ${slaOf(t, now)}">${labels[slaOf(t, now)]}</td></tr>`)
    .join('');
  const groupOptions = groups.map((g) => `<option value="${escapeHtml(g.id)}"${g.id === group ? ' selected' : ''}>${escapeHtml(g.name)}</option>`).join('');
  const slaOptions = Object.entries(labels).map(([k, v]) => `<option value="${k}"${k === state ? ' selected' : ''}>${v}</option>`).join('');
  return `<h2 id="queue-title">${fr ? 'File des tickets' : 'Ticket queue'}</h2>
<form method="get"><label for="group">${fr ? 'Groupe' : 'Group'}</label> <select id="group" name="group"><option value="">${fr ? 'Tous' : 'All'}</option>${groupOptions}</select>
<label for="sla">SLA</label> <select id="sla" name="sla"><option value="">${fr ? 'Tous' : 'All'}</option>${slaOptions}</select> <button type="submit">OK</button></form>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="queue-title"><table><thead><tr><th scope="col">#</th><th scope="col">${fr ? 'Titre' : 'Title'}</th><th scope="col">${fr ? 'Priorité' : 'Priority'}</th><th scope="col">${fr ? 'Statut' : 'Status'}</th><th scope="col">${fr ? 'Groupe' : 'Group'}</th><th scope="col">${fr ? 'Technicien' : 'Agent'}</th><th scope="col">SLA</th></tr></thead><tbody>${rows}</tbody></table></div>`;
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
