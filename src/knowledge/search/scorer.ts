/**
 * Scores a planned query against one language's index: the BM25+ of
 * MiniSearch (same formula, same field lengths, same per-field document
 * frequencies), each term weighted by the planner, over MiniSearch's posting
 * lists (copied into flat arrays, postings.ts), into reused arrays instead of
 * per-match objects. With one term per
 * slot (no synonym, no correction) it is exactly `MiniSearch.search()`'s
 * score without its "matched terms" multiplier.
 *
 *   s(t, d) = weight(t) · Σ_fields boost(f) · idf_f(t) · (δ + tf·(k+1) / (tf + k·(1 − b + b·len_f(d)/avg_f)))
 *   score(d) = Σ_slots max_alternatives Σ_{t ∈ alternative} s(t, d)
 *
 * with idf_f(t) = ln(1 + (N − n_f(t) + 0.5) / (n_f(t) + 0.5)), n_f(t) the
 * number of documents with t in field f. No coordination factor: plain BM25
 * ranked best on both benchmarks (an IDF-weighted coverage multiplier cost 3
 * points of Recall@1 on StackFAQ); coverage is used for the confidence.
 */
import type { Article } from '../article.ts';
import { PAIR_TF_LIMIT, type IndexedDoc, type LangIndex } from './lang-index.ts';
import type { QueryPlan } from './query-plan.ts';
import { TEXT_FIELDS, type SearchTuning } from './tuning.ts';
import type { UnitLookup } from './units.ts';

export interface Scored {
  doc: IndexedDoc;
  shortId: number;
  score: number;
  /** Bit i set: the document matches planned term i (the first 32 terms; see `coverageOf`). */
  matched: number;
}

/** Planned terms tracked per document for coverage; a query rarely has more, and the rest are minor variants. */
const TRACKED_TERMS = 32;

/**
 * The state of one scoring pass, reused across queries of one index (search
 * is synchronous: one query at a time uses it). A class with methods, not
 * closures: `tsx`/esbuild's keep-names helper re-wraps every named closure on
 * each call, which changed the callbacks' hidden classes and made V8
 * deoptimize the hot loops again and again (p99 ×4).
 */
class ScoreRun {
  /** Per document: total score, best alternative of the current slot, sum of the current phrase. */
  readonly total: Float64Array;
  readonly slotBest: Float64Array;
  readonly phraseSum: Float64Array;
  readonly masks: Uint32Array;
  /** Documents touched so far (overall, in the current slot, in the current phrase). */
  readonly touched: Int32Array;
  readonly inSlot: Int32Array;
  readonly inPhrase: Int32Array;
  nTouched = 0;
  nSlot = 0;
  nPhrase = 0;
  /** Parameters of the posting list being added. */
  k = 1.2;
  b = 0.7;
  d = 0.5;
  factor = 0;
  avg = 1;
  fieldId = 0;
  bit = 0;
  lengths: readonly (readonly number[] | undefined)[] = [];
  pairLengths: Float64Array = new Float64Array(0);

  constructor(readonly size: number) {
    this.total = new Float64Array(size);
    this.slotBest = new Float64Array(size);
    this.phraseSum = new Float64Array(size);
    this.masks = new Uint32Array(size);
    this.touched = new Int32Array(size);
    this.inSlot = new Int32Array(size);
    this.inPhrase = new Int32Array(size);
  }

  /** One posting (term frequency, document) of a text field. */
  addPosting(tf: number, shortId: number): void {
    const len = this.lengths[shortId]?.[this.fieldId] ?? this.avg;
    this.addScore(shortId, tf, len);
  }

  /** One posting of the pair index (shortId and tf packed in one number). */
  addPair(posting: number): void {
    const shortId = Math.floor(posting / PAIR_TF_LIMIT);
    this.addScore(shortId, posting % PAIR_TF_LIMIT, this.pairLengths[shortId] ?? this.avg);
  }

  addScore(shortId: number, tf: number, len: number): void {
    const { k, b } = this;
    if (this.phraseSum[shortId] === 0) this.inPhrase[this.nPhrase++] = shortId;
    this.phraseSum[shortId] = (this.phraseSum[shortId] ?? 0) + this.factor * (this.d + (tf * (k + 1)) / (tf + k * (1 - b + (b * len) / this.avg)));
    this.masks[shortId] = (this.masks[shortId] ?? 0) | this.bit;
  }

  endPhrase(): void {
    for (let i = 0; i < this.nPhrase; i += 1) {
      const doc = this.inPhrase[i] ?? 0;
      const sum = this.phraseSum[doc] ?? 0;
      this.phraseSum[doc] = 0;
      if (this.slotBest[doc] === 0) this.inSlot[this.nSlot++] = doc;
      if (sum > (this.slotBest[doc] ?? 0)) this.slotBest[doc] = sum;
    }
    this.nPhrase = 0;
  }

  endSlot(): void {
    this.endPhrase();
    for (let i = 0; i < this.nSlot; i += 1) {
      const doc = this.inSlot[i] ?? 0;
      if (this.total[doc] === 0) this.touched[this.nTouched++] = doc;
      this.total[doc] = (this.total[doc] ?? 0) + (this.slotBest[doc] ?? 0);
      this.slotBest[doc] = 0;
    }
    this.nSlot = 0;
  }
}

const runs = new WeakMap<LangIndex, ScoreRun>();

function runFor(index: LangIndex): ScoreRun {
  let run = runs.get(index);
  if (!run || run.size < index.mini.shortIdLimit) {
    run = new ScoreRun(index.mini.shortIdLimit);
    runs.set(index, run);
  }
  return run;
}

/**
 * The best `limit` visible documents for the plan, best first. A document's
 * score is the sum over slots (the user's words) of its best alternative in
 * the slot, an alternative being one term or the sum of a phrase's terms.
 */
export function scorePlan(index: LangIndex, plan: QueryPlan, tuning: SearchTuning, visible: (a: Article) => boolean, limit: number): Scored[] {
  const run = runFor(index);
  const mini = index.mini;
  const postings = index.postings;
  const n = index.docCount;
  run.k = tuning.bm25.k;
  run.b = tuning.bm25.b;
  run.d = tuning.bm25.d;
  run.nTouched = 0;
  run.lengths = index.fieldLengths;
  run.pairLengths = index.pairs.lengths;
  let slot = -1;
  let phrase = -1;
  for (let i = 0; i < plan.terms.length; i += 1) {
    const planned = plan.terms[i];
    if (!planned) continue;
    if (planned.slot !== slot) run.endSlot();
    else if (planned.phrase !== phrase) run.endPhrase();
    slot = planned.slot;
    phrase = planned.phrase;
    run.bit = i < TRACKED_TERMS ? 1 << i : 0;
    if (planned.kind === 'pair') {
      const { ids, starts, postings: pairPostings } = index.pairs;
      const pair = ids.get(planned.term);
      if (pair === undefined) continue;
      const start = starts[pair] as number;
      const end = starts[pair + 1] as number;
      const df = end - start;
      run.avg = index.pairs.average || 1;
      run.factor = planned.weight * tuning.boosts.pairs * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let p = start; p < end; p += 1) run.addPair(pairPostings[p] as number);
      continue;
    }
    const term = postings.termId(planned.term);
    if (term === undefined) continue;
    for (let f = 0; f < TEXT_FIELDS.length; f += 1) {
      const field = TEXT_FIELDS[f] ?? 'body';
      // A field with boost 0 is not scored (MiniSearch reads a 0 boost as 1: it is left out of its search fields instead, lang-index.ts).
      if (tuning.boosts[field] === 0) continue;
      run.fieldId = mini.fieldId(field);
      if (run.fieldId < 0) continue;
      const start = postings.starts[term * postings.fields + run.fieldId] ?? 0;
      const end = postings.starts[term * postings.fields + run.fieldId + 1] ?? 0;
      const df = end - start;
      if (df <= 0) continue;
      run.avg = mini.averageFieldLength(run.fieldId) || 1;
      run.factor = planned.weight * tuning.boosts[field] * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let p = start; p < end; p += 1) run.addPosting(postings.tfs[p] ?? 0, postings.docs[p] ?? 0);
    }
  }
  run.endSlot();
  const out: Scored[] = [];
  for (let i = 0; i < run.nTouched; i += 1) {
    const shortId = run.touched[i] ?? 0;
    const score = run.total[shortId] ?? 0;
    const matched = run.masks[shortId] ?? 0;
    run.total[shortId] = 0;
    run.masks[shortId] = 0;
    if (out.length >= limit && (out[out.length - 1]?.score ?? 0) >= score) continue;
    const doc = index.byShortId[shortId];
    if (!doc || !visible(doc.article)) continue;
    insertTop(out, { doc, shortId, score, matched: matched >>> 0 }, limit);
  }
  return out;
}

/** Keeps `top` sorted by descending score and at most `limit` long. */
function insertTop(top: Scored[], item: Scored, limit: number): void {
  let i = top.length;
  while (i > 0 && (top[i - 1]?.score ?? 0) < item.score) i -= 1;
  top.splice(i, 0, item);
  if (top.length > limit) top.pop();
}

/**
 * Share of the query's information the document matches, 0..1: each concept
 * (word the user typed) weighs its IDF and is credited by its best matching
 * term (its weight: 1 exact, less for a correction or a synonym), or by the
 * terms of one synonym phrase together. `matched` is `Scored.matched`.
 * `guesses: false` ignores typo corrections and completions (the share of
 * the query matched by the words as typed, or their synonyms): a question
 * whose key word the knowledge base does not know ("cantine") often gets
 * full coverage through a correction ("cartouche"), rarely without.
 */
export function coverageOf(plan: QueryPlan, matched: number, guesses = true): number {
  const n = plan.concepts.length;
  const credit = creditsOf(plan, matched, guesses);
  let total = 0;
  let covered = 0;
  for (let c = 0; c < n; c += 1) {
    const idf = plan.concepts[c]?.idf ?? 0;
    total += idf;
    covered += idf * Math.min(1, Math.max(credit[c] ?? 0, credit[n + c] ?? 0));
  }
  return total > 0 ? covered / total : 0;
}

/** The query's information in this index: the summed IDF of its concepts (over `rarest`: SearchHit `information`). */
export function informationOf(plan: QueryPlan): number {
  let total = 0;
  for (const c of plan.concepts) total += c.idf;
  return total;
}

/**
 * How specific the most specific word the document misses is, 0..1: the
 * largest IDF·(1 − credit) of a concept, matched as typed (or by a synonym),
 * over `rarest` (the IDF of a word no article contains). A question whose
 * rare word matches nothing ("autocad", "organigramme") is likely one the
 * base does not cover; a common missed word ("problème") weighs little.
 */
export function missingOf(plan: QueryPlan, matched: number, rarest: number): number {
  const n = plan.concepts.length;
  // A typo correction or a completion counts half: "pasword" is likely "password", but "cantine" may be corrected into a word it is not.
  const credit = creditsOf(plan, matched, true, GUESS_CREDIT);
  let missing = 0;
  for (let c = 0; c < n; c += 1) {
    const idf = plan.concepts[c]?.idf ?? 0;
    missing = Math.max(missing, idf * (1 - Math.min(1, Math.max(credit[c] ?? 0, credit[n + c] ?? 0))));
  }
  return rarest > 0 ? Math.min(1, missing / rarest) : 0;
}

/**
 * The best coverage of the query by one unit of the document (its title, a
 * symptom, a sentence; lang-index.ts `unitsOf`), 0..1: how much of what the
 * query asks the article says in one place. `matched` is `Scored.matched`.
 */
export function focusOf(plan: QueryPlan, matched: number, units: UnitLookup, unitLimit = 32): number {
  unitMasks.fill(0);
  const terms = plan.terms;
  for (let i = 0; i < terms.length && i < TRACKED_TERMS; i += 1) {
    const t = terms[i];
    if (!t || t.kind === 'pair' || (matched & (1 << i)) === 0) continue;
    const where = units.get(t.term) ?? 0;
    for (let u = 0; u < 32; u += 1) if ((where >>> u) & 1) unitMasks[u] = (unitMasks[u] ?? 0) | (1 << i);
  }
  let best = 0;
  for (let u = 0; u < unitLimit; u += 1) {
    const mask = unitMasks[u] ?? 0;
    if (mask !== 0) best = Math.max(best, coverageOf(plan, mask));
  }
  return best;
}

const unitMasks = new Uint32Array(32);

/** Per concept, [0, n): its best single-term credit; [n, 2n): the sum of its phrase shares (a shared scratch array). */
function creditsOf(plan: QueryPlan, matched: number, guesses: boolean, guessCredit = 1): Float64Array {
  const n = plan.concepts.length;
  if (coverageScratch.length < 2 * n) coverageScratch = new Float64Array(2 * n);
  const credit = coverageScratch;
  credit.fill(0, 0, 2 * n);
  const terms = plan.terms;
  for (let i = 0; i < terms.length && i < TRACKED_TERMS; i += 1) {
    const t = terms[i];
    if (!t || (matched & (1 << i)) === 0) continue;
    if (!guesses && (t.kind === 'fuzzy' || t.kind === 'prefix')) continue;
    // A typo correction is the word the user meant: full credit here (its ranking weight stays lower); typedCoverage tells guesses apart.
    const weight = t.kind === 'fuzzy' ? guessCredit : t.kind === 'prefix' ? guessCredit * t.weight : t.weight;
    const credits = t.credits;
    for (let j = 0; j + 1 < credits.length; j += 2) {
      const c = credits[j] ?? 0;
      const share = credits[j + 1] ?? 0;
      if (share >= 1) credit[c] = Math.max(credit[c] ?? 0, weight);
      else credit[n + c] = (credit[n + c] ?? 0) + weight * share;
    }
  }
  return credit;
}

let coverageScratch = new Float64Array(64);

/** The credit of a typo correction or a completion in `missingOf`. */
const GUESS_CREDIT = 0.5;
