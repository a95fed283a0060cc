/**
 * What the bot does with a query: give one answer, offer a choice between
 * the first articles, or say it has none (and offer a ticket or an agent).
 *
 * - `answer` when the estimated probability that the first hit is right is at
 *   least the language's `answerAt`;
 * - otherwise `choose` (the first 2–3 hits) when the probability that one of
 *   them is right is at least `chooseAt` (this one also weighs the query's
 *   words: some come up in questions the base does not cover, calibration.ts
 *   `outOfCoverage`);
 * - the first hits are re-ranked by the example questions the calibration was
 *   learned with (examples.ts), and both probabilities also read how close the
 *   query comes to them: to one the first hit answers, to one the first hits
 *   answer, to an uncovered one;
 * - `none` otherwise; `best` is the best article found, if any, for a "did
 *   you mean…" or for the agent's context.
 *
 * Probabilities and thresholds are learned from data, per language
 * (calibration.ts; how in README.md), not set by hand.
 */
import { answerProbability, calibrationFor, choiceProbability, MAX_OPTIONS, rankWithExamples, type LangCalibration } from './calibration.ts';
import type { Nearest } from './examples.ts';
import type { Answer, AnswerOptions, KnowledgeIndex, SearchHit } from './types.ts';

export { MAX_OPTIONS } from './calibration.ts';
export type { Answer, AnswerOptions } from './types.ts';

/** The same as `index.answer(query, options)`. */
export function answer(index: KnowledgeIndex, query: string, options: AnswerOptions): Answer {
  return index.answer(query, options);
}

/**
 * The decision on ranked hits (best first) with a language's calibration;
 * `terms`: the query's terms (calibration.ts `queryTerms`), for the word
 * evidence of the calibration. Pure, exported for tests and benchmarks.
 */
export function decide(hits: readonly SearchHit[], calibration: LangCalibration = calibrationFor('en'), terms: readonly string[] = []): Answer {
  const ranked = rankWithExamples(hits, terms, calibration);
  return decideRanked(ranked.hits, calibration, terms, ranked.near);
}

/** decide() on hits already ranked with the example questions, and the query's closeness to them (calibration.ts `rankWithExamples`). */
export function decideRanked(hits: readonly SearchHit[], calibration: LangCalibration, terms: readonly string[], near: Nearest | undefined): Answer {
  const best = hits[0];
  if (!best) return { kind: 'none' };
  const answer = answerProbability(hits, calibration, near);
  if (answer.p >= answer.at) return { kind: 'answer', best };
  const options = hits.slice(0, MAX_OPTIONS);
  if (options.length < 2) return { kind: 'none', best };
  const choice = choiceProbability(hits, terms, calibration, near);
  if (choice.p >= choice.at) return { kind: 'choose', options };
  return { kind: 'none', best };
}
