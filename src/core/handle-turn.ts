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
import { answerQuestion, continuePending, type Effect } from './answer-question.ts';
import { recognizeCommand, type GlobalCommand } from './commands.ts';
import { GuichetError } from './errors.ts';
import { toLang, type Lang } from './lang.ts';
import {
  MAX_TEXT_LENGTH,
  inboundMessageSchema,
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
import type { ConversationState } from './state.ts';
import { t } from './texts.ts';
import type { TurnModule } from './turn-module.ts';

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
}

export interface TurnResult {
  replies: OutboundMessage[];
  lang: Lang;
  /** True when this delivery had already been processed: `replies` are the first answer's. */
  duplicate: boolean;
  conversationId: string | null;
  userId: string | null;
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
    );
    const turn = await respond(deps, msg, user, conversation);
    const outcome = await deps.conversations.commitTurn({
      conversationId: conversation.id,
      expectedVersion: conversation.version,
      userId: user.id,
      state: turn.state,
      transcript: [
        { direction: 'in', author: 'user', kind: msg.action ? 'action' : 'text', text: turn.inboundText, payload: inboundPayload(msg) },
        ...turn.replies.map((r) => ({ direction: 'out' as const, author: 'bot' as const, kind: r.type, text: renderPlainText(r), payload: r })),
      ],
      delivery: { channel: msg.channel, deliveryId: msg.deliveryId, replies: turn.replies },
      at: deps.clock.now(),
    });
    if (outcome === 'committed') {
      if (turn.chosenLang) await deps.users.setLocale(user.id, turn.chosenLang);
      await runEffects(turn.effects, deps.onEffectError);
      return { replies: turn.replies, lang: turn.lang, duplicate: false, conversationId: conversation.id, userId: user.id };
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

interface TurnOutput {
  replies: OutboundMessage[];
  state: ConversationState;
  lang: Lang;
  /** Set when the user explicitly chose a language in this turn. */
  chosenLang?: Lang;
  inboundText: string;
  /** Work to carry out once the turn is committed. */
  effects: Effect[];
}

async function respond(
  deps: CoreDeps,
  msg: ParsedInbound,
  user: UserRecord,
  conversation: ConversationRecord,
): Promise<TurnOutput> {
  const state = conversation.state;
  const text = cut(msg.text?.trim() ?? '');
  const fallback = state.lastLang ?? user.locale ?? deps.defaultLang;
  const detected = text ? deps.language.detect(text, fallback) : { lang: fallback, confidence: 0 };
  const lang = msg.lang ?? state.lang ?? detected.lang;
  const inboundText = text || (msg.action ? `[${msg.action.verb}]` : '');
  const next: ConversationState = { ...state, lastLang: lang };

  const base = { lang, inboundText, effects: [] as Effect[] };

  if (!text && !msg.action) return { ...base, replies: [{ type: 'text', text: t(lang, 'emptyMessage') }], state: next };
  const command = text ? recognizeCommand(text) : undefined;
  if (command) return { ...runCommand(command, { user, state: { ...next, pending: undefined }, lang }), inboundText, effects: [] };
  for (const module of deps.modules ?? []) {
    const reply = await module.handle({
      user,
      lang,
      text,
      action: msg.action,
      state: next,
      conversationId: conversation.id,
      conversationKind: msg.conversation.kind,
      channel: msg.channel,
      origin: `${msg.channel}:${msg.deliveryId}`,
      now: deps.clock.now(),
    });
    if (reply) return { ...base, replies: reply.replies, state: reply.state, effects: reply.effects ?? [] };
  }
  if (!text) return { ...base, replies: [{ type: 'text', text: t(lang, 'notUnderstood') }], state: next };
  for (const handler of deps.commands ?? []) {
    const replies = await handler.handle({ user, lang, text, conversationId: conversation.id });
    if (replies) return { ...base, replies, state: { ...next, pending: undefined } };
  }
  if (deps.knowledge) {
    const question = { knowledge: deps.knowledge, userId: user.id, conversationId: conversation.id, lang, text, state: next };
    const reply = continuePending(question) ?? answerQuestion(question);
    return { ...base, ...reply };
  }
  return { ...base, replies: [{ type: 'text', text: t(lang, 'notUnderstood') }], state: next };
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

type CommandOutput = Pick<TurnOutput, 'replies' | 'state' | 'lang' | 'chosenLang'>;

function runCommand(command: GlobalCommand, ctx: { user: UserRecord; state: ConversationState; lang: Lang }): CommandOutput {
  const { user, state, lang } = ctx;
  switch (command.kind) {
    case 'help':
      return {
        replies: [
          { type: 'markdown', markdown: t(lang, 'help') },
          languageChoices(lang),
        ],
        state,
        lang,
      };
    case 'switch-language': {
      const chosen = command.lang;
      return {
        replies: [{ type: 'text', text: t(chosen, 'switched') }],
        state: { ...state, lang: chosen, lastLang: chosen },
        lang: chosen,
        chosenLang: chosen,
      };
    }
    case 'greeting': {
      const name = firstName(user.displayName);
      const key = state.greeted ? 'greetingAgain' : 'greeting';
      return {
        replies: [{ type: 'text', text: t(lang, key, { name: name ? ` ${name}` : '' }) }],
        state: { ...state, greeted: true },
        lang,
      };
    }
    case 'thanks':
      return { replies: [{ type: 'text', text: t(lang, 'thanks') }], state, lang };
  }
}

function languageChoices(lang: Lang): OutboundMessage {
  return {
    type: 'choices',
    text: t(lang, 'chooseLanguage'),
    choices: [
      { label: 'Français', value: 'français' },
      { label: 'English', value: 'english' },
    ],
  };
}

function firstName(displayName: string): string {
  const first = displayName.trim().split(/\s+/)[0] ?? '';
  // Platform ids or e-mail addresses are not names worth greeting.
  return /^[\p{L}][\p{L}'-]{0,40}$/u.test(first) ? first : '';
}

/** What the transcript keeps beside the text: the action, or the whole text when it was cut. */
function inboundPayload(msg: ParsedInbound): unknown {
  if (msg.action) return msg.action;
  const text = msg.text?.trim() ?? '';
  return text.length > MAX_TEXT_LENGTH ? { fullText: text } : undefined;
}

function cut(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH)} […]`;
}
