/**
 * Adaptive Cards (1.5) for tickets, ticket lists, major incidents, the agents'
 * escalation card and the satisfaction survey. Words come from
 * core/ticket-texts.ts. Everything a user wrote (titles, descriptions, names)
 * goes into TextRuns, which Teams never reads as Markdown: no mention, no link,
 * no formatting can be smuggled in. Buttons are Action.Submit with data
 * `{verb, …data}` (personal chats) or Action.Execute with `verb` and `data`
 * (the agents' card: a Universal Action, answered with the updated card).
 */
import type { Attachment } from 'botbuilder';
import type { Lang } from '../../core/lang.ts';
import { fileLine, type OutboundMessage } from '../../core/messages.ts';
import { dueLines, field, formatWhen, incidentLines, nextStep, personName, statusLabel, ticketLabel, ticketListLine } from '../../core/ticket-texts.ts';
import type { CardAction, EscalationView, MajorIncidentView, TicketView } from '../../core/tickets.ts';
import { say, type TextKey } from '../../texts/index.ts';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

type Element = Record<string, unknown>;

/** Plain text, shown exactly as written. */
export function plainText(text: string, options: { weight?: 'Bolder'; size?: 'Medium' | 'Large'; color?: 'Attention' | 'Good' | 'Warning'; isSubtle?: boolean } = {}): Element {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, ...options }] };
}

function facts(pairs: [string, string][]): Element {
  return { type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) };
}

export function card(body: Element[], actions: Element[] = []): Attachment {
  return {
    contentType: ADAPTIVE_CARD,
    content: { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...(actions.length ? { actions } : {}) },
  };
}

const styleOf = (action: CardAction) => (action.style === 'primary' ? { style: 'positive' } : action.style === 'danger' ? { style: 'destructive' } : {});

/** Action.Submit: comes back as a message whose value is `{verb, …data}`. */
export function submit(action: CardAction): Element {
  // The verb last: a data field named "verb" cannot change which action runs.
  return { type: 'Action.Submit', title: action.label, data: { ...action.data, verb: action.verb }, ...styleOf(action) };
}

/** Action.Execute: an `adaptiveCard/action` invoke with this verb and data. */
export function execute(action: CardAction): Element {
  return { type: 'Action.Execute', title: action.label, verb: action.verb, data: { ...action.data }, ...styleOf(action) };
}

/**
 * FactSet titles and values are read as Markdown by Teams: every mark in people's text gets an
 * invisible zero-width space on both sides, so `[a](…)` is no link (`]` and `(` no longer touch),
 * `<at>` no tag, `**x**` / `_x_` no bold or italic words — and the text still reads as typed.
 */
export function safeFact(value: string): string {
  return value.replace(/[*_`[\]()<>~#|!\\]/g, (c) => `\u200B${c}\u200B`);
}

function ticketFacts(ticket: TicketView, lang: Lang, timeZone?: string): Element {
  const pairs: [string, string][] = [
    [ticketLabel(lang, 'status'), statusLabel(lang, ticket.status)],
    [ticketLabel(lang, 'priority'), `P${ticket.priority}`],
    [ticketLabel(lang, 'assignee'), safeFact(ticket.assignee?.displayName ?? ticketLabel(lang, 'unassigned'))],
  ];
  if (ticket.group) pairs.push([ticketLabel(lang, 'group'), safeFact(ticket.group.name)]);
  for (const line of dueLines(ticket, lang, timeZone)) {
    const [label, ...rest] = line.split(lang === 'fr' ? ' : ' : ': ');
    pairs.push([label!, rest.join(': ')]);
  }
  return facts(pairs);
}

function heading(ticket: TicketView, lang: Lang): Element {
  return plainText(`${ticketLabel(lang, ticket.type)} ${ticket.reference ? `${ticket.reference} (#${ticket.number})` : `#${ticket.number}`} — ${ticket.title}`, { weight: 'Bolder', size: 'Medium' });
}

export function ticketCard(m: Extract<OutboundMessage, { type: 'ticket' }>): Attachment {
  const { ticket, lang } = m;
  return card(
    [heading(ticket, lang), ticketFacts(ticket, lang, m.timeZone), plainText(field(lang, ticketLabel(lang, 'nextStep'), nextStep(lang, ticket)), { isSubtle: true })],
    (m.actions ?? []).map(submit),
  );
}

export function ticketsCard(m: Extract<OutboundMessage, { type: 'tickets' }>): Attachment {
  const lines = m.tickets.length ? m.tickets.map((t) => plainText(`• ${ticketListLine(t, m.lang)}`)) : [plainText(ticketLabel(m.lang, 'noTickets'))];
  return card([plainText(m.title, { weight: 'Bolder', size: 'Medium' }), ...lines]);
}

export function incidentCard(m: { incident: MajorIncidentView; lang: Lang; timeZone?: string }): Attachment {
  const [title, since, latest] = incidentLines(m.incident, m.lang, m.timeZone);
  const open = m.incident.status === 'open';
  return card([
    {
      type: 'Container',
      style: open ? 'attention' : 'good',
      items: [plainText(title!, { weight: 'Bolder', size: 'Medium', color: open ? 'Attention' : 'Good' }), plainText(since!, { isSubtle: true }), ...(latest ? [plainText(latest)] : [])],
    },
  ]);
}

/** Guichet's escaped Markdown of a diagnosis, back to the plain text it stands for. */
export function unescapeMarkdown(markdown: string): string {
  return markdown.replace(/\\([\\`*_[\]()<>#|~!{}])/g, '$1');
}

/** Where the conversation with the requester stands, in the agents' words. */
const RELAY = { queued: 'channels.relayQueued', live: 'channels.relayLive', bot: 'channels.relayBot' } as const satisfies Record<EscalationView['relay'], TextKey>;

export function escalationCard(m: { escalation: EscalationView; lang: Lang; timeZone?: string }): Attachment {
  const { ticket, contact } = m.escalation;
  const lang = m.lang;
  const who = `${personName(contact.user, lang)}${contact.user.vip ? ` (${ticketLabel(lang, 'vip')})` : ''}`;
  const details = [contact.user.department, contact.user.jobTitle, contact.user.email].filter(Boolean).join(' · ');
  const body: Element[] = [
    heading(ticket, lang),
    ticketFacts(ticket, lang, m.timeZone),
    plainText(field(lang, ticketLabel(lang, 'requester'), who), { weight: 'Bolder' }),
    ...(details ? [plainText(details, { isSubtle: true })] : []),
  ];
  if (contact.assets.length) body.push(plainText(contact.assets.map((a) => `${a.name} (${a.tag})`).join(' · '), { isSubtle: true }));
  if (contact.recentTickets.length || contact.openTickets.length > 1) {
    const others = [...contact.openTickets.filter((t) => t.number !== ticket.number), ...contact.recentTickets].slice(0, 4);
    if (others.length) body.push(plainText(others.map((t) => `#${t.number} ${t.title} (${statusLabel(lang, t.status)})`).join('\n'), { isSubtle: true }));
  }
  body.push(plainText(ticketLabel(lang, 'diagnosis'), { weight: 'Bolder' }), plainText(unescapeMarkdown(m.escalation.diagnosisMarkdown)));
  if (m.escalation.suggestedKnownErrors.length) {
    body.push(plainText(`${ticketLabel(lang, 'knownErrors')} : ${m.escalation.suggestedKnownErrors.map((k) => `${k.id} ${k.title}`).join(' · ')}`.replace(' : ', lang === 'fr' ? ' : ' : ': '), { isSubtle: true }));
  }
  if (m.escalation.files?.length) {
    body.push(plainText(ticketLabel(lang, 'files'), { weight: 'Bolder' }), plainText(m.escalation.files.map(fileLine).join('\n')));
  }
  body.push(plainText(`${formatWhen(ticket.createdAt, lang, m.timeZone)} · ${say(lang, RELAY[m.escalation.relay])}`, { isSubtle: true }));
  return card(body, m.escalation.actions.map(execute));
}

export function surveyCard(m: Extract<OutboundMessage, { type: 'survey' }>): Attachment {
  const scores = [1, 2, 3, 4, 5].map((score) => submit({ label: score === 1 ? ticketLabel(m.lang, 'survey1') : score === 5 ? ticketLabel(m.lang, 'survey5') : String(score), verb: 'ticket.rate', data: { number: m.ticketNumber, score } }));
  return card([plainText(m.question)], scores);
}
