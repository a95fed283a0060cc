/**
 * The questions a waiting node shows, first time and again after an invalid
 * answer: an `ask` with buttons for closed answers (and for the user's own
 * devices on an asset-tag slot), an article with "did this fix it?", a list of
 * articles to choose from, an outage to confirm, "is it working now?".
 * Button values are language-neutral (`yes`, `no`, an option value, an
 * article id, an asset tag, `none`), so a pressed button parses the same in
 * every language.
 */
import type { Choice } from '../core/messages.ts';
import { NONE } from './answers.ts';
import type { Run } from './run.ts';
import type { AskNode, EndNode, FlowNode } from './schema.ts';
import { say } from '../texts/index.ts';
import type { ShownArticle } from './types.ts';

export const AGENT = 'agent';
/** A button's value that the core reads as the cancel command. */
export const CANCEL = 'cancel';
export const RETRY = 'retry';

function yesNo(run: Run, yes: 'yes' | 'fixedYes' | 'incidentYes' = 'yes', no: 'no' | 'fixedNo' | 'incidentNo' = 'no'): Choice[] {
  return [
    { label: say(run.lang, `flows.${yes}`), value: 'yes' },
    { label: say(run.lang, `flows.${no}`), value: 'no' },
  ];
}

export function askPrompt(run: Run, node: AskNode): void {
  const question = run.fill(node.question);
  const def = run.flow.slots[node.slot];
  if (!def) return run.text(question);
  const dontKnow: Choice[] = 'optional' in def && def.optional ? [{ label: say(run.lang, 'flows.dontKnow'), value: NONE }] : [];
  switch (def.type) {
    case 'yes-no':
      return run.choices(question, [...yesNo(run), ...wayOut(run)]);
    case 'choice':
      return run.choices(question, [...Object.entries(def.options).map(([value, o]) => ({ label: o[run.lang], value })), ...wayOut(run)]);
    case 'asset-tag': {
      const mine = run.ctx.facts.assets.filter((a) => !def.kind || a.kind === def.kind);
      return run.choices(question, [...mine.map((a) => ({ label: `${a.name} (${a.tag})`, value: a.tag })), ...dontKnow, ...wayOut(run)]);
    }
    default:
      return run.choices(question, [...dontKnow, ...wayOut(run)]);
  }
}

/**
 * The way out of every guide question: "something else" leaves the guide (the words of the cancel command),
 * "talk to an agent" hands the diagnosis so far to a person (the agent command).
 */
function wayOut(run: Run): Choice[] {
  return [
    { label: say(run.lang, 'flows.somethingElse'), value: CANCEL },
    { label: say(run.lang, 'flows.talkToAgent'), value: AGENT },
  ];
}

export function showArticle(run: Run, query: string, shown: ShownArticle): void {
  const { article } = shown;
  run.state.pending = { kind: 'confirm-article', query, shown };
  const known = run.state.diagnosis.articles.find((a) => a.id === article.id);
  if (known) known.helpful = null;
  else run.state.diagnosis.articles.push({ id: article.id, lang: article.lang, title: article.title, helpful: null });
  run.reply({ type: 'article', article, confidence: shown.confidence });
  run.choices(say(run.lang, 'flows.didThisFix'), yesNo(run, 'fixedYes', 'fixedNo'));
}

export function chooseArticlePrompt(run: Run): void {
  const pending = run.state.pending;
  if (pending?.kind !== 'choose-article') return;
  run.choices(say(run.lang, 'flows.chooseArticle'), [
    ...pending.options.map((o) => ({ label: o.article.title, value: o.article.id })),
    { label: say(run.lang, 'flows.noneOfThese'), value: NONE },
  ]);
}

export function incidentPrompt(run: Run): void {
  const pending = run.state.pending;
  if (pending?.kind !== 'confirm-incident') return;
  const { incident } = pending;
  const since = formatSince(new Date(incident.startedAt), run.ctx.now, run.lang, run.ctx.timeZone ?? 'Europe/Paris');
  run.choices(say(run.lang, 'flows.incidentNotice', { since, title: incident.title[run.lang] }), yesNo(run, 'incidentYes', 'incidentNo'));
}

export function confirmPrompt(run: Run, node: EndNode): void {
  run.choices(node.question ? run.fill(node.question) : say(run.lang, 'flows.resolvedQuestion'), yesNo(run));
}

/** Shows again what `node` waits for (after an invalid answer or "try again"). */
export function repeatPrompt(run: Run, node: FlowNode): void {
  const pending = run.state.pending;
  if (node.kind === 'ask') askPrompt(run, node);
  else if (pending?.kind === 'confirm-article') run.choices(say(run.lang, 'flows.didThisFix'), yesNo(run, 'fixedYes', 'fixedNo'));
  else if (pending?.kind === 'choose-article') chooseArticlePrompt(run);
  else if (pending?.kind === 'confirm-incident') incidentPrompt(run);
  else if (node.kind === 'end') confirmPrompt(run, node);
}

export function offerHuman(run: Run): void {
  run.choices(say(run.lang, 'flows.offerHuman'), [
    { label: say(run.lang, 'flows.talkToAgent'), value: AGENT },
    { label: say(run.lang, 'flows.tryAgain'), value: RETRY },
  ]);
}

/** "10:42" today, "23/11 10:42" (fr) or "23 Nov, 10:42" (en) on another day, in the user's time zone. */
function formatSince(at: Date, now: Date, lang: 'fr' | 'en', timeZone: string): string {
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const day = (d: Date) => d.toLocaleDateString('en-CA', { timeZone });
  const time = at.toLocaleTimeString(locale, { timeZone, hour: '2-digit', minute: '2-digit' });
  if (day(at) === day(now)) return time;
  const date = at.toLocaleDateString(locale, { timeZone, day: 'numeric', month: lang === 'fr' ? '2-digit' : 'short' });
  return lang === 'fr' ? `${date} ${time}` : `${date}, ${time}`;
}
