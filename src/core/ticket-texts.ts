/**
 * Words every channel uses to show tickets, incidents and escalation cards:
 * status names, "next step" sentences, due times. Channels lay these out
 * their own way (Adaptive Card, Block Kit, HTML, plain text); the words are
 * the same everywhere.
 */
import type { Lang, Localized } from './lang.ts';
import type { MajorIncidentView, TicketStatus, TicketView } from './tickets.ts';

export const STATUS_LABELS: Record<TicketStatus, Localized> = {
  new: { fr: 'Nouveau', en: 'New' },
  assigned: { fr: 'Assigné', en: 'Assigned' },
  'in-progress': { fr: 'En cours', en: 'In progress' },
  'pending-user': { fr: 'En attente de votre réponse', en: 'Waiting for your reply' },
  resolved: { fr: 'Résolu — en attente de votre confirmation', en: 'Resolved — waiting for your confirmation' },
  closed: { fr: 'Clos', en: 'Closed' },
  cancelled: { fr: 'Annulé', en: 'Cancelled' },
};

const NEXT_STEP: Record<TicketStatus, Localized> = {
  new: { fr: 'Un technicien va prendre votre demande en charge.', en: 'A technician will pick up your request.' },
  assigned: { fr: '{assignee} va vous contacter.', en: '{assignee} will get in touch with you.' },
  'in-progress': { fr: '{assignee} travaille sur votre demande.', en: '{assignee} is working on your request.' },
  'pending-user': { fr: 'Le support attend une information de votre part : répondez ici.', en: 'The service desk needs information from you: reply here.' },
  resolved: { fr: 'Dites-nous si le problème est réglé.', en: 'Tell us whether the problem is fixed.' },
  closed: { fr: 'Rien à faire : le ticket est clos.', en: 'Nothing to do: the ticket is closed.' },
  cancelled: { fr: 'Rien à faire : le ticket est annulé.', en: 'Nothing to do: the ticket was cancelled.' },
};

const LABELS = {
  ticket: { fr: 'Ticket', en: 'Ticket' },
  incident: { fr: 'Incident', en: 'Incident' },
  request: { fr: 'Demande', en: 'Request' },
  status: { fr: 'Statut', en: 'Status' },
  priority: { fr: 'Priorité', en: 'Priority' },
  assignee: { fr: 'Pris en charge par', en: 'Assignee' },
  group: { fr: 'Groupe', en: 'Group' },
  unassigned: { fr: 'personne pour l’instant', en: 'nobody yet' },
  someone: { fr: 'Un technicien', en: 'A technician' },
  nextStep: { fr: 'Prochaine étape', en: 'Next step' },
  responseDue: { fr: 'Prise en charge avant', en: 'Response due' },
  resolutionDue: { fr: 'Résolution prévue avant', en: 'Resolution due' },
  paused: { fr: 'délai suspendu', en: 'clock paused' },
  breached: { fr: 'dépassé', en: 'overdue' },
  noTickets: { fr: 'Aucun ticket.', en: 'No tickets.' },
  majorIncident: { fr: 'Incident majeur', en: 'Major incident' },
  resolvedIncident: { fr: 'Incident majeur résolu', en: 'Major incident resolved' },
  since: { fr: 'depuis', en: 'since' },
  requester: { fr: 'Demandeur', en: 'Requester' },
  diagnosis: { fr: 'Diagnostic', en: 'Diagnosis' },
  knownErrors: { fr: 'Erreurs connues suggérées', en: 'Suggested known errors' },
  files: { fr: 'Fichiers joints', en: 'Attached files' },
  vip: { fr: 'VIP', en: 'VIP' },
  survey1: { fr: '1 — Très insatisfait', en: '1 — Very dissatisfied' },
  survey5: { fr: '5 — Très satisfait', en: '5 — Very satisfied' },
} satisfies Record<string, Localized>;

export type TicketLabel = keyof typeof LABELS;

export function ticketLabel(lang: Lang, key: TicketLabel): string {
  return LABELS[key][lang];
}

export function statusLabel(lang: Lang, status: TicketStatus): string {
  return STATUS_LABELS[status][lang];
}

export function nextStep(lang: Lang, ticket: Pick<TicketView, 'status' | 'assignee'>): string {
  const who = ticket.assignee?.displayName ?? LABELS.someone[lang];
  return NEXT_STEP[ticket.status][lang].replace('{assignee}', who);
}

/** "#42 Écran qui scintille" */
export function ticketHeading(ticket: Pick<TicketView, 'number' | 'title'>): string {
  return `#${ticket.number} ${ticket.title}`;
}

/** A due time for people: "lun. 30 nov. 2026, 14:30" in the viewer's zone. */
export function formatWhen(iso: string, lang: Lang, timeZone = 'Europe/Paris'): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));
}

/** The SLA lines of a ticket ("Resolution due: …"), empty when no target is running. */
export function dueLines(ticket: TicketView, lang: Lang, timeZone?: string): string[] {
  const lines: string[] = [];
  const mark = (breached: boolean) => (breached ? ` (${LABELS.breached[lang]})` : ticket.slaPaused ? ` (${LABELS.paused[lang]})` : '');
  if (ticket.responseDueAt && (ticket.status === 'new' || ticket.status === 'assigned')) {
    lines.push(field(lang, LABELS.responseDue[lang], `${formatWhen(ticket.responseDueAt, lang, timeZone)}${mark(ticket.responseBreached)}`));
  }
  if (ticket.resolutionDueAt && !['resolved', 'closed', 'cancelled'].includes(ticket.status)) {
    lines.push(field(lang, LABELS.resolutionDue[lang], `${formatWhen(ticket.resolutionDueAt, lang, timeZone)}${mark(ticket.resolutionBreached)}`));
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
    `${LABELS[ticket.type][lang]} ${ticketHeading(ticket)}`,
    field(lang, LABELS.status[lang], statusLabel(lang, ticket.status)),
    field(lang, LABELS.priority[lang], `P${ticket.priority}`),
    field(lang, LABELS.assignee[lang], ticket.assignee?.displayName ?? LABELS.unassigned[lang]),
    ...dueLines(ticket, lang, timeZone),
    field(lang, LABELS.nextStep[lang], nextStep(lang, ticket)),
  ];
}

/** One line per ticket, for lists. */
export function ticketListLine(ticket: TicketView, lang: Lang): string {
  return `${ticketHeading(ticket)} — ${statusLabel(lang, ticket.status)} — P${ticket.priority}`;
}

export function incidentLines(incident: MajorIncidentView, lang: Lang, timeZone?: string): string[] {
  const heading = incident.status === 'open' ? LABELS.majorIncident[lang] : LABELS.resolvedIncident[lang];
  const latest = incident.updates[0];
  return [
    `${heading} #${incident.number} — ${incident.title[lang]}`,
    `${LABELS.since[lang]} ${formatWhen(incident.startedAt, lang, timeZone)}`,
    ...(latest ? [latest.text[lang]] : []),
  ];
}
