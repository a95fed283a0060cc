/**
 * Entering nodes: from a target, run every node that needs no answer (say,
 * branch, checks, ticket, a search with no article) until one waits for the
 * user (ask, an article shown, an outage to confirm, "is it working now?") or
 * the flow ends. Load-time checks guarantee targets exist and that no loop
 * spins without a user message, so a failure here is a programmer error.
 */
import { GuichetError } from '../core/errors.ts';
import { NONE, parseAnswer } from './answers.ts';
import { shorten } from './diagnosis.ts';
import { askPrompt, confirmPrompt, incidentPrompt, showArticle, chooseArticlePrompt } from './prompts.ts';
import type { Run } from './run.ts';
import type { AskNode, BranchNode, Condition, EndNode, FlowNode, MajorIncidentNode, SearchNode, TicketNode, UserAssetsNode } from './schema.ts';
import { displayBoth, displayValue, renderBoth, renderQuery } from './template.ts';
import { both, say } from '../texts/index.ts';
import type { SlotValue, TicketDraft } from './types.ts';

/** More automatic hops than any sane flow has; only reached if the graph checks were bypassed. */
const MAX_HOPS = 200;

/**
 * Goes to `target` and on. `confirmed`: the user just said an article fixed
 * the problem, so an `end: resolved` reached without another question ends
 * at once instead of asking again.
 */
export function advance(run: Run, target: string, confirmed = false): void {
  let next: string | undefined = target;
  for (let hops = 0; next !== undefined; hops += 1) {
    if (hops > MAX_HOPS) throw new GuichetError('flows.loop', `flows: flow "${run.flow.id}" (${run.flow.file}) ran ${MAX_HOPS} nodes without a question`);
    const name: string = next;
    const node: FlowNode | undefined = run.flow.nodes[name];
    if (!node) throw new GuichetError('flows.unknown-node', `flows: flow "${run.flow.id}" has no node "${name}"`);
    Object.assign(run.state, { nodeId: name, pending: null, retries: 0 });
    switch (node.kind) {
      case 'say':
        run.text(run.fill(node.text));
        run.note(name, 'advice', shorten(renderBoth(run.flow, run.state.slots, node.text)));
        next = node.next;
        break;
      case 'ask':
        if (!takePrefilled(run, node)) askPrompt(run, node);
        return;
      case 'search':
        next = enterSearch(run, name, node);
        break;
      case 'check':
        next = node.check === 'major-incident' ? enterIncidentCheck(run, node) : enterAssetCheck(run, name, node);
        break;
      case 'branch':
        next = chooseBranch(run.state.slots, node);
        break;
      case 'ticket':
        createTicket(run, name, node);
        next = node.next;
        break;
      case 'handoff':
        handOff(run, run.fill(node.reason), node.text ? run.fill(node.text) : undefined);
        return;
      case 'end':
        if (node.outcome === 'resolved' && !confirmed) confirmPrompt(run, node);
        else finishEnd(run, node);
        return;
    }
  }
}

/** Answers an ask with a value the first message gave for its slot (once); false when there is none or it does not fit. */
function takePrefilled(run: Run, node: AskNode): boolean {
  const given = run.state.prefill?.[node.slot];
  if (given === undefined || !run.state.prefill) return false;
  delete run.state.prefill[node.slot];
  if (Object.keys(run.state.prefill).length === 0) delete run.state.prefill;
  const before = run.replies.length;
  if (!answerAsk(run, node, given)) return false;
  // Said the way the user would say it (a choice by its label, not its value).
  const shown = displayValue(run.flow, node.slot, run.state.slots[node.slot] ?? given, run.lang);
  run.replies.splice(before, 0, { type: 'text', text: say(run.lang, 'flows.prefilled', { value: shown }) });
  return true;
}

function enterSearch(run: Run, name: string, node: SearchNode): string | undefined {
  const query = renderQuery(run.flow, run.state.slots, node.query, run.lang);
  const found = run.ctx.search(query, { lang: run.lang, services: node.services ?? [run.flow.service] });
  const options = found.kind === 'answer' ? [{ article: found.article, confidence: found.confidence }] : found.kind === 'choose' ? found.options : [];
  if (options.length === 1 && options[0]) {
    showArticle(run, query, options[0]);
    return undefined;
  }
  if (options.length > 1) {
    run.state.pending = { kind: 'choose-article', query, options };
    chooseArticlePrompt(run);
    return undefined;
  }
  run.note(name, 'finding', both('flows.find.searchNone', () => ({ query })));
  return node.none ?? node['not-fixed'];
}

function enterIncidentCheck(run: Run, node: MajorIncidentNode): string | undefined {
  const service = node.service ?? run.flow.service;
  const incident = run.ctx.facts.openMajorIncidents
    .filter((i) => i.serviceId === service)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (!incident) return node.none;
  run.state.pending = { kind: 'confirm-incident', incident };
  incidentPrompt(run);
  return undefined;
}

function enterAssetCheck(run: Run, name: string, node: UserAssetsNode): string {
  const spec = node['asset-kind'];
  const kind = typeof spec === 'string' ? spec : String(run.state.slots[spec.slot] ?? '');
  const mine = run.ctx.facts.assets.filter((a) => a.kind === kind);
  const [only] = mine;
  if (mine.length === 1 && only) {
    run.state.slots[node.slot] = only.tag;
    run.involve(only);
    run.text(say(run.lang, 'flows.assetFound', { name: only.name, tag: only.tag }));
    run.note(name, 'finding', both('flows.find.assetOne', () => ({ name: only.name, tag: only.tag })));
    return node.one;
  }
  if (mine.length > 1) {
    run.note(name, 'finding', both('flows.find.assetsSeveral', () => ({ count: mine.length, kind })));
    return node.several ?? node.none;
  }
  run.note(name, 'finding', both('flows.find.assetsNone', () => ({ kind })));
  return node.none;
}

export function chooseBranch(slots: Record<string, SlotValue>, node: BranchNode): string {
  const hit = node.cases.find((c) => Object.entries(c.if).every(([slot, cond]) => holds(cond, slots[slot])));
  return hit ? hit.then : node.default;
}

function holds(cond: Condition, value: SlotValue | undefined): boolean {
  const same = (v: string | number | boolean) => value !== undefined && String(v) === String(value);
  if (Array.isArray(cond)) return cond.some(same);
  if (typeof cond !== 'object') return same(cond);
  if ('set' in cond) return (value !== undefined && value !== NONE) === cond.set;
  if ('not' in cond) return value !== undefined && !(Array.isArray(cond.not) ? cond.not.some(same) : same(cond.not));
  if (typeof value !== 'number') return false;
  return (cond.min === undefined || value >= cond.min) && (cond.max === undefined || value <= cond.max);
}

function createTicket(run: Run, name: string, node: TicketNode): void {
  const defaults = run.flow['ticket-defaults'];
  const titles = renderBoth(run.flow, run.state.slots, node.title);
  const title = titles[run.lang];
  const ticket: TicketDraft = {
    type: node.type ?? defaults.type,
    category: node.category ?? defaults.category,
    serviceId: run.flow.service,
    impact: node.impact ?? defaults.impact,
    urgency: node.urgency ?? defaults.urgency,
    title,
    description: `${run.fill(node.description)}\n\n${run.diagnosisText()}`,
    diagnosis: structuredClone(run.state.diagnosis),
    flowId: run.flow.id,
  };
  if (node.approval) ticket.approval = node.approval;
  const approver = node.approver ? run.state.slots[node.approver] : undefined;
  if (approver !== undefined && approver !== NONE) ticket.approver = String(approver);
  run.effect({ kind: 'create-ticket', ticket });
  run.note(name, 'finding', both('flows.find.ticket', (lang) => ({ title: titles[lang] })));
  run.text(node.text ? run.fill(node.text) : say(run.lang, 'flows.ticketCreated'));
  if (node.approval) run.text(say(run.lang, `flows.approval.${node.approval}`));
}

/** Ends the flow with a handoff to a human, carrying the diagnosis for the agent. */
export function handOff(run: Run, reason: string, text?: string): void {
  run.effect({
    kind: 'handoff',
    reason,
    flowId: run.flow.id,
    serviceId: run.flow.service,
    diagnosis: structuredClone(run.state.diagnosis),
    summary: run.diagnosisText(),
  });
  run.text(text ?? say(run.lang, 'flows.handoff'));
  run.finish('handoff');
}

export function finishEnd(run: Run, node: EndNode): void {
  if (node.outcome === 'resolved') run.effect({ kind: 'resolved', flowId: run.flow.id, serviceId: run.flow.service });
  const closing = node.outcome === 'resolved' ? 'resolvedDone' : node.outcome === 'cancelled' ? 'cancelled' : (`end.${node.outcome}` as const);
  run.text(node.text ? run.fill(node.text) : say(run.lang, `flows.${closing}`));
  run.finish(node.outcome);
}

/**
 * Takes `text` as the answer to an ask node; false when it does not fit the slot. It lives here, beside
 * `advance`, so that the engine's modules import each other one way (take-input → advance, never back).
 */
export function answerAsk(run: Run, node: AskNode, text: string): boolean {
  const def = run.flow.slots[node.slot];
  const value = def ? parseAnswer(def, text, { assets: run.ctx.facts.assets }) : null;
  if (value === null) return false;
  const question = renderBoth(run.flow, run.state.slots, node.question);
  run.state.slots[node.slot] = value;
  const asset = def?.type === 'asset-tag' ? run.ctx.facts.assets.find((a) => a.tag === value) : undefined;
  if (asset) run.involve(asset);
  run.note(run.state.nodeId, 'answer', question, displayBoth(run.flow, node.slot, value));
  const target = node.on ? (node.on[String(value)] ?? node.default) : node.next;
  if (target === undefined) {
    throw new GuichetError('flows.no-route', `flows: flow "${run.flow.id}" node "${run.state.nodeId}" has no route for "${value}"`);
  }
  advance(run, target);
  return true;
}
