/**
 * What the parts of human handoff share: their dependencies, who acts, and the small rules every
 * part applies the same way (who may act on a ticket, how long user text is cut, which desk
 * errors become a reply).
 */
import { allows, rolesOnTicket, type TicketAction } from '../core/authorization.ts';
import { isGuichetError, type GuichetError } from '../core/errors.ts';
import type { JobQueue } from '../core/jobs.ts';
import type { Lang } from '../core/lang.ts';
import type { Channel, OutboundMessage } from '../core/messages.ts';
import type { OutboundChannels } from '../core/channel-contract.ts';
import type { AgentChannelPoster, Notifier, UserRecord } from '../core/ports.ts';
import type { AgentDesk, TicketView, Viewer } from '../core/tickets.ts';
import { say } from '../texts/index.ts';
import type { EscalationDesks, HandoffStore } from './ports.ts';

export interface HandoffDeps {
  desk: AgentDesk;
  store: HandoffStore;
  /** The agents' channels' posters, and how each names the thread of a post it made. */
  channels: Pick<OutboundChannels, 'poster' | 'threadKeyOf'>;
  notifier: Notifier;
  /**
   * The job queue: with it, the relay's posts and words to the requester are outbox jobs written
   * with the desk change they go with (outbox.ts); without it, they are sent in process.
   */
  jobs?: JobQueue;
  /** Desks, hours, the live queue and on-call paging; without it every escalation goes to the ticket's group, at any hour. */
  desks?: EscalationDesks;
  /** Known errors that may explain a ticket, best first. */
  suggestKnownErrors?: (text: string, lang: Lang) => { id: string; title: string }[];
  /** Drafts an FAQ article from a resolved ticket for review; resolves with its id, or undefined when not resolved. */
  draftFaq?: (number: number, authorId: string, lang: Lang) => Promise<string | undefined>;
  /** Language of the cards in agents' channels. */
  lang: Lang;
  timeZone?: string;
  /** Base URL of the web console, for "the rest is in the full record". */
  publicUrl?: string;
  onError?: (err: unknown, context: string) => void;
}

export interface Actor {
  user: UserRecord;
  lang: Lang;
}

export const text = (value: string): OutboundMessage[] => [{ type: 'text', text: value }];

export const viewerOf = (user: UserRecord): Viewer => ({ id: user.id, role: user.role });

/** The desk refused (bad input, illegal move, unknown ticket): its message is the agent's reply. */
export function isDeskRefusal(err: unknown): err is GuichetError {
  return isGuichetError(err) && err.code.startsWith('ticketing.');
}

/**
 * Agents act only on their groups' tickets; admins on all (the authorization table, core/authorization.ts).
 * Checked on the server from the group's members, never trusted from a card. Managers and the lead have no
 * agent action in the table, so their relation is not looked up here.
 */
export async function refusal(store: HandoffStore, viewer: Viewer, ticket: TicketView, lang: Lang, action: TicketAction = 'ticket.note'): Promise<OutboundMessage[] | undefined> {
  const memberOfGroup = viewer.role === 'agent' && ticket.group !== null && (await store.isMember(ticket.group.id, viewer.id));
  const roles = rolesOnTicket(viewer, { requesterId: ticket.requester.id, memberOfGroup, managerOfGroup: false, deskLead: false });
  if (allows(roles, action)) return undefined;
  return text(say(lang, 'handoff.notMember', { group: ticket.group?.name ?? '—', number: ticket.number }));
}

/** The row of the authorization table of each agent command on a ticket. */
export const AGENT_ACTION: Record<'show' | 'take' | 'note' | 'ask' | 'reassign' | 'resolve' | 'escalate' | 'priority' | 'handback' | 'add-faq', TicketAction> = {
  show: 'ticket.card',
  take: 'ticket.take',
  note: 'ticket.note',
  ask: 'ticket.ask',
  reassign: 'ticket.reassign',
  resolve: 'ticket.resolve',
  escalate: 'ticket.escalate-level',
  priority: 'ticket.priority',
  handback: 'ticket.handback',
  'add-faq': 'ticket.add-faq',
};

/** Cuts long user text at `max` characters, pointing to the full record. */
export function cut(deps: Pick<HandoffDeps, 'publicUrl'>, value: string, number: number, max: number, lang: Lang): string {
  if (value.length <= max) return value;
  const tail = deps.publicUrl
    ? say(lang, 'handoff.cut', { link: `${deps.publicUrl.replace(/\/$/, '')}/tickets/${number}` })
    : say(lang, 'handoff.cutNoLink', { number });
  return `${value.slice(0, max)}${tail}`;
}

export function posterOf(deps: Pick<HandoffDeps, 'channels'>, platform: Channel): AgentChannelPoster | undefined {
  return deps.channels.poster(platform);
}

