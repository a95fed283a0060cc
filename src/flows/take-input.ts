/**
 * The user's message at a waiting node: read it as the answer the node waits
 * for and move on; otherwise re-ask with the slot's error text, and after the
 * node's number of retries offer a human (an answer that fits is still taken
 * then; "try again" starts the count over).
 */
import { fold, recognizeConfirmation } from '../core/commands.ts';
import type { ArticleView } from '../core/messages.ts';
import { isDontKnow, NONE, parseYesNo } from './answers.ts';
import { advance, answerAsk, finishEnd, handOff } from './advance.ts';
import { AGENT, offerHuman, repeatPrompt, RETRY, showArticle } from './prompts.ts';
import type { Run } from './run.ts';
import type { EndNode, FlowNode, SearchNode, MajorIncidentNode } from './schema.ts';
import { renderBoth } from './template.ts';
import { both, say } from '../texts/index.ts';
import type { ShownArticle } from './types.ts';

/** Invalid answers re-asked before a human is offered, where the node sets no `retries`. */
const DEFAULT_RETRIES = 2;

export function takeInput(run: Run, node: FlowNode, text: string): void {
  if (!answer(run, node, text)) invalid(run, node, text);
}

/** True when the message was an answer the node could use (and the flow moved on). */
function answer(run: Run, node: FlowNode, text: string): boolean {
  const pending = run.state.pending;
  if (node.kind === 'ask') return answerAsk(run, node, text);
  if (node.kind === 'search' && pending?.kind === 'confirm-article') return answerFixed(run, node, pending.shown.article, pending.query, text);
  if (node.kind === 'search' && pending?.kind === 'choose-article') return answerChoose(run, node, pending.options, pending.query, text);
  if (node.kind === 'check' && node.check === 'major-incident' && pending?.kind === 'confirm-incident') return answerIncident(run, node, text);
  if (node.kind === 'end' && node.outcome === 'resolved') return answerConfirm(run, node, text);
  return false;
}

function answerFixed(run: Run, node: SearchNode, article: ArticleView, query: string, text: string): boolean {
  const yn = fixedOrNot(text);
  if (yn === null) return false;
  const helpful = yn === 'yes';
  run.effect({ kind: 'record-feedback', articleId: article.id, lang: article.lang, helpful, query });
  const record = run.state.diagnosis.articles.find((a) => a.id === article.id);
  if (record) record.helpful = helpful;
  const outcome = both(helpful ? 'flows.diag.helped' : 'flows.diag.notHelped');
  run.note(run.state.nodeId, 'finding', both('flows.find.article', (lang) => ({ id: article.id, title: article.title, outcome: outcome[lang] })));
  if (helpful) advance(run, node.fixed, true);
  else advance(run, node['not-fixed']);
  return true;
}

function answerChoose(run: Run, node: SearchNode, options: ShownArticle[], query: string, text: string): boolean {
  const f = fold(text);
  const index = /^\d{1,2}$/.test(f) ? Number(f) - 1 : -1;
  const picked = options.find((o, i) => i === index || fold(o.article.id) === f || fold(o.article.title) === f);
  if (picked) {
    showArticle(run, query, picked);
    return true;
  }
  const none = f === NONE || index === options.length || isDontKnow(text) || parseYesNo(text) === 'no' || f === fold(say(run.lang, 'flows.noneOfThese'));
  if (!none) return false;
  run.note(run.state.nodeId, 'finding', both('flows.find.noneOfThese'));
  advance(run, node['not-fixed']);
  return true;
}

function answerIncident(run: Run, node: MajorIncidentNode, text: string): boolean {
  const pending = run.state.pending;
  const yn = parseYesNo(text);
  if (yn === null || pending?.kind !== 'confirm-incident') return false;
  const { id, title } = pending.incident;
  if (yn === 'yes') {
    run.effect({ kind: 'link-major-incident', id });
    run.note(run.state.nodeId, 'finding', both('flows.find.incidentLinked', (lang) => ({ id, title: title[lang] })));
    advance(run, node.open);
  } else {
    run.note(run.state.nodeId, 'finding', both('flows.find.incidentOther', (lang) => ({ id, title: title[lang] })));
    advance(run, node.none);
  }
  return true;
}

function answerConfirm(run: Run, node: EndNode, text: string): boolean {
  const yn = fixedOrNot(text);
  if (yn === null) return false;
  const question = node.question ? renderBoth(run.flow, run.state.slots, node.question) : both('flows.resolvedQuestion');
  run.note(run.state.nodeId, 'answer', question, both(`flows.${yn}`));
  if (yn === 'yes') finishEnd(run, node);
  else if (node['not-fixed']) advance(run, node['not-fixed']);
  return true;
}

/**
 * "Did this fix it?" / "is it working now?": the core's reading of a
 * confirmation ("yes… but it still crashes" is a no), then a plain yes or no.
 */
function fixedOrNot(text: string): 'yes' | 'no' | null {
  return recognizeConfirmation(text) ?? parseYesNo(text);
}

function invalid(run: Run, node: FlowNode, text: string): void {
  const limit = node.kind === 'ask' ? node.retries : DEFAULT_RETRIES;
  const state = run.state;
  if (state.retries > limit) {
    // The human offer is showing: "agent" (or yes) hands off, "try again" (or no) asks again.
    const f = fold(text);
    if (f === AGENT || ['humain', 'technicien', 'human', fold(say(run.lang, 'flows.talkToAgent'))].includes(f) || parseYesNo(text) === 'yes') {
      return handOff(run, say(run.lang, 'flows.offerHumanReason', { question: questionText(run, node) }));
    }
    if (f === RETRY || f === fold(say(run.lang, 'flows.tryAgain')) || parseYesNo(text) === 'no') {
      state.retries = 0;
      return repeatPrompt(run, node);
    }
    return offerHuman(run);
  }
  state.retries += 1;
  if (state.retries > limit) return offerHuman(run);
  run.text(errorText(run, node));
  repeatPrompt(run, node);
}

function errorText(run: Run, node: FlowNode): string {
  if (node.kind !== 'ask') return say(run.lang, run.state.pending?.kind === 'choose-article' ? 'flows.error.choice' : 'flows.error.yes-no');
  const def = run.flow.slots[node.slot];
  if (!def) return say(run.lang, 'flows.error.text', { min: 1, max: 1000 });
  if (def.error) return run.fill(def.error);
  const optional = 'optional' in def && def.optional ? say(run.lang, 'flows.orDontKnow') : '';
  if (def.type === 'text') return say(run.lang, 'flows.error.text', { min: def.min, max: def.max }) + optional;
  if (def.type === 'number') {
    const range = def.min !== undefined && def.max !== undefined ? say(run.lang, 'flows.between', { min: def.min, max: def.max }) : '';
    return say(run.lang, 'flows.error.number', { range }) + optional;
  }
  return say(run.lang, `flows.error.${def.type}`) + optional;
}

function questionText(run: Run, node: FlowNode): string {
  if (node.kind === 'ask') return run.fill(node.question);
  if (node.kind === 'end' && node.question) return run.fill(node.question);
  const pending = run.state.pending;
  if (pending?.kind === 'confirm-incident') return pending.incident.title[run.lang];
  return say(run.lang, pending?.kind === 'confirm-article' ? 'flows.didThisFix' : pending?.kind === 'choose-article' ? 'flows.chooseArticle' : 'flows.resolvedQuestion');
}
