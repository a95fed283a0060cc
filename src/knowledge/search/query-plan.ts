/**
 * Turns a user's query into weighted index terms for one language's index.
 *
 * Each word the user typed (not a stop word) is a *concept*. A concept is
 * searched as its own stem and, with a lower weight, as what it may have
 * meant: the same word with other accents ("oublie" → "oublié"), a typo
 * correction or a completion (only when the index does not know the word:
 * "imprimate" → "imprimante", "outlok" → "outlook"), two words joined ("wi
 * fi" → "wifi", "git hub" → "github"), and synonyms ("mdp" → "mot de passe").
 * Corrections use the index's own vocabulary of surface words, so they only
 * ever propose words that exist in the articles.
 *
 * The concepts also carry an IDF weight, so that the search can tell how much
 * of the query's information a document covers (see knowledge-search.ts).
 */
import type { Token } from '../../nlu/text.ts';
import type { Expansion, SynonymMatcher } from '../../nlu/synonyms.ts';
import { idf, pairTerm, type LangIndex } from './lang-index.ts';
import type { SearchTuning } from './tuning.ts';

export type TermKind = 'exact' | 'accent' | 'family' | 'fuzzy' | 'prefix' | 'join' | 'synonym' | 'part' | 'pair' | 'feedback';

export interface PlannedTerm {
  term: string;
  /** Relative weight: 1 for the user's own word, less for what it may have meant. */
  weight: number;
  /**
   * The concept whose alternatives this term is one of. A document scores,
   * per slot, its best alternative (not their sum: "ordi" expanding to eight
   * synonyms must not weigh eight words).
   */
  slot: number;
  /** Terms of one multi-word alternative ("mot de passe") share a phrase id and add up within it. */
  phrase: number;
  /**
   * The concepts a match of this term counts for, with the share of each it
   * covers (0..1], flat: [concept, share, concept, share, …].
   */
  credits: number[];
  kind: TermKind;
}

export interface Concept {
  /** Token position of the word in the query. */
  pos: number;
  /** The word as typed, folded. */
  word: string;
  /** IDF of the word's own stem; the rarest possible when the index does not know it. */
  idf: number;
}

export interface QueryPlan {
  terms: PlannedTerm[];
  concepts: Concept[];
}

export function planQuery(
  tokens: readonly Token[],
  index: LangIndex,
  tuning: SearchTuning,
  synonyms: SynonymMatcher | null,
): QueryPlan {
  const plan = new PlanBuilder();
  // The user's words, one per position: words[c] is concept c.
  const words: Token[] = [];
  for (const t of tokens) if (!t.stop && !t.part && words[words.length - 1]?.pos !== t.pos) words.push(t);
  const concepts: Concept[] = words.map((t) => ({ pos: t.pos, word: t.folded, idf: idf(index, t.term) }));
  for (let c = 0; c < words.length; c += 1) {
    const t = words[c];
    if (t) addWord(plan, tokens, t, c, index, tuning);
  }
  addJoins(plan, tokens, words, index, tuning);
  if (tuning.weights.pair > 0) {
    // Each pair of consecutive words is a slot of its own: extra evidence, not a concept to cover.
    for (let i = 0; i + 1 < words.length; i += 1) {
      const a = words[i];
      const b = words[i + 1];
      if (a && b && a.term !== b.term) plan.add([pairTerm(a.term, b.term)], tuning.weights.pair, 'pair', [], words.length + i);
    }
  }
  if (synonyms) addSynonyms(plan, synonyms.expand(tokens), words, tuning);
  return { terms: plan.sorted(), concepts };
}

/**
 * Collects planned terms, one per distinct term (the first alternative that
 * proposes a term keeps its slot; its weight becomes the highest proposed).
 * Methods and loops rather than closures and array pipelines: this is the
 * hottest code of a query, and V8 kept deoptimizing the closure version (see
 * scorer.ts on tsx's keep-names helper) and its short-lived arrays of mixed
 * element kinds.
 */
class PlanBuilder {
  private readonly terms = new Map<string, PlannedTerm>();
  private phrases = 0;

  /** Adds one alternative (one term, or the terms of a phrase) of slot `slot`; `credits` is flat [concept, share, …]. */
  add(alternative: readonly string[], weight: number, kind: TermKind, credits: readonly number[], slot: number): void {
    const phrase = this.phrases++;
    for (const term of alternative) {
      const existing = this.terms.get(term);
      if (!existing) {
        this.terms.set(term, { term, weight, slot, phrase, kind, credits: credits.slice() });
        continue;
      }
      if (weight > existing.weight) {
        existing.weight = weight;
        existing.kind = kind;
      }
      for (let j = 0; j + 1 < credits.length; j += 2) mergeCredit(existing.credits, credits[j] ?? 0, credits[j + 1] ?? 0);
    }
  }

  sorted(): PlannedTerm[] {
    return [...this.terms.values()].sort((a, b) => a.slot - b.slot || a.phrase - b.phrase);
  }
}

function mergeCredit(credits: number[], concept: number, share: number): void {
  for (let j = 0; j + 1 < credits.length; j += 2) {
    if (credits[j] === concept) {
      credits[j + 1] = Math.max(credits[j + 1] ?? 0, share);
      return;
    }
  }
  credits.push(concept, share);
}

/** One word: its stem, its other accentuations, and if the index does not know it, corrections and parts. */
function addWord(plan: PlanBuilder, tokens: readonly Token[], t: Token, c: number, index: LangIndex, tuning: SearchTuning): void {
  const own = [c, 1];
  plan.add([t.term], 1, 'exact', own, c);
  let variants = 0;
  const stems = index.surfaces.get(t.folded);
  if (stems) {
    for (const stem of stems.keys()) {
      if (stem === t.term) continue;
      plan.add([stem], tuning.weights.accent, 'accent', own, c);
      variants += 1;
    }
  }
  if (index.lang === 'fr' && tuning.weights.family > 0) variants += addFamily(plan, t.term, c, index, tuning.weights.family);
  // Kin are not counted as variants: an unknown word still gets its typo corrections.
  if (index.lang === 'fr' && tuning.weights.kin > 0) addKin(plan, t.term, c, index, tuning.weights.kin);
  if (variants > 0 || index.docFreq.has(t.term)) return;
  addCorrections(plan, t.folded, c, index, tuning);
  addParts(plan, tokens, t, c, index, tuning);
}

/**
 * The French stems of one word family that Porter leaves apart, when the
 * index knows them: a noun and its participle ("oubli" → "oubl", "oublié" →
 * "oubli"), a noun in -age and its verb ("verrouillage" → "verrouillag",
 * "verrouiller" → "verrouill"; only for roots of 5+ letters, so that
 * "partage" stays apart from "part"). Returns the number of stems added.
 */
function addFamily(plan: PlanBuilder, term: string, c: number, index: LangIndex, weight: number): number {
  let added = 0;
  const own = [c, 1];
  FAMILY[0] = term.length >= 4 && term.endsWith('i') ? term.slice(0, -1) : `${term}i`;
  FAMILY[1] = term.length >= 7 && term.endsWith('ag') ? term.slice(0, -2) : term.length >= 5 && !term.endsWith('ag') ? `${term}ag` : '';
  for (const stem of FAMILY) {
    if (!stem || stem === term || !index.docFreq.has(stem)) continue;
    plan.add([stem], weight, 'family', own, c);
    added += 1;
  }
  return added;
}

const FAMILY = ['', ''];

/**
 * The French stems of the index that start with the word's stem less its
 * last letter, for stems of KIN_MIN letters or more: the other forms of a
 * verb and its nouns that Porter cuts at different places ("inscrire" →
 * "inscrir", whose kin under "inscri" are "inscript" of "inscription" and
 * "inscrit"). At most KIN_SCAN surface words are looked at and KIN_MAX
 * stems added (bounded work per word).
 */
function addKin(plan: PlanBuilder, term: string, c: number, index: LangIndex, weight: number): void {
  if (term.length < KIN_MIN) return;
  const stem = term.slice(0, term.length - 1);
  const own = [c, 1];
  let added = 0;
  let scanned = 0;
  for (const [, stems] of index.surfaces.atPrefix(stem)) {
    if ((scanned += 1) > KIN_SCAN) return;
    for (const kin of stems.keys()) {
      if (kin === term || !kin.startsWith(stem)) continue;
      plan.add([kin], weight, 'family', own, c);
      if ((added += 1) >= KIN_MAX) return;
    }
  }
}

/** Kin for stems of this many letters or more (shorter stems share prefixes by chance: "part" / "partage"). */
const KIN_MIN = 5;
const KIN_SCAN = 64;
const KIN_MAX = 8;

/** Typo corrections, then completions, of a word the index does not know. */
function addCorrections(plan: PlanBuilder, folded: string, c: number, index: LangIndex, tuning: SearchTuning): void {
  const { fuzzy, prefix, weights } = tuning;
  const own = [c, 1];
  if (folded.length >= fuzzy.minLength && !/\d/.test(folded)) {
    const near = index.fuzzy.near(folded, folded.length >= fuzzy.twoEditsFrom ? 2 : 1);
    const best = near[0]?.distance ?? 0;
    // The closest words only, the most frequent first.
    const closest = near
      .filter((n) => n.distance === best)
      .map((n) => ({ stems: index.surfaces.get(n.word), count: total(index.surfaces.get(n.word)) }))
      .sort((a, b) => b.count - a.count)
      .slice(0, fuzzy.maxCandidates);
    for (const f of closest) for (const stem of f.stems?.keys() ?? []) plan.add([stem], weights.fuzzy / best, 'fuzzy', own, c);
  }
  if (folded.length >= prefix.minLength) {
    // The most frequent completions among the first PREFIX_SCAN words under the prefix (bounded work per word).
    const found: Array<{ stems: Map<string, number>; count: number }> = [];
    let scanned = 0;
    for (const [surface, stems] of index.surfaces.atPrefix(folded)) {
      if (surface !== folded) found.push({ stems, count: total(stems) });
      if ((scanned += 1) >= PREFIX_SCAN) break;
    }
    found.sort((a, b) => b.count - a.count);
    for (const f of found.slice(0, prefix.maxCandidates)) for (const stem of f.stems.keys()) plan.add([stem], weights.prefix, 'prefix', own, c);
  }
}

/** The parts of an unknown hyphenated compound ("error-809" → "error", "809"), together one alternative. */
function addParts(plan: PlanBuilder, tokens: readonly Token[], t: Token, c: number, index: LangIndex, tuning: SearchTuning): void {
  const parts: string[] = [];
  for (const p of tokens) if (p.part && p.pos === t.pos && !p.stop && index.docFreq.has(p.term)) parts.push(p.term);
  if (parts.length > 0) plan.add(parts, tuning.weights.part, 'part', [c, 1 / parts.length], c);
}

/** Two consecutive words that the index knows as one ("wi fi" → "wifi", "log in" → "login"). */
function addJoins(plan: PlanBuilder, tokens: readonly Token[], words: readonly Token[], index: LangIndex, tuning: SearchTuning): void {
  let previous: Token | undefined;
  for (const b of tokens) {
    if (b.part) continue;
    const a = previous;
    previous = b;
    if (!a || (a.stop && b.stop)) continue;
    const stems = index.surfaces.get(a.folded + b.folded);
    if (!stems) continue;
    const credits: number[] = [];
    const ca = conceptOf(words, a.pos);
    const cb = conceptOf(words, b.pos);
    if (ca >= 0) credits.push(ca, 1);
    if (cb >= 0) credits.push(cb, 1);
    const slot = ca >= 0 ? ca : cb;
    if (slot < 0) continue;
    for (const stem of stems.keys()) plan.add([stem], tuning.weights.join, 'join', credits, slot);
  }
}

/** Synonym expansions: each alternative phrase credits the words it replaces, in the slot of the first. */
function addSynonyms(plan: PlanBuilder, expansions: readonly Expansion[], words: readonly Token[], tuning: SearchTuning): void {
  for (const e of expansions) {
    const credits: number[] = [];
    const share = 1 / e.terms.length;
    for (let c = 0; c < words.length; c += 1) {
      const pos = words[c]?.pos ?? -1;
      if (pos >= e.start && pos <= e.end) credits.push(c, share);
    }
    const slot = credits[0];
    if (slot !== undefined) plan.add(e.terms, tuning.weights.synonym, 'synonym', credits, slot);
  }
}

/** The concept (index in `words`) of a token position, or −1 for a stop word. */
function conceptOf(words: readonly Token[], pos: number): number {
  for (let c = 0; c < words.length; c += 1) if (words[c]?.pos === pos) return c;
  return -1;
}

/** At most this many words under a prefix are looked at for completions. */
const PREFIX_SCAN = 64;

function total(m: Map<string, number> | undefined): number {
  let n = 0;
  for (const v of m?.values() ?? []) n += v;
  return n;
}
