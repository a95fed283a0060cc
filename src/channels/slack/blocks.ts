/**
 * Block Kit layouts of the ticket messages (card, list, major incident, escalation card, survey) and the Home tab. Every value a person
 * wrote is mrkdwn-escaped, headers are plain_text (never parsed), and Slack's limits (mrkdwn.ts) are kept: longer content is cut with a marker.
 */
import type { types } from '@slack/bolt';
import type { Lang } from '../../core/lang.ts';
import { fileLine, type OutboundMessage } from '../../core/messages.ts';
import { renderPlainText } from '../../core/render-text.ts';
import { dueLines, field, incidentLines, nextStep, personName, statusLabel, ticketHeading, ticketLabel } from '../../core/ticket-texts.ts';
import type { CardAction, ContactView, TicketView } from '../../core/tickets.ts';
import { cardActionId, cardActionValue } from './actions.ts';
import { LIMITS, chunk, cutPlain, escapeMrkdwn, fit, markdownToMrkdwn } from './mrkdwn.ts';
import { say } from '../../texts/index.ts';

export type SlackBlock = types.KnownBlock;
type Block = SlackBlock;

/** What chat.postMessage / chat.update / a response_url receive (besides channel and thread). */
export interface SlackMessage {
  /** mrkdwn; the message itself, or the notification fallback when `blocks` are present. */
  text: string;
  blocks?: SlackBlock[];
}
type Button = types.Button;
type Of<T extends OutboundMessage['type']> = Extract<OutboundMessage, { type: T }>;

/** Blocks for the list in a `tickets` message (the header takes one; "… and N more" counts in it). */
export const MAX_LISTED = LIMITS.blocks - 1;

// Slack refuses empty texts (invalid_blocks): an empty one becomes a single space.
export const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: cutPlain(text.trim() || ' ', LIMITS.header), emoji: true } });
export const section = (mrkdwn: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: fit(mrkdwn.trim() ? mrkdwn : ' ', LIMITS.section) } });
export const context = (mrkdwn: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: fit(mrkdwn, LIMITS.section) }] });
const divider: Block = { type: 'divider' };

/** A section of label/value fields (at most 10; labels are Guichet's, values already escaped). */
function fields(pairs: [label: string, value: string][]): Block {
  const text = ([label, value]: [string, string]) => fit(`*${label}*\n${value}`, LIMITS.field);
  return { type: 'section', fields: pairs.slice(0, LIMITS.fields).map((pair) => ({ type: 'mrkdwn' as const, text: text(pair) })) };
}

/** The core's card actions as an actions block of buttons (an action whose data would not fit a button value is left out). */
function actionsBlock(actions: readonly CardAction[] | undefined, blockId: string): Block[] {
  const elements = (actions ?? []).slice(0, LIMITS.buttons).flatMap((action, i): Button[] => {
    const value = cardActionValue(action);
    const text = { type: 'plain_text' as const, text: cutPlain(action.label, LIMITS.buttonLabel), emoji: true };
    return value === undefined ? [] : [{ type: 'button', action_id: cardActionId(i, action.verb), text, value, ...(action.style ? { style: action.style } : {}) }];
  });
  return elements.length > 0 ? [{ type: 'actions', block_id: blockId, elements }] : [];
}

/** Blocks plus the plain-text form as `text` (notifications, clients without blocks). */
export function withFallback(message: OutboundMessage, blocks: Block[]): SlackMessage {
  return { text: fit(escapeMrkdwn(renderPlainText(message)), LIMITS.text), blocks: blocks.slice(0, LIMITS.blocks) };
}

const e = escapeMrkdwn;

/** "Incident #1042 VPN disconnects" */
function ticketTitle(ticket: Pick<TicketView, 'type' | 'number' | 'title' | 'reference'>, lang: Lang): string {
  return `${ticketLabel(lang, ticket.type)} ${ticketHeading(ticket)}`;
}

/** "#990 Printer jam — Closed — P4" for the short ticket records of a contact. */
function shortLine(ticket: ContactView['openTickets'][number], lang: Lang): string {
  return `${e(ticketHeading(ticket))} — ${e(statusLabel(lang, ticket.status))} — P${ticket.priority}`;
}

/** One ticket in a list: heading in bold, then status, priority and the SLA due times. */
function ticketSummary(ticket: TicketView, lang: Lang, timeZone?: string): Block {
  const facts = [statusLabel(lang, ticket.status), `P${ticket.priority}`, ...dueLines(ticket, lang, timeZone)].map(e).join(' · ');
  return section(`*${e(ticketHeading(ticket))}*\n${facts}`);
}

/** Status, priority and assignee of a ticket, as label/value pairs. */
function facts(ticket: TicketView, lang: Lang): [string, string][] {
  return [
    [ticketLabel(lang, 'status'), e(statusLabel(lang, ticket.status))],
    [ticketLabel(lang, 'priority'), `P${ticket.priority}`],
    [ticketLabel(lang, 'assignee'), e(ticket.assignee?.displayName ?? ticketLabel(lang, 'unassigned'))],
  ];
}

export function ticketBlocks(m: Of<'ticket'>): Block[] {
  const { ticket, lang, timeZone } = m;
  const group: [string, string][] = ticket.group ? [[ticketLabel(lang, 'group'), e(ticket.group.name)]] : [];
  const blocks: Block[] = [header(ticketTitle(ticket, lang)), fields([...facts(ticket, lang), ...group])];
  const due = dueLines(ticket, lang, timeZone);
  if (due.length > 0) blocks.push(section(due.map(e).join('\n')));
  blocks.push(section(field(lang, `*${ticketLabel(lang, 'nextStep')}*`, e(nextStep(lang, ticket)))));
  if (ticket.majorIncident) blocks.push(context(`${ticketLabel(lang, 'majorIncident')} #${ticket.majorIncident.number} — ${e(ticket.majorIncident.title[lang])}`));
  blocks.push(...actionsBlock(m.actions, `guichet-ticket-${ticket.number}`));
  return blocks;
}

export function ticketsBlocks(m: Of<'tickets'>): Block[] {
  const blocks: Block[] = [header(m.title)];
  if (m.tickets.length === 0) return [...blocks, section(e(ticketLabel(m.lang, 'noTickets')))];
  return [...blocks, ...ticketList(m.tickets, m.lang, m.timeZone, MAX_LISTED)];
}

/** Up to `max` blocks for a list of tickets: one section each, then "… and N more" if cut. */
export function ticketList(tickets: readonly TicketView[], lang: Lang, timeZone: string | undefined, max: number): Block[] {
  const shown = tickets.length <= max ? tickets : tickets.slice(0, max - 1);
  const blocks = shown.map((t) => ticketSummary(t, lang, timeZone));
  if (shown.length < tickets.length) blocks.push(context(say(lang, 'channels.more', { count: tickets.length - shown.length })));
  return blocks;
}

export function incidentBlocks(m: Of<'incident'>): Block[] {
  const [heading, ...rest] = incidentLines(m.incident, m.lang, m.timeZone);
  const blocks: Block[] = [header(heading ?? '')];
  if (rest.length > 0) blocks.push(section(rest.map(e).join('\n')));
  return blocks;
}

export function escalationBlocks(m: Of<'escalation'>): Block[] {
  const { lang, timeZone } = m;
  const { ticket, contact } = m.escalation;
  const relay = { queued: 'channels.relayQueued', live: 'channels.relayLive', bot: 'channels.relayBot' } as const;
  const group = e(ticket.group ? `${ticket.group.name} (L${ticket.group.level})` : '—');
  const blocks: Block[] = [header(ticketTitle(ticket, lang)), fields([...facts(ticket, lang), [ticketLabel(lang, 'group'), group]])];
  const due = dueLines(ticket, lang, timeZone);
  blocks.push(section([...due.map(e), e(say(lang, relay[m.escalation.relay]))].join('\n')));

  // The requester's contact record.
  const u = contact.user;
  const who = [`*${ticketLabel(lang, 'requester')}*`, `${e(personName(u, lang))}${u.vip ? ` :star: *${ticketLabel(lang, 'vip')}*` : ''}`];
  const details = [u.email, u.department, u.jobTitle].filter((v): v is string => Boolean(v)).map(e).join(' · ');
  blocks.push(section(details ? `${who.join('\n')}\n${details}` : who.join('\n')));
  const list = (items: string[]) => (items.length > 0 ? items.map((i) => `• ${i}`).join('\n') : `_${say(lang, 'channels.none')}_`);
  blocks.push(
    fields([
      [say(lang, 'channels.assets'), list(contact.assets.slice(0, 5).map((a) => e(`${a.tag} — ${a.name} (${a.status})`)))],
      [say(lang, 'channels.openTickets'), list(contact.openTickets.slice(0, 5).map((t) => shortLine(t, lang)))],
      [say(lang, 'channels.recentTickets'), list(contact.recentTickets.slice(0, 5).map((t) => shortLine(t, lang)))],
    ]),
  );

  // What Guichet found out, and what may explain it.
  const diagnosis = markdownToMrkdwn(m.escalation.diagnosisMarkdown).trim();
  if (diagnosis) {
    blocks.push(divider);
    blocks.push(...chunk(`*${ticketLabel(lang, 'diagnosis')}*\n${diagnosis}`, LIMITS.section, 3).map(section));
  }
  if (m.escalation.suggestedKnownErrors.length > 0) {
    const errors = m.escalation.suggestedKnownErrors.slice(0, 5).map((k) => `• ${e(k.id)} — ${e(k.title)}`);
    blocks.push(section(`*${ticketLabel(lang, 'knownErrors')}*\n${errors.join('\n')}`));
  }
  if (m.escalation.files?.length) blocks.push(section(`*${ticketLabel(lang, 'files')}*\n${m.escalation.files.map((f) => e(fileLine(f))).join('\n')}`));
  blocks.push(...actionsBlock(m.escalation.actions, `guichet-escalation-${ticket.number}`));
  return blocks;
}

/** Verb of the survey buttons (messages.ts: "1–5 buttons (action verb ticket.rate)"). */
export const SURVEY_VERB = 'ticket.rate';

export function surveyBlocks(m: Of<'survey'>): Block[] {
  const label = (score: number) => (score === 1 ? ticketLabel(m.lang, 'survey1') : score === 5 ? ticketLabel(m.lang, 'survey5') : String(score));
  const actions: CardAction[] = [1, 2, 3, 4, 5].map((score) => ({ label: label(score), verb: SURVEY_VERB, data: { number: m.ticketNumber, score } }));
  return [section(e(m.question)), ...actionsBlock(actions, `guichet-survey-${m.ticketNumber}`)];
}

/** action_id of the Home tab's button that opens the ticket modal. */
export const NEW_TICKET_ACTION = 'guichet-new-ticket';

export interface HomeContent {
  lang: Lang;
  /** The user's own time zone (Slack's), shown rather than the core's default. */
  timeZone?: string;
  /** The core's answer to `home.open` ([] when there is no ticket desk). */
  replies: readonly OutboundMessage[];
  /** Whether tickets can be created here (a desk is configured). */
  canCreate: boolean;
}

/** The Home tab (views.publish): an introduction, a "Create a ticket" button, then the core's answer to `home.open` (lists, lines as context). */
export function homeView(content: HomeContent): types.HomeView {
  const { lang } = content;
  const blocks: types.KnownBlock[] = [header(say(lang, 'channels.homeHeader')), section(say(lang, 'channels.homeIntro'))];
  if (content.canCreate) {
    const text = { type: 'plain_text' as const, text: say(lang, 'channels.newTicket'), emoji: true };
    blocks.push({ type: 'actions', block_id: 'guichet-home-actions', elements: [{ type: 'button', action_id: NEW_TICKET_ACTION, style: 'primary', text }] });
  }
  // The lists share what is left of the 100 blocks (each also takes a divider and a header).
  const lists = content.replies.filter((r) => r.type === 'tickets').length;
  const room = Math.floor((LIMITS.viewBlocks - blocks.length - 2 * lists) / Math.max(lists, 1));
  for (const reply of content.replies) {
    if (reply.type === 'tickets') {
      blocks.push({ type: 'divider' }, header(reply.title), ...ticketList(reply.tickets, lang, content.timeZone ?? reply.timeZone, room));
    } else if (reply.type === 'text') blocks.push(context(escapeMrkdwn(reply.text)));
  }
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
