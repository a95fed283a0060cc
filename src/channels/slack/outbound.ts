/**
 * OutboundMessage → Slack message (mrkdwn `text`, Block Kit `blocks`); the renderer table is exhaustive (docs/slack.md, "Rendering").
 * User and bot words have `& < >` escaped, so `<!channel>` or `<https://evil|Reset>` show as typed and never ping or link.
 */
import { renderWith, type ArticleView, type Choice, type OutboundMessage, type OutboundRenderers } from '../../core/messages.ts';
import { context, escalationBlocks, header, incidentBlocks, section, surveyBlocks, ticketBlocks, ticketsBlocks, withFallback, type SlackBlock, type SlackMessage } from './blocks.ts';
import { LIMITS, chunk, cutPlain, escapeMrkdwn, fit, markdownToMrkdwn } from './mrkdwn.ts';

export { LIMITS, escapeMrkdwn, fit, markdownToMrkdwn } from './mrkdwn.ts';
export type { SlackBlock, SlackMessage } from './blocks.ts';

/** The action_id of the button for choice `index` (0-based); `inbound.ts` parses it back. */
export const choiceActionId = (index: number): string => `choice:${index}`;
export const CHOICE_ACTION = /^choice:(\d{1,3})$/;

const slack = {
  text: (m) => ({ text: fit(escapeMrkdwn(m.text), LIMITS.text) }),
  markdown: (m) => ({ text: fit(markdownToMrkdwn(m.markdown), LIMITS.text) }),
  choices: (m) => choicesMessage(m.text, m.choices),
  article: (m) => articleMessage(m.article),
  ticket: (m) => withFallback(m, ticketBlocks(m)),
  tickets: (m) => withFallback(m, ticketsBlocks(m)),
  incident: (m) => withFallback(m, incidentBlocks(m)),
  escalation: (m) => withFallback(m, escalationBlocks(m)),
  survey: (m) => withFallback(m, surveyBlocks(m)),
} satisfies OutboundRenderers<SlackMessage>;

export function renderForSlack(message: OutboundMessage): SlackMessage {
  return renderWith(slack, message);
}

function choicesMessage(text: string, choices: Choice[]): SlackMessage {
  const escaped = escapeMrkdwn(text);
  const buttons = choices.slice(0, LIMITS.buttons).map((choice, i) => {
    const label = { type: 'plain_text' as const, text: cutPlain(choice.label || choice.value, LIMITS.buttonLabel), emoji: true };
    return { type: 'button' as const, action_id: choiceActionId(i), text: label, value: cutPlain(choice.value, LIMITS.buttonValue) };
  });
  const blocks: SlackBlock[] = escaped.trim() ? [section(escaped)] : [];
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'guichet-choices', elements: buttons });
  return { text: fit(escaped || choices.map((c) => escapeMrkdwn(c.label)).join(' · '), LIMITS.text), blocks };
}

function articleMessage(article: ArticleView): SlackMessage {
  const body = markdownToMrkdwn(article.markdown);
  // Room for the header and the context line; the body is cut if it needs more sections than that.
  const sections = chunk(body, LIMITS.section, LIMITS.blocks - 2).map(section);
  const blocks = [header(article.title), ...sections, context(escapeMrkdwn(`${article.id} · ${article.type}`))];
  return { text: fit(`*${escapeMrkdwn(article.title)}*\n${body}`, LIMITS.text), blocks };
}
