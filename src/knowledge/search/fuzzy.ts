/**
 * Typo correction against a vocabulary: the known words within 1 or 2 edits
 * (insertion, deletion, substitution, or swap of two neighbours) of a word.
 *
 * Why not MiniSearch's `fuzzyGet`: on a vocabulary of 5,000 words it takes
 * 0.4 ms for one edit and 2–3 ms for two, per word, which alone broke our
 * 2 ms p99 budget. Here candidates come from a bigram index (a word within k
 * edits of w shares at least |w| + 1 − 2k of its padded bigrams, since one
 * edit breaks at most two), and only those are checked with a bounded
 * edit distance: about 0.02 ms per word.
 */
export interface NearWord {
  word: string;
  distance: number;
}

/** What the index cache saves of a vocabulary (index-cache.ts): its words, and its bigram lists as they are. */
export interface SavedVocabulary {
  words: string[];
  grams: string[];
  starts: Uint32Array;
  ids: Uint32Array;
}

/**
 * The bigram lists are flat arrays (bigram number g's word ids are ids[starts[g] .. starts[g + 1]), in word order),
 * saved with the index and read back as they are: rebuilt from the index's words at every start, they were ~50 ms of
 * a 10,000-article warm start (bench:memory's profile).
 */
export class FuzzyVocabulary {
  private readonly counts: Uint16Array;

  private constructor(
    private readonly words: readonly string[],
    /** Bigram → its number. */
    private readonly grams: ReadonlyMap<string, number>,
    private readonly starts: Uint32Array,
    private readonly ids: Uint32Array,
  ) {
    this.counts = new Uint16Array(words.length);
  }

  /** The vocabulary of `words` (duplicates are kept as they come). */
  static of(words: Iterable<string>): FuzzyVocabulary {
    const list = [...words];
    const grams = new Map<string, number>();
    const perGram: number[][] = [];
    list.forEach((word, id) => {
      for (const g of new Set(bigrams(word))) {
        let n = grams.get(g);
        if (n === undefined) grams.set(g, (n = perGram.push([]) - 1));
        (perGram[n] as number[]).push(id);
      }
    });
    const starts = new Uint32Array(perGram.length + 1);
    perGram.forEach((ids, n) => (starts[n + 1] = (starts[n] as number) + ids.length));
    const ids = new Uint32Array(starts[perGram.length] as number);
    perGram.forEach((list, n) => ids.set(list, starts[n] as number));
    return new FuzzyVocabulary(list, grams, starts, ids);
  }

  save(): SavedVocabulary {
    return { words: [...this.words], grams: [...this.grams.keys()], starts: this.starts, ids: this.ids };
  }

  /** A saved vocabulary; undefined when its parts do not fit. */
  static restore(saved: SavedVocabulary): FuzzyVocabulary | undefined {
    const { words, grams, starts, ids } = saved;
    if (!Array.isArray(words) || !Array.isArray(grams) || !(starts instanceof Uint32Array) || !(ids instanceof Uint32Array)) return undefined;
    if (starts.length !== grams.length + 1 || starts[grams.length] !== ids.length || ids.some((id) => id >= words.length)) return undefined;
    return new FuzzyVocabulary(words, new Map(grams.map((g, n) => [g, n])), starts, ids);
  }

  /** Known words within `maxDistance` edits of `word` (itself excluded), closest first. */
  near(word: string, maxDistance: number): NearWord[] {
    const grams = [...new Set(bigrams(word))];
    const needed = word.length + 1 - 2 * maxDistance;
    const touched: number[] = [];
    for (const g of grams) {
      const n = this.grams.get(g);
      if (n === undefined) continue;
      for (let k = this.starts[n] as number, end = this.starts[n + 1] as number; k < end; k += 1) {
        const id = this.ids[k] as number;
        if (this.counts[id] === 0) touched.push(id);
        this.counts[id] = (this.counts[id] ?? 0) + 1;
      }
    }
    const out: NearWord[] = [];
    for (const id of touched) {
      const shared = this.counts[id] ?? 0;
      this.counts[id] = 0;
      const candidate = this.words[id] ?? '';
      if (shared < needed || candidate === word || Math.abs(candidate.length - word.length) > maxDistance) continue;
      const distance = editDistance(word, candidate, maxDistance);
      if (distance <= maxDistance) out.push({ word: candidate, distance });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }
}

/** Bigrams of the word padded with "^" and "$": "vpn" → ^v vp pn n$. */
function bigrams(word: string): string[] {
  const padded = `^${word}$`;
  const out: string[] = [];
  for (let i = 0; i + 1 < padded.length; i += 1) out.push(padded.slice(i, i + 2));
  return out;
}

/**
 * Optimal string alignment distance (Levenshtein plus swaps of adjacent
 * letters), or `max + 1` as soon as it must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    row[0] = i;
    let best = row[0];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [prev2, prev, row] = [prev, row, prev2];
  }
  return Math.min(prev[b.length] ?? max + 1, max + 1);
}
