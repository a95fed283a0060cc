/**
 * Plain-text rendering of outbound messages: used for transcripts (contact
 * history) and by the terminal channel. Choices are listed as numbered
 * options; the terminal maps a typed number back to the choice's value.
 */
import { renderWith, type OutboundMessage, type OutboundRenderers } from './messages.ts';

const plain = {
  text: (m) => m.text,
  markdown: (m) => stripMarkdown(m.markdown),
  choices: (m) => [m.text, ...m.choices.map((c, i) => `  ${i + 1}. ${c.label}`)].join('\n'),
  article: (m) => `${m.article.title} [${m.article.id}]\n${stripMarkdown(m.article.markdown)}`,
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
