/**
 * The diagnosis record as text, for a ticket's description and an agent's
 * handoff card: what was asked and answered, the advice given, what the
 * checks found, the articles shown and whether they helped, the devices
 * involved. It is rendered in the reader's language from the record, which
 * keeps every line in both languages.
 */
import type { Lang, Localized } from '../core/lang.ts';
import type { Flow } from './schema.ts';
import { say } from '../texts/index.ts';
import type { Diagnosis } from './types.ts';

export function emptyDiagnosis(): Diagnosis {
  return { steps: [], articles: [], assets: [] };
}

/** Advice is kept short in the record: the agent needs its gist, the flow file has the rest. */
const ADVICE_CHARS = 180;

export function shorten(text: Localized): Localized {
  const cut = (s: string) => {
    const flat = s.replace(/\s+/g, ' ').trim();
    if (flat.length <= ADVICE_CHARS) return flat;
    const head = flat.slice(0, ADVICE_CHARS);
    return `${head.slice(0, Math.max(head.lastIndexOf(' '), ADVICE_CHARS / 2))}…`;
  };
  return { fr: cut(text.fr), en: cut(text.en) };
}

export function renderDiagnosis(flow: Pick<Flow, 'title'>, diagnosis: Diagnosis, lang: Lang): string {
  const lines = [say(lang, 'flows.diag.heading', { title: flow.title[lang] })];
  if (diagnosis.steps.length === 0) lines.push(say(lang, 'flows.diag.none'));
  diagnosis.steps.forEach((s, i) => {
    const body = s.kind === 'advice' ? say(lang, 'flows.diag.advice', { text: s.text[lang] }) : s.text[lang];
    lines.push(`${i + 1}. ${body}${s.answer ? ` → ${s.answer[lang]}` : ''}`);
  });
  if (diagnosis.articles.length > 0) {
    lines.push('', say(lang, 'flows.diag.articles'));
    for (const a of diagnosis.articles) {
      const outcome = a.helpful === null ? 'diag.noAnswer' : a.helpful ? 'diag.helped' : 'diag.notHelped';
      lines.push(say(lang, 'flows.diag.article', { id: a.id, title: a.title, outcome: say(lang, `flows.${outcome}`) }));
    }
  }
  if (diagnosis.assets.length > 0) {
    lines.push('', say(lang, 'flows.diag.assets'));
    for (const a of diagnosis.assets) lines.push(`- ${a.name} (${a.tag}, ${a.kind})`);
  }
  return lines.join('\n');
}
