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
 * Saved per language: MiniSearch's state (TermIndex.saveState), the word
 * pairs, the vocabulary, the document frequencies and each document's
 * fields and units. Not saved: the articles (the caller has them), the
 * analyser and the typo vocabulary (rebuilt from the vocabulary, ~0.1 s).
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
import { FuzzyVocabulary } from './fuzzy.ts';
import { TermIndex, type IndexedDoc, type LangIndex, type PairIndex, type ShortField, type TermIndexState } from './lang-index.ts';
import type { SearchTuning } from './tuning.ts';

/** Bump when the saved shape changes without a code change in the hashed folders. */
const FORMAT_VERSION = 2;

export interface IndexCacheOptions {
  /** The cache file (e.g. `<cache dir>/search-index.bin`). */
  file: string;
  /** Told once per build why the cache was not used, and when a save fails. */
  log?: (fields: Record<string, unknown>, message: string) => void;
}

interface SavedDoc {
  key: string;
  article: Article;
  shortId: number;
  fields: Record<ShortField, string>;
  /** The doc's units as ids into SavedLangIndex.terms and their masks (IndexedDoc.units). */
  unitTerms: Uint32Array;
  unitMasks: Int32Array;
  shortUnits: number;
}

interface SavedLangIndex {
  lang: Lang;
  mini: TermIndexState;
  pairs: PairIndex;
  docs: SavedDoc[];
  /**
   * Every term of the docs' units, once: restored units share these strings (1.5 million unit entries
   * for 10,000 articles; sharing takes the loaded index from 230 to 206 MB of heap).
   */
  terms: string[];
  surfaces: SearchableMap<Map<string, number>>['_tree'];
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
): { indexes: LangIndex[]; articles: Article[] } | { miss: 'missing' | 'stale' | 'corrupt' } {
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
  const loaded = loadLangIndexes(cache, articles, synonyms, tuning, articles);
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
  const ids = new Map<string, number>();
  const docs = [...index.docs.values()].map(({ key, article, shortId, fields, units, shortUnits }): SavedDoc => {
    const unitTerms = new Uint32Array(units.size);
    const unitMasks = new Int32Array(units.size);
    let i = 0;
    for (const [term, mask] of units) {
      let id = ids.get(term);
      if (id === undefined) ids.set(term, (id = ids.size));
      unitTerms[i] = id;
      unitMasks[i] = mask;
      i += 1;
    }
    return { key, article, shortId, fields, unitTerms, unitMasks, shortUnits };
  });
  const terms = [...ids.keys()];
  return { lang: index.lang, mini: index.mini.saveState(), pairs: index.pairs, docs, terms, surfaces: index.surfaces._tree, docFreq: index.docFreq, docCount: index.docCount };
}

/** A saved index with its articles (`byKey`'s, or the saved ones), or undefined when they do not fit (then: rebuild). */
function restoreLangIndex(saved: SavedLangIndex, byKey: ReadonlyMap<string, Article> | undefined, tuning: SearchTuning): LangIndex | undefined {
  const mini = TermIndex.restore(saved.mini, tuning);
  const docs = new Map<string, IndexedDoc>();
  const byShortId: Array<IndexedDoc | undefined> = [];
  for (const d of saved.docs) {
    const article = byKey ? byKey.get(d.key) : d.article;
    if (!article || `${article.lang}:${article.id}` !== d.key || mini.keyOf(d.shortId) !== d.key) return undefined;
    const units = new Map<string, number>();
    for (let i = 0; i < d.unitTerms.length; i += 1) units.set(saved.terms[d.unitTerms[i]!]!, d.unitMasks[i]!);
    const doc: IndexedDoc = { key: d.key, article, shortId: d.shortId, fields: d.fields, units, shortUnits: d.shortUnits };
    docs.set(d.key, doc);
    byShortId[d.shortId] = doc;
  }
  const surfaces = new SearchableMap<Map<string, number>>(saved.surfaces);
  const fieldLengths = byShortId.map((d) => (d ? mini.fieldLengths(d.shortId) : undefined));
  const analyzer = analyzerFor(saved.lang, { stemmer: tuning.stemmers[saved.lang] });
  const fuzzy = new FuzzyVocabulary(surfaces.keys());
  // A copy: node:v8 deserializes a typed array as a view into the file's buffer, which would keep all of it alive.
  const pairs: PairIndex = { ...saved.pairs, lengths: new Float64Array(saved.pairs.lengths) };
  return { lang: saved.lang, analyzer, mini, pairs, docs, byShortId, fieldLengths, surfaces, fuzzy, docFreq: saved.docFreq, docCount: saved.docCount };
}
