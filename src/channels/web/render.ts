/**
 * Outbound messages → what the browser draws. Plain text stays text (the page
 * sets it with textContent); Guichet's Markdown becomes HTML through
 * markdown-it with raw HTML disabled and its link validation (no javascript:,
 * vbscript:, file: or data: links), so nothing a user or an article author
 * types can run in the page.
 */
import { renderPlainText } from '../../core/render-text.ts';
import MarkdownIt from 'markdown-it';
import { renderWith, type Choice, type OutboundMessage, type OutboundRenderers } from '../../core/messages.ts';

export type WebMessage =
  | { type: 'text'; text: string }
  | { type: 'html'; html: string }
  | { type: 'choices'; text: string; choices: Choice[] }
  | { type: 'article'; id: string; lang: string; kind: string; title: string; html: string };

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });
// Links open outside the chat and never pass the page's context along.
const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function markdownToHtml(source: string): string {
  return markdown.render(source);
}

const web: OutboundRenderers<WebMessage> = {
  text: (m) => ({ type: 'text', text: m.text }),
  markdown: (m) => ({ type: 'html', html: markdownToHtml(m.markdown) }),
  choices: (m) => ({ type: 'choices', text: m.text, choices: m.choices }),
  article: (m) => ({
    type: 'article',
    id: m.article.id,
    lang: m.article.lang,
    kind: m.article.type,
    title: m.article.title,
    html: markdownToHtml(m.article.markdown),
  }),
  // Interim: plain text until the portal's ticket and incident cards land.
  ticket: (m) => ({ type: 'text', text: renderPlainText(m) }),
  tickets: (m) => ({ type: 'text', text: renderPlainText(m) }),
  incident: (m) => ({ type: 'text', text: renderPlainText(m) }),
  escalation: (m) => ({ type: 'text', text: renderPlainText(m) }),
  survey: (m) => ({ type: 'text', text: renderPlainText(m) }),
};

export function renderForWeb(message: OutboundMessage): WebMessage {
  return renderWith(web, message);
}
