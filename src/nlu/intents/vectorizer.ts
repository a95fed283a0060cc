/**
 * TF-IDF vectors over a vocabulary fixed at training time.
 *
 * Each block of features (words, character n-grams) is weighted
 * `(1 + ln tf) · idf`, with `idf = 1 + ln((1 + N) / (1 + df))` (N training
 * texts, df texts holding the feature), L2-normalised on its own, then scaled
 * by its block weight; the weights' squares sum to 1, so every vector has
 * unit length and a dot product is a cosine. Normalising blocks apart keeps
 * the many character n-grams from drowning the few word features.
 * Features unseen in training are dropped at classification time.
 */
import type { TextFeatures } from './features.ts';

/** A sparse vector: feature indices in increasing order and their values. */
export interface SparseVector {
  readonly idx: Int32Array;
  readonly val: Float32Array;
}

export interface VectorizerState {
  /** Feature hashes (see features.ts), by index. */
  features: number[];
  /** Inverse document frequency, by index. */
  idf: number[];
  /** Weight of the word block; the character block gets sqrt(1 − w²). */
  wordWeight: number;
}

export class Vectorizer {
  private readonly index = new Map<number, number>();
  /** Per-feature accumulator of `transform`, all zeros between calls. */
  private readonly scratch: Float64Array;

  constructor(readonly state: VectorizerState) {
    state.features.forEach((f, i) => this.index.set(f, i));
    this.scratch = new Float64Array(state.features.length);
  }

  /**
   * Learns the vocabulary and IDF from `docs`. `minDf` drops features seen in
   * fewer texts (rare n-grams mostly add noise and memory on large data).
   */
  static fit(docs: readonly TextFeatures[], options: { minDf: number; wordWeight: number }): Vectorizer {
    const df = new Map<number, number>();
    const seen = new Set<number>();
    for (const doc of docs) {
      seen.clear();
      for (const f of doc.words) seen.add(f);
      for (const f of doc.chars) seen.add(f);
      for (const f of seen) df.set(f, (df.get(f) ?? 0) + 1);
    }
    // Sorted, so that the vocabulary does not depend on the order of the examples.
    const features = [...df.entries()].filter(([, n]) => n >= options.minDf).map(([f]) => f).sort((a, b) => a - b);
    const n = docs.length;
    const idf = features.map((f) => 1 + Math.log((1 + n) / (1 + (df.get(f) ?? 0))));
    return new Vectorizer({ features, idf, wordWeight: options.wordWeight });
  }

  get size(): number {
    return this.state.features.length;
  }

  /** The unit-length TF-IDF vector of one text's features (empty when no feature is known). */
  transform(doc: TextFeatures): SparseVector {
    const charWeight = Math.sqrt(Math.max(0, 1 - this.state.wordWeight ** 2));
    const touched: number[] = [];
    this.addBlock(doc.words, this.state.wordWeight, touched);
    this.addBlock(doc.chars, charWeight, touched);
    const idx = Int32Array.from(touched).sort();
    const val = new Float32Array(idx.length);
    for (let k = 0; k < idx.length; k += 1) {
      const i = idx[k] as number;
      val[k] = this.scratch[i] as number;
      this.scratch[i] = 0;
    }
    return { idx, val };
  }

  /**
   * Adds one block's TF-IDF weights, L2-normalised and scaled by `weight`,
   * into the scratch vector, and their indices to `touched`. (A word and a
   * character n-gram sharing a hash would add up: rare enough to ignore.)
   */
  private addBlock(features: readonly number[], weight: number, touched: number[]): void {
    const scratch = this.scratch;
    const start = touched.length;
    for (const f of features) {
      const i = this.index.get(f);
      if (i === undefined) continue;
      if (scratch[i] === 0) touched.push(i);
      scratch[i] = (scratch[i] as number) + 1;
    }
    let norm = 0;
    for (let k = start; k < touched.length; k += 1) {
      const i = touched[k] as number;
      const w = (1 + Math.log(scratch[i] as number)) * (this.state.idf[i] as number);
      scratch[i] = w;
      norm += w * w;
    }
    const scale = norm === 0 ? 0 : weight / Math.sqrt(norm);
    for (let k = start; k < touched.length; k += 1) {
      const i = touched[k] as number;
      scratch[i] = (scratch[i] as number) * scale;
    }
  }
}
