/**
 * Word evidence of coverage, learned from tuning questions: how much more
 * often each query term appears in questions the knowledge base does not
 * cover than in questions it does (calibration.ts `outOfCoverage` reads it).
 *
 * Counted on the question sets of bench/data/ (tuning part only). Fitting
 * the models on the evidence of the very questions it was counted on would
 * make it look surer than it is on new questions ("webcam" appears in one
 * uncovered question: that question's own count says uncovered), so the
 * training features use leave-one-out counts (`leaveOneOut`): each
 * question's evidence from the counts of all the others.
 */
import type { WordEvidence } from '../../src/knowledge/search/types.ts';

/** Add-α smoothing of the Bernoulli word probabilities (α = 1: a word seen once in one class is weak evidence). */
export const SMOOTHING = 1;

export interface WordCounts {
  /** Per term, the number of uncovered (covered) questions that contain it. */
  uncovered: Map<string, number>;
  covered: Map<string, number>;
  nUncovered: number;
  nCovered: number;
}

interface Counted {
  relevant: readonly string[];
  /** Absent: no terms. */
  terms?: readonly string[] | undefined;
}

export function countWords(questions: readonly Counted[]): WordCounts {
  const counts: WordCounts = { uncovered: new Map(), covered: new Map(), nUncovered: 0, nCovered: 0 };
  for (const q of questions) {
    const isCovered = q.relevant.length > 0;
    const map = isCovered ? counts.covered : counts.uncovered;
    if (isCovered) counts.nCovered += 1;
    else counts.nUncovered += 1;
    for (const t of q.terms ?? []) map.set(t, (map.get(t) ?? 0) + 1);
  }
  return counts;
}

/** log P(t | uncovered) − log P(t | covered) from counts u, c of classes of sizes nU, nC. */
function evidence(u: number, c: number, nU: number, nC: number): number {
  const a = SMOOTHING;
  return Math.log((u + a) / (nU + 2 * a)) - Math.log((c + a) / (nC + 2 * a));
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The table shipped in the calibration (every term seen in a question), rounded to 0.01. */
export function evidenceTable(counts: WordCounts): WordEvidence {
  const terms: Record<string, number> = {};
  const all = [...new Set([...counts.uncovered.keys(), ...counts.covered.keys()])].sort();
  for (const t of all) terms[t] = round(evidence(counts.uncovered.get(t) ?? 0, counts.covered.get(t) ?? 0, counts.nUncovered, counts.nCovered));
  return { terms, unseen: round(evidence(0, 0, counts.nUncovered, counts.nCovered)) };
}

/** The evidence of each term for one of the counted questions, its own counts removed. */
export function leaveOneOut(counts: WordCounts, question: Counted): (term: string) => number {
  const isCovered = question.relevant.length > 0;
  const own = new Set(question.terms ?? []);
  const nU = counts.nUncovered - (isCovered ? 0 : 1);
  const nC = counts.nCovered - (isCovered ? 1 : 0);
  return (t) => {
    const self = own.has(t) ? 1 : 0;
    const u = (counts.uncovered.get(t) ?? 0) - (isCovered ? 0 : self);
    const c = (counts.covered.get(t) ?? 0) - (isCovered ? self : 0);
    return round(evidence(u, c, nU, nC));
  };
}
