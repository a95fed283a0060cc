/** The core's shapes around a turn: what handleTurn is given (CoreDeps), what a turn computes and returns. */
import type { Effect } from '../answer-question.ts';
import type { Lang, Localized } from '../lang.ts';
import type { OutboundMessage } from '../messages.ts';
import type { Clock, CommandHandler, ConversationStore, KnowledgeBase, LanguageDetector, UserDirectory } from '../ports.ts';
import type { ConversationState } from '../state.ts';
import type { TicketDesk } from '../tickets.ts';
import type { TurnModule } from '../turn-module.ts';
import type { TurnDecision } from './decision.ts';
import type { RoutingSettings } from './router.ts';

export interface CoreDeps {
  users: UserDirectory;
  conversations: ConversationStore;
  language: LanguageDetector;
  clock: Clock;
  /** Language used when nothing else tells (no user preference, no detectable words). */
  defaultLang: Lang;
  /** Answers questions from the FAQ and known errors; without it, unknown text gets "not understood". */
  knowledge?: KnowledgeBase;
  /** Command families of domain modules ("kb …"), tried in order before questions. */
  commands?: CommandHandler[];
  /** Domain modules (flows, tickets, agents), asked in order after the core's own commands. */
  modules?: TurnModule[];
  /** Told about failures of work done after a committed turn (the user already has their answer). */
  onEffectError?: (err: unknown) => void;
  /** The intent classifier (flows' examples plus global intents); without it, only exact commands are recognised. */
  intents?: IntentRecognizer;
  /** When the knowledge base finds nothing good, offer a ticket or a person (set where a ticket desk exists). */
  offerHelp?: boolean;
  /** Where security tickets and outage questions go (the ticket desk), when there is one. */
  desk?: TicketDesk;
  /** The router's settings: other departments, security tickets, guides offered to a vague message. */
  routing?: RoutingSettings;
  /** Told every turn's decision (logged at debug level where a logger exists). */
  onDecision?: (decision: TurnDecision, turn: { conversationId: string; userId: string }) => void;
}

/** What a message asks for, as the core routes it. */
export interface RecognizedIntent {
  /** A flow id or a global intent (help, greeting, thanks, cancel, agent, my-tickets, ticket-status, open-ticket); null below the threshold. */
  name: string | null;
  /** 0..1. */
  confidence: number;
  /** For ticket intents: the ticket module's own command for the message ("my tickets", "status #1042"), given to the modules instead. */
  rewrite?: string;
}

export interface IntentRecognizer {
  recognize(text: string, lang: Lang): RecognizedIntent;
  /** The title of a guide (flow id), to name it to the user; undefined for global intents. */
  title?(intent: string): Localized | undefined;
  /** The service a guide (flow id) diagnoses (services.yml), to tell whether an article is about the same thing. */
  service?(intent: string): string | undefined;
}

export interface TurnResult {
  replies: OutboundMessage[];
  lang: Lang;
  /** True when this delivery had already been processed: `replies` are the first answer's. */
  duplicate: boolean;
  conversationId: string | null;
  userId: string | null;
  /** What the router decided for this message (absent for a replayed delivery). */
  decision?: TurnDecision;
}

export interface TurnOutput {
  replies: OutboundMessage[];
  state: ConversationState;
  lang: Lang;
  /** Set when the user explicitly chose a language in this turn. */
  chosenLang?: Lang;
  inboundText: string;
  /** Work to carry out once the turn is committed. */
  effects: Effect[];
  /** What the intent classifier recognised in the message (kept with it, for analytics). */
  intent?: string;
  decision: TurnDecision;
}
