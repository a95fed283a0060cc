/**
 * Guichet's Home tab (views.publish on app_home_opened): a short introduction with a "Create a
 * ticket" button (it opens the ticket modal), the user's open tickets with their status and SLA
 * due times, and, for agents and admins, their queue. In the user's language; at most 100 blocks
 * (Slack's limit for a Home tab), longer lists end with "… and N more".
 */
import type { types } from '@slack/bolt';
import type { Lang } from '../../core/lang.ts';
import type { TicketView } from '../../core/tickets.ts';
import { context, header, section, ticketList } from './blocks.ts';
import { LIMITS } from './mrkdwn.ts';
import { slackText } from './texts.ts';

/** action_id of the Home tab's button that opens the ticket modal. */
export const NEW_TICKET_ACTION = 'guichet-new-ticket';

export interface HomeContent {
  lang: Lang;
  timeZone?: string;
  /** The user's open tickets, newest first ([] and not shown when `canCreate` is false: no desk). */
  tickets: readonly TicketView[];
  /** Agents and admins: their queue; undefined for employees. */
  queue?: readonly TicketView[];
  /** Whether tickets can be created here (a desk is configured). */
  canCreate: boolean;
}

export function homeView(content: HomeContent): types.HomeView {
  const { lang, timeZone } = content;
  const blocks: types.KnownBlock[] = [header(slackText(lang, 'homeHeader')), section(slackText(lang, 'homeIntro'))];
  if (content.canCreate) {
    blocks.push({
      type: 'actions',
      block_id: 'guichet-home-actions',
      elements: [{ type: 'button', action_id: NEW_TICKET_ACTION, style: 'primary', text: { type: 'plain_text', text: slackText(lang, 'newTicket'), emoji: true } }],
    });
  }
  if (!content.canCreate) return { type: 'home', blocks };
  // Two lists share what is left of the 100 blocks: each gets at most 45.
  const room = Math.floor((LIMITS.viewBlocks - blocks.length - 4) / 2);
  blocks.push({ type: 'divider' }, header(slackText(lang, 'myTickets')));
  blocks.push(...(content.tickets.length > 0 ? ticketList(content.tickets, lang, timeZone, room) : [context(slackText(lang, 'noOpenTickets'))]));
  if (content.queue) {
    blocks.push({ type: 'divider' }, header(`${slackText(lang, 'myQueue')} (${content.queue.length})`));
    blocks.push(...(content.queue.length > 0 ? ticketList(content.queue, lang, timeZone, room) : [context(slackText(lang, 'emptyQueue'))]));
  }
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
