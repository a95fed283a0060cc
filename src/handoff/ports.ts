/**
 * What human handoff needs besides the core: the agents' side of the ticket
 * desk, and its own records (escalation posts per platform, relay state, group
 * membership and availability). src/tickets implements the first,
 * src/persistence/stores/handoff.ts the second.
 */
import type { Channel, InboundFile } from '../core/messages.ts';
import type { Level, NewTicket, PersonRef, TicketDesk, TicketStatus, TicketView, Viewer } from '../core/tickets.ts';

/** The desk as agents use it. Every call checks nothing about group membership: Handoff does, before. */
export interface AgentDesk extends TicketDesk {
  /** Exactly one owner when several agents take at once: `taken` false and `owner` set for the others. */
  take(number: number, agent: Viewer): Promise<{ ticket: TicketView; taken: boolean; owner: PersonRef | null }>;
  assign(number: number, actor: Viewer, assigneeId: string): Promise<TicketView>;
  escalateLevel(number: number, actor: Viewer, level: 2 | 3): Promise<TicketView>;
  setPriority(number: number, actor: Viewer, impact: Level, urgency: Level): Promise<TicketView>;
  resolve(number: number, actor: Viewer, resolution: string): Promise<TicketView>;
  /** A public reply: recorded and sent to the requester. */
  reply(number: number, actor: Viewer, text: string): Promise<TicketView>;
  /** An internal note: never shown to the requester. */
  addNote(number: number, actor: Viewer, text: string): Promise<TicketView>;
  /** Other status moves (waiting for the user, back in progress, cancelled), with an optional note to the requester. */
  setStatus(number: number, actor: Viewer, to: TicketStatus, note?: string): Promise<TicketView>;
  /** An agent opens a ticket for someone. */
  createByAgent(agent: Viewer, input: Omit<NewTicket, 'createdBy'>): Promise<{ ticket: TicketView; created: boolean }>;
  /** A person's id by e-mail. */
  userByEmail(email: string | undefined): Promise<string | undefined>;
  /** The latest `limit` files attached to a ticket (at creation or later), oldest first. */
  attachedFiles(number: number, limit: number): Promise<InboundFile[]>;
  /** Records an agent action in the audit log (actions the desk does not record itself). */
  recordAction(actor: Viewer, action: string, number: number, detail: Record<string, unknown>): Promise<void>;
}

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
