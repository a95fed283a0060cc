/**
 * Confidence of a search hit: an estimate of the probability that the
 * article answers the query, from two measurements:
 * - coverage c (0..1): the share of the query's information, IDF-weighted,
 *   that the article matches (scorer.ts `coverageOf`): low for gibberish,
 *   off-topic words, or a query about something else that shares one word;
 * - margin m (−1..1): 1 − rival/score, where rival is the best other score
 *   (the second for the first hit, the first for the others): near 0 when
 *   another article scores as well.
 *
 *   confidence = σ(A·c + B·c·m + C),  σ(x) = 1 / (1 + e^−x)
 *
 * The margin only counts through c·m: a lone weak match (a typo correction
 * of one word of gibberish) has margin 1 but earns nothing from it.
 *
 * A, B, C were fitted once by logistic regression (each data set weighted
 * equally) on StackFAQ and on our FR/EN knowledge-base check, with, for each
 * query, the query itself (label: is the top hit right?) and the same query
 * with its right article hidden (label 0: no answer exists), plus off-topic
 * and gibberish queries. Measured reliability (bench/README.md): on the
 * knowledge-base checks, hits given 0.4–0.6 are right 42–49 % of the time,
 * 0.6–0.8 → 56–57 %, 0.8+ → 69–75 %; on StackFAQ the confidence is
 * conservative (0.4–0.6 → 78 % right). Read it as "how likely this is the
 * answer, when the knowledge base may not have one".
 */
export const CONFIDENCE_MODEL = { coverage: 0.8, coverageTimesMargin: 4.8, intercept: -2.2 } as const;

export function confidenceOf(coverage: number, score: number, rivalScore: number): number {
  if (score <= 0 || coverage <= 0) return 0;
  const margin = Math.max(-1, Math.min(1, 1 - rivalScore / score));
  const { coverage: a, coverageTimesMargin: b, intercept: c } = CONFIDENCE_MODEL;
  return 1 / (1 + Math.exp(-(a * coverage + b * coverage * margin + c)));
}
