/**
 * OutboundMessage → Teams activity. One activity per message; the renderer
 * table is exhaustive, so a new message type fails to compile until it is
 * rendered here.
 *
 * - `text` (user or bot words) is sent as Markdown with every Markdown and HTML control character
 *   escaped: Teams renders message text as Markdown, so `**x**`, `<at>y</at>` or `[a](javascript:…)`
 *   must show as typed, never as bold, a mention or a link.
 * - `markdown` (Guichet's own content) keeps its formatting, minus raw HTML and links that are not
 *   http(s) or mailto.
 * - `article` is a Markdown message: the title in bold, the body as `markdown`, then a line with
 *   the article's id and kind (to quote it to the service desk).
 * - `choices` is an Adaptive Card 1.5: the text as a TextRun (never Markdown) and one Action.Submit
 *   per choice with data `{verb: 'choice', value}`, which `inbound.ts` turns back into the value.
 *
 * Size: Teams refuses messages over 40 KB counted in UTF-16; Guichet keeps every activity under
 * 28 KB (UTF-16) by cutting the text, with a " […]" marker.
 */
import { renderPlainText } from '../../core/render-text.ts';
import { card, escalationCard, incidentCard, plainText, surveyCard, ticketCard, ticketsCard } from './cards.ts';
import type { Activity, Attachment } from 'botbuilder';
import { renderWith, type ArticleView, type Choice, type OutboundMessage, type OutboundRenderers } from '../../core/messages.ts';
import { CHOICE_VERB } from './inbound.ts';
import { say, type TextKey } from '../../texts/index.ts';

/** Largest activity Guichet sends, in UTF-16 bytes (Teams' own limit is 40 KB). */
export const MAX_ACTIVITY_BYTES = 28 * 1024;
const CUT_MARKER = ' […]';
/** Longest notification summary of a card, in code points. */
export const MAX_SUMMARY = 200;

const teams = {
  text: (m) => fitted(m.text, (text, cut) => ({ type: 'message', textFormat: 'markdown', text: escapeMarkdown(text) + cut })),
  markdown: (m) => fitted(m.markdown, (markdown, cut) => ({ type: 'message', textFormat: 'markdown', text: safeMarkdown(markdown) + cut })),
  choices: (m) => fitted(m.text, (text, cut) => ({ type: 'message', attachments: [choicesCard(text + cut, m.choices)] })),
  article: (m) => fitted(m.article.markdown, (markdown, cut) => ({ type: 'message', textFormat: 'markdown', text: articleText(m.article, markdown, cut) })),
  ticket: (m) => cardActivity(ticketCard(m), renderPlainText(m)),
  tickets: (m) => cardActivity(ticketsCard(m), renderPlainText(m)),
  incident: (m) => cardActivity(incidentCard(m), renderPlainText(m)),
  escalation: (m) => cardActivity(escalationCard(m), renderPlainText(m)),
  survey: (m) => cardActivity(surveyCard(m), m.question),
} satisfies OutboundRenderers<Partial<Activity>>;

/**
 * A card activity; `summary` is the notification text (the card's words as plain text). A card over
 * the size limit is replaced by its summary, cut to fit: the words always arrive.
 */
function cardActivity(attachment: Attachment, summary: string): Partial<Activity> {
  // Cut on a code point: half an emoji would reach Teams as a lone surrogate.
  const activity: Partial<Activity> = { type: 'message', summary: Array.from(summary).slice(0, MAX_SUMMARY).join(''), attachments: [attachment] };
  if (activityBytes(activity) <= MAX_ACTIVITY_BYTES) return activity;
  return fitted(summary, (text, cut) => ({ type: 'message', textFormat: 'markdown', text: escapeMarkdown(text) + cut }));
}

export function renderForTeams(message: OutboundMessage): Partial<Activity> {
  return renderWith(teams, message);
}

/** Size Teams counts: the JSON payload encoded as UTF-16. */
export function activityBytes(activity: Partial<Activity>): number {
  return JSON.stringify(activity).length * 2;
}

/**
 * Escapes user or bot text so Teams' Markdown shows it literally: backslash before emphasis, code,
 * link and strike marks; HTML entities for & < > (so no tag, no `<at>` mention); and line-start
 * markers (headings, lists, quotes, rules) neutralised.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/^(\s*)([#+=|-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

const SAFE_LINK = /^(?:https?:|mailto:)/i;
/** `[label](target "title")`, targets with one level of balanced parentheses. */
const INLINE_LINK = /(!?)\[([^\]]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+"[^"]*")?\s*\)/g;
const LINK_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s.*)?$/gm;

/**
 * Guichet's restricted Markdown for Teams: formatting kept, raw HTML shown as text, links and
 * images whose target is not http(s) or mailto reduced to their label.
 */
export function safeMarkdown(markdown: string): string {
  return markdown
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))
    .replace(INLINE_LINK, (whole, _bang: string, label: string, target: string) => (SAFE_LINK.test(target) ? whole : label))
    .replace(LINK_DEFINITION, (whole, target: string) => (SAFE_LINK.test(target) ? whole : ''));
}

const ARTICLE_KINDS = { faq: 'channels.articleFaq', 'known-error': 'channels.articleKnownError', procedure: 'channels.articleProcedure' } as const satisfies Record<ArticleView['type'], TextKey>;

function articleText(article: ArticleView, markdown: string, cut: string): string {
  const footer = `_${escapeMarkdown(`${article.id} · ${say(article.lang, ARTICLE_KINDS[article.type])}`)}_`;
  return `**${escapeMarkdown(article.title)}**\n\n${safeMarkdown(markdown)}${cut}\n\n${footer}`;
}

/** The text as a TextRun (never Markdown), one Action.Submit per choice. */
function choicesCard(text: string, choices: Choice[]): Attachment {
  return card([plainText(text)], choices.map((c) => ({ type: 'Action.Submit', title: c.label, data: { verb: CHOICE_VERB, value: c.value } })));
}

/**
 * Renders `text`, cutting it (on a code point boundary) until the activity fits; `render` gets the
 * text and the marker to append after its escaping ("" when nothing was cut).
 */
function fitted(text: string, render: (text: string, cut: string) => Partial<Activity>): Partial<Activity> {
  const whole = render(text, '');
  if (activityBytes(whole) <= MAX_ACTIVITY_BYTES) return whole;
  const points = Array.from(text);
  let low = 0;
  let high = points.length;
  // Longest prefix whose rendering fits: binary search, a few dozen renders at most.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (activityBytes(render(points.slice(0, mid).join(''), CUT_MARKER)) <= MAX_ACTIVITY_BYTES) low = mid;
    else high = mid - 1;
  }
  return render(points.slice(0, low).join(''), CUT_MARKER);
}
