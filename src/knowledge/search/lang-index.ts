/**
 * The index of the articles of one language: a MiniSearch index of analysed
 * terms, plus the vocabulary the query planner needs (folded surface words
 * → the stems they produced, for accent restoration, typo correction and
 * completion; document frequencies, for coverage and confidence).
 *
 * Documents are analysed here, not by MiniSearch: MiniSearch's `processTerm`
 * does not know a document's language, so each field is handed to it as a
 * string of finished terms, split on spaces.
 *
 * MiniSearch builds the inverted index; `TermIndex` (a subclass, MiniSearch's
 * extension point) hands its posting lists over to a flat table (postings.ts,
 * a fifth of the memory; MiniSearch's tree is then dropped) read by our scorer
 * (scorer.ts), which computes the same BM25+ as `MiniSearch.search()` without
 * its per-match allocations (p50 0.3 → 0.1 ms on StackFAQ, a fifth of the
 * garbage). A test checks that both scores agree, so a MiniSearch upgrade
 * that changes its internals fails loudly.
 */
import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Lang } from '../../core/lang.ts';
import type { Analyzer } from '../../nlu/text.ts';
import type { Article } from '../article.ts';
import { FuzzyVocabulary } from './fuzzy.ts';
import { TEXT_FIELDS, type SearchTuning, type TextField } from './tuning.ts';
import { DocUnits, UnitTableBuilder, type UnitTable } from './units.ts';
import { PostingTable, type Postings } from './postings.ts';

export interface IndexedDoc {
  /** `${lang}:${id}`, unique in the index. */
  key: string;
  article: Article;
  /** MiniSearch's short id of the document. */
  shortId: number;
  /** The terms of the short fields, joined by spaces (for pseudo relevance feedback). */
  fields: Record<ShortField, string>;
  /** Term → bit mask of the article's units (title, each symptom, each sentence) that contain it (see `unitsOf`), in the index's `units`. */
  units: DocUnits;
  /** Units [0, shortUnits) are the title and the symptoms (the way users ask). */
  shortUnits: number;
}

export const SHORT_FIELDS = ['title', 'symptoms', 'tags'] as const;
export type ShortField = (typeof SHORT_FIELDS)[number];

export type { Postings } from './postings.ts';

export class TermIndex extends MiniSearch<{ key: string; terms: Record<TextField, string> }> {
  /** MiniSearch's posting lists, term by term (copied into a PostingTable once built). */
  postingLists(): Iterable<[string, Postings]> {
    return this._index;
  }
  /** Drops MiniSearch's posting lists once copied (postings.ts): search() then finds nothing; the rest stays. */
  dropPostings(): void {
    this._index.clear();
  }
  get fieldCount(): number {
    return Object.keys(this._fieldIds).length;
  }
  /** Number of distinct terms of each field of a document (MiniSearch's field length), by field id. */
  fieldLengths(shortId: number): readonly number[] | undefined {
    return this._fieldLength.get(shortId);
  }
  averageFieldLength(fieldId: number): number {
    return this._avgFieldLength[fieldId] ?? 0;
  }
  fieldId(field: TextField): number {
    return this._fieldIds[field] ?? -1;
  }
  /** The document key of a short id. */
  keyOf(shortId: number): string | undefined {
    return this._documentIds.get(shortId) as string | undefined;
  }
  get shortIdLimit(): number {
    return this._nextId;
  }
  /** MiniSearch's state but its posting lists (the PostingTable's), as plain Maps and numbers, for the index cache (index-cache.ts); shared, not copied. */
  saveState(): TermIndexState {
    const { _documentCount: documentCount, _nextId: nextId, _documentIds: documentIds, _fieldIds: fieldIds, _fieldLength: fieldLength } = this;
    return { documentCount, nextId, documentIds, fieldIds, fieldLength, avgFieldLength: this._avgFieldLength, dirtCount: this._dirtCount };
  }
  /** The index `saveState()` saved, built with the same tuning. */
  static restore(state: TermIndexState, tuning: SearchTuning): TermIndex {
    const mini = new TermIndex(termIndexOptions(tuning));
    mini._documentCount = state.documentCount;
    mini._nextId = state.nextId;
    mini._documentIds = state.documentIds;
    mini._idToShortId = new Map([...state.documentIds].map(([shortId, key]) => [key, shortId]));
    mini._fieldIds = state.fieldIds;
    mini._fieldLength = state.fieldLength;
    mini._avgFieldLength = state.avgFieldLength;
    mini._dirtCount = state.dirtCount;
    return mini;
  }
}

export interface TermIndexState {
  documentCount: number;
  nextId: number;
  documentIds: Map<number, string>;
  fieldIds: Record<string, number>;
  fieldLength: Map<number, number[]>;
  avgFieldLength: number[];
  dirtCount: number;
}

/** The options of a language's TermIndex: documents arrive analysed (see the file's comment). */
function termIndexOptions(tuning: SearchTuning) {
  return {
    idField: 'key',
    fields: [...TEXT_FIELDS],
    extractField: (doc: { key: string; terms: Record<TextField, string> }, field: string) => (field === 'key' ? doc.key : doc.terms[field as TextField]),
    tokenize: (text: string) => (text ? text.split(SPACE) : []),
    processTerm: (term: string) => term,
    searchOptions: { boost: tuning.boosts, bm25: tuning.bm25, fields: TEXT_FIELDS.filter((f) => tuning.boosts[f] > 0) },
  };
}

/**
 * Adjacent word pairs, kept out of MiniSearch: there are ten times more pairs
 * than words, nearly all in one document, and MiniSearch's three nested
 * structures per term tripled the heap (and the garbage collector's work).
 * A posting is `shortId * PAIR_TF_LIMIT + tf`; pair number i's postings are
 * postings[starts[i] .. starts[i + 1]), by short id. Flat arrays rather than a
 * Map of numbers and arrays: 10,000 articles hold ~1.4 million pair postings,
 * which as JS arrays took 17 MB of heap and 0.18 s to read back from the cache
 * at every start (bench:memory's profile), as typed arrays they are read as
 * they are (core/cache-file.ts).
 */
export interface PairIndex {
  /** Pair term → pair number. */
  ids: Map<string, number>;
  starts: Uint32Array;
  postings: Uint32Array;
  /** Number of pairs of each document, by short id. */
  lengths: Float64Array;
  average: number;
}

export const PAIR_TF_LIMIT = 1024;

export interface LangIndex {
  lang: Lang;
  analyzer: Analyzer;
  /** MiniSearch's index without its posting lists (field lengths, document ids): see `postings`. */
  mini: TermIndex;
  /** The posting lists (postings.ts). */
  postings: PostingTable;
  pairs: PairIndex;
  /** Documents by key. */
  docs: Map<string, IndexedDoc>;
  /** Documents by MiniSearch short id. */
  byShortId: Array<IndexedDoc | undefined>;
  /** The units of every document (IndexedDoc.units are ranges of it). */
  units: UnitTable;
  /** MiniSearch's field lengths (distinct terms per field id) of each document, by short id. */
  fieldLengths: Array<readonly number[] | undefined>;
  /** Folded surface word → stems it produced → occurrences. */
  surfaces: SearchableMap<Map<string, number>>;
  /** The surface words, for typo correction. */
  fuzzy: FuzzyVocabulary;
  /** Term → number of documents containing it in any field. */
  docFreq: Map<string, number>;
  docCount: number;
}

export function fieldText(a: Article, field: TextField | 'all'): string {
  switch (field) {
    case 'title':
      return a.title;
    case 'symptoms':
      return a.symptoms.join('\n');
    case 'tags':
      return a.tags.join(' ');
    case 'body':
      return a.body;
    case 'all':
      return [a.symptoms.join('\n'), a.tags.join(' '), a.cause ?? '', a.workaround ?? '', a.body].join('\n');
    case 'cause':
      return a.cause ?? '';
    case 'workaround':
      return a.workaround ?? '';
  }
}

const SPACE = / /;

/** A built document's units until its index's table is finished. */
const NO_UNITS = new DocUnits(new UnitTableBuilder().finish(), 0, 0);

/**
 * The index of `articles` (those of `lang`). `keepMiniSearch`: keep MiniSearch's own posting lists
 * too, so that `mini.search()` works (the scorer's test compares with it; 60 MB at 10,000 articles).
 */
export function buildLangIndex(lang: Lang, articles: readonly Article[], analyzer: Analyzer, tuning: SearchTuning, { keepMiniSearch = false } = {}): LangIndex {
  const mini = new TermIndex(termIndexOptions(tuning));
  const surfaces = new SearchableMap<Map<string, number>>();
  const docFreq = new Map<string, number>();
  const docs = new Map<string, IndexedDoc>();
  const byShortId: IndexedDoc[] = [];
  const pairCounts: Array<Map<string, number>> = [];
  const units = new UnitTableBuilder();
  const ranges: Array<{ start: number; end: number }> = [];
  for (const article of articles) {
    const key = `${lang}:${article.id}`;
    if (docs.has(key)) continue;
    const seen = new Set<string>();
    const terms = {} as Record<TextField, string>;
    const pairs = new Map<string, number>();
    for (const field of TEXT_FIELDS) {
      const list: string[] = [];
      let previous = '';
      for (const token of analyzer.tokens(fieldText(article, field === 'body' && tuning.bodyHoldsAll ? 'all' : field))) {
        if (token.stop) continue;
        list.push(token.term);
        seen.add(token.term);
        const stems = surfaces.fetch(token.folded, () => new Map());
        stems.set(token.term, (stems.get(token.term) ?? 0) + 1);
        if (token.part) continue;
        if (previous) {
          const pair = pairTerm(previous, token.term);
          pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
        }
        previous = token.term;
      }
      terms[field] = list.join(' ');
    }
    for (const term of seen) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
    mini.add({ key, terms });
    const shortId = mini.shortIdLimit - 1;
    ranges[shortId] = units.add(unitsOf(article, analyzer));
    const doc: IndexedDoc = { key, article, shortId, fields: { title: terms.title, symptoms: terms.symptoms, tags: terms.tags }, units: NO_UNITS, shortUnits: Math.min(OWN_BITS, 1 + article.symptoms.length) };
    docs.set(key, doc);
    byShortId[doc.shortId] = doc;
    pairCounts[doc.shortId] = pairs;
  }
  const table = units.finish();
  for (const doc of byShortId) doc.units = new DocUnits(table, ranges[doc.shortId]!.start, ranges[doc.shortId]!.end);
  const fuzzy = FuzzyVocabulary.of(surfaces.keys());
  const fieldLengths = byShortId.map((d) => mini.fieldLengths(d.shortId));
  const postings = PostingTable.of(mini.postingLists(), mini.fieldCount);
  if (!keepMiniSearch) mini.dropPostings();
  return { lang, analyzer, mini, postings, pairs: pairIndex(pairCounts), docs, byShortId, units: table, fieldLengths, surfaces, fuzzy, docFreq, docCount: docs.size };
}

/** Bits of a unit mask: the title and the first symptoms get one each, later sentences share the rest. */
const UNIT_BITS = 31;
const OWN_BITS = 8;
const SENTENCE = /[\n.!?;]+(?:\s+|$)/;

/**
 * Where each term of an article occurs, by unit: the title, each symptom,
 * and each sentence of the cause, workaround and body (tags are a bag of
 * keywords, not a unit). A question the article answers tends to find its
 * words together in one unit (a symptom, the title, one sentence); a
 * question it does not cover but shares words with finds them scattered
 * ("my personal iphone won't turn on" against the iPhone enrolment
 * procedure). Beyond UNIT_BITS units, neighbouring sentences share a bit.
 */
function unitsOf(article: Article, analyzer: Analyzer): Map<string, number> {
  const texts = [article.title, ...article.symptoms];
  for (const part of [article.cause ?? '', article.workaround ?? '', article.body]) for (const s of part.split(SENTENCE)) if (s.trim()) texts.push(s);
  const n = texts.length;
  const units = new Map<string, number>();
  texts.forEach((text, u) => {
    const bit = n <= UNIT_BITS || u < OWN_BITS ? u : OWN_BITS + Math.floor(((u - OWN_BITS) * (UNIT_BITS - OWN_BITS)) / (n - OWN_BITS));
    for (const token of analyzer.tokens(text)) {
      if (token.stop) continue;
      units.set(token.term, (units.get(token.term) ?? 0) | (1 << bit));
    }
  });
  return units;
}

function pairIndex(perDoc: ReadonlyArray<Map<string, number> | undefined>): PairIndex {
  const ids = new Map<string, number>();
  const counts: number[] = [];
  const lengths = new Float64Array(perDoc.length);
  let total = 0;
  for (const pairs of perDoc) {
    if (!pairs) continue;
    for (const pair of pairs.keys()) {
      let id = ids.get(pair);
      if (id === undefined) ids.set(pair, (id = counts.push(0) - 1));
      counts[id] = (counts[id] as number) + 1;
    }
  }
  const starts = new Uint32Array(counts.length + 1);
  counts.forEach((n, id) => (starts[id + 1] = (starts[id] as number) + n));
  const postings = new Uint32Array(starts[counts.length] as number);
  const next = starts.slice(0, counts.length);
  perDoc.forEach((pairs, shortId) => {
    if (!pairs) return;
    lengths[shortId] = pairs.size;
    total += pairs.size;
    for (const [pair, tf] of pairs) {
      const id = ids.get(pair) as number;
      postings[next[id] as number] = shortId * PAIR_TF_LIMIT + Math.min(tf, PAIR_TF_LIMIT - 1);
      next[id] = (next[id] as number) + 1;
    }
  });
  return { ids, starts, postings, lengths, average: perDoc.length > 0 ? total / perDoc.length : 0 };
}

/** The index term of two adjacent words, in either order. */
export function pairTerm(a: string, b: string): string {
  return a < b ? `${a}_${b}` : `${b}_${a}`;
}

/** Inverse document frequency of a term (BM25's, never negative); unknown terms get the rarest value. */
export function idf(index: LangIndex, term: string): number {
  const n = index.docFreq.get(term) ?? 0;
  return Math.log(1 + (index.docCount - n + 0.5) / (n + 0.5));
}
