/**
 * One call of the engine in progress: a private copy of the state, the
 * replies and effects gathered so far, and small helpers to add to them. The
 * caller's state object is never changed.
 */
import type { Lang, Localized } from '../core/lang.ts';
import type { Choice, OutboundMessage } from '../core/messages.ts';
import { renderDiagnosis } from './diagnosis.ts';
import type { Flow } from './schema.ts';
import { render } from './template.ts';
import type { Asset, DiagnosisStep, Effect, FlowContext, FlowOutcome, FlowState, StepResult } from './types.ts';

export class Run {
  readonly state: FlowState;
  readonly replies: OutboundMessage[] = [];
  readonly effects: Effect[] = [];
  private outcome: FlowOutcome | undefined;

  constructor(
    readonly flow: Flow,
    state: FlowState,
    readonly ctx: FlowContext,
  ) {
    this.state = structuredClone(state);
  }

  get lang(): Lang {
    return this.ctx.lang;
  }

  /** A flow text with its placeholders filled, in the user's language. */
  fill(text: Localized): string {
    return render(this.flow, this.state.slots, text, this.lang);
  }

  text(text: string): void {
    this.replies.push({ type: 'text', text });
  }

  reply(message: OutboundMessage): void {
    this.replies.push(message);
  }

  choices(text: string, choices: Choice[]): void {
    this.replies.push(choices.length > 0 ? { type: 'choices', text, choices } : { type: 'text', text });
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  /** Adds a line to the diagnosis record, stamped with the context's time. */
  note(node: string, kind: DiagnosisStep['kind'], text: Localized, answer?: Localized): void {
    const step: DiagnosisStep = { node, kind, text, at: this.ctx.now.toISOString() };
    if (answer) step.answer = answer;
    this.state.diagnosis.steps.push(step);
  }

  /** Records a device as involved in the problem (once). */
  involve(asset: Asset): void {
    if (!this.state.diagnosis.assets.some((a) => a.tag === asset.tag)) this.state.diagnosis.assets.push(asset);
  }

  /** The diagnosis so far as text in the user's language. */
  diagnosisText(): string {
    return renderDiagnosis(this.flow, this.state.diagnosis, this.lang);
  }

  get ended(): boolean {
    return this.outcome !== undefined;
  }

  finish(outcome: FlowOutcome): void {
    this.outcome = outcome;
  }

  result(): StepResult {
    const result: StepResult = { state: this.ended ? null : this.state, replies: this.replies, effects: this.effects };
    if (this.outcome) result.outcome = this.outcome;
    return result;
  }
}
