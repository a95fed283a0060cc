/**
 * HandoffStore in memory: relay states, card posts, agents' groups, channels and availability,
 * held in maps. For unit tests of handoff, and for trying a desk without a database.
 *
 * Not for a running desk: nothing survives a restart (a relayed conversation would fall back to
 * the bot, and every card would be posted again), and it does not see the tickets' own rows — the
 * conversation a ticket came from and whether it is still open are given to it
 * (`linkConversation`, `statusOf`). Use src/persistence/stores/handoff.ts there.
 */
import type { Channel } from '../core/messages.ts';
import { isOpenStatus, type PersonRef, type TicketStatus } from '../core/tickets.ts';
import type { GroupChannelAddress, HandoffStore, Relay } from './ports.ts';

export interface MemoryGroup {
  /** Members by user id: whether each is available. */
  members: Map<string, boolean>;
  channels: GroupChannelAddress[];
}

interface Post {
  number: number;
  platform: Channel;
  post: unknown;
  threadKey: string | null;
}

export class MemoryHandoffStore implements HandoffStore {
  readonly groups = new Map<string, MemoryGroup>();
  private readonly relays = new Map<number, Relay>();
  private readonly postList: Post[] = [];
  /** Ticket number → the conversation it was opened from, newest ticket last. */
  private readonly conversations = new Map<number, string>();
  /** Conversation id → its platform key ("channel|tenantId|externalId"). */
  private readonly keys = new Map<string, string>();
  private readonly staff: (PersonRef & { email: string })[] = [];

  /** `statusOf` tells whether a ticket is still open (relayed conversations are those of open tickets only). */
  constructor(private readonly statusOf: (number: number) => Promise<TicketStatus | undefined> = async () => 'new') {}

  /** Records a support group: its members (all available) and agents' channels. */
  addGroup(id: string, memberIds: string[], channels: GroupChannelAddress[] = []): void {
    this.groups.set(id, { members: new Map(memberIds.map((m) => [m, true])), channels });
  }

  /** Records an agent or admin who can be found by e-mail or display name. */
  addStaff(person: PersonRef, email: string): void {
    this.staff.push({ ...person, email: email.toLowerCase() });
  }

  /** The conversation ticket `number` was opened from. */
  linkConversation(number: number, conversationId: string): void {
    this.conversations.set(number, conversationId);
  }

  /** The platform key of a conversation (a card's thread is a conversation too). */
  nameConversation(conversationId: string, threadKey: string): void {
    this.keys.set(conversationId, threadKey);
  }

  async relayOf(number: number): Promise<Relay> {
    return this.relays.get(number) ?? 'bot';
  }

  async setRelay(number: number, relay: Relay): Promise<void> {
    this.relays.set(number, relay);
  }

  async relayedTicketOf(conversationId: string): Promise<{ number: number; relay: 'queued' | 'live' } | undefined> {
    const numbers = [...this.conversations].filter(([, c]) => c === conversationId).map(([n]) => n).sort((a, b) => b - a);
    for (const number of numbers) {
      const relay = await this.relayOf(number);
      const status = await this.statusOf(number);
      if (relay !== 'bot' && status && isOpenStatus(status)) return { number, relay };
    }
    return undefined;
  }

  async posts(number: number): Promise<{ platform: Channel; post: unknown }[]> {
    return this.postList.filter((p) => p.number === number).map(({ platform, post }) => ({ platform, post }));
  }

  async savePost(number: number, platform: Channel, post: unknown, threadKey: string | null): Promise<boolean> {
    if (this.postList.some((p) => (p.number === number && p.platform === platform) || (threadKey !== null && p.threadKey === threadKey))) return false;
    this.postList.push({ number, platform, post, threadKey });
    return true;
  }

  async ticketOfThread(threadKey: string): Promise<number | undefined> {
    return this.postList.find((p) => p.threadKey === threadKey)?.number;
  }

  async channelsOf(groupId: string): Promise<GroupChannelAddress[]> {
    return [...(this.groups.get(groupId)?.channels ?? [])].sort((a, b) => a.platform.localeCompare(b.platform));
  }

  async isMember(groupId: string, userId: string): Promise<boolean> {
    return this.groups.get(groupId)?.members.has(userId) ?? false;
  }

  async setAvailability(userId: string, available: boolean): Promise<number> {
    let count = 0;
    for (const group of this.groups.values()) {
      if (!group.members.has(userId)) continue;
      group.members.set(userId, available);
      count += 1;
    }
    return count;
  }

  async availableAgents(groupId: string): Promise<number> {
    return [...(this.groups.get(groupId)?.members.values() ?? [])].filter(Boolean).length;
  }

  async findStaff(nameOrEmail: string): Promise<PersonRef | undefined> {
    const value = nameOrEmail.trim();
    const found = this.staff.find((s) => s.email === value.toLowerCase() || s.displayName === value);
    return found ? { id: found.id, displayName: found.displayName } : undefined;
  }

  async threadKeyOfConversation(conversationId: string): Promise<string | undefined> {
    return this.keys.get(conversationId);
  }
}
