/**
 * OutboundMessage → Slack message (`text` in mrkdwn, plus Block Kit `blocks`). The renderer table is
 * exhaustive, so a new message type fails to compile until it is rendered here.
 *
 * - `text` (user or bot words): mrkdwn with Slack's three control characters `& < >` escaped, so
 *   `<!channel>`, `<@U123>` or `<https://evil|Reset>` show as typed and never ping or link.
 * - `markdown` (Guichet's own content): converted to mrkdwn (**bold** → *bold*, *italic* → _italic_,
 *   lists → "•", headings → bold lines, [label](url) → <url|label> for http(s) URLs only, other
 *   links reduced to their label), with the same escaping of everything else.
 * - `choices`: a section (the text) and an actions block with one button per choice; the button's
 *   action_id is `choice:<n>` and its value the choice's value, which `inbound.ts` turns back into
 *   the user's text.
 * - `article`: a header (title), the body as mrkdwn sections, and a context line with the id.
 *
 * Slack's limits (characters): top-level text 40 000, section text 3 000, header 150, button label
 * 75, button value 2 000; 25 elements per actions block, 50 blocks per message. Longer content is cut
 * with a " […]" marker, never inside an escape sequence or a link.
 */
import { renderPlainText } from '../../core/render-text.ts';
import type { types } from '@slack/bolt';
import { renderWith, type ArticleView, type Choice, type OutboundMessage, type OutboundRenderers } from '../../core/messages.ts';

export type SlackBlock = types.KnownBlock;

/** What chat.postMessage / chat.update / a response_url receive (besides channel and thread). */
export interface SlackMessage {
  /** mrkdwn; the message itself, or the notification fallback when `blocks` are present. */
  text: string;
  blocks?: SlackBlock[];
}

/** The action_id of the button for choice `index` (0-based); `inbound.ts` parses it back. */
export const choiceActionId = (index: number): string => `choice:${index}`;
export const CHOICE_ACTION = /^choice:(\d{1,3})$/;

export const LIMITS = {
  text: 39_000,
  section: 3_000,
  header: 150,
  buttonLabel: 75,
  buttonValue: 2_000,
  buttons: 25,
  blocks: 50,
} as const;

const CUT_MARKER = ' […]';

const slack = {
  text: (m) => ({ text: fit(escapeMrkdwn(m.text), LIMITS.text) }),
  markdown: (m) => ({ text: fit(markdownToMrkdwn(m.markdown), LIMITS.text) }),
  choices: (m) => choicesMessage(m.text, m.choices),
  article: (m) => articleMessage(m.article),
  // Interim: plain text until the Block Kit layouts land.
  ticket: (m) => ({ text: fit(escapeMrkdwn(renderPlainText(m)), LIMITS.text) }),
  tickets: (m) => ({ text: fit(escapeMrkdwn(renderPlainText(m)), LIMITS.text) }),
  incident: (m) => ({ text: fit(escapeMrkdwn(renderPlainText(m)), LIMITS.text) }),
  escalation: (m) => ({ text: fit(escapeMrkdwn(renderPlainText(m)), LIMITS.text) }),
  survey: (m) => ({ text: fit(escapeMrkdwn(renderPlainText(m)), LIMITS.text) }),
} satisfies OutboundRenderers<SlackMessage>;

export function renderForSlack(message: OutboundMessage): SlackMessage {
  return renderWith(slack, message);
}

/** Escapes Slack's mrkdwn control characters: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function choicesMessage(text: string, choices: Choice[]): SlackMessage {
  const escaped = escapeMrkdwn(text);
  const buttons = choices.slice(0, LIMITS.buttons).map((choice, i) => ({
    type: 'button' as const,
    action_id: choiceActionId(i),
    text: { type: 'plain_text' as const, text: cutPlain(choice.label || choice.value, LIMITS.buttonLabel), emoji: true },
    value: cutPlain(choice.value, LIMITS.buttonValue),
  }));
  const blocks: SlackBlock[] = [];
  if (escaped.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fit(escaped, LIMITS.section) } });
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'guichet-choices', elements: buttons });
  return { text: fit(escaped || choices.map((c) => escapeMrkdwn(c.label)).join(' · '), LIMITS.text), blocks };
}

function articleMessage(article: ArticleView): SlackMessage {
  const body = markdownToMrkdwn(article.markdown);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: cutPlain(article.title, LIMITS.header), emoji: true } }];
  // Room for the header and the context line; the body is cut if it needs more sections than that.
  const sections = chunk(body, LIMITS.section, LIMITS.blocks - 2);
  for (const part of sections) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: part } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`${article.id} · ${article.type}`) }] });
  return { text: fit(`*${escapeMrkdwn(article.title)}*\n${body}`, LIMITS.text), blocks };
}

// ───────────────────────── Markdown → mrkdwn ─────────────────────────

const SAFE_URL = /^https?:\/\/[^\s]+$/i;
/** `` `code` `` or `[label](target "title")` / `![alt](target)`, targets with one level of balanced parentheses. */
const INLINE_TOKEN = /`([^`\n]+)`|!?\[([^\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+"[^"\n]*")?\s*\)/g;

/**
 * Guichet's restricted Markdown → Slack mrkdwn. Every `& < >` of the source is escaped; the only
 * raw `<…>` and `>` in the result are the links and quote markers this function writes itself.
 */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let fence: string[] | undefined;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*```/.test(line)) {
      if (fence) {
        out.push('```\n' + fence.map(escapeMrkdwn).join('\n') + '\n```');
        fence = undefined;
      } else fence = [];
      continue;
    }
    if (fence) fence.push(line);
    else out.push(convertLine(line));
  }
  if (fence) out.push('```\n' + fence.map(escapeMrkdwn).join('\n') + '\n```');
  return out.join('\n');
}

function convertLine(line: string): string {
  let m: RegExpMatchArray | null;
  if ((m = line.match(/^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/))) return m[1] ? `*${inline(m[1], false)}*` : '';
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) return '──────────';
  if ((m = line.match(/^\s{0,3}>\s?(.*)$/))) return `>${inline(m[1] ?? '')}`;
  if ((m = line.match(/^(\s*)[-*+]\s+(.*)$/))) return `${m[1]}• ${inline(m[2] ?? '')}`;
  if ((m = line.match(/^(\s*)(\d{1,9})[.)]\s+(.*)$/))) return `${m[1]}${m[2]}. ${inline(m[3] ?? '')}`;
  return inline(line);
}

/** Inline Markdown of one line → mrkdwn: code spans and links as tokens, emphasis in the text between. */
function inline(text: string, emphasis = true): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(INLINE_TOKEN)) {
    out += plain(text.slice(last, match.index), emphasis);
    const [, code, label, target] = match;
    if (code !== undefined) out += `\`${escapeMrkdwn(code)}\``;
    else out += link(label ?? '', target ?? '');
    last = (match.index ?? 0) + match[0].length;
  }
  return out + plain(text.slice(last), emphasis);
}

function link(label: string, target: string): string {
  const shown = plain(label.trim(), false);
  if (!SAFE_URL.test(target)) return shown;
  // Inside <url|label> Slack reads up to the first "|" as the URL and up to ">" as the label.
  const url = target.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  return shown ? `<${url}|${shown}>` : `<${url}>`;
}

/** Escapes text and converts emphasis: **b** / __b__ → *b*, *i* / _i_ → _i_, ~~s~~ → ~s~. */
function plain(text: string, emphasis: boolean): string {
  const escaped = escapeMrkdwn(text);
  if (!emphasis) return escaped.replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_, a?: string, b?: string) => a ?? b ?? '');
  const BOLD = '\u0000';
  return escaped
    .replace(/\*\*(?=\S)(.+?)\*\*|__(?=\S)(.+?)__/g, (_, a?: string, b?: string) => `${BOLD}${a ?? b ?? ''}${BOLD}`)
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, '$1_$2_')
    .replace(/~~(?=\S)(.+?)~~/g, '~$1~')
    .replace(/\u0000/g, '*');
}

// ───────────────────────── Length limits ─────────────────────────

/** Cuts rendered mrkdwn to `max` characters without splitting an `&…;` escape or a `<…>` link. */
export function fit(mrkdwn: string, max: number): string {
  if (mrkdwn.length <= max) return mrkdwn;
  return mrkdwn.slice(0, safeEnd(mrkdwn, max - CUT_MARKER.length, false)) + CUT_MARKER;
}

/** The largest end ≤ max that splits neither an escape, a link nor a surrogate pair (on a line break if asked and near). */
function safeEnd(text: string, max: number, preferLineBreak: boolean): number {
  if (text.length <= max) return text.length;
  let end = max;
  const lineBreak = preferLineBreak ? text.lastIndexOf('\n', max) : -1;
  if (lineBreak > max / 2) end = lineBreak;
  const head = text.slice(0, end);
  const open = head.search(/&[a-z]{0,4}$|<[^<>]*$/);
  if (open >= 0) end = open;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return Math.max(end, 1);
}

/** Cuts plain text (button labels, headers) to `max` code points, with a marker. */
function cutPlain(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return points.slice(0, max - 2).join('') + ' …';
}

/** Splits mrkdwn into at most `count` parts of at most `size` characters, on line breaks when possible. */
function chunk(mrkdwn: string, size: number, count: number): string[] {
  const parts: string[] = [];
  let rest = mrkdwn;
  while (rest.trim().length > 0) {
    if (parts.length === count - 1) {
      parts.push(fit(rest, size));
      break;
    }
    const end = safeEnd(rest, size, true);
    parts.push(rest.slice(0, end));
    rest = rest.slice(end).replace(/^\n/, '');
  }
  return parts.length > 0 ? parts : [' '];
}
