/**
 * Rules on an article's Markdown body (knowledge/README.md). Errors are what
 * would render badly or unsafely in Teams/Slack (HTML, images, links to
 * hosts we must not name); the length is a warning, an editorial matter.
 */
import { issue, type KnowledgeIssue } from './issues.ts';

/** Body length the README asks for, in words. */
export const BODY_WORDS = { min: 80, max: 250 } as const;

const HTML_TAG = /<\/?[a-z][\w-]*(?:\s[^<>]*)?\/?>|<!--/i;
const IMAGE = /!\[[^\]]*\]\(/;
const URL = /\b(?:https?|ftp):\/\/|\bwww\.[a-z0-9-]+\./i;
const BAD_HEADING = /^(?:#|#{3,6})\s/m;

export function checkBody(body: string, file: string): KnowledgeIssue[] {
  const out: KnowledgeIssue[] = [];
  if (!body) return [issue('error', file, 'body', 'is empty')];
  if (HTML_TAG.test(body)) out.push(issue('error', file, 'body', 'contains HTML; use Markdown only'));
  if (IMAGE.test(body)) out.push(issue('error', file, 'body', 'contains an image; images are not allowed'));
  const url = URL.exec(body);
  if (url) out.push(issue('error', file, 'body', `contains a URL ("${url[0]}…"); name the place instead (Intranet › IT › …)`));
  const heading = BAD_HEADING.exec(body);
  if (heading) out.push(issue('error', file, 'body', `heading "${heading[0].trim()}" : use "##" headings only`));
  const words = body.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  if (words < BODY_WORDS.min || words > BODY_WORDS.max) {
    out.push(issue('warning', file, 'body', `has ${words} words (expected ${BODY_WORDS.min}–${BODY_WORDS.max})`));
  }
  return out;
}
