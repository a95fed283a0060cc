/**
 * The fitted pipeline, threshold aside: features → TF-IDF vector → softmax
 * probabilities, plus the training vectors of each intent for the
 * similarity half of the confidence. Cross-validation trains one per fold.
 */
import type { Lang } from '../../core/lang.ts';
import { textFeatures, type FeatureOptions } from './features.ts';
import { softmaxInto, trainSoftmax, type SoftmaxWeights } from './softmax.ts';
import type { IntentScore } from './types.ts';
import { Vectorizer, type SparseVector } from './vectorizer.ts';

/** A training example whose language is known. */
export interface PreparedExample {
  text: string;
  intent: string;
  lang: Lang;
}

export interface ModelSettings {
  features: FeatureOptions;
  /** Weight of the word block in the vector; the character n-grams get sqrt(1 − w²). */
  wordWeight: number;
  epochs: number;
  learningRate: number;
  seed: number;
}

/** A text and its language. */
export interface Utterance {
  text: string;
  lang: Lang;
}

/** What the model says about one message, before the threshold. */
export interface ModelScore {
  /** The most probable intent. */
  top: string;
  probability: number;
  /** Cosine similarity to the nearest training example of `top`, 0..1. */
  similarity: number;
  /** sqrt(probability × similarity). */
  confidence: number;
  ranking: IntentScore[];
}

const RANKING_SIZE = 5;

export class IntentModel {
  /** Scratch buffers of `score`: class probabilities, and the message as a dense vector (all zeros between calls). */
  private readonly probs: Float64Array;
  private readonly dense: Float32Array;

  private constructor(
    readonly settings: ModelSettings,
    readonly intents: readonly string[],
    readonly vectorizer: Vectorizer,
    readonly weights: SoftmaxWeights,
    /** Training vectors, by intent index. */
    private readonly examplesByIntent: readonly SparseVector[][],
  ) {
    this.probs = new Float64Array(weights.classes);
    this.dense = new Float32Array(vectorizer.size);
  }

  private nearest(x: SparseVector, examples: readonly SparseVector[]): number {
    return nearestWith(this.dense, x, examples);
  }

  /**
   * Fits the vocabulary, then the softmax, on `examples` (at least one).
   * Out-of-scope utterances, when there are some, make one more class of the
   * softmax that is never answered: its probability is taken from the
   * intents' when a message looks like them.
   */
  static train(examples: readonly PreparedExample[], settings: ModelSettings, outOfScope: readonly Utterance[] = []): IntentModel {
    const intents = [...new Set(examples.map((e) => e.intent))].sort();
    const texts: readonly Utterance[] = [...examples, ...outOfScope];
    const features = texts.map((e) => textFeatures(e.text, e.lang, settings.features));
    const vectorizer = Vectorizer.fit(features, { minDf: 1, wordWeight: settings.wordWeight });
    const xs = features.map((f) => vectorizer.transform(f));
    const indexOf = new Map(intents.map((intent, i) => [intent, i]));
    const ys = [...examples.map((e) => indexOf.get(e.intent) as number), ...outOfScope.map(() => intents.length)];
    const classes = intents.length + (outOfScope.length > 0 ? 1 : 0);
    const weights = trainSoftmax(xs, ys, classes, vectorizer.size, { epochs: settings.epochs, learningRate: settings.learningRate, seed: settings.seed });
    return new IntentModel(settings, intents, vectorizer, weights, groupByIntent(xs.slice(0, examples.length), ys, intents.length));
  }

  /**
   * Rebuilds a saved model: the vocabulary and weights as saved, the example vectors as saved
   * (`vectors`, one per example) or from their texts.
   */
  static restore(
    settings: ModelSettings,
    intents: readonly string[],
    vectorizer: Vectorizer,
    weights: SoftmaxWeights,
    examples: readonly PreparedExample[],
    vectors?: readonly SparseVector[],
  ): IntentModel {
    const indexOf = new Map(intents.map((intent, i) => [intent, i]));
    const xs = vectors ?? exampleVectors(vectorizer, settings, examples);
    const ys = examples.map((e) => indexOf.get(e.intent) ?? -1);
    return new IntentModel(settings, intents, vectorizer, weights, groupByIntent(xs, ys, intents.length));
  }

  score(text: string, lang: Lang): ModelScore {
    const x = this.vectorizer.transform(textFeatures(text, lang, this.settings.features));
    const probs = this.probs;
    softmaxInto(this.weights, x, probs);
    const order = topIndices(probs, this.intents.length, RANKING_SIZE);
    const best = order[0] as number;
    const probability = probs[best] as number;
    const similarity = Math.min(1, this.nearest(x, this.examplesByIntent[best] ?? []));
    return {
      top: this.intents[best] as string,
      probability,
      similarity,
      confidence: Math.sqrt(probability * similarity),
      ranking: order.map((i) => ({ intent: this.intents[i] as string, score: probs[i] as number })),
    };
  }
}

/** The vectors of the examples a model keeps for the similarity half of its confidence, in their order. */
export function exampleVectors(vectorizer: Vectorizer, settings: ModelSettings, examples: readonly PreparedExample[]): SparseVector[] {
  return examples.map((e) => vectorizer.transform(textFeatures(e.text, e.lang, settings.features)));
}

/** Largest dot product of `x` with one of `examples`, through a dense copy of `x` (cheaper than sparse merges). */
function nearestWith(dense: Float32Array, x: SparseVector, examples: readonly SparseVector[]): number {
  for (let k = 0; k < x.idx.length; k += 1) dense[x.idx[k] as number] = x.val[k] as number;
  let best = 0;
  for (const e of examples) {
    let sum = 0;
    for (let k = 0; k < e.idx.length; k += 1) sum += (dense[e.idx[k] as number] as number) * (e.val[k] as number);
    if (sum > best) best = sum;
  }
  for (let k = 0; k < x.idx.length; k += 1) dense[x.idx[k] as number] = 0;
  return best;
}

function groupByIntent(xs: readonly SparseVector[], ys: readonly number[], intents: number): SparseVector[][] {
  const groups: SparseVector[][] = Array.from({ length: intents }, () => []);
  xs.forEach((x, i) => groups[ys[i] as number]?.push(x));
  return groups;
}

/** Indices of the `k` largest of the first `n` values, largest first; ties go to the lower index (intents are sorted). */
function topIndices(values: Float64Array, n: number, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const v = values[i] as number;
    if (top.length === k && v <= (values[top[k - 1] as number] as number)) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && v > (values[top[at - 1] as number] as number)) at -= 1;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}
