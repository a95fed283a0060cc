/**
 * The ports through which the core reaches the outside world. Each is small
 * and named for its role; `memory-stores.ts` has in-memory implementations
 * for tests and the terminal, `src/persistence/` the Prisma ones.
 */
import type { Lang } from './lang.ts';
import type { ArticleView, Channel, OutboundMessage } from './messages.ts';
import type { ConversationState } from './state.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface LanguageDetector {
  /** Guesses the message's language; `confidence` 0 means "no evidence, fallback returned". */
  detect(text: string, fallback: Lang): { lang: Lang; confidence: number };
}

export type Role = 'employee' | 'agent' | 'admin';

export interface UserRecord {
  id: string;
  displayName: string;
  role: Role;
  /** Preferred language, once known. */
  locale: Lang | null;
}

export interface PlatformIdentity {
  platform: Channel;
  tenantId: string;
  externalId: string;
}

export interface UserProfile {
  displayName?: string;
  email?: string;
  locale?: Lang;
  timeZone?: string;
}

export interface UserDirectory {
  /**
   * Finds the user behind a platform identity, creating them on first contact; fills missing profile fields.
   * `known`: the user as `ConversationStore.openTurn` just read them (null: no such identity yet).
   */
  identify(identity: PlatformIdentity, profile: UserProfile, known?: StoredUser | null): Promise<UserRecord & Created>;
  /** Records the language a user chose, so every channel uses it. */
  setLocale(userId: string, locale: Lang): Promise<void>;
}

export interface ConversationKey {
  channel: Channel;
  tenantId: string;
  externalId: string;
}

export type ConversationKind = 'personal' | 'group' | 'channel';

export interface ConversationRecord extends Created {
  id: string;
  userId: string | null;
  state: ConversationState;
  /** Incremented by every committed turn (optimistic concurrency). */
  version: number;
}

/** Set by the store that wrote the row in this very call (a first contact): nothing can reference it yet. */
export interface Created {
  created?: boolean;
}

/** One transcript line, written with the turn that produced it. */
export interface TranscriptLine {
  direction: 'in' | 'out';
  author: 'user' | 'bot' | 'agent';
  kind: string;
  /** Plain-text form, for contact history and search. */
  text: string;
  payload?: unknown;
}

export interface TurnCommit {
  conversationId: string;
  /** The version the turn started from; the commit fails with "conflict" if another turn got in first. */
  expectedVersion: number;
  userId: string | null;
  state: ConversationState;
  transcript: TranscriptLine[];
  delivery: { channel: Channel; deliveryId: string; replies: OutboundMessage[] };
  at: Date;
}

/** "duplicate": the delivery was committed by a concurrent turn; "conflict": the state moved on. */
export type CommitOutcome = 'committed' | 'duplicate' | 'conflict';

/** A user as stored, read ahead by `ConversationStore.openTurn`. */
export interface StoredUser {
  id: string;
  displayName: string;
  role: string;
  locale: string | null;
  email: string | null;
  timeZone: string | null;
}

/** A conversation as stored (state and reference as read: JSON), read ahead by `ConversationStore.openTurn`. */
export interface StoredConversation {
  id: string;
  userId: string | null;
  state: unknown;
  version: number;
  reference: unknown;
}

/**
 * What a turn reads first, in one statement: the replies of the delivery if it was already processed,
 * else the user behind the identity and the conversation (null: none stored yet). Passed on to
 * `identify` and `open`, which then skip their own lookups.
 */
export interface TurnOpening {
  replies: OutboundMessage[] | null;
  user: StoredUser | null;
  conversation: StoredConversation | null;
  /** What the read wrote when it found nothing and was given a first contact (ConversationStore.openTurn). */
  written?: { user: UserRecord & Created; conversation: ConversationRecord };
}

/** What a first contact writes besides the identity and the conversation's key: the sender's profile, the conversation's reference and kind. */
export interface FirstContact {
  profile: UserProfile;
  reference: unknown;
  kind: ConversationKind;
}

export interface ConversationStore {
  /**
   * Finds or creates the conversation; keeps the latest platform reference for proactive messages.
   * `known`: the conversation as `openTurn` just read it (null: it did not exist), instead of reading it again.
   */
  open(key: ConversationKey, userId: string | null, reference: unknown, kind?: ConversationKind, known?: StoredConversation | null): Promise<ConversationRecord>;
  /**
   * Optional: the turn's first reads in one round trip (stores without it are asked one by one). With
   * `firstContact`, where the store can: when nothing is found, the same round trip writes the user behind
   * `identity` and the conversation as `UserDirectory.identify` then `open` would (`TurnOpening.written`).
   */
  openTurn?(delivery: { channel: Channel; deliveryId: string }, identity: PlatformIdentity, key: ConversationKey, firstContact?: FirstContact): Promise<TurnOpening>;
  /** Writes the turn atomically: transcript lines, new state and the processed delivery. */
  commitTurn(commit: TurnCommit): Promise<CommitOutcome>;
  /** The replies already sent for a delivery, or null if it was never processed. */
  repliesFor(channel: Channel, deliveryId: string): Promise<OutboundMessage[] | null>;
  /** Where to reach a user proactively: their most recently active personal conversation per channel. */
  reachableAt(userId: string): Promise<{ channel: Channel; reference: unknown }[]>;
  /** The last `limit` transcript lines of a conversation, oldest first ([] if it does not exist). */
  transcript(key: ConversationKey, limit: number): Promise<TranscriptEntry[]>;
  /**
   * Appends messages Guichet sends outside a turn (kind "proactive") to an existing conversation's
   * transcript: the channel's inbox for platforms without push (the web chat polls it).
   * Resolves false when the conversation does not exist.
   */
  appendProactive(key: ConversationKey, messages: OutboundMessage[], at: Date): Promise<boolean>;
}

export interface TranscriptEntry extends TranscriptLine {
  at: Date;
}

/** A channel's proactive side: sends messages to a stored conversation reference. */
export interface ChannelSender {
  channel: Channel;
  /** Sends in order; retries what the platform asks to retry; throws a GuichetError when it gives up. */
  send(reference: unknown, messages: OutboundMessage[]): Promise<void>;
  /** Sends one message that can be edited later (platforms that allow it): its handle, plain JSON. */
  sendEditable?(reference: unknown, message: OutboundMessage): Promise<unknown>;
  /** Replaces a message sent with `sendEditable` (Slack chat.update, Teams updateActivity). */
  edit?(handle: unknown, message: OutboundMessage): Promise<void>;
}

/** Per channel, the handle of a message kept up to date (see Notifier.notifyInPlace). */
export type EditHandles = Partial<Record<Channel, unknown>>;

/**
 * A channel's side for agents' channels: posts a root message (the escalation
 * card) into a channel, updates it in place, and replies in its thread.
 * `address` is a GroupChannel address (Teams: {serviceUrl, tenantId, channelId};
 * Slack: {teamId, channelId}); the returned post reference is plain JSON, stored
 * with the ticket, and is what `update` and `reply` take.
 */
export interface AgentChannelPoster {
  channel: Channel;
  post(address: unknown, message: OutboundMessage): Promise<unknown>;
  update(post: unknown, message: OutboundMessage): Promise<void>;
  reply(post: unknown, messages: OutboundMessage[]): Promise<void>;
}

export interface Notifier {
  /**
   * Tells a user something outside a turn (status change, agent reply…). Resolves with where it was
   * delivered and, when known, the channels that failed (a job sending it retries when none took it).
   */
  notify(userId: string, messages: OutboundMessage[]): Promise<{ delivered: Channel[]; failed?: Channel[] }>;
  /**
   * One message kept up to date (a waiting user's position): edited in place on the channels of
   * `previous` that can edit, sent anew elsewhere; resolves with the handles to pass next time.
   */
  notifyInPlace?(userId: string, message: OutboundMessage, previous?: EditHandles): Promise<EditHandles>;
}

export type KnowledgeAnswer =
  | { kind: 'answer'; article: ArticleView; confidence: number }
  | { kind: 'choose'; options: { article: ArticleView; confidence: number }[] }
  | { kind: 'none'; bestConfidence?: number };

/** The knowledge base as the core uses it: answers questions and learns from what users say of answers. */
export interface KnowledgeBase {
  /** The best published answer(s) to a question, in the user's language when translated. */
  answer(query: string, options: { lang: Lang; services?: readonly string[] }): KnowledgeAnswer;
  /** One article by id, in `lang` or its other translation; published only. */
  article(id: string, lang: Lang): ArticleView | undefined;
  /** Stores "that fixed it" / "not helpful"; it moves the article's ranking (bounded). */
  recordFeedback(input: { articleId: string; lang: Lang; helpful: boolean; userId: string; query: string; conversationId: string }): Promise<void>;
  /** Stores a question no article answered well enough (a knowledge gap). */
  recordGap(input: { text: string; lang: Lang; userId: string; conversationId: string; bestConfidence?: number }): Promise<void>;
}

export interface CommandContext {
  user: UserRecord;
  lang: Lang;
  text: string;
  conversationId: string;
}

/**
 * A family of chat commands provided by a domain module (e.g. "kb …" for
 * knowledge curation). Returns the replies when the text is one of its
 * commands, undefined otherwise. It checks the user's role itself.
 */
export interface CommandHandler {
  handle(ctx: CommandContext): Promise<OutboundMessage[] | undefined>;
}
