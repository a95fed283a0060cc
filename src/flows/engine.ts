/**
 * The flow engine: pure functions from (flow, state, user message, context)
 * to (new state, replies, effects). It does no I/O and keeps no state of its
 * own; the core stores the state with the conversation and carries out the
 * effects through its ports.
 *
 * A conversation in a flow goes: `startFlow` when the intent is recognised,
 * then on each message `resumeFlow` (the stored JSON against the flows loaded
 * now, which may have been edited) and `step`. `cancelFlow` and `handOffFlow`
 * serve the global commands (cancel, agent) so that the agent still gets the
 * diagnosis. User input never makes these throw; a state that does not belong
 * to the flow given is a programmer error and does.
 */
import { GuichetError } from '../core/errors.ts';
import { advance, handOff } from './advance.ts';
import { emptyDiagnosis } from './diagnosis.ts';
import { repeatPrompt } from './prompts.ts';
import { Run } from './run.ts';
import type { Flow, FlowNode } from './schema.ts';
import { takeInput } from './take-input.ts';
import { both, say } from '../texts/index.ts';
import { flowStateSchema, type FlowContext, type FlowInput, type FlowState, type StepResult } from './types.ts';

/**
 * Starts `flow`; `input` is the message that triggered it (kept as the `{utterance}` slot).
 * `prefill`: values found in that message, by slot; the first question into such a slot
 * takes the value (if it fits the slot) instead of being asked.
 */
export function startFlow(flow: Flow, ctx: FlowContext, input: FlowInput = { text: '' }, prefill: Record<string, string> = {}): StepResult {
  const state: FlowState = {
    flowId: flow.id,
    flowVersion: flow.version,
    nodeId: flow.start,
    slots: { utterance: input.text.trim() },
    diagnosis: emptyDiagnosis(),
    retries: 0,
    pending: null,
  };
  const known = Object.fromEntries(Object.entries(prefill).filter(([slot]) => slot in flow.slots));
  if (Object.keys(known).length > 0) state.prefill = known;
  const run = new Run(flow, state, ctx);
  advance(run, flow.start);
  return run.result();
}

/** Takes the user's next message. `state` must come from this flow's version (see resumeFlow). */
export function step(flow: Flow, state: FlowState, input: FlowInput, ctx: FlowContext): StepResult {
  const node = waitingNode(flow, state);
  const run = new Run(flow, state, ctx);
  takeInput(run, node, input.text.trim());
  return run.result();
}

/** Stops the flow at the user's request (global "cancel"). */
export function cancelFlow(flow: Flow, state: FlowState, ctx: FlowContext): StepResult {
  waitingNode(flow, state);
  const run = new Run(flow, state, ctx);
  run.text(say(ctx.lang, 'flows.cancelled'));
  run.finish('cancelled');
  return run.result();
}

/** Hands the conversation to a human now (global "agent"), with the diagnosis so far. */
export function handOffFlow(flow: Flow, state: FlowState, ctx: FlowContext, reason = say(ctx.lang, 'flows.userAskedAgent')): StepResult {
  waitingNode(flow, state);
  const run = new Run(flow, state, ctx);
  handOff(run, reason);
  return run.result();
}

/**
 * Ends the flow with a ticket at the user's request ("open a ticket" mid-flow): the
 * flow's default ticket, titled with the flow, its description the user's first
 * message then the diagnosis so far.
 */
export function ticketFromFlow(flow: Flow, state: FlowState, ctx: FlowContext): StepResult {
  waitingNode(flow, state);
  const run = new Run(flow, state, ctx);
  const defaults = flow['ticket-defaults'];
  const utterance = String(state.slots['utterance'] ?? '');
  run.note(state.nodeId, 'finding', both('flows.find.userAskedTicket'));
  run.effect({
    kind: 'create-ticket',
    ticket: {
      type: defaults.type,
      category: defaults.category,
      serviceId: flow.service,
      impact: defaults.impact,
      urgency: defaults.urgency,
      title: flow.title[ctx.lang],
      description: `${say(ctx.lang, 'flows.userAskedTicket', { utterance })}\n\n${run.diagnosisText()}`,
      diagnosis: structuredClone(run.state.diagnosis),
      flowId: flow.id,
    },
  });
  run.text(say(ctx.lang, 'flows.ticketCreated'));
  run.finish('ticket');
  return run.result();
}

/**
 * What the flow waits for, asked again as it was (in `ctx.lang`, which may
 * have changed): after help, a language switch, or "let's go on".
 * `state` must come from this flow's version (see resumeFlow).
 */
export function promptAgain(flow: Flow, state: FlowState, ctx: FlowContext): StepResult {
  const node = waitingNode(flow, state);
  const run = new Run(flow, state, ctx);
  repeatPrompt(run, node);
  return run.result();
}

export type Resumed =
  /** Go on with `step(flow, state, …)`; `state` carries the flow's current version. */
  | { kind: 'continue'; flow: Flow; state: FlowState }
  /** The flow changed under the conversation: the user was told and the flow started again (reply already in `result`). */
  | { kind: 'restarted'; flow: Flow; result: StepResult }
  /** The flow no longer exists or the state is unreadable: the user was asked to start over. */
  | { kind: 'gone'; result: StepResult };

/**
 * Matches a stored state with the flows loaded now. Same version, or a newer
 * version where the node it waits at still exists and still waits for the
 * same kind of answer: continue. Otherwise restart the flow politely.
 */
export function resumeFlow(flows: readonly Flow[], saved: unknown, ctx: FlowContext): Resumed {
  const parsed = flowStateSchema.safeParse(saved);
  const flow = parsed.success ? flows.find((f) => f.id === parsed.data.flowId) : undefined;
  if (!parsed.success || !flow) {
    return { kind: 'gone', result: { state: null, replies: [{ type: 'text', text: say(ctx.lang, 'flows.gone') }], effects: [], outcome: 'cancelled' } };
  }
  const state = parsed.data;
  if (waitsAt(flow, state)) return { kind: 'continue', flow, state: { ...state, flowVersion: flow.version } };
  const started = startFlow(flow, ctx, { text: String(state.slots['utterance'] ?? '') });
  return { kind: 'restarted', flow, result: { ...started, replies: [{ type: 'text', text: say(ctx.lang, 'flows.restarted') }, ...started.replies] } };
}

/** True when the state's node exists in `flow` and waits for what the state's pending part expects. */
function waitsAt(flow: Flow, state: FlowState): boolean {
  const node: FlowNode | undefined = flow.nodes[state.nodeId];
  if (!node) return false;
  switch (state.pending?.kind) {
    case undefined:
      return (node.kind === 'ask' && node.slot in flow.slots) || (node.kind === 'end' && node.outcome === 'resolved');
    case 'choose-article':
    case 'confirm-article':
      return node.kind === 'search';
    case 'confirm-incident':
      return node.kind === 'check' && node.check === 'major-incident';
  }
}

function waitingNode(flow: Flow, state: FlowState): FlowNode {
  if (state.flowId !== flow.id || state.flowVersion !== flow.version) {
    throw new GuichetError(
      'flows.wrong-state',
      `flows: state of "${state.flowId}" v${state.flowVersion} given with flow "${flow.id}" v${flow.version} (call resumeFlow first)`,
    );
  }
  const node = flow.nodes[state.nodeId];
  if (!node || !waitsAt(flow, state)) {
    throw new GuichetError('flows.wrong-state', `flows: flow "${flow.id}" does not wait at node "${state.nodeId}" (call resumeFlow first)`);
  }
  return node;
}
