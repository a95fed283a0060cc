/**
 * Domain modules plug into a turn through this interface: flows, ticket
 * conversations, agent commands. The core asks each module in order; the
 * first that answers owns the turn. A module reads and returns the whole
 * conversation state (it changes only its own part) and may do idempotent
 * work during the turn (keyed by `origin`, so a replayed turn does it once),
 * or return effects to run once the turn is committed.
 */
import type { Effect } from './answer-question.ts';
import type { Lang } from './lang.ts';
import type { Channel, InboundFile, OutboundMessage } from './messages.ts';
import type { UserRecord } from './ports.ts';
import type { ConversationState } from './state.ts';
import type { TurnDecision } from './turn/decision.ts';

export interface TurnContext {
  user: UserRecord;
  lang: Lang;
  /** What the user typed, trimmed and cut to the core's limit; "" for a bare action. Secrets in it are masked. */
  text: string;
  /**
   * The values masked out of `text` (core/secrets.ts), for this turn only: a module that asked for a one-time
   * code reads it here. Never store, relay or log them.
   */
  typedSecrets?: readonly string[];
  /** A button or card submit (untrusted data). */
  action?: { verb: string; data: Record<string, unknown> };
  /** Files sent with this message (a screenshot, a log), as references on the platform. */
  files?: InboundFile[];
  /**
   * The files to attach to what this turn creates or adds to a ticket: those held from earlier messages
   * of the conversation, then this message's. Calling it marks them attached (the core forgets them);
   * files nobody took are held for the conversation's next ticket.
   */
  takeFiles(): InboundFile[];
  /** Undoes takeFiles() when what was to carry them failed (the files stay held). */
  keepFiles(): void;
  state: ConversationState;
  conversationId: string;
  conversationKind: 'personal' | 'group' | 'channel';
  channel: Channel;
  /** "channel:deliveryId": the idempotency key of anything this turn creates. */
  origin: string;
  now: Date;
  /**
   * What the intent classifier made of `text` (flow ids and global intents), when the core has one;
   * `name` is null below its confidence threshold. Absent for bare actions.
   */
  intent?: { name: string | null; confidence: number };
  /**
   * What this turn wrote on first contact, in its first attempt: the user (their identity was unknown) and the
   * conversation. Nothing references a row written a moment ago (no ticket names it, relayed or waiting for the
   * user): modules skip the reads that look for one. A replayed attempt (another turn committed meanwhile) has none.
   */
  created?: { user: boolean; conversation: boolean };
  /** The message carries an urgency cue (a meeting in minutes, a whole team blocked, an executive): tickets get a high urgency. */
  urgent?: boolean;
}

export interface TurnReply {
  replies: OutboundMessage[];
  state: ConversationState;
  /** Work to run after the turn is committed (failures are reported, not shown). */
  effects?: Effect[];
  /** What the module took the message for; when absent the core reads it from the reply. */
  decision?: TurnDecision;
}

export interface TurnModule {
  /** For logs and tests. */
  name: string;
  handle(ctx: TurnContext): Promise<TurnReply | undefined>;
  /**
   * A conversation the module holds whatever is said in it (a live relay between a requester and an
   * agent, an escalation card's thread): asked before the core's own commands, so that "bonjour",
   * "merci" or "aide" reach the person on the other side instead of being answered by the bot.
   */
  owns?(ctx: TurnContext): Promise<TurnReply | undefined>;
  /**
   * What the module waits for, asked again after a global command answered by the core
   * (help, language switch, greeting, thanks) so that the user knows where they were.
   */
  remind?(ctx: TurnContext): Promise<OutboundMessage[] | undefined>;
}
