/**
 * Outbound messages → what the browser draws. Plain text stays text (the page
 * sets it with textContent); Guichet's Markdown becomes HTML through
 * markup/markdown-html.ts, so nothing a user or an article author types can
 * run in the page.
 */
import { renderPlainText } from '../../core/render-text.ts';
import { markdownToHtml } from '../../markup/markdown-html.ts';
import { renderWith, type Choice, type OutboundMessage, type OutboundRenderers } from '../../core/messages.ts';

export type WebMessage =
  | { type: 'text'; text: string }
  | { type: 'html'; html: string }
  | { type: 'choices'; text: string; choices: Choice[] }
  | { type: 'article'; id: string; lang: string; kind: string; title: string; html: string };


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
