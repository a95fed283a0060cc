/**
 * What human handoff needs besides the core and the agents' desk (`AgentDesk`, core/tickets.ts):
 * its own records — escalation posts per platform, relay state, group membership and availability.
 * src/persistence/stores/handoff.ts implements it.
 */
import type { Lang } from '../core/lang.ts';
import type { Channel } from '../core/messages.ts';
import type { ContactView, PersonRef, TicketView } from '../core/tickets.ts';

/** "bot": nobody relays; "queued": waiting for an agent; "live": an agent talks to the user through Guichet. */
export type Relay = 'bot' | 'queued' | 'live';

export interface GroupChannelAddress {
  platform: Channel;
  address: unknown;
}

export interface HandoffStore {
  relayOf(number: number): Promise<Relay>;
  setRelay(number: number, relay: Relay): Promise<void>;
  /** Open tickets of this conversation whose relay is queued or live, newest first. */
  relayedTicketOf(conversationId: string): Promise<{ number: number; relay: Exclude<Relay, 'bot'> } | undefined>;
  posts(number: number): Promise<{ platform: Channel; post: unknown }[]>;
  /** Records the card posted on a platform; false when one was already recorded (the new one is then redundant). */
  savePost(number: number, platform: Channel, post: unknown, threadKey: string | null): Promise<boolean>;
  /** The ticket whose card thread is this conversation ("channel|tenantId|externalId"). */
  ticketOfThread(threadKey: string): Promise<number | undefined>;
  channelsOf(groupId: string): Promise<GroupChannelAddress[]>;
  isMember(groupId: string, userId: string): Promise<boolean>;
  /** Sets the agent's availability in all their groups; returns how many groups. */
  setAvailability(userId: string, available: boolean): Promise<number>;
  availableAgents(groupId: string): Promise<number>;
  /** An agent or admin by e-mail or exact display name. */
  findStaff(nameOrEmail: string): Promise<PersonRef | undefined>;
  /** The platform key of a conversation, to match it with a card's thread. */
  threadKeyOfConversation(conversationId: string): Promise<string | undefined>;
}

/** Where a waiting user stands: said after the usual notice while the desk is open, instead of it while closed. */
export interface QueueNotice {
  open: boolean;
  text(lang: Lang): string;
}

/**
 * The service desk's organisation behind an escalation (src/desks implements it): which desk and
 * group answer, the live queue of users waiting for a person, on-call paging out of hours.
 */
export interface EscalationDesks {
  /** Routes an escalated ticket; with `live` the user joins the queue, and `notice` says where they stand. Safe to call again. */
  escalated(ticket: TicketView, requester: ContactView, live: boolean): Promise<{ notice?: QueueNotice; assignTo?: string }>;
  /** An agent took the ticket: it leaves the queue, the others move up. */
  taken(number: number): Promise<void>;
  /** The ticket no longer waits (resolved, cancelled, handed to the bot elsewhere): out of the queue if it was in it. */
  settled(number: number): Promise<void>;
  /** The agent handed the conversation back or resolved the ticket. */
  ended(number: number): Promise<void>;
  /** "Desk: the Paris desk · site: Paris headquarters": where the requester's conversation was routed, for the agent who takes it. */
  whereFrom(ticket: TicketView, requester: ContactView, lang: Lang): string;
  /** A waiting user's message the desks answer (leaving the queue, a call-back time); undefined for anything else. */
  fromWaiting(number: number, text: string, lang: Lang): Promise<{ text: string; left: boolean } | undefined>;
}
