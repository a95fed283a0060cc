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
import { fold, recognizeCommand, recognizeConfirmation, type GlobalCommand } from './commands.ts';
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
import type { ConversationState } from './state.ts';
import type { TicketDesk } from './tickets.ts';
import { say } from '../texts/index.ts';
import type { TurnContext, TurnModule, TurnReply } from './turn-module.ts';
import { articleBeatsGuide } from './turn/article-first.ts';
import { routeFirstMessage, type RoutingSettings } from './turn/router.ts';
import { urgencyCue, } from './turn/safety.ts';
import { twoProblems, type TwoProblems } from './turn/two-problems.ts';
import { withUrgency } from './turn/decision.ts';
import { ANSWERED_BY_CORE, INTENT_COMMANDS, runCommand } from './turn/core-commands.ts';
import { decision, flowIdOf, type TurnDecision } from './turn/decision.ts';
import { commandDecision, knowledgeDecision, moduleDecision } from './turn/decide.ts';

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
  const note: OutboundMessage[] = told ? [] : [{ type: 'text', text: say(out.lang, 'core.fileHeld', { files: quotedNames(current, out.lang) }) }];
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
    return { ...base, replies: [{ type: 'text', text: say(lang, 'core.emptyMessage') }], state: next, decision: decision('clarify', 'empty message') };
  }
  const inFlow = state.flow !== undefined;
  const exact = text ? recognizeCommand(text) : undefined;
  let command = exact;
  const folded = fold(text);
  const split = text && !command && !inFlow && !state.pending && deps.intents ? twoProblems(text, lang, deps.intents) : undefined;
  const intent = split?.first ?? (text && !command ? deps.intents?.recognize(text, lang) : undefined);
  const urgent = text ? urgencyCue(folded) : undefined;
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
    ...(urgent ? { urgent: true } : {}),
  });

  // A file alone in a guided diagnosis is no answer to its question: kept for its ticket, the question asked again.
  if (!text && !msg.action && inFlow) {
    return { ...base, replies: await remind(deps, ctx({ text, state: next })), state: next, decision: decision('flow', 'file in a flow', { flow: flowIdOf(state.flow) }) };
  }

  const modules = deps.modules ?? [];
  const relays = modules.filter((m) => RELAY_MODULES.has(m.name));
  const core = async (found: GlobalCommand): Promise<TurnOutput> => {
    const out = runCommand(found, { user, who: msg.user, state: { ...next, pending: undefined }, lang, text, forced: msg.lang !== undefined });
    const reminders = await remind(deps, ctx({ text, state: out.state, lang: out.lang }));
    return { ...out, replies: [...out.replies, ...reminders], inboundText, effects: [], decision: commandDecision(found, intent) };
  };
  // A security incident a guide handles: the guide starts at once, urgent, after the advice.
  const guide = async (flow: string, routed: { replies: OutboundMessage[]; decision: TurnDecision }): Promise<TurnOutput | undefined> => {
    const asked = { ...ctx({ text, state: next }), intent: { name: flow, confidence: 1 }, urgent: true };
    for (const module of modules.filter((m) => !RELAY_MODULES.has(m.name))) {
      const reply = await module.handle(asked);
      if (reply) return { ...base, replies: [...routed.replies, ...reply.replies], state: reply.state, effects: reply.effects ?? [], decision: routed.decision };
    }
    return undefined;
  };
  // Help, language, greeting and thanks are the core's own, at every point; a flow in progress is then recalled.
  if (exact && ANSWERED_BY_CORE.has(exact.kind)) return core(exact);
  // A live conversation with an agent owns every other message.
  for (const module of relays) {
    const reply = await module.handle(ctx({ text, state: next }));
    if (reply) return { ...base, replies: reply.replies, state: reply.state, effects: reply.effects ?? [], decision: reply.decision ?? moduleDecision(module.name, reply, command, intent) };
  }
  // With nothing in progress: safety, outage questions, small talk, other departments, too vague.
  if (text && !exact && !inFlow && !state.pending && state.ticketChat === undefined) {
    const routed = await routeFirstMessage({
      text, folded, lang, user, conversationId: conversation.id, origin: `${msg.channel}:${msg.deliveryId}`,
      ...(intent ? { intent } : {}), ...(deps.desk ? { desk: deps.desk } : {}),
      settings: deps.routing ?? { otherServices: [] }, takeFiles: files.take, keepFiles: files.keep,
    });
    if (routed?.guide) {
      const guided = await guide(routed.guide, routed);
      if (guided) return guided;
    } else if (routed) {
      return { ...base, replies: routed.replies, state: { ...next, pending: undefined }, effects: routed.effects ?? [], decision: withUrgency(routed.decision, urgent) };
    }
  }
  // A clear article beats a weak guess at a guide (or at a paraphrased command).
  if (text && !exact && !inFlow && !state.pending && state.ticketChat === undefined && deps.knowledge) {
    const found = deps.knowledge.answer(text, { lang });
    if (articleBeatsGuide(found, intent, folded)) {
      const reply = answerQuestion({ knowledge: deps.knowledge, userId: user.id, conversationId: conversation.id, lang, text, state: next, offerHelp: deps.offerHelp });
      const decided = knowledgeDecision(reply, `article beats ${intent?.name ?? 'nothing'} (${intent?.confidence.toFixed(2) ?? '0'})`);
      return { ...base, ...reply, decision: withUrgency(decided, urgent) };
    }
  }
  if (command && ANSWERED_BY_CORE.has(command.kind)) return core(command);
  // Modules first: the one running something (a flow, a ticket question) owns cancel, restart and "agent" too.
  // The words as typed go first (an agent's "resolve #1042: …" is theirs); a paraphrase of a ticket command
  // ("où en est le 1042" → "statut #1042") is tried when no module took the words themselves.
  const rewritten = paraphrase && !command && intent?.rewrite && intent.rewrite !== text ? intent.rewrite : undefined;
  for (const moduleText of rewritten ? [text, rewritten] : [text]) {
    for (const module of modules.filter((m) => !RELAY_MODULES.has(m.name))) {
      const reply = await module.handle(ctx({ text: moduleText, state: next }));
      if (!reply) continue;
      const decided = withUrgency(reply.decision ?? moduleDecision(module.name, reply, command, intent), urgent);
      const lead = leadLines(lang, decided, split, Boolean(urgent) && !inFlow);
      return { ...base, replies: [...lead, ...reply.replies], state: reply.state, effects: reply.effects ?? [], decision: decided };
    }
  }
  // A flow nobody resumed (flows switched off since): forget it.
  const current: ConversationState = inFlow ? { ...next, flow: undefined } : next;
  if (command) {
    return { ...runCommand(command, { user, who: msg.user, state: { ...current, pending: undefined }, lang }), inboundText, effects: [], decision: commandDecision(command, intent) };
  }
  if (!text) {
    return { ...base, replies: [{ type: 'text', text: say(lang, files.current.length > 0 ? 'core.fileNotKept' : 'core.notUnderstood') }], state: current, decision: decision('clarify', 'no text') };
  }
  for (const handler of deps.commands ?? []) {
    const replies = await handler.handle({ user, lang, text, conversationId: conversation.id });
    if (replies) return { ...base, replies, state: { ...current, pending: undefined }, decision: decision('command', 'command:module') };
  }
  if (deps.knowledge) {
    const question = { knowledge: deps.knowledge, userId: user.id, conversationId: conversation.id, lang, text, state: current, offerHelp: deps.offerHelp };
    const pending = continuePending(question);
    const reply = pending ?? answerQuestion(question);
    return { ...base, ...reply, decision: withUrgency(knowledgeDecision(reply, pending ? `pending:${state.pending?.kind}` : 'knowledge search'), urgent) };
  }
  return { ...base, replies: [{ type: 'text', text: say(lang, 'core.notUnderstood') }], state: current, decision: decision('clarify', 'nothing recognised') };
}

/** Modules that own a live conversation with a person: they take the turn before anything but the core's commands. */
const RELAY_MODULES = new Set(['handoff']);

/** What Guichet says before a module's answer: two problems noticed, urgency noted when a guide starts. */
function leadLines(lang: Lang, decided: TurnDecision, split: TwoProblems | undefined, urgentStart: boolean): OutboundMessage[] {
  const lines: OutboundMessage[] = [];
  if (split && decided.route === 'flow') lines.push({ type: 'text', text: say(lang, 'conversation.twoProblems', { first: split.firstTitle[lang], second: split.secondTitle[lang] }) });
  if (urgentStart && decided.route === 'flow') lines.push({ type: 'text', text: say(lang, 'conversation.urgentNoted') });
  return lines;
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
