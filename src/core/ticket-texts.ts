/**
 * Words every channel uses to show tickets, incidents and escalation cards:
 * status names, "next step" sentences, due times. Channels lay these out
 * their own way (Adaptive Card, Block Kit, HTML, plain text); the words are
 * the same everywhere: they live in the catalogue (src/texts/tickets.ts and
 * incidents.ts), these functions only put them together.
 */
import { say, type TextKey } from '../texts/index.ts';
import type { Lang } from './lang.ts';
import type { MajorIncidentView, TicketStatus, TicketView } from './tickets.ts';

/** Status → its name in the catalogue. */
const STATUS_KEYS: Record<TicketStatus, TextKey> = {
  new: 'tickets.statusNew',
  assigned: 'tickets.statusAssigned',
  'in-progress': 'tickets.statusInProgress',
  'pending-user': 'tickets.statusPendingUser',
  resolved: 'tickets.statusResolved',
  closed: 'tickets.statusClosed',
  cancelled: 'tickets.statusCancelled',
};

/** Status → the requester's next step ({assignee}: who has the ticket). */
const NEXT_STEP_KEYS: Record<TicketStatus, TextKey> = {
  new: 'tickets.nextNew',
  assigned: 'tickets.nextAssigned',
  'in-progress': 'tickets.nextInProgress',
  'pending-user': 'tickets.nextPendingUser',
  resolved: 'tickets.nextResolved',
  closed: 'tickets.nextClosed',
  cancelled: 'tickets.nextCancelled',
};

/** The labels channels put on ticket and incident cards, by the name they use. */
const LABEL_KEYS = {
  ticket: 'tickets.labelTicket',
  incident: 'tickets.labelIncident',
  request: 'tickets.labelRequest',
  status: 'tickets.labelStatus',
  priority: 'tickets.labelPriority',
  assignee: 'tickets.labelAssignee',
  group: 'tickets.labelGroup',
  unassigned: 'tickets.labelUnassigned',
  someone: 'tickets.labelSomeone',
  nextStep: 'tickets.labelNextStep',
  responseDue: 'tickets.labelResponseDue',
  resolutionDue: 'tickets.labelResolutionDue',
  paused: 'tickets.labelPaused',
  breached: 'tickets.labelBreached',
  noTickets: 'tickets.labelNoTickets',
  majorIncident: 'incidents.labelOpen',
  resolvedIncident: 'incidents.labelResolved',
  since: 'incidents.labelSince',
  requester: 'tickets.labelRequester',
  diagnosis: 'tickets.labelDiagnosis',
  knownErrors: 'tickets.labelKnownErrors',
  files: 'tickets.labelFiles',
  vip: 'tickets.labelVip',
  survey1: 'tickets.labelSurvey1',
  survey5: 'tickets.labelSurvey5',
} as const satisfies Record<string, TextKey>;

export type TicketLabel = keyof typeof LABEL_KEYS;

export function ticketLabel(lang: Lang, key: TicketLabel): string {
  return say(lang, LABEL_KEYS[key]);
}

/**
 * How a person is shown: their display name; when the platform gave none (an anonymous web
 * visitor's name is stored empty), the name part of their e-mail, else "the requester (name unknown)".
 */
export function personName(person: { displayName: string; email?: string | null }, lang: Lang): string {
  return person.displayName.trim() || person.email?.split('@')[0] || say(lang, 'handoff.unnamedRequester');
}

export function statusLabel(lang: Lang, status: TicketStatus): string {
  return say(lang, STATUS_KEYS[status]);
}

export function nextStep(lang: Lang, ticket: Pick<TicketView, 'status' | 'assignee'>): string {
  return say(lang, NEXT_STEP_KEYS[ticket.status], { assignee: ticket.assignee?.displayName ?? ticketLabel(lang, 'someone') });
}

/** "#42 Écran qui scintille"; "GLPI 57 (#42) Écran qui scintille" when another system of record numbers it (our number stays: chat commands use it). */
export function ticketHeading(ticket: Pick<TicketView, 'number' | 'title' | 'reference'>): string {
  return ticket.reference ? `${ticket.reference} (#${ticket.number}) ${ticket.title}` : `#${ticket.number} ${ticket.title}`;
}

/**
 * The formatters of formatWhen by language and zone: building an Intl.DateTimeFormat costs ~0.1 ms (ICU), about 1.5 %
 * of a bench:turn server's CPU profile when each ticket reply built two. Few zones are in use: kept for the process.
 */
const WHEN_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** A due time for people: "lun. 30 nov. 2026, 14:30" in the viewer's zone. */
export function formatWhen(iso: string, lang: Lang, timeZone = 'Europe/Paris'): string {
  const key = `${lang} ${timeZone}`;
  let format = WHEN_FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone });
    WHEN_FORMATS.set(key, format);
  }
  return format.format(new Date(iso));
}

/** The SLA lines of a ticket ("Resolution due: …"), empty when no target is running. */
export function dueLines(ticket: TicketView, lang: Lang, timeZone?: string): string[] {
  const lines: string[] = [];
  const mark = (breached: boolean) => (breached ? ` (${ticketLabel(lang, 'breached')})` : ticket.slaPaused ? ` (${ticketLabel(lang, 'paused')})` : '');
  if (ticket.responseDueAt && (ticket.status === 'new' || ticket.status === 'assigned')) {
    lines.push(field(lang, ticketLabel(lang, 'responseDue'), `${formatWhen(ticket.responseDueAt, lang, timeZone)}${mark(ticket.responseBreached)}`));
  }
  if (ticket.resolutionDueAt && !['resolved', 'closed', 'cancelled'].includes(ticket.status)) {
    lines.push(field(lang, ticketLabel(lang, 'resolutionDue'), `${formatWhen(ticket.resolutionDueAt, lang, timeZone)}${mark(ticket.resolutionBreached)}`));
  }
  return lines;
}

/** "Label : value" in French typography, "Label: value" in English. */
export function field(lang: Lang, label: string, value: string): string {
  return lang === 'fr' ? `${label} : ${value}` : `${label}: ${value}`;
}

/** A ticket as plain text lines: heading, status, priority, assignee, next step, due times. */
export function ticketLines(ticket: TicketView, lang: Lang, timeZone?: string): string[] {
  return [
    `${ticketLabel(lang, ticket.type)} ${ticketHeading(ticket)}`,
    field(lang, ticketLabel(lang, 'status'), statusLabel(lang, ticket.status)),
    field(lang, ticketLabel(lang, 'priority'), `P${ticket.priority}`),
    field(lang, ticketLabel(lang, 'assignee'), ticket.assignee?.displayName ?? ticketLabel(lang, 'unassigned')),
    ...dueLines(ticket, lang, timeZone),
    field(lang, ticketLabel(lang, 'nextStep'), nextStep(lang, ticket)),
  ];
}

/** One line per ticket, for lists. */
export function ticketListLine(ticket: TicketView, lang: Lang): string {
  return `${ticketHeading(ticket)} — ${statusLabel(lang, ticket.status)} — P${ticket.priority}`;
}

export function incidentLines(incident: MajorIncidentView, lang: Lang, timeZone?: string): string[] {
  const heading = incident.status === 'open' ? ticketLabel(lang, 'majorIncident') : ticketLabel(lang, 'resolvedIncident');
  const latest = incident.updates[0];
  return [
    `${heading} #${incident.number} — ${incident.title[lang]}`,
    `${ticketLabel(lang, 'since')} ${formatWhen(incident.startedAt, lang, timeZone)}`,
    ...(latest ? [latest.text[lang]] : []),
  ];
}
