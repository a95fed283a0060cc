/**
 * Guichet's Home tab (views.publish): an introduction with a "Create a ticket" button (it opens the
 * ticket modal), then the core's answer to `home.open`: each list of tickets under its own header,
 * each line of text as a context line, within Slack's 100 blocks.
 */
import type { types } from '@slack/bolt';
import type { Lang } from '../../core/lang.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import { say } from '../../texts/index.ts';
import { context, header, section, ticketList } from './blocks.ts';
import { LIMITS, escapeMrkdwn } from './mrkdwn.ts';

/** action_id of the Home tab's button that opens the ticket modal. */
export const NEW_TICKET_ACTION = 'guichet-new-ticket';

export interface HomeContent {
  lang: Lang;
  /** The user's own time zone (Slack's), shown rather than the core's default. */
  timeZone?: string;
  /** The core's answer to `home.open` ([] when there is no ticket desk). */
  replies: readonly OutboundMessage[];
  /** Whether tickets can be created here (a desk is configured). */
  canCreate: boolean;
}

export function homeView(content: HomeContent): types.HomeView {
  const { lang } = content;
  const blocks: types.KnownBlock[] = [header(say(lang, 'channels.homeHeader')), section(say(lang, 'channels.homeIntro'))];
  if (content.canCreate) {
    blocks.push({
      type: 'actions',
      block_id: 'guichet-home-actions',
      elements: [{ type: 'button', action_id: NEW_TICKET_ACTION, style: 'primary', text: { type: 'plain_text', text: say(lang, 'channels.newTicket'), emoji: true } }],
    });
  }
  // The lists share what is left of the 100 blocks (each also takes a divider and a header).
  const lists = content.replies.filter((r) => r.type === 'tickets').length;
  const room = Math.floor((LIMITS.viewBlocks - blocks.length - 2 * lists) / Math.max(lists, 1));
  for (const reply of content.replies) {
    if (reply.type === 'tickets') {
      blocks.push({ type: 'divider' }, header(reply.title), ...ticketList(reply.tickets, lang, content.timeZone ?? reply.timeZone, room));
    } else if (reply.type === 'text') blocks.push(context(escapeMrkdwn(reply.text)));
  }
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
