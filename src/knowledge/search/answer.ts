/**
 * What the bot does with a query: give one answer, offer a choice between
 * close articles, or say it has none (and offer a ticket or an agent).
 *
 * - `choose` when 2 or 3 articles score within CLOSE_RATIO of the best: the
 *   ranking cannot tell them apart (feedback alone moves scores by ±20 %,
 *   so a gap under 20 % is not a real difference). Offered only if the
 *   group is likely to contain the answer: its confidence, computed like a
 *   hit's with the margin taken against the first article left out, is at
 *   least MIN_CONFIDENCE.
 * - `answer` when the best article stands apart and its confidence is at
 *   least MIN_CONFIDENCE.
 * - `none` otherwise; `best` is the best article found, if any, for a "did
 *   you mean…" or for the agent's context.
 */
import type { Lang } from '../../core/lang.ts';
import { confidenceOf } from './confidence.ts';
import type { KnowledgeIndex, SearchHit } from './knowledge-search.ts';

/** A hit scoring at least this share of the best one is "close" to it. */
export const CLOSE_RATIO = 0.8;
/** Lowest confidence (estimated probability of being right) of an answer or of a choice. */
export const MIN_CONFIDENCE = 0.4;
/** At most this many options in a choice. */
export const MAX_OPTIONS = 3;

export type Answer =
  | { kind: 'answer'; best: SearchHit }
  | { kind: 'choose'; options: SearchHit[] }
  | { kind: 'none'; best?: SearchHit };

export interface AnswerOptions {
  /** The user's language. */
  lang: Lang;
  /** Only articles of these services (e.g. the service the conversation is about). */
  services?: readonly string[];
}

/** The same as `index.answer(query, options)`. */
export function answer(index: KnowledgeIndex, query: string, options: AnswerOptions): Answer {
  return index.answer(query, options);
}

/** The decision on ranked hits (best first); pure, exported for tests. */
export function decide(hits: readonly SearchHit[]): Answer {
  const best = hits[0];
  if (!best) return { kind: 'none' };
  const close = hits.filter((h) => h.score >= CLOSE_RATIO * best.score).slice(0, MAX_OPTIONS);
  if (close.length >= 2) {
    const firstLeftOut = hits[close.length]?.score ?? 0;
    const coverage = Math.max(...close.map((h) => h.coverage));
    const group = confidenceOf(coverage, best.score, firstLeftOut);
    return group >= MIN_CONFIDENCE ? { kind: 'choose', options: close } : { kind: 'none', best };
  }
  return best.confidence >= MIN_CONFIDENCE ? { kind: 'answer', best } : { kind: 'none', best };
}
