/**
 * Guichet's Markdown → HTML, for every page that shows it (the web chat, the portal, the console):
 * markdown-it with raw HTML disabled and its link validation (no javascript:, vbscript:, file: or
 * data: links), so nothing a user or an article author types can run in the page. Links open
 * outside and never pass the page's context along.
 */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });
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
