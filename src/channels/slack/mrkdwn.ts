/** Slack mrkdwn: escaping, Guichet's Markdown converted, Slack's length limits kept, and Slack text back to what the user typed. */

/** Slack's limits: characters for texts, counts for fields, buttons and blocks (a message's 50, a view's 100). */
export const LIMITS = {
  ...{ text: 39_000, section: 3_000, field: 2_000, header: 150, buttonLabel: 75, buttonValue: 2_000, option: 75 },
  ...{ fields: 10, buttons: 25, blocks: 50, viewBlocks: 100 },
} as const;

const CUT_MARKER = ' […]';

/** Escapes Slack's mrkdwn control characters: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const SAFE_URL = /^https?:\/\/[^\s]+$/i;
/**
 * A backslash escape (`\*`, `\[`: the character itself, as CommonMark reads it), `` `code` `` or
 * `[label](target "title")` / `![alt](target)`, targets with one level of balanced parentheses.
 */
const INLINE_TOKEN = /\\([!-\/:-@[-`{-~])|`([^`\n]+)`|!?\[([^\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+"[^"\n]*")?\s*\)/g;

/** Guichet's restricted Markdown → Slack mrkdwn. Every `& < >` of the source is escaped: the only raw `<…>` and `>` are the links and quotes written here. */
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
    const [, escaped, code, label, target] = match;
    if (escaped !== undefined) out += escapeMrkdwn(escaped);
    else if (code !== undefined) out += `\`${escapeMrkdwn(code)}\``;
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
export function cutPlain(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return points.slice(0, max - 2).join('') + ' …';
}

/** Splits mrkdwn into at most `count` parts of at most `size` characters, on line breaks when possible. */
export function chunk(mrkdwn: string, size: number, count: number): string[] {
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

/** Removes Guichet's own mention (`<@UBOT>` or `<@UBOT|name>`); without its id, the leading mention. */
export function withoutBotMention(text: string, botUserId?: string): string {
  if (botUserId) {
    const escaped = botUserId.replace(/[^A-Za-z0-9]/g, '');
    return text.replace(new RegExp(`<@${escaped}(?:\\|[^>]*)?>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
  }
  return text.replace(/^\s*<@[A-Z0-9]+(?:\|[^>]*)?>\s*/, '').trim();
}

/**
 * Slack's message markup → what the user typed: `<@U1|name>` → @name, `<#C1|general>` → #general,
 * `<!here>` → @here, `<https://x|label>` → "label (https://x)", `<mailto:a@b|a@b>` → a@b, and the
 * `&amp; &lt; &gt;` escapes decoded.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_, target: string, label: string | undefined) => {
      if (/^@/.test(target)) return `@${label ?? target.slice(1)}`;
      if (/^#/.test(target)) return `#${label ?? target.slice(1)}`;
      if (/^!/.test(target)) return label ?? `@${target.slice(1).split('^')[0]}`;
      const shown = target.replace(/^mailto:/, '');
      return label && label !== shown ? `${label} (${shown})` : shown;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
