/**
 * A first message that reports two problems ("le VPN ne marche pas et en plus
 * Outlook plante"): each half is classified; when both name a different guide
 * with confidence, the first guide starts and the user is told that the second
 * is noted for afterwards.
 */
import type { Lang, Localized } from '../lang.ts';

interface Recognizer {
  recognize(text: string, lang: Lang): { name: string | null; confidence: number; rewrite?: string };
  /** The title of a guide (flow id), for telling the user; undefined for other intents. */
  title?(intent: string): Localized | undefined;
}

export interface TwoProblems {
  first: { name: string; confidence: number; rewrite?: string };
  firstTitle: Localized;
  secondTitle: Localized;
  /** The second guide and the clause that named it, to start once the first is over. */
  second: { name: string; text: string };
}

/** Words that join two problems in one message. */
const JOINS = /\s+(?:et en plus|et aussi|et puis|et|mais aussi|en plus|aussi|and also|and my|and the|and|plus|also)\s+|[,;]\s*(?:et\s+|and\s+)?|\.\s+/i;
const MIN_CONFIDENCE = 0.55;

export function twoProblems(text: string, lang: Lang, intents: Recognizer): TwoProblems | undefined {
  if (!intents.title) return undefined;
  const parts = text.split(JOINS).map((p) => p.trim()).filter((p) => p.split(/\s+/).length >= 2);
  if (parts.length < 2) return undefined;
  const found: { name: string; confidence: number; title: Localized; text: string }[] = [];
  for (const part of parts) {
    const r = intents.recognize(part, lang);
    const title = r.name ? intents.title(r.name) : undefined;
    if (r.name && title && r.confidence >= MIN_CONFIDENCE && !found.some((f) => f.name === r.name)) found.push({ name: r.name, confidence: r.confidence, title, text: part });
  }
  const [first, second] = found;
  if (!first || !second) return undefined;
  return { first: { name: first.name, confidence: first.confidence }, firstTitle: first.title, secondTitle: second.title, second: { name: second.name, text: second.text } };
}

/**
 * When the whole message names no guide (a long story, a problem plus its context: "compte bloqué, j'ai une
 * visio dans un quart d'heure"), the clause that names one most clearly; undefined when none does.
 */
export function bestPart(text: string, lang: Lang, intents: Recognizer): { name: string; confidence: number; rewrite?: string } | undefined {
  if (!intents.title) return undefined;
  const parts = text.split(JOINS).map((p) => p.trim()).filter((p) => p.split(/\s+/).length >= 2);
  if (parts.length < 2) return undefined;
  let best: { name: string; confidence: number } | undefined;
  for (const part of parts) {
    const r = intents.recognize(part, lang);
    if (r.name && intents.title(r.name) && r.confidence >= MIN_CONFIDENCE && (!best || r.confidence > best.confidence)) best = { name: r.name, confidence: r.confidence };
  }
  return best;
}

