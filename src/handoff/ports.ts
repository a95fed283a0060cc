/**
 * What human handoff needs besides the core and the agents' desk (`AgentDesk`, core/tickets.ts):
 * its own records — escalation posts per platform, relay state, group membership and availability.
 * src/persistence/stores/handoff.ts implements it.
 */
import type { Channel } from '../core/messages.ts';
import type { PersonRef } from '../core/tickets.ts';

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
