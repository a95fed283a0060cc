/**
 * Scoring an intent classifier on a test set: in-scope accuracy, and
 * out-of-scope precision and recall at its threshold, plus latency.
 *
 * Definitions (an utterance is "rejected" when the prediction is null):
 * - inScopeAccuracy: in-scope utterances answered with their own intent,
 *   over all in-scope utterances (a rejected one counts as wrong);
 * - inScopeTop1: the same, ignoring the threshold (the top-ranked intent);
 * - inScopeRejected: in-scope utterances rejected, over all in-scope ones;
 * - oosRecall: out-of-scope utterances rejected, over all out-of-scope ones;
 * - oosPrecision: out-of-scope utterances rejected, over all rejected ones.
 * A ratio with nothing to count is null: no out-of-scope utterances make
 * both OOS figures null, and no rejection makes precision null.
 */
export interface Prediction {
  /** The answer: an intent, or null for out of scope. */
  intent: string | null;
  /** The top-ranked intent, whatever the threshold (null if the classifier has none). */
  top: string | null;
}

export interface TestItem {
  text: string;
  intent: string;
  oos: boolean;
}

export interface IntentMetrics {
  inScope: number;
  outOfScope: number;
  inScopeAccuracy: number | null;
  inScopeTop1: number | null;
  inScopeRejected: number | null;
  oosPrecision: number | null;
  oosRecall: number | null;
}

export interface TimedMetrics extends IntentMetrics {
  /** Median and 99th percentile of one classification, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** The metrics of `predictions[i]` for `items[i]` (same length). */
export function scorePredictions(items: readonly TestItem[], predictions: readonly Prediction[]): IntentMetrics {
  if (items.length !== predictions.length) throw new RangeError(`intents: ${items.length} test items but ${predictions.length} predictions`);
  let inScope = 0;
  let correct = 0;
  let top1 = 0;
  let inRejected = 0;
  let outOfScope = 0;
  let oosRejected = 0;
  items.forEach((item, i) => {
    const p = predictions[i] as Prediction;
    if (item.oos) {
      outOfScope += 1;
      if (p.intent === null) oosRejected += 1;
      return;
    }
    inScope += 1;
    if (p.intent === item.intent) correct += 1;
    if (p.top === item.intent) top1 += 1;
    if (p.intent === null) inRejected += 1;
  });
  return {
    inScope,
    outOfScope,
    inScopeAccuracy: ratio(correct, inScope),
    inScopeTop1: ratio(top1, inScope),
    inScopeRejected: ratio(inRejected, inScope),
    oosPrecision: outOfScope === 0 ? null : ratio(oosRejected, oosRejected + inRejected),
    oosRecall: ratio(oosRejected, outOfScope),
  };
}

/** Untimed classifications before timing, so that the JIT has compiled the hot paths. */
const WARM_UP = 100;

/** Classifies every item (timing each call) and scores the predictions. */
export function evaluateClassifier(classify: (text: string) => Prediction, items: readonly TestItem[]): TimedMetrics {
  for (const item of items.slice(0, WARM_UP)) classify(item.text);
  const latencies: number[] = [];
  const predictions = items.map((item) => {
    const start = performance.now();
    const p = classify(item.text);
    latencies.push(performance.now() - start);
    return p;
  });
  latencies.sort((a, b) => a - b);
  return { ...scorePredictions(items, predictions), p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
