/**
 * The turn router: one decision per message, in the order of precedence of
 * docs/architecture.md ("Turn routing"). A live relay or an escalation card's
 * thread (whatever the words); the core's own commands (help, language,
 * greeting, thanks) at every point; the modules' commands and questions; a question in
 * progress (with safety and outage questions still first); with nothing in
 * progress, safety, outage, small talk, other departments and vague messages;
 * a clear article over a weak guess; then the modules (ticket commands,
 * guides), the admins' commands and the knowledge base.
 */
import { answerQuestion, continuePending, type Effect } from '../answer-question.ts';
import { fold, recognizeCommand, recognizeConfirmation, type GlobalCommand } from '../commands.ts';
import type { CoreDeps, TurnOutput } from './types.ts';
import { MAX_TEXT_LENGTH } from '../messages.ts';
import type { Lang, Localized } from '../lang.ts';
import type { InboundFile, OutboundMessage, ParsedInbound } from '../messages.ts';
import type { ConversationRecord, UserRecord } from '../ports.ts';
import type { ConversationState } from '../state.ts';
import type { TurnContext } from '../turn-module.ts';
import { say } from '../../texts/index.ts';
import { articleBeatsGuide } from './article-first.ts';
import { ANSWERED_BY_CORE, INTENT_COMMANDS, runCommand } from './core-commands.ts';
import { decision, flowIdOf, withUrgency, type TurnDecision } from './decision.ts';
import { commandDecision, knowledgeDecision, moduleDecision } from './decide.ts';
import { routeFirstMessage } from './router.ts';
import { urgencyCue } from './safety.ts';
import { bestPart, twoProblems, type TwoProblems } from './two-problems.ts';

/** Words of a message that answers a question and keeps the conversation's language. */
const SHORT_ANSWER_WORDS = 2;

export async function respondTo(
  deps: CoreDeps,
  msg: ParsedInbound,
  user: UserRecord,
  conversation: ConversationRecord,
  files: { current: InboundFile[]; take: () => InboundFile[]; keep: () => void },
  typedSecrets: readonly string[] = [],
  created?: TurnContext['created'],
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
  const whole = split?.first ?? (text && !command ? deps.intents?.recognize(text, lang) : undefined);
  // A message whose whole names no guide may name one in a clause ("compte bloqué, j'ai une visio dans 10 min").
  const part = whole && !whole.name && !inFlow && !state.pending && deps.intents ? bestPart(text, lang, deps.intents) : undefined;
  const intent = part ?? whole;
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
    ...(typedSecrets.length > 0 ? { typedSecrets } : {}),
    ...(created ? { created } : {}),
  });

  // A file alone in a guided diagnosis is no answer to its question: kept for its ticket, the question asked again.
  if (!text && !msg.action && inFlow) {
    return { ...base, replies: await remind(deps, ctx({ text, state: next })), state: next, decision: decision('flow', 'file in a flow', { flow: flowIdOf(state.flow) }) };
  }

  const modules = deps.modules ?? [];
  const owners = modules.filter((m) => !GUIDE_MODULES.has(m.name));
  const guides = modules.filter((m) => GUIDE_MODULES.has(m.name));
  const core = async (found: GlobalCommand): Promise<TurnOutput> => {
    const out = runCommand(found, { user, who: msg.user, state: { ...next, pending: undefined }, lang, text, forced: msg.lang !== undefined });
    const reminders = await remind(deps, ctx({ text, state: out.state, lang: out.lang }));
    return { ...out, replies: [...out.replies, ...reminders], inboundText, effects: [], decision: commandDecision(found, intent) };
  };
  // A security incident a guide handles: the guide starts at once, urgent, after the advice.
  const guide = async (flow: string, routed: { replies: OutboundMessage[]; decision: TurnDecision }): Promise<TurnOutput | undefined> => {
    const asked = { ...ctx({ text, state: next }), intent: { name: flow, confidence: 1 }, urgent: true };
    for (const module of guides) {
      const reply = await module.handle(asked);
      if (reply) return { ...base, replies: [...routed.replies, ...reply.replies], state: reply.state, effects: reply.effects ?? [], decision: routed.decision };
    }
    return undefined;
  };
  // A live relay and an escalation card's thread own every message, whatever its words (a greeting is for the person).
  for (const module of modules) {
    const held = await module.owns?.(ctx({ text, state: next }));
    if (held) return { ...base, replies: held.replies, state: held.state, effects: held.effects ?? [], decision: held.decision ?? decision('relay', `${module.name}:owned`) };
  }
  // Help, language, greeting and thanks are the core's own, at every point; a flow in progress is then recalled.
  if (exact && ANSWERED_BY_CORE.has(exact.kind)) return core(exact);
  // "Shall we look at your other problem?" (the second of two problems, once the first guide is over).
  const queued = state.nextProblem?.offered ? state.nextProblem : undefined;
  if (queued) {
    next.nextProblem = undefined;
    const answer = recognizeConfirmation(text);
    if (answer === 'no') return { ...base, replies: [{ type: 'text', text: say(lang, 'conversation.nextProblemDropped') }], state: next, decision: decision('smalltalk', 'next problem declined') };
    if (answer === 'yes') {
      const asked = { ...ctx({ text: queued.text, state: next }), intent: { name: queued.flow, confidence: 1 } };
      for (const module of guides) {
        const reply = await module.handle(asked);
        if (reply) return { ...base, replies: reply.replies, state: reply.state, effects: reply.effects ?? [], decision: decision('flow', 'next problem', { flow: queued.flow }) };
      }
    }
  }
  // The modules' exact commands and questions (agents' commands, my tickets, status, "is it fixed?", approvals, a
  // requester waiting for an agent) own every other message.
  for (const module of owners) {
    const reply = await module.handle(ctx({ text, state: next }));
    if (reply) return { ...base, replies: reply.replies, state: reply.state, effects: reply.effects ?? [], decision: reply.decision ?? moduleDecision(module.name, reply, command, intent) };
  }
  // Prefixed commands (an admin's "kb search vpn", "glpi retry") are exact too: before any guess at a guide from their words.
  if (text) {
    for (const handler of deps.commands ?? []) {
      const replies = await handler.handle({ user, lang, text, conversationId: conversation.id });
      if (replies) return { ...base, replies, state: { ...next, pending: undefined }, decision: decision('command', 'command:module') };
    }
  }
  // A question in progress: a security incident still comes first (the guide is left), an outage question is
  // answered and the question asked again.
  if (text && !exact && (inFlow || state.pending || state.ticketChat !== undefined)) {
    const routed = await routeFirstMessage({
      text, folded, lang, user, conversationId: conversation.id, origin: `${msg.channel}:${msg.deliveryId}`, midFlow: true,
      ...(deps.desk ? { desk: deps.desk } : {}), settings: deps.routing ?? { otherServices: [] }, takeFiles: files.take, keepFiles: files.keep,
    });
    if (routed && routed.decision.route === 'outage') {
      const reminders = await remind(deps, ctx({ text, state: next }));
      return { ...base, replies: [...routed.replies, ...reminders], state: next, decision: routed.decision };
    }
    if (routed && !routed.guide) {
      return { ...base, replies: routed.replies, state: { ...next, flow: undefined, pending: undefined }, effects: routed.effects ?? [], decision: routed.decision };
    }
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
    if (articleBeatsGuide(found, intent, folded, intent?.name ? deps.intents?.service?.(intent.name) : undefined)) {
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
    for (const module of moduleText === text ? guides : modules) {
      const reply = await module.handle(ctx({ text: moduleText, state: next }));
      if (!reply) continue;
      const decided = withUrgency(reply.decision ?? moduleDecision(module.name, reply, command, intent, state.flow), urgent);
      const lead = leadLines(lang, decided, split, Boolean(urgent) && !inFlow);
      const after = split && decided.route === 'flow' ? { ...reply.state, nextProblem: { flow: split.second.name, text: split.second.text, offered: false } } : reply.state;
      const offer = offerNextProblem(lang, after, inFlow || Boolean(split), deps.intents?.title);
      return { ...base, replies: [...lead, ...reply.replies, ...offer.replies], state: offer.state, effects: reply.effects ?? [], decision: decided };
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
  if (deps.knowledge) {
    const question = { knowledge: deps.knowledge, userId: user.id, conversationId: conversation.id, lang, text, state: current, offerHelp: deps.offerHelp };
    const pending = continuePending(question);
    const reply = pending ?? answerQuestion(question);
    return { ...base, ...reply, decision: withUrgency(knowledgeDecision(reply, pending ? `pending:${state.pending?.kind}` : 'knowledge search'), urgent) };
  }
  return { ...base, replies: [{ type: 'text', text: say(lang, 'core.notUnderstood') }], state: current, decision: decision('clarify', 'nothing recognised') };
}

/**
 * Modules that start guides from the classifier: they come after safety and the other first-message routes.
 * The others (handoff relay, agents' commands, tickets) take the turn before anything but the core's commands.
 */
const GUIDE_MODULES = new Set(['flows']);

/** What Guichet says before a module's answer: two problems noticed, urgency noted when a guide starts. */
function leadLines(lang: Lang, decided: TurnDecision, split: TwoProblems | undefined, urgentStart: boolean): OutboundMessage[] {
  const lines: OutboundMessage[] = [];
  if (split && decided.route === 'flow') lines.push({ type: 'text', text: say(lang, 'conversation.twoProblems', { first: split.firstTitle[lang], second: split.secondTitle[lang] }) });
  if (urgentStart && decided.route === 'flow') lines.push({ type: 'text', text: say(lang, 'conversation.urgentNoted') });
  return lines;
}

/**
 * Once the guide of the first of two problems is over (no guide running, nothing asked), "shall we look at
 * your other problem?" with yes/no; the answer is taken at the start of the next turn.
 */
function offerNextProblem(lang: Lang, state: ConversationState, wasGuided: boolean, title?: (flow: string) => Localized | undefined): { replies: OutboundMessage[]; state: ConversationState } {
  const queued = state.nextProblem;
  if (!queued || queued.offered || !wasGuided || state.flow !== undefined || state.pending) return { replies: [], state };
  const replies: OutboundMessage[] = [
    {
      type: 'choices',
      text: say(lang, 'conversation.nextProblem', { title: title?.(queued.flow)?.[lang] ?? queued.text }),
      choices: [
        { label: say(lang, 'conversation.nextProblemYes'), value: 'yes' },
        { label: say(lang, 'conversation.nextProblemNo'), value: 'no' },
      ],
    },
  ];
  return { replies, state: { ...state, nextProblem: { ...queued, offered: true } } };
}

/** What the modules wait for, shown again after a core command. */
async function remind(deps: CoreDeps, ctx: TurnContext): Promise<OutboundMessage[]> {
  const replies: OutboundMessage[] = [];
  for (const module of deps.modules ?? []) replies.push(...((await module.remind?.(ctx)) ?? []));
  return replies;
}

function cut(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH)} […]`;
}
