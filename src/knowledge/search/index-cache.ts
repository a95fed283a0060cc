/**
 * The search index saved to a file and reused at the next start while
 * nothing it was built from changed: building it for 10,000 articles takes
 * about 20 s (analysis of every field, MiniSearch, word pairs, units), loading
 * it back well under a second (figures: README.md beside this file).
 *
 * The key hashes everything the built index depends on: each article's
 * content version (id, language, content hash), the synonyms, the tuning, a
 * format version, and the code that analyses and indexes (this folder,
 * src/nlu, MiniSearch and natural). Any difference, or a file that cannot
 * be read, means a new build, which is then saved; a cache is never trusted
 * over the articles it is given (each saved document must find its article).
 *
 * Saved per language: MiniSearch's state (TermIndex.saveState), its posting
 * lists as a table (postings.ts), the word
 * pairs, the vocabulary, the document frequencies, the units table
 * (units.ts), the typo vocabulary (fuzzy.ts) and each document's article (its
 * body apart, kept as UTF-8 once loaded: `lazyBodies`) and fields. Not saved:
 * the analyser.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SearchableMap from 'minisearch/SearchableMap';
import { cacheKey, codeVersion, readCache, writeCache } from '../../core/cache-file.ts';
import type { Lang } from '../../core/lang.ts';
import type { SynonymRule } from '../../nlu/synonyms.ts';
import { analyzerFor } from '../../nlu/text.ts';
import type { Article } from '../article.ts';
import { contentHash } from '../article-change.ts';
import { FuzzyVocabulary, type SavedVocabulary } from './fuzzy.ts';
import { TermIndex, type IndexedDoc, type LangIndex, type PairIndex, type ShortField, type TermIndexState } from './lang-index.ts';
import type { SearchTuning } from './tuning.ts';
import { DocUnits, UnitTable } from './units.ts';
import { PostingTable } from './postings.ts';

/** Bump when the saved shape changes without a code change in the hashed folders. */
const FORMAT_VERSION = 7;

export interface IndexCacheOptions {
  /** The cache file (e.g. `<cache dir>/search-index.bin`). */
  file: string;
  /** Told once per build why the cache was not used, and when a save fails. */
  log?: (fields: Record<string, unknown>, message: string) => void;
  /**
   * Why the caller's own attempt to load it (loadKnowledgeIndex) just failed: then a build does not
   * read the file again, it builds, saves and logs this reason.
   */
  missed?: CacheMiss;
}

export type CacheMiss = 'missing' | 'stale' | 'corrupt';

interface SavedDoc {
  key: string;
  /** The article without its body: the bodies are SavedLangIndex.bodies. */
  article: Omit<Article, 'body'>;
  shortId: number;
  fields: Record<ShortField, string>;
  /** The doc's units: [unitStart, unitEnd) of SavedLangIndex.units (IndexedDoc.units). */
  unitStart: number;
  unitEnd: number;
  shortUnits: number;
}

interface SavedLangIndex {
  lang: Lang;
  mini: TermIndexState;
  postings: ReturnType<PostingTable['save']>;
  /** The pair table (lang-index.ts `PairIndex`): its terms by number, and its arrays as they are. */
  pairs: { terms: string[]; starts: Uint32Array; postings: Uint32Array; lengths: Float64Array; average: number };
  docs: SavedDoc[];
  /** The units table (units.ts): its terms by id, and its arrays as they are. */
  units: { terms: string[]; termIds: Uint32Array; masks: Int32Array };
  /** The docs' bodies, UTF-8, one after the other; doc i's ends at bodyEnds[i] (see `lazyBodies`). */
  bodies: Buffer;
  bodyEnds: Uint32Array;
  surfaces: SearchableMap<Map<string, number>>['_tree'];
  /** The typo vocabulary (fuzzy.ts), its bigram lists as they are. */
  fuzzy: SavedVocabulary;
  docFreq: Map<string, number>;
  docCount: number;
}

let code: string | undefined;
/** The version of the code the index depends on, computed once per process. */
function analysisCode(): string {
  if (code === undefined) {
    const require = createRequire(import.meta.url);
    code = codeVersion(
      new URL('./', import.meta.url),
      new URL('../../nlu/', import.meta.url),
      dirname(require.resolve('minisearch')),
      dirname(require.resolve('natural/package.json')),
    );
  }
  return code;
}

/** What the key reads of an article: a stored article's version carries its content hash; others get it computed. */
export type IndexedVersion = Pick<Article, 'id' | 'lang'> & { contentHash?: string };

/** The key of an index of these article versions built with these synonyms and tuning. */
export function indexKey(versions: readonly IndexedVersion[], synonyms: readonly SynonymRule[], tuning: SearchTuning): string {
  const list = versions.map((a) => `${a.lang}:${a.id}:${a.contentHash ?? contentHash(a as Article)}`).sort();
  return cacheKey(FORMAT_VERSION, analysisCode(), tuning, synonyms, list);
}

/**
 * The saved language indexes of exactly these versions, with their articles (the saved ones, or
 * `articles` when given); undefined when the cache does not hold them. Never throws.
 */
export function loadLangIndexes(
  cache: IndexCacheOptions,
  versions: readonly IndexedVersion[],
  synonyms: readonly SynonymRule[],
  tuning: SearchTuning,
  articles?: readonly Article[],
): { indexes: LangIndex[]; articles: Article[] } | { miss: CacheMiss } {
  const read = readCache<SavedLangIndex[]>(cache.file, indexKey(versions, synonyms, tuning), Array.isArray);
  if (!read.value) return { miss: read.miss ?? 'corrupt' };
  const byKey = new Map<string, Article>();
  // The first of two versions with one key, as buildLangIndex keeps.
  for (const a of articles ?? []) if (!byKey.has(`${a.lang}:${a.id}`)) byKey.set(`${a.lang}:${a.id}`, a);
  try {
    const indexes = read.value.map((s) => restoreLangIndex(s, articles ? byKey : undefined, tuning));
    if (indexes.some((i) => i === undefined)) return { miss: 'corrupt' };
    const restored = indexes as LangIndex[];
    return { indexes: restored, articles: restored.flatMap((i) => [...i.docs.values()].map((d) => d.article)) };
  } catch {
    return { miss: 'corrupt' };
  }
}

/**
 * The language indexes of `articles`: loaded from the cache when its key matches, otherwise built by
 * `build` and saved (logged once, with why). Never throws because of the cache.
 */
export function cachedLangIndexes(
  cache: IndexCacheOptions,
  articles: readonly Article[],
  synonyms: readonly SynonymRule[],
  tuning: SearchTuning,
  build: () => LangIndex[],
): LangIndex[] {
  const loaded = cache.missed ? { miss: cache.missed } : loadLangIndexes(cache, articles, synonyms, tuning, articles);
  if ('indexes' in loaded) return loaded.indexes;
  const started = performance.now();
  const built = build();
  const buildMs = Math.round(performance.now() - started);
  const failed = writeCache(cache.file, indexKey(articles, synonyms, tuning), built.map(saveLangIndex));
  const fields = { file: cache.file, reason: loaded.miss, buildMs, articles: articles.length, ...(failed ? { saveError: failed.message } : {}) };
  cache.log?.(fields, failed ? 'search index built; its cache could not be saved' : 'search index built and cached');
  return built;
}

function saveLangIndex(index: LangIndex): SavedLangIndex {
  const all = [...index.docs.values()];
  const docs = all.map(({ key, article: { body: _body, ...article }, shortId, fields, units, shortUnits }): SavedDoc => ({ key, article, shortId, fields, unitStart: units.start, unitEnd: units.end, shortUnits }));
  const units = { terms: index.units.terms(), termIds: index.units.termIds, masks: index.units.masks };
  const bodies = all.map((d) => Buffer.from(d.article.body, 'utf8'));
  const bodyEnds = new Uint32Array(bodies.length);
  bodies.reduce((end, b, i) => (bodyEnds[i] = end + b.length), 0);
  const saved = { lang: index.lang, mini: index.mini.saveState(), postings: index.postings.save(), pairs: savePairs(index.pairs), docs, units, bodies: Buffer.concat(bodies), bodyEnds };
  return { ...saved, surfaces: index.surfaces._tree, fuzzy: index.fuzzy.save(), docFreq: index.docFreq, docCount: index.docCount };
}

function savePairs({ ids, starts, postings, lengths, average }: PairIndex): SavedLangIndex['pairs'] {
  const terms: string[] = [];
  for (const [term, id] of ids) terms[id] = term;
  return { terms, starts, postings, lengths, average };
}

/** The saved pair table; undefined when its parts do not fit. */
function restorePairs(saved: SavedLangIndex['pairs']): PairIndex | undefined {
  const { terms, starts, postings, lengths, average } = saved;
  if (!Array.isArray(terms) || !(starts instanceof Uint32Array) || !(postings instanceof Uint32Array) || !(lengths instanceof Float64Array)) return undefined;
  if (starts.length !== terms.length + 1 || starts[terms.length] !== postings.length) return undefined;
  return { ids: new Map(terms.map((t, id) => [t, id])), starts, postings, lengths, average };
}

/**
 * The saved articles of one index with their bodies read from `bodies` when asked (an enumerable getter: spreads,
 * JSON and structured clones see a plain `body`). Held as UTF-8 outside the heap, the bodies of 10,000 articles take
 * 14 MB instead of 28 (most hold a character beyond Latin-1, ’ or —, which makes V8 store the whole string with two
 * bytes a character); a search decodes the bodies of its hits (for their highlights), a few microseconds each.
 * One getter for all the index's articles, each article's number in a WeakMap, and articles saved without a `body`
 * key: a getter of its own per article (a closure) gave every article a map of its own, and redefining a data property
 * as an accessor made it a dictionary: 5 µs an article, 49 ms of a 10,000-article start, against 1 µs.
 */
function lazyBodies(bodies: Buffer, bodyEnds: Uint32Array): (article: Omit<Article, 'body'>, i: number) => Article {
  const numbers = new WeakMap<object, number>();
  const body = {
    enumerable: true,
    configurable: true,
    get(this: object): string {
      const i = numbers.get(this) ?? 0;
      return bodies.toString('utf8', i > 0 ? bodyEnds[i - 1] : 0, bodyEnds[i]);
    },
  };
  return (article, i) => {
    numbers.set(article, i);
    return Object.defineProperty(article, 'body', body) as Article;
  };
}

/** A saved index with its articles (`byKey`'s, or the saved ones), or undefined when they do not fit (then: rebuild). */
function restoreLangIndex(saved: SavedLangIndex, byKey: ReadonlyMap<string, Article> | undefined, tuning: SearchTuning): LangIndex | undefined {
  const mini = TermIndex.restore(saved.mini, tuning);
  const postings = PostingTable.restore(saved.postings);
  if (!postings) return undefined;
  const docs = new Map<string, IndexedDoc>();
  const byShortId: Array<IndexedDoc | undefined> = [];
  const table = UnitTable.restore(saved.units.terms, saved.units.termIds, saved.units.masks);
  const { bodies, bodyEnds } = saved;
  if (!Buffer.isBuffer(bodies) || bodyEnds.length !== saved.docs.length || (bodyEnds.at(-1) ?? 0) > bodies.length) return undefined;
  const withBody = lazyBodies(bodies, bodyEnds);
  for (const [i, d] of saved.docs.entries()) {
    const article = byKey ? byKey.get(d.key) : withBody(d.article, i);
    if (!article || `${article.lang}:${article.id}` !== d.key || mini.keyOf(d.shortId) !== d.key) return undefined;
    if (!(d.unitStart <= d.unitEnd && d.unitEnd <= table.termIds.length)) return undefined;
    const doc: IndexedDoc = { key: d.key, article, shortId: d.shortId, fields: d.fields, units: new DocUnits(table, d.unitStart, d.unitEnd), shortUnits: d.shortUnits };
    docs.set(d.key, doc);
    byShortId[d.shortId] = doc;
  }
  const surfaces = new SearchableMap<Map<string, number>>(saved.surfaces);
  const fieldLengths = byShortId.map((d) => (d ? mini.fieldLengths(d.shortId) : undefined));
  const analyzer = analyzerFor(saved.lang, { stemmer: tuning.stemmers[saved.lang] });
  const fuzzy = FuzzyVocabulary.restore(saved.fuzzy);
  if (!fuzzy) return undefined;
  const pairs = restorePairs(saved.pairs);
  if (!pairs) return undefined;
  return { lang: saved.lang, analyzer, mini, postings, pairs, docs, byShortId, units: table, fieldLengths, surfaces, fuzzy, docFreq: saved.docFreq, docCount: saved.docCount };
}
