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
import { recognizeCommand, recognizeConfirmation, type GlobalCommand } from './commands.ts';
import { GuichetError } from './errors.ts';
import { toLang, type Lang } from './lang.ts';
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
import type { ConversationState } from './state.ts';
import { t } from './texts.ts';
import type { TurnContext, TurnModule, TurnReply } from './turn-module.ts';
import { decision, flowIdOf, shownArticles, type TurnDecision } from './turn/decision.ts';

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

/** Words of a message that answers a question and keeps the conversation's language. */
const SHORT_ANSWER_WORDS = 2;

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

interface TurnOutput {
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
  const note: OutboundMessage[] = told ? [] : [{ type: 'text', text: t(out.lang, 'fileHeld', { files: quotedNames(current, out.lang) }) }];
  return { ...out, replies: [...note, ...out.replies], state };
}

async function respondTo(
  deps: CoreDeps,
  msg: ParsedInbound,
  user: UserRecord,
  conversation: ConversationRecord,
  files: { current: InboundFile[]; take: () => InboundFile[]; keep: () => void },
): Promise<TurnOutput> {
  const state = conversation.state;
  const text = cut(msg.text?.trim() ?? '');
  const fallback = state.lastLang ?? user.locale ?? deps.defaultLang;
  // A short answer to a question of ours ("yes", "home", a button's value) says nothing of the user's language.
  const short = text.split(/\s+/).length <= SHORT_ANSWER_WORDS;
  const answering = Boolean(state.lastLang && short && (state.flow !== undefined || state.pending || recognizeConfirmation(text)));
  const detected = text && !answering ? deps.language.detect(text, fallback) : { lang: fallback, confidence: 0 };
  const lang = msg.lang ?? state.lang ?? detected.lang;
  const attached = files.current.length > 0 ? `📎 ${files.current.map((f) => f.name).join(', ')}` : '';
  const inboundText = [text || (msg.action ? `[${msg.action.verb}]` : ''), attached].filter(Boolean).join('\n');
  const next: ConversationState = { ...state, lastLang: lang };

  const base: Pick<TurnOutput, 'lang' | 'inboundText' | 'effects' | 'intent'> = { lang, inboundText, effects: [] as Effect[] };

  if (!text && !msg.action && files.current.length === 0) {
    return { ...base, replies: [{ type: 'text', text: t(lang, 'emptyMessage') }], state: next, decision: decision('clarify', 'empty message') };
  }
  const inFlow = state.flow !== undefined;
  let command = text ? recognizeCommand(text) : undefined;
  const intent = text && !command ? deps.intents?.recognize(text, lang) : undefined;
  if (intent?.name) base.intent = intent.name;
  // With nothing awaiting an answer, a paraphrase of a global command counts as the command ("can I talk to a real
  // human?"), and one of a ticket command is given to the modules as that command ("où en est le 1042" → "statut #1042").
  const paraphrase = Boolean(!command && !inFlow && !state.pending && intent?.name && !recognizeConfirmation(text));
  if (paraphrase && intent?.name) command = INTENT_COMMANDS[intent.name];
  const ctx = (over: { text: string; state: ConversationState; lang?: Lang }): TurnContext => ({
    user,
    lang: over.lang ?? lang,
    text: over.text,
    action: msg.action,
    ...(files.current.length > 0 ? { files: files.current } : {}),
    takeFiles: files.take,
    keepFiles: files.keep,
    state: over.state,
    conversationId: conversation.id,
    conversationKind: msg.conversation.kind,
    channel: msg.channel,
    origin: `${msg.channel}:${msg.deliveryId}`,
    now: deps.clock.now(),
    ...(intent ? { intent: { name: intent.name, confidence: intent.confidence } } : {}),
  });

  // A file alone in a guided diagnosis is no answer to its question: kept for its ticket, the question asked again.
  if (!text && !msg.action && inFlow) {
    return { ...base, replies: await remind(deps, ctx({ text, state: next })), state: next, decision: decision('flow', 'file in a flow', { flow: flowIdOf(state.flow) }) };
  }

  // Help, language, greeting and thanks are the core's own; a flow in progress is then recalled.
  if (command && ANSWERED_BY_CORE.has(command.kind)) {
    const out = runCommand(command, { user, who: msg.user, state: { ...next, pending: undefined }, lang });
    const reminders = await remind(deps, ctx({ text, state: out.state, lang: out.lang }));
    return { ...out, replies: [...out.replies, ...reminders], inboundText, effects: [], decision: commandDecision(command, intent) };
  }
  // Modules first: the one running something (a flow, a ticket question) owns cancel, restart and "agent" too.
  // The words as typed go first (an agent's "resolve #1042: …" is theirs); a paraphrase of a ticket command
  // ("où en est le 1042" → "statut #1042") is tried when no module took the words themselves.
  const rewritten = paraphrase && !command && intent?.rewrite && intent.rewrite !== text ? intent.rewrite : undefined;
  for (const moduleText of rewritten ? [text, rewritten] : [text]) {
    for (const module of deps.modules ?? []) {
      const reply = await module.handle(ctx({ text: moduleText, state: next }));
      if (reply) return { ...base, replies: reply.replies, state: reply.state, effects: reply.effects ?? [], decision: reply.decision ?? moduleDecision(module.name, reply, command, intent) };
    }
  }
  // A flow nobody resumed (flows switched off since): forget it.
  const current: ConversationState = inFlow ? { ...next, flow: undefined } : next;
  if (command) {
    return { ...runCommand(command, { user, who: msg.user, state: { ...current, pending: undefined }, lang }), inboundText, effects: [], decision: commandDecision(command, intent) };
  }
  if (!text) {
    return { ...base, replies: [{ type: 'text', text: t(lang, files.current.length > 0 ? 'fileNotKept' : 'notUnderstood') }], state: current, decision: decision('clarify', 'no text') };
  }
  for (const handler of deps.commands ?? []) {
    const replies = await handler.handle({ user, lang, text, conversationId: conversation.id });
    if (replies) return { ...base, replies, state: { ...current, pending: undefined }, decision: decision('command', 'command:module') };
  }
  if (deps.knowledge) {
    const question = { knowledge: deps.knowledge, userId: user.id, conversationId: conversation.id, lang, text, state: current, offerHelp: deps.offerHelp };
    const pending = continuePending(question);
    const reply = pending ?? answerQuestion(question);
    return { ...base, ...reply, decision: knowledgeDecision(reply, pending ? `pending:${state.pending?.kind}` : 'knowledge search') };
  }
  return { ...base, replies: [{ type: 'text', text: t(lang, 'notUnderstood') }], state: current, decision: decision('clarify', 'nothing recognised') };
}

/** Commands the core answers by itself, whatever is in progress. */
const ANSWERED_BY_CORE = new Set<GlobalCommand['kind']>(['help', 'switch-language', 'greeting', 'thanks']);

/** Global intents of the classifier that mean a core command. */
const INTENT_COMMANDS: Record<string, GlobalCommand | undefined> = {
  help: { kind: 'help' },
  greeting: { kind: 'greeting' },
  thanks: { kind: 'thanks' },
  cancel: { kind: 'cancel' },
  agent: { kind: 'agent' },
};

function commandDecision(command: GlobalCommand, intent: RecognizedIntent | undefined): TurnDecision {
  const confidence = intent?.name ? intent.confidence : 1;
  if (command.kind === 'greeting' || command.kind === 'thanks') return decision('smalltalk', `command:${command.kind}`, { confidence });
  return decision('command', `command:${command.kind}`, { confidence });
}

/** The decision of a module that did not state one: read from what it did. */
function moduleDecision(name: string, reply: TurnReply, command: GlobalCommand | undefined, intent: RecognizedIntent | undefined): TurnDecision {
  const confidence = intent?.name ? intent.confidence : 1;
  if (name === 'handoff') return decision('relay', 'module:handoff', { confidence });
  const flow = flowIdOf(reply.state.flow);
  if (flow) return decision('flow', `module:${name}`, { flow, confidence, articles: shownArticles(reply.replies) });
  if (command?.kind === 'agent') return decision('handoff', `module:${name}`, { confidence });
  return decision('command', `module:${name}`, { confidence });
}

function knowledgeDecision(reply: { replies: OutboundMessage[]; state: ConversationState }, reason: string): TurnDecision {
  const articles = shownArticles(reply.replies, reply.state);
  const confidence = reply.replies.reduce((best, r) => (r.type === 'article' ? Math.max(best, r.confidence) : best), 0);
  if (reply.state.pending?.kind === 'article-choice') return decision('choose', reason, { articles, confidence });
  if (articles.length > 0) return decision('article', reason, { articles, confidence });
  return decision('clarify', reason, { confidence: 0 });
}

/** What the modules wait for, shown again after a core command. */
async function remind(deps: CoreDeps, ctx: TurnContext): Promise<OutboundMessage[]> {
  const replies: OutboundMessage[] = [];
  for (const module of deps.modules ?? []) replies.push(...((await module.remind?.(ctx)) ?? []));
  return replies;
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

function runCommand(
  command: GlobalCommand,
  ctx: { user: UserRecord; who: { externalId: string; displayName?: string }; state: ConversationState; lang: Lang },
): CommandOutput {
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
      // A user who never gave a name is stored under their platform id (a web visitor's random id can look like a word).
      const named = ctx.who.displayName ?? (user.displayName === ctx.who.externalId ? '' : user.displayName);
      const name = firstName(named);
      const key = state.greeted ? 'greetingAgain' : 'greeting';
      return {
        replies: [{ type: 'text', text: t(lang, key, { name: name ? ` ${name}` : '' }) }],
        state: { ...state, greeted: true },
        lang,
      };
    }
    case 'thanks':
      return { replies: [{ type: 'text', text: t(lang, 'thanks') }], state, lang };
    // Reached only when no module had anything in progress to stop or a person to call.
    case 'cancel':
      return { replies: [{ type: 'text', text: t(lang, 'nothingToCancel') }], state, lang };
    case 'restart':
      return { replies: [{ type: 'text', text: t(lang, 'startOver') }], state, lang };
    case 'agent':
      return { replies: [{ type: 'text', text: t(lang, 'noAgentHere') }], state, lang };
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

function cut(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH)} […]`;
}
