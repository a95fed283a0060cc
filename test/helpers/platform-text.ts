/**
 * What a person reads in a message Guichet posted to a platform fake, as plain text: a Slack
 * message's blocks (its `text` when it has none) and a Teams activity's text and Adaptive Cards.
 * Tests that judge by the words (not by the layout) read replies the same way on every platform:
 * markup and escapes are decoded, buttons are left out (they are actions, not words).
 */
import { fromSlackText } from '../../src/channels/slack/mrkdwn.ts';
import { ADAPTIVE_CARD } from '../../src/channels/teams/cards.ts';

type Json = Record<string, any>;

/** The words of a block: a header's or section's text, a section's fields, a context's elements. */
function slackBlockText(block: Json): string[] {
  switch (block?.type) {
    case 'header':
      return [String(block.text?.text ?? '')];
    case 'section':
      return [...(block.text ? [String(block.text.text)] : []), ...(block.fields ?? []).map((f: Json) => String(f.text))];
    case 'context':
      return (block.elements ?? []).filter((e: Json) => typeof e.text === 'string').map((e: Json) => String(e.text));
    default:
      return []; // actions, dividers
  }
}

/**
 * A chat.postMessage / chat.update's arguments as plain text: the blocks in order (else `text`),
 * Slack's markup decoded (links, mentions, `&amp; &lt; &gt;`) and mrkdwn bullets back to the
 * Markdown "- " they were written as.
 */
export function slackText(args: { text?: unknown; blocks?: unknown }): string {
  const blocks = Array.isArray(args.blocks) ? (args.blocks as Json[]) : [];
  const mrkdwn = blocks.length > 0 ? blocks.flatMap(slackBlockText).join('\n') : String(args.text ?? '');
  return fromSlackText(mrkdwn).replace(/^(\s*)• /gm, '$1- ');
}

/** The words of an Adaptive Card element, in order: TextBlocks, TextRuns (a RichTextBlock's runs on one line), FactSet facts as "title: value". */
function cardText(element: unknown): string[] {
  if (Array.isArray(element)) return element.flatMap(cardText);
  if (!element || typeof element !== 'object') return [];
  const e = element as Json;
  if (e.type === 'TextBlock') return [String(e.text ?? '')];
  if (e.type === 'RichTextBlock') return [(e.inlines ?? []).map((run: Json) => String(run.text ?? '')).join('')];
  if (e.type === 'FactSet') return (e.facts ?? []).map((f: Json) => `${f.title}: ${f.value}`);
  // Containers, columns and the card itself; its buttons (actions) are not words.
  return Object.entries(e).filter(([key]) => key !== 'actions' && key !== 'selectAction').flatMap(([, value]) => cardText(value));
}

/**
 * Teams Markdown as the words it shows: CommonMark's backslash escapes and the HTML entities
 * Guichet writes for `& < >` decoded.
 */
function markdownWords(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * An activity Guichet sent (a Bot Connector fake's recorded body) as plain text: its Markdown text,
 * then each Adaptive Card's words (the zero-width spaces that keep people's words from being read
 * as Markdown removed).
 */
export function teamsText(activity: Json): string {
  const text = typeof activity.text === 'string' ? [markdownWords(activity.text)] : [];
  const cards = (activity.attachments ?? []).filter((a: Json) => a?.contentType === ADAPTIVE_CARD).map((a: Json) => cardText(a.content).join('\n'));
  return [...text, ...cards].join('\n').replace(/\u200B/g, '');
}
