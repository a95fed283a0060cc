/**
 * Choosing the confidence threshold from held-out utterances.
 *
 * The rule: answer when the answer is more likely right than wrong. Each
 * held-out utterance scores +1 if it would be answered with its right
 * intent, −1 if answered wrongly (another intent, or any intent for an
 * out-of-scope one), 0 if rejected; the threshold is the cut with the best
 * total. Out-of-scope examples thus pull it up, confidently misclassified
 * in-scope ones too, and with neither it stays below every held-out
 * utterance. Among equally good cuts the lowest is kept (answer rather
 * than refuse), and the threshold goes halfway between the two
 * confidences it separates, so that it does not sit on a training point.
 */
import { seededRng, shuffleInPlace } from './rng.ts';

/** One held-out utterance as the classifier saw it. */
export interface HeldOutScore {
  confidence: number;
  /** The top intent is the right one (always false for an out-of-scope utterance). */
  correct: boolean;
  outOfScope: boolean;
}

/** The threshold with the best total (see above), in [0, 1]; 0.5 with no samples. */
export function chooseThreshold(samples: readonly HeldOutScore[]): number {
  if (samples.length === 0) return 0.5;
  const sorted = [...samples].sort((a, b) => a.confidence - b.confidence);
  // gain[i]: total of the utterances from i on, i.e. of those answered when the first i are rejected.
  let answered = sorted.reduce((sum, s) => sum + (s.correct ? 1 : -1), 0);
  let best = answered;
  let bestCut = 0;
  for (let i = 1; i <= sorted.length; i += 1) {
    answered -= (sorted[i - 1] as HeldOutScore).correct ? 1 : -1;
    // Only cut between two different confidences: equal ones are answered alike.
    if (i < sorted.length && (sorted[i] as HeldOutScore).confidence === (sorted[i - 1] as HeldOutScore).confidence) continue;
    if (answered > best) {
      best = answered;
      bestCut = i;
    }
  }
  const below = bestCut === 0 ? 0 : (sorted[bestCut - 1] as HeldOutScore).confidence;
  const above = bestCut === sorted.length ? 1 : (sorted[bestCut] as HeldOutScore).confidence;
  return (below + above) / 2;
}

export interface CrossValidationOptions {
  folds: number;
  seed: number;
  /** Stop after the fold that brings the held-out utterances to this many. */
  maxSamples: number;
}

/** A trained classifier as cross-validation sees it: its top intent and confidence. */
export type HeldOutScorer<U> = (utterance: U) => { top: string | null; confidence: number };

/**
 * Stratified k-fold cross-validation: each fold holds out about 1/k of every
 * intent's examples and of the out-of-scope utterances, trains on the rest
 * with `train` (the out-of-scope utterances of the other folds are passed
 * along, for a model that learns them), and scores what it held out. Deterministic for a seed.
 * Generic, so that the benchmark calibrates its baselines the same way.
 */
export function crossValidate<E extends { intent: string }, U>(
  examples: readonly E[],
  outOfScope: readonly U[],
  train: (examples: E[], outOfScope: U[]) => HeldOutScorer<E | U>,
  options: CrossValidationOptions,
): { samples: HeldOutScore[]; folds: number } {
  const k = Math.max(2, Math.floor(options.folds));
  const rng = seededRng(options.seed);
  const foldOf = new Int32Array(examples.length);
  const byIntent = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const group = byIntent.get(e.intent);
    if (group) group.push(i);
    else byIntent.set(e.intent, [i]);
  });
  let next = 0;
  for (const intent of [...byIntent.keys()].sort()) {
    for (const i of shuffleInPlace(byIntent.get(intent) ?? [], rng)) foldOf[i] = next++ % k;
  }
  const oosOrder = shuffleInPlace(outOfScope.map((_, i) => i), rng);
  const oosFold = new Int32Array(outOfScope.length);
  oosOrder.forEach((i, n) => (oosFold[i] = n % k));

  const samples: HeldOutScore[] = [];
  let folds = 0;
  for (let fold = 0; fold < k && samples.length < options.maxSamples; fold += 1) {
    const training = examples.filter((_, i) => foldOf[i] !== fold);
    if (training.length === 0) continue;
    const scorer = train(training, outOfScope.filter((_, i) => oosFold[i] !== fold));
    folds += 1;
    examples.forEach((e, i) => {
      if (foldOf[i] !== fold) return;
      const { top, confidence } = scorer(e);
      samples.push({ confidence, correct: top === e.intent, outOfScope: false });
    });
    outOfScope.forEach((u, i) => {
      if (oosFold[i] === fold) samples.push({ confidence: scorer(u).confidence, correct: false, outOfScope: true });
    });
  }
  return { samples, folds };
}
