/**
 * Guided flows in a conversation (a TurnModule): starts the flow whose intent
 * the core recognised, feeds each next message to the engine (after a
 * restart or an edit of the flow, through resumeFlow), and serves the global
 * commands inside a flow: cancel, restart, agent (the agent gets the
 * diagnosis so far), and the reminder of the current question after help or
 * a language switch.
 *
 * A message inside a flow that clearly asks something else (another flow's
 * intent with high confidence, or a question the knowledge base answers with
 * high confidence, when it is not an answer to the question) is not forced
 * into the flow: the user is asked whether to leave it. Outside a flow,
 * "agent" hands the conversation to a person with the last unanswered
 * question.
 *
 * State: `state.flow` is the engine's FlowState JSON; the leave question is
 * the core's `pending: leave-flow`.
 */
import { answerQuestion } from '../core/answer-question.ts';
import { fold, recognizeCommand, recognizeConfirmation } from '../core/commands.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { ConversationState } from '../core/state.ts';
import type { TurnContext, TurnModule, TurnReply } from '../core/turn-module.ts';
import { decision, shownArticles } from '../core/turn/decision.ts';
import { parseAnswer, parseYesNo } from './answers.ts';
import { cancelFlow, handOffFlow, promptAgain, resumeFlow, startFlow, step, ticketFromFlow } from './engine.ts';
import { handOffAlone, loadFacts, runFlowEffects, type EffectDeps, type Facts } from './flow-effects.ts';
import type { Flow, SlotType } from './schema.ts';
import { say } from '../texts/index.ts';
import type { FlowContext, FlowState, StepResult } from './types.ts';

export type { HandoffPort, IncidentReports } from './flow-effects.ts';

export interface FlowsModuleDeps extends EffectDeps {
  flows: readonly Flow[];
  /**
   * Values the first message gives, by slot type (src/nlu/entities.ts: the first error code,
   * the first asset tag): a flow's first question into a slot of that type takes them.
   */
  entities?: (text: string) => Partial<Record<SlotType, string>>;
  /** Confidence of another flow's intent above which a message in a flow is taken as asking something else (default 0.5). */
  leaveConfidence?: number;
  /** Confidence of a knowledge answer above which a message in a flow that is no answer is offered that answer (default 0.6). */
  leaveAnswerConfidence?: number;
}

const DEFAULT_LEAVE_CONFIDENCE = 0.5;
/** "ouvrir un ticket", "open a ticket", "créer un incident"… as a whole message (folded). */
const OPEN_TICKET = /^(?:(?:je veux |je voudrais |i want to |i'd like to |please |svp )?(?:ouvrir|ouvre|creer|cree|faire|open|create|raise|log|file) (?:un |a |an )?(?:nouveau |new )?(?:ticket|incident)|nouveau ticket|new ticket)(?: (?:svp|stp|please|maintenant|now))?$/;
const DEFAULT_LEAVE_ANSWER_CONFIDENCE = 0.6;

export function createFlowsModule(deps: FlowsModuleDeps): TurnModule {
  const byId = new Map(deps.flows.map((f) => [f.id, f]));
  const module = new FlowsModule(deps, byId);
  return {
    name: 'flows',
    handle: (ctx) => module.handle(ctx),
    remind: (ctx) => module.remind(ctx),
  };
}

class FlowsModule {
  constructor(
    private readonly deps: FlowsModuleDeps,
    private readonly byId: ReadonlyMap<string, Flow>,
  ) {}

  async handle(ctx: TurnContext): Promise<TurnReply | undefined> {
    if (ctx.action || !ctx.text) return undefined;
    return ctx.state.flow === undefined ? this.outside(ctx) : this.inside(ctx, ctx.state.flow);
  }

  /** The current question again, in the turn's language (after help or a language switch). */
  async remind(ctx: TurnContext): Promise<OutboundMessage[] | undefined> {
    if (ctx.state.flow === undefined) return undefined;
    const { fctx } = await this.context(ctx);
    const resumed = resumeFlow(this.deps.flows, ctx.state.flow, fctx);
    return resumed.kind === 'continue' ? promptAgain(resumed.flow, resumed.state, fctx).replies : undefined;
  }

  private async outside(ctx: TurnContext): Promise<TurnReply | undefined> {
    // "yes"/"no" to an article the knowledge base showed is the core's to read.
    if (ctx.state.pending?.kind === 'article-feedback' && recognizeConfirmation(ctx.text)) return undefined;
    const command = recognizeCommand(ctx.text);
    if (command?.kind === 'agent' || (!command && ctx.intent?.name === 'agent')) {
      const offered = ctx.state.pending?.kind === 'offer-help' ? ctx.state.pending.query : undefined;
      const replies = await handOffAlone(this.deps, ctx, offered);
      return replies ? { replies, state: { ...ctx.state, pending: undefined } } : undefined;
    }
    if (command) return undefined;
    const flow = ctx.intent?.name ? this.byId.get(ctx.intent.name) : undefined;
    if (!flow) return undefined;
    const { fctx, facts } = await this.context(ctx);
    const started = startFlow(flow, fctx, { text: ctx.text }, this.prefill(flow, ctx.text));
    if (ctx.urgent && started.state) started.state.urgent = true;
    const reply = await this.apply(ctx, facts, flow, undefined, started);
    // The guide decided this turn even when it ended in it (a ticket, a hand-over).
    const confidence = ctx.intent?.confidence ?? 1;
    return { ...reply, decision: decision('flow', `intent:${flow.id}`, { flow: flow.id, confidence, urgent: Boolean(ctx.urgent), articles: shownArticles(reply.replies) }) };
  }

  /** The slots of `flow` that the message already answers. */
  private prefill(flow: Flow, text: string): Record<string, string> {
    const found = this.deps.entities?.(text) ?? {};
    const values: Record<string, string> = {};
    for (const [slot, def] of Object.entries(flow.slots)) {
      const value = found[def.type];
      if (value !== undefined) values[slot] = value;
      // A choice the message already makes ("depuis chez moi" → home, "compte bloqué" → locked): its value.
      if (def.type === 'choice' && !/^\s*\d{1,2}\s*$/.test(text)) {
        const chosen = parseAnswer(def, text, { assets: [] });
        if (typeof chosen === 'string') values[slot] = chosen;
      }
    }
    return values;
  }

  private async inside(ctx: TurnContext, saved: unknown): Promise<TurnReply> {
    const { fctx, facts } = await this.context(ctx);
    const resumed = resumeFlow(this.deps.flows, saved, fctx);
    if (resumed.kind === 'gone') return this.apply(ctx, facts, undefined, undefined, resumed.result);
    if (resumed.kind === 'restarted') return this.apply(ctx, facts, resumed.flow, undefined, resumed.result);
    const { flow, state } = resumed;

    const command = recognizeCommand(ctx.text);
    switch (command?.kind) {
      case 'cancel':
        return this.apply(ctx, facts, flow, state, cancelFlow(flow, state, fctx));
      case 'agent':
        return this.apply(ctx, facts, flow, state, handOffFlow(flow, state, fctx));
      case 'restart': {
        const again = startFlow(flow, fctx, { text: String(state.slots['utterance'] ?? '') });
        return this.apply(ctx, facts, flow, state, lead(again, say(ctx.lang, 'flows.restartedByUser')));
      }
      default:
        break;
    }
    // "Open a ticket" mid-flow: the ticket carries the diagnosis so far (the ticket module leaves it to us in a flow).
    if (OPEN_TICKET.test(fold(ctx.text))) return this.apply(ctx, facts, flow, state, ticketFromFlow(flow, state, fctx));

    const pending = ctx.state.pending;
    if (pending?.kind === 'leave-flow') {
      const answer = parseYesNo(ctx.text);
      if (answer === 'yes') return this.leave(ctx, facts, fctx, flow, pending.target, pending.text);
      const cleared = { ...ctx, state: { ...ctx.state, pending: undefined } };
      if (answer === 'no') {
        const resumedStep = pending.accepted ? step(flow, state, { text: pending.text }, fctx) : lead(promptAgain(flow, state, fctx), say(ctx.lang, 'flows.continuing'));
        return this.apply(cleared, facts, flow, state, resumedStep);
      }
      ctx = cleared; // anything else: the question lapses, the message is read as usual
    }

    const trial = step(flow, state, { text: ctx.text }, fctx);
    const accepted = tookAnswer(state, trial);
    const other = this.otherFlow(ctx, flow);
    if (accepted && !(other && waitsForFreeText(flow, state))) return this.apply(ctx, facts, flow, state, trial);
    if (!accepted && ctx.intent?.name === 'agent') return this.apply(ctx, facts, flow, state, handOffFlow(flow, state, fctx));
    if (other) return this.offerLeave(ctx, flow, state, other, accepted);
    if (!accepted && this.knowledgeAnswers(ctx)) return this.offerLeave(ctx, flow, state, null, false);
    return this.apply(ctx, facts, flow, state, trial);
  }

  /** Another flow the message clearly asks for, if any. */
  private otherFlow(ctx: TurnContext, current: Flow): Flow | undefined {
    const intent = ctx.intent;
    if (!intent?.name || intent.name === current.id) return undefined;
    if (intent.confidence < (this.deps.leaveConfidence ?? DEFAULT_LEAVE_CONFIDENCE)) return undefined;
    return this.byId.get(intent.name);
  }

  private knowledgeAnswers(ctx: TurnContext): boolean {
    const found = this.deps.knowledge?.answer(ctx.text, { lang: ctx.lang });
    return found?.kind === 'answer' && found.confidence >= (this.deps.leaveAnswerConfidence ?? DEFAULT_LEAVE_ANSWER_CONFIDENCE);
  }

  private offerLeave(ctx: TurnContext, flow: Flow, state: FlowState, target: Flow | null, accepted: boolean): TurnReply {
    const lang = ctx.lang;
    const other = target ? say(lang, 'flows.leaveForFlow', { title: target.title[lang] }) : say(lang, 'flows.leaveForAnswer');
    return {
      replies: [
        {
          type: 'choices',
          text: say(lang, 'flows.leaveQuestion', { current: flow.title[lang], other }),
          choices: [
            { label: say(lang, 'flows.leaveYes'), value: 'yes' },
            { label: say(lang, 'flows.leaveNo'), value: 'no' },
          ],
        },
      ],
      state: { ...ctx.state, flow: state, pending: { kind: 'leave-flow', target: target?.id ?? null, text: ctx.text, accepted } },
    };
  }

  /** Leaves the current flow for another one, or for the knowledge base's answer to `text`. */
  private async leave(ctx: TurnContext, facts: Facts, fctx: FlowContext, flow: Flow, targetId: string | null, text: string): Promise<TurnReply> {
    const left: OutboundMessage = { type: 'text', text: say(ctx.lang, 'flows.left', { title: flow.title[ctx.lang] }) };
    const fresh: TurnContext = { ...ctx, text, state: { ...ctx.state, flow: undefined, pending: undefined } };
    const target = targetId ? this.byId.get(targetId) : undefined;
    if (target) {
      const reply = await this.apply(fresh, facts, target, undefined, startFlow(target, fctx, { text }, this.prefill(target, text)));
      return { ...reply, replies: [left, ...reply.replies] };
    }
    if (!this.deps.knowledge) return { replies: [left], state: fresh.state };
    const answered = answerQuestion({
      knowledge: this.deps.knowledge,
      userId: ctx.user.id,
      conversationId: ctx.conversationId,
      lang: ctx.lang,
      text,
      state: fresh.state,
      offerHelp: this.deps.desk !== undefined,
    });
    return { replies: [left, ...answered.replies], state: answered.state, effects: answered.effects };
  }

  private async apply(ctx: TurnContext, facts: Facts, flow: Flow | undefined, before: FlowState | undefined, result: StepResult): Promise<TurnReply> {
    const done = await runFlowEffects(this.deps, ctx, facts, flow, before, result.effects);
    const state: ConversationState = { ...ctx.state, pending: undefined, flow: result.state ?? undefined };
    return { replies: [...result.replies, ...done.replies], state, effects: done.effects };
  }

  private async context(ctx: TurnContext): Promise<{ fctx: FlowContext; facts: Facts }> {
    const facts = await loadFacts(this.deps, ctx.user.id, ctx.created?.user);
    const knowledge = this.deps.knowledge;
    const fctx: FlowContext = {
      lang: ctx.lang,
      now: ctx.now,
      ...(this.deps.timeZone ? { timeZone: this.deps.timeZone } : {}),
      user: { id: ctx.user.id, displayName: ctx.user.displayName },
      facts: { assets: facts.assets, openMajorIncidents: facts.openMajorIncidents },
      search: (query, options) => (knowledge ? knowledge.answer(query, options) : { kind: 'none' }),
    };
    return { fctx, facts };
  }
}

/** True when the step took the message as an answer (the flow moved, ended, or recorded something). */
function tookAnswer(before: FlowState, after: StepResult): boolean {
  if (!after.state) return true;
  if (after.state.nodeId !== before.nodeId) return true;
  return JSON.stringify(after.state.diagnosis) !== JSON.stringify(before.diagnosis) || JSON.stringify(after.state.pending) !== JSON.stringify(before.pending);
}

/** The flow waits for free text: any message fits, so only a strong other intent questions it. */
function waitsForFreeText(flow: Flow, state: FlowState): boolean {
  const node = flow.nodes[state.nodeId];
  return node?.kind === 'ask' && flow.slots[node.slot]?.type === 'text' && state.pending === null;
}

/** The step's replies after a line of ours. */
function lead(result: StepResult, text: string): StepResult {
  return { ...result, replies: [{ type: 'text', text }, ...result.replies] };
}
