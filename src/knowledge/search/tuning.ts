/**
 * The constants of Guichet's search, with their meaning and why they have the
 * value they have. They were chosen on general grounds (what a field says
 * about a document, how trustworthy a typo correction is) and checked on two
 * benchmarks (StackFAQ, English, and our own FR/EN knowledge base; see
 * bench/README.md), not fitted to one data set.
 */
import type { StemmerName } from '../../nlu/text.ts';

/** The article's text fields, each indexed by MiniSearch. */
export const TEXT_FIELDS = ['title', 'symptoms', 'tags', 'body', 'cause', 'workaround'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
/** Scored fields: the text fields, plus `pairs` (adjacent word pairs of all of them, unordered; lang-index.ts). */
export type Field = TextField | 'pairs';

export interface SearchTuning {
  /**
   * Score multiplier of a match in each field. Title and symptoms are written
   * the way users ask, so a match there says more than one in the body. The
   * body holds the whole text (`bodyHoldsAll`), so symptoms and tags only add
   * a bonus on top of it, and cause and workaround none (measured on the
   * tuning part of bench/data/: from 1.5/1.2/1/1 with a body of its own to
   * 0.7/0.5/0/0 with the whole text, Recall@1 71 → 79 % in French, 75 → 80 %
   * in English; flat corpora such as StackFAQ have only title and body).
   */
  boosts: Record<Field, number>;
  /**
   * BM25+ parameters (MiniSearch's defaults k 1.2, b 0.7, d 0.5). `b` is the
   * strength of length normalization.
   */
  bm25: { k: number; b: number; d: number };
  /**
   * Weight of a query term that is not the user's word itself, relative to
   * an exact match (1): `accent` the same word with other accents, `family`
   * a French stem of the same word family that Porter leaves apart ("oubli"
   * / "oublié", "verrouillage" / "verrouiller"; 0 turns it off; 0.6 to 1 rank
   * alike, Recall@1 +0.5 on the French tuning part), `kin` a French stem of
   * the index that starts with the word's stem less its last letter
   * ("inscrir" → "inscript", "inscrit"; query-plan.ts `addKin`; 0 turns it
   * off; measured in bench/README.md), `fuzzy` a
   * typo correction, `prefix` a completion, `join` two words written as one
   * ("git hub" → "github"), `synonym` an expansion from synonyms.yml, `part`
   * one part of a hyphenated compound, `pair` two consecutive query words
   * found next to each other in the article (either order, stop words
   * between them ignored): "account locked", "shared mailbox".
   */
  weights: { accent: number; family: number; kin: number; fuzzy: number; prefix: number; join: number; synonym: number; part: number; pair: number };
  /**
   * Typo tolerance, only for words the index does not know: words of
   * `minLength` letters or more get 1 edit, of `twoEditsFrom` or more 2.
   */
  fuzzy: { minLength: number; twoEditsFrom: number; maxCandidates: number };
  /** Completion of an unknown word of `minLength`+ letters into at most `maxCandidates` known words. */
  prefix: { minLength: number; maxCandidates: number };
  /**
   * Exponent of a coordination factor (share of the query's information,
   * IDF-weighted, that the document matches) applied to the BM25 candidates:
   * 0 (default) ignores it, 1 makes a document matching half of the query
   * score half. Measured: 1 costs 3 points of Recall@1 on StackFAQ (BM25's
   * IDF sum already rewards matching more of the query).
   */
  coordination: number;
  /**
   * Weight of focus in the ranking: each candidate's score is multiplied by
   * 1 + focus · f, f the best coverage of the query by one unit of the
   * article (its title, one symptom, one sentence; scorer.ts `focusOf`), so
   * that the article that says what the user asks in one place outranks the
   * one that has the same words scattered over a long text. 0 turns it off;
   * 0.5 to 1 rank alike (Recall@1 on the tuning part +1.4 fr, +1.3 en;
   * bench/README.md).
   */
  focus: number;
  /**
   * Pseudo relevance feedback: the `terms` best terms (tf·idf) of the short
   * fields (title, symptoms, tags) of the `docs` best documents are added to
   * the query with `weight` × the document's score relative to the best one.
   * weight 0 turns it off.
   */
  feedback: { docs: number; terms: number; weight: number };
  /** Multiplier of a score obtained in the other language than the query's. */
  crossLanguage: number;
  /**
   * Stemmer per language: Lancaster for English (Recall@1 +0.7 on StackFAQ,
   * +1.3 on our English KB check, against Porter), Porter for French (same
   * Recall@1 as Carry, better MRR, and it over-stems less: Carry makes
   * "partage" and "par…" one stem).
   */
  stemmers: { en: StemmerName; fr: StemmerName };
  /**
   * The body field also holds the symptoms, tags, cause and workaround (they
   * keep their own fields too): BM25's saturation and length normalization
   * then see the article's whole text at once, as a user's words are spread
   * over all of it.
   */
  bodyHoldsAll: boolean;
}

export const DEFAULT_TUNING: SearchTuning = {
  boosts: { title: 1.5, symptoms: 0.7, tags: 0.5, body: 1, cause: 0, workaround: 0, pairs: 1 },
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  weights: { accent: 1, family: 1, kin: 0.5, fuzzy: 0.5, prefix: 0.4, join: 0.9, synonym: 0.6, part: 0.5, pair: 1 },
  fuzzy: { minLength: 4, twoEditsFrom: 8, maxCandidates: 3 },
  prefix: { minLength: 4, maxCandidates: 4 },
  coordination: 0,
  focus: 0.5,
  feedback: { docs: 3, terms: 8, weight: 0 },
  crossLanguage: 0.9,
  stemmers: { en: 'lancaster', fr: 'porter' },
  bodyHoldsAll: true,
};

/** Deep-merges a partial tuning over the defaults (for the benchmark and tests). */
export function withTuning(partial: DeepPartial<SearchTuning> = {}): SearchTuning {
  const t = structuredClone(DEFAULT_TUNING) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(partial)) {
    const current = t[key];
    t[key] = value !== null && typeof value === 'object' && typeof current === 'object' ? { ...current, ...value } : value;
  }
  return t as unknown as SearchTuning;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };
