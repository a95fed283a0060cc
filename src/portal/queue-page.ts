/**
 * The console's queue page, a tool an agent works in all day: who waits for a person in each desk's
 * queue; the open tickets filtered by group, SLA state, priority, assignee and a search (number,
 * title, agent), sorted by due time with a live countdown (queue.js, which also refreshes the page's
 * content every 30 s without reloading it); each desk's figures and waits by hour of day.
 */
import escapeHtml from 'escape-html';
import type { DeskStats } from '../analytics/desks.ts';
import type { Lang } from '../core/lang.ts';
import { statusLabel } from '../core/ticket-texts.ts';
import { localizeEntry } from '../texts/define.ts';
import { desks as desksTexts } from '../texts/desks.ts';
import type { GroupRow, QueueRow } from './ports.ts';

/** Users waiting for a person, per desk, in queue order (src/desks' live queue), and each desk's figures. */
export interface DeskWaiting {
  waiting(): Promise<{ desk: string; lines: { position: number; number: number; priority: number; user: string; waitedMinutes: number }[] }[]>;
  /** Analytics per desk over the last `days` days (desk names, not ids). */
  stats?(days: number): Promise<(DeskStats & { desk: string })[]>;
  /** The desks (for the queue's desk filter), and the desk each open ticket is routed to (ticket number → desk id). */
  desks?(): { id: string; name: string }[];
  deskOf?(numbers: number[]): Promise<Map<number, string>>;
}

/** Days the console's desk figures cover. */
export const STATS_DAYS = 30;

export interface QueueFilters {
  /** A desk id, or "" for all. */
  desk: string;
  group: string;
  sla: string;
  /** "1".."5", or "" for all. */
  priority: string;
  /** An agent's name, "-" for nobody, "" for all. */
  assignee: string;
  /** A ticket number ("1042", "#1042") or words of the title, the agent's name, the requester's name or e-mail. */
  q: string;
}

export interface QueuePageData {
  groups: Pick<GroupRow, 'id' | 'name'>[];
  /** The desks to filter by (none: no desk filter shown). */
  deskList?: { id: string; name: string }[];
  tickets: (QueueRow & { desk?: string })[];
  desks?: Awaited<ReturnType<DeskWaiting['waiting']>>;
  stats?: (DeskStats & { desk: string })[];
  filters: QueueFilters;
  now: Date;
}

const say = (lang: Lang, key: keyof typeof desksTexts, vars?: Record<string, string | number>) => escapeHtml(localizeEntry(desksTexts[key], lang, vars));

export function queuePage(lang: Lang, data: QueuePageData): string {
  const live = `${ticketsHtml(lang, data)}${data.desks ? waitingHtml(lang, data.desks) : ''}${data.stats ? statsHtml(lang, data.stats) : ''}`;
  return `${filtersHtml(lang, data)}<div id="queue-live">${live}</div><script src="/portal/assets/queue.js" defer></script>`;
}

/** The tickets the filters keep, soonest due first (no due time last), then by priority and number. */
export function filterTickets<T extends QueueRow & { desk?: string }>(tickets: T[], f: QueueFilters, now: Date): T[] {
  const q = f.q.toLowerCase();
  const number = /^#?(\d+)$/.exec(q)?.[1];
  return tickets
    .filter((t) => !f.desk || t.desk === f.desk)
    .filter((t) => !f.sla || slaOf(t, now) === f.sla)
    .filter((t) => !f.priority || String(t.priority) === f.priority)
    .filter((t) => !f.assignee || (f.assignee === '-' ? t.assignee === null : t.assignee === f.assignee))
    .filter((t) => !q || (number ? String(t.number) === number : `${t.title} ${t.assignee ?? ''} ${t.requester} ${t.requesterEmail ?? ''}`.toLowerCase().includes(q)))
    .sort((a, b) => (a.resolutionDueAt?.getTime() ?? Infinity) - (b.resolutionDueAt?.getTime() ?? Infinity) || a.priority - b.priority || a.number - b.number);
}

/** "1 h 05", "12 min", "overdue 10 min": what queue.js shows, computed the same way. */
export function timeLeft(lang: Lang, due: Date, now: Date): string {
  const ms = due.getTime() - now.getTime();
  const m = Math.round(Math.abs(ms) / 60_000);
  const span = m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}` : `${m} min`;
  return ms < 0 ? say(lang, 'consoleOverdue', { span }) : span;
}

function filtersHtml(lang: Lang, { groups, deskList, tickets, filters: f }: QueuePageData): string {
  const fr = lang === 'fr';
  const all = `<option value="">${say(lang, 'consoleAll')}</option>`;
  const option = (value: string, label: string, current: string) => `<option value="${escapeHtml(value)}"${value === current ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const agents = [...new Set(tickets.map((t) => t.assignee).filter((a): a is string => a !== null))].sort();
  return `<h2 id="queue-title">${fr ? 'File des tickets' : 'Ticket queue'}</h2>
<form method="get" role="search" aria-labelledby="queue-title">${deskList ? `<label for="desk">${say(lang, 'consoleDesk')}</label> <select id="desk" name="desk">${all}${deskList.map((d) => option(d.id, d.name, f.desk)).join('')}</select>
` : ''}<label for="group">${fr ? 'Groupe' : 'Group'}</label> <select id="group" name="group">${all}${groups.map((g) => option(g.id, g.name, f.group)).join('')}</select>
<label for="sla">SLA</label> <select id="sla" name="sla">${all}${Object.entries(SLA_LABELS[lang]).map(([k, v]) => option(k, v, f.sla)).join('')}</select>
<label for="priority">${say(lang, 'consolePriority')}</label> <select id="priority" name="priority">${all}${['1', '2', '3', '4', '5'].map((p) => option(p, `P${p}`, f.priority)).join('')}</select>
<label for="assignee">${say(lang, 'consoleAgent')}</label> <select id="assignee" name="assignee">${all}${option('-', say(lang, 'consoleNobody'), f.assignee)}${agents.map((a) => option(a, a, f.assignee)).join('')}</select>
<label for="q">${say(lang, 'consoleSearch')}</label> <input id="q" name="q" type="search" value="${escapeHtml(f.q)}"> <button type="submit">OK</button></form>`;
}

function ticketsHtml(lang: Lang, { tickets, deskList, filters, now }: QueuePageData): string {
  const deskName = (id: string | undefined) => deskList?.find((d) => d.id === id)?.name ?? '—';
  const deskCell = (t: { desk?: string }) => (deskList ? `<td>${escapeHtml(deskName(t.desk))}</td>` : '');
  const deskHead = deskList ? `<th scope="col">${say(lang, 'consoleDesk')}</th>` : '';
  const fr = lang === 'fr';
  const labels = SLA_LABELS[lang];
  const rows = filterTickets(tickets, filters, now)
    .map((t) => {
      const due = t.resolutionDueAt ? `<td class="due" data-due="${t.resolutionDueAt.toISOString()}">${timeLeft(lang, t.resolutionDueAt, now)}</td>` : '<td class="due">—</td>';
      return `<tr data-number="${t.number}"><td>#${t.number}</td><td>${escapeHtml(t.title)}</td><td>${escapeHtml(t.requester)}</td>${deskCell(t)}<td>P${t.priority}</td><td>${escapeHtml(statusLabel(lang, t.status))}</td><td>${escapeHtml(t.group ?? '—')}</td><td>${escapeHtml(t.assignee ?? '—')}</td><td class="sla ${slaOf(t, now)}">${labels[slaOf(t, now)]}</td>${due}</tr>`;
    })
    .join('');
  return `<div class="table-scroll" tabindex="0" role="region" aria-labelledby="queue-title"><table><thead><tr><th scope="col">#</th><th scope="col">${fr ? 'Titre' : 'Title'}</th><th scope="col">${say(lang, 'consoleRequester')}</th>${deskHead}<th scope="col">${fr ? 'Priorité' : 'Priority'}</th><th scope="col">${fr ? 'Statut' : 'Status'}</th><th scope="col">${fr ? 'Groupe' : 'Group'}</th><th scope="col">${fr ? 'Technicien' : 'Agent'}</th><th scope="col">SLA</th><th scope="col">${say(lang, 'consoleDueIn')}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

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


/** One table per desk: position, ticket, priority, requester and minutes waited. */
function waitingHtml(lang: Lang, desks: Awaited<ReturnType<DeskWaiting['waiting']>>): string {
  const t = (key: keyof typeof desksTexts, vars?: Record<string, string | number>) => say(lang, key, vars);
  if (desks.length === 0) return `<h3 id="waiting-title">${t('consoleWaiting')}</h3><p>${t('queueEmpty')}</p>`;
  const tables = desks
    .map(({ desk, lines }, i) => {
      const rows = lines.map((l) => `<tr data-number="${l.number}"><td>${l.position}</td><td>#${l.number}</td><td>P${l.priority}</td><td>${escapeHtml(l.user)}</td><td>${l.waitedMinutes}</td></tr>`).join('');
      return `<h4 id="waiting-${i}">${t('queueTitle', { desk, count: lines.length })}</h4><div class="table-scroll" tabindex="0" role="region" aria-labelledby="waiting-${i}"><table><thead><tr><th scope="col">${t('consolePosition')}</th><th scope="col">#</th><th scope="col">${t('consolePriority')}</th><th scope="col">${t('consoleRequester')}</th><th scope="col">${t('consoleWaited')}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    })
    .join('');
  return `<h3 id="waiting-title">${t('consoleWaiting')}</h3>${tables}`;
}

const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);
const minutes = (v: number | null) => (v === null ? '—' : String(Math.round(v)));

/** Per desk: volumes, waits (median, p90), abandonment, first-contact resolution, SLA met; and waits started per hour of day as bars. */
function statsHtml(lang: Lang, stats: (DeskStats & { desk: string })[]): string {
  const t = (key: keyof typeof desksTexts, vars?: Record<string, string | number>) => say(lang, key, vars);
  const head = ['statsDesk', 'statsVolume', 'statsMedian', 'statsP90', 'statsAbandoned', 'statsFcr', 'statsSla'] as const;
  const rows = stats
    .map((s) => `<tr><th scope="row">${escapeHtml(s.desk)}</th><td>${s.volume}</td><td>${minutes(s.waitMedianMinutes)}</td><td>${minutes(s.waitP90Minutes)}</td><td>${percent(s.abandonmentRate)}</td><td>${percent(s.firstContactResolutionRate)}</td><td>${percent(s.slaMetRate)}</td></tr>`)
    .join('');
  if (stats.length === 0) return `<h3 id="desk-stats">${t('statsTitle', { days: STATS_DAYS })}</h3><p>${t('statsNone')}</p>`;
  const charts = stats.map((s, i) => hourChart(s.byHour, `desk-hours-${i}`, t('statsByHour', { desk: s.desk }))).join('');
  return `<h3 id="desk-stats">${t('statsTitle', { days: STATS_DAYS })}</h3><div class="table-scroll" tabindex="0" role="region" aria-labelledby="desk-stats"><table><thead><tr>${head.map((k) => `<th scope="col">${t(k)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>${charts}`;
}

/** 24 bars, one per local hour; the figures are in the title (read by screen readers) and each bar's tooltip. */
function hourChart(byHour: number[], id: string, title: string): string {
  const max = Math.max(1, ...byHour);
  const bars = byHour.map((n, h) => `<rect x="${h * 20 + 2}" y="${100 - Math.round((n / max) * 90)}" width="16" height="${Math.round((n / max) * 90)}" fill="#0b5cad"><title>${h}h: ${n}</title></rect>`).join('');
  const labels = [0, 6, 12, 18].map((h) => `<text x="${h * 20 + 2}" y="114" font-size="10">${h}h</text>`).join('');
  const summary = byHour.map((n, h) => `${h}h ${n}`).join(', ');
  return `<figure><svg id="${id}" class="desk-hours" role="img" aria-labelledby="${id}-title" viewBox="0 0 480 120" width="100%"><title id="${id}-title">${title}: ${summary}</title>${bars}${labels}</svg><figcaption>${title}</figcaption></figure>`;
}


