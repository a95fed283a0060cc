/**
 * Plain-text rendering of outbound messages: used for transcripts (contact
 * history) and by the terminal channel. Choices are listed as numbered
 * options; the terminal maps a typed number back to the choice's value.
 */
import { fileLine, renderWith, type OutboundMessage, type OutboundRenderers } from './messages.ts';
import { field, incidentLines, personName, ticketLabel, ticketLines, ticketListLine } from './ticket-texts.ts';

const plain = {
  text: (m) => m.text,
  markdown: (m) => stripMarkdown(m.markdown),
  choices: (m) => [m.text, ...m.choices.map((c, i) => `  ${i + 1}. ${c.label}`)].join('\n'),
  article: (m) => `${m.article.title} [${m.article.id}]\n${stripMarkdown(m.article.markdown)}`,
  ticket: (m) => [...ticketLines(m.ticket, m.lang, m.timeZone), ...(m.actions ?? []).map((a, i) => `  ${i + 1}. ${a.label}`)].join('\n'),
  tickets: (m) => [m.title, ...(m.tickets.length ? m.tickets.map((t) => `- ${ticketListLine(t, m.lang)}`) : [ticketLabel(m.lang, 'noTickets')])].join('\n'),
  incident: (m) => incidentLines(m.incident, m.lang, m.timeZone).join('\n'),
  escalation: (m) => {
    const { ticket, contact } = m.escalation;
    const vip = contact.user.vip ? ` (${ticketLabel(m.lang, 'vip')})` : '';
    return [
      ...ticketLines(ticket, m.lang, m.timeZone).slice(0, -1),
      field(m.lang, ticketLabel(m.lang, 'requester'), `${personName(contact.user, m.lang)}${vip}`),
      `${ticketLabel(m.lang, 'diagnosis')}:`,
      stripMarkdown(m.escalation.diagnosisMarkdown),
      ...(m.escalation.files?.length ? [`${ticketLabel(m.lang, 'files')}:`, ...m.escalation.files.map(fileLine)] : []),
    ].join('\n');
  },
  survey: (m) => [m.question, `  1 … 5 (${ticketLabel(m.lang, 'survey1')} / ${ticketLabel(m.lang, 'survey5')})`].join('\n'),
} satisfies OutboundRenderers<string>;

export function renderPlainText(message: OutboundMessage): string {
  return renderWith(plain, message);
}

/** Keeps the words of Guichet's restricted Markdown: emphasis marks and link targets go, list bullets stay. */
export function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|[^*])\*(?!\s)(.+?)\*/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '');
}
