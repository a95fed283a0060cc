/**
 * The single entry point of every channel: one user message in, Guichet's
 * replies out.
 *
 * A turn is committed before its replies are returned (the transcript, the new
 * state and the processed delivery in one transaction), so anything a channel
 * shows the user is already stored. A retried delivery gets the replies of the
 * first one and changes nothing. Two turns racing on one conversation cannot
 * overwrite each other: the loser is replayed on the new state.
 */
import type { Effect } from './answer-question.ts';
import { GuichetError } from './errors.ts';
import { toLang, type Lang, type Localized } from './lang.ts';
import {
  MAX_FILES,
  MAX_TEXT_LENGTH,
  inboundMessageSchema,
  quotedNames,
  type InboundFile,
  type InboundMessage,
  type OutboundMessage,
  type ParsedInbound,
} from './messages.ts';
import type {
  Clock,
  CommandHandler,
  ConversationRecord,
  ConversationStore,
  KnowledgeBase,
  LanguageDetector,
  UserDirectory,
  UserRecord,
} from './ports.ts';
import { renderPlainText } from './render-text.ts';
import { respondTo } from './turn/respond.ts';
import type { ConversationState } from './state.ts';
import type { TicketDesk } from './tickets.ts';
import { say } from '../texts/index.ts';
import type { TurnModule } from './turn-module.ts';
import type { RoutingSettings } from './turn/router.ts';
import type { TurnDecision } from './turn/decision.ts';

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


/** How many times a turn is replayed when concurrent turns keep winning the race. */
const MAX_ATTEMPTS = 10;

export async function handleTurn(deps: CoreDeps, input: InboundMessage): Promise<TurnResult> {
  const parsed = inboundMessageSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GuichetError(
      'core.invalid-inbound',
      `core: invalid inbound message at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`,
      { cause: parsed.error },
    );
  }
  const msg = parsed.data;
  const replayed = await deps.conversations.repliesFor(msg.channel, msg.deliveryId);
  if (replayed) return { replies: replayed, lang: deps.defaultLang, duplicate: true, conversationId: null, userId: null };

  const user = await deps.users.identify(
    { platform: msg.channel, tenantId: msg.tenantId, externalId: msg.user.externalId },
    { displayName: msg.user.displayName, email: msg.user.email, locale: toLang(msg.user.locale), timeZone: msg.user.timeZone },
  );
  for (let attempt = 1; ; attempt += 1) {
    const conversation = await deps.conversations.open(
      { channel: msg.channel, tenantId: msg.tenantId, externalId: msg.conversation.externalId },
      msg.conversation.kind === 'personal' ? user.id : null,
      msg.conversation.reference,
      msg.conversation.kind,
    );
    const turn = await respond(deps, msg, user, conversation);
    const outcome = await deps.conversations.commitTurn({
      conversationId: conversation.id,
      expectedVersion: conversation.version,
      userId: user.id,
      state: turn.state,
      transcript: [
        { direction: 'in', author: 'user', kind: msg.action ? 'action' : 'text', text: turn.inboundText, payload: inboundPayload(msg, turn.intent) },
        ...turn.replies.map((r) => ({ direction: 'out' as const, author: 'bot' as const, kind: r.type, text: renderPlainText(r), payload: r })),
      ],
      delivery: { channel: msg.channel, deliveryId: msg.deliveryId, replies: turn.replies },
      at: deps.clock.now(),
    });
    if (outcome === 'committed') {
      if (turn.chosenLang) await deps.users.setLocale(user.id, turn.chosenLang);
      await runEffects(turn.effects, deps.onEffectError);
      deps.onDecision?.(turn.decision, { conversationId: conversation.id, userId: user.id });
      return { replies: turn.replies, lang: turn.lang, duplicate: false, conversationId: conversation.id, userId: user.id, decision: turn.decision };
    }
    if (outcome === 'duplicate') {
      const first = await deps.conversations.repliesFor(msg.channel, msg.deliveryId);
      return { replies: first ?? [], lang: turn.lang, duplicate: true, conversationId: conversation.id, userId: user.id };
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new GuichetError('core.conversation-conflict', `core: conversation ${conversation.id} kept changing during ${MAX_ATTEMPTS} attempts`);
    }
    // Jittered pause so that turns racing on one conversation spread out.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
  }
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

/** How long files that no ticket took yet wait for the conversation's next ticket. */
const HOLD_FILES_MS = 2 * 60 * 60 * 1000;

/**
 * Files the user sends: a module that attaches them to a ticket takes them (`ctx.takeFiles()`); the
 * others are held in the conversation for its next ticket, and in a guided diagnosis the user is told so.
 */
async function respond(deps: CoreDeps, msg: ParsedInbound, user: UserRecord, conversation: ConversationRecord): Promise<TurnOutput> {
  const now = deps.clock.now();
  const current = msg.files ?? [];
  const held = (conversation.state.heldFiles ?? []).filter((f) => now.getTime() - Date.parse(f.at) < HOLD_FILES_MS);
  let taken = false;
  const files = {
    current,
    take: (): InboundFile[] => {
      taken = true;
      return [...held.map(({ at: _at, ...file }) => file), ...current];
    },
    keep: (): void => {
      taken = false;
    },
  };
  const out = await respondTo(deps, msg, user, conversation, files);
  const heldFiles = taken ? [] : [...held, ...current.map((f) => ({ ...f, at: now.toISOString() }))].slice(-MAX_FILES);
  const state = { ...out.state, heldFiles: heldFiles.length > 0 ? heldFiles : undefined };
  // Files alone outside a diagnosis were answered by the ticket module (or refused); with words or in a diagnosis, say they are kept.
  const told = taken || current.length === 0 || (out.state.flow === undefined && !msg.text?.trim());
  const note: OutboundMessage[] = told ? [] : [{ type: 'text', text: say(out.lang, 'core.fileHeld', { files: quotedNames(current, out.lang) }) }];
  return { ...out, replies: [...note, ...out.replies], state };
}

async function runEffects(effects: Effect[], onError: ((err: unknown) => void) | undefined): Promise<void> {
  for (const effect of effects) {
    try {
      await effect();
    } catch (err) {
      // The turn is committed and answered; a lost rating or gap must not fail it.
      onError?.(err);
    }
  }
}

/** What the transcript keeps beside the text: the action, or the whole text when it was cut. */
function inboundPayload(msg: ParsedInbound, intent: string | undefined): unknown {
  if (msg.action) return msg.action;
  const text = msg.text?.trim() ?? '';
  const payload = {
    ...(text.length > MAX_TEXT_LENGTH ? { fullText: text } : {}),
    ...(intent ? { intent } : {}),
    ...(msg.files?.length ? { files: msg.files } : {}),
  };
  return Object.keys(payload).length > 0 ? payload : undefined;
}
