/**
 * In-memory implementations of the core's stores. For unit tests and
 * throw-away terminal sessions only: nothing survives the process and there is
 * no cross-process safety. Every deployed Guichet uses src/persistence/.
 */
import { randomUUID } from 'node:crypto';
import type { Lang } from './lang.ts';
import type { Channel, OutboundMessage } from './messages.ts';
import type {
  CommitOutcome,
  ConversationKey,
  ConversationRecord,
  ConversationStore,
  Created,
  PlatformIdentity,
  TranscriptEntry,
  TurnCommit,
  UserDirectory,
  UserProfile,
  UserRecord,
} from './ports.ts';
import { renderPlainText } from './render-text.ts';
import { parseState } from './state.ts';

export class MemoryUserDirectory implements UserDirectory {
  readonly users = new Map<string, UserRecord & { email?: string; timeZone?: string }>();
  private readonly byIdentity = new Map<string, string>();

  async identify(identity: PlatformIdentity, profile: UserProfile): Promise<UserRecord & Created> {
    const key = `${identity.platform}|${identity.tenantId}|${identity.externalId}`;
    const existingId = this.byIdentity.get(key);
    const existing = existingId ? this.users.get(existingId) : undefined;
    if (existing) {
      existing.locale ??= profile.locale ?? null;
      existing.email ??= profile.email;
      return { ...existing };
    }
    const user = {
      id: randomUUID(),
      displayName: profile.displayName ?? '',
      role: 'employee' as const,
      locale: profile.locale ?? null,
      email: profile.email,
      timeZone: profile.timeZone,
    };
    this.users.set(user.id, user);
    this.byIdentity.set(key, user.id);
    return { ...user, created: true };
  }

  async setLocale(userId: string, locale: Lang): Promise<void> {
    const user = this.users.get(userId);
    if (user) user.locale = locale;
  }
}

export class MemoryConversationStore implements ConversationStore {
  readonly conversations = new Map<string, ConversationRecord & { key: ConversationKey; reference: unknown }>();
  readonly transcripts = new Map<string, TranscriptEntry[]>();
  private readonly deliveries = new Map<string, OutboundMessage[]>();

  async open(key: ConversationKey, userId: string | null, reference: unknown): Promise<ConversationRecord> {
    const id = `${key.channel}|${key.tenantId}|${key.externalId}`;
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = { id, key, userId, state: parseState({}), version: 0, reference };
      this.conversations.set(id, conversation);
      return { id, userId, state: structuredClone(conversation.state), version: 0, created: true };
    } else if (reference !== undefined) {
      conversation.reference = reference;
    }
    return { id, userId: conversation.userId, state: structuredClone(conversation.state), version: conversation.version };
  }

  async commitTurn(commit: TurnCommit): Promise<CommitOutcome> {
    const deliveryKey = `${commit.delivery.channel}|${commit.delivery.deliveryId}`;
    if (this.deliveries.has(deliveryKey)) return 'duplicate';
    const conversation = this.conversations.get(commit.conversationId);
    if (!conversation || conversation.version !== commit.expectedVersion) return 'conflict';
    conversation.state = structuredClone(commit.state);
    conversation.version += 1;
    const lines = this.transcripts.get(commit.conversationId) ?? [];
    lines.push(...commit.transcript.map((line) => ({ ...line, at: commit.at })));
    this.transcripts.set(commit.conversationId, lines);
    this.deliveries.set(deliveryKey, structuredClone(commit.delivery.replies));
    return 'committed';
  }

  async reachableAt(userId: string): Promise<{ channel: Channel; reference: unknown }[]> {
    return [...this.conversations.values()]
      .filter((c) => c.userId === userId && c.reference !== undefined && c.reference !== null)
      .map((c) => ({ channel: c.key.channel, reference: structuredClone(c.reference) }));
  }

  async appendProactive(key: ConversationKey, messages: OutboundMessage[], at: Date): Promise<boolean> {
    const lines = this.transcripts.get(`${key.channel}|${key.tenantId}|${key.externalId}`);
    if (!lines) return false;
    messages.forEach((m, i) => lines.push({ direction: 'out', author: 'bot', kind: 'proactive', text: renderPlainText(m), payload: structuredClone(m), at: new Date(at.getTime() + i) }));
    return true;
  }

  async transcript(key: ConversationKey, limit: number): Promise<TranscriptEntry[]> {
    const lines = this.transcripts.get(`${key.channel}|${key.tenantId}|${key.externalId}`) ?? [];
    return structuredClone(lines.slice(-limit));
  }

  async repliesFor(channel: Channel, deliveryId: string): Promise<OutboundMessage[] | null> {
    return structuredClone(this.deliveries.get(`${channel}|${deliveryId}`) ?? null);
  }
}
