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
 * - both probabilities also read how close the query comes to the example
 *   questions the calibration was learned with (examples.ts): to one the
 *   first hit answers, to one the first hits answer, to an uncovered one;
 * - `none` otherwise; `best` is the best article found, if any, for a "did
 *   you mean…" or for the agent's context.
 *
 * Probabilities and thresholds are learned from data, per language
 * (calibration.ts; how in README.md), not set by hand.
 */
import { answerProbability, calibrationFor, choiceProbability, MAX_OPTIONS, nearestOf, type LangCalibration } from './calibration.ts';
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
  return decideNear(hits, calibration, terms, hits.length > 0 ? nearestOf(hits, terms, calibration) : undefined);
}

/** decide() with the query's closeness to the calibration's example questions given (calibration.ts `nearestOf`). */
export function decideNear(hits: readonly SearchHit[], calibration: LangCalibration, terms: readonly string[], near: Nearest | undefined): Answer {
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
