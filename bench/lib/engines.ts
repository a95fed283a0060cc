/**
 * The engines the benchmark compares: Guichet's own search (the production
 * code, unchanged) and four peers, each configured the way its documentation
 * shows, with its stemmer for the corpus language when it has one. Every
 * engine indexes the same two fields (title, body = the corpus `text`) and
 * gets the raw query text.
 */
import { createRequire } from 'node:module';
import { create as oramaCreate, insertMultiple as oramaInsertMultiple, search as oramaSearch } from '@orama/orama';
import { stemmer as oramaFrenchStemmer } from '@orama/stemmers/french';
import FlexSearch, { type Document as FlexDocument, type EncoderOptions as FlexEncoderOptions } from 'flexsearch';
import lunr from 'lunr';
import type { Lang } from '../../src/core/lang.ts';
import type { Article } from '../../src/knowledge/article.ts';
import { buildKnowledgeIndex, type KnowledgeIndex } from '../../src/knowledge/search/knowledge-search.ts';
import type { DeepPartial, SearchTuning } from '../../src/knowledge/search/tuning.ts';
import { stopwordsEn, stopwordsFr } from '../../src/nlu/natural-parts.ts';
import type { SynonymRule } from '../../src/nlu/synonyms.ts';
import type { CorpusDoc } from './data.ts';

const require = createRequire(import.meta.url);

export interface Engine {
  name: string;
  /** One line: what configuration the engine gets. */
  config: string;
  /** Builds the index; returns whatever `search` needs (kept alive while memory is measured). */
  build(docs: readonly CorpusDoc[], lang: Lang): Promise<unknown> | unknown;
  /** Ids of the best `k` documents, best first. */
  search(index: unknown, query: string, k: number): Promise<string[]> | string[];
}

export interface GuichetOptions {
  synonyms: readonly SynonymRule[];
  tuning?: DeepPartial<SearchTuning>;
}

/** Guichet: the production pipeline; corpus lines become published FAQ articles (title, body = text). */
export function guichetEngine(options: GuichetOptions): Engine {
  let corpusLang: Lang = 'en';
  return {
    name: 'guichet',
    config: 'production search (knowledge-search.ts) with knowledge/synonyms.yml; user language = the corpus majority language (search detects the query language itself)',
    build(docs, lang) {
      corpusLang = lang;
      return buildKnowledgeIndex(docs.map(toArticle), { synonyms: options.synonyms, ...(options.tuning ? { tuning: options.tuning } : {}) });
    },
    search(index, query, k) {
      return (index as KnowledgeIndex).search(query, { lang: corpusLang, limit: k, highlights: false }).map((h) => h.ref.id);
    },
  };
}

function toArticle(d: CorpusDoc): Article {
  return { id: d.id, type: 'faq', lang: d.lang, title: d.title, tags: [], services: [], symptoms: [], status: 'published', updated: '2026-01-01', body: d.text };
}

/**
 * lunr 2: its default pipeline (trimmer, English stop words, Porter stemmer)
 * for English; for French (lunr has no French without lunr-languages) the
 * trimmer only. No field boost. Queries go through `query()` with the
 * tokenizer, not `search()`, so that ":", "~", "^", "*" in user text are not
 * parsed as query syntax (which throws or changes the query), and query tokens
 * get the trimmer the index pipeline applies to documents (lunr's search
 * pipeline has only the stemmer, so "github." would not match "github":
 * 62.1 % → 70.7 % Recall@1 on StackFAQ).
 */
export const lunrEngine: Engine = {
  name: 'lunr',
  config: 'default pipeline (trimmer, stop words, Porter) in English, trimmer only in French; fields title, body; OR of trimmed query terms',
  build(docs, lang) {
    return lunr(function () {
      this.ref('id');
      this.field('title');
      this.field('body');
      if (lang === 'fr') {
        this.pipeline.reset();
        this.pipeline.add(lunr.trimmer);
        this.searchPipeline.reset();
      }
      for (const d of docs) this.add({ id: d.id, title: d.title, body: d.text });
    });
  },
  search(index, query, k) {
    const idx = index as lunr.Index;
    const tokens = lunr.tokenizer(query).map((t) => lunr.trimmer(t) as lunr.Token);
    return idx
      .query((q) => q.term(tokens, {}))
      .slice(0, k)
      .map((r) => r.ref);
  },
};

/**
 * FlexSearch 0.8: a Document index over title and body with the language
 * preset encoder (English or French: stop words, stemmer, normalization), and
 * `suggest: true`, which the README recommends so that a query whose words
 * are not all found still returns results; field results merged by the
 * library (`merge: true`).
 */
export const flexsearchEngine: Engine = {
  name: 'flexsearch',
  config: 'Document(title, body), Encoder with lang/en (or lang/fr) preset, search {suggest, merge}',
  build(docs, lang) {
    const preset = require(lang === 'fr' ? 'flexsearch/lang/fr' : 'flexsearch/lang/en') as FlexEncoderOptions;
    const index = new FlexSearch.Document({ document: { id: 'id', index: ['title', 'body'] }, encoder: new FlexSearch.Encoder(preset) });
    for (const d of docs) index.add({ id: d.id, title: d.title, body: d.text });
    return index;
  },
  search(index, query, k) {
    const idx = index as FlexDocument;
    const results = idx.search(query, { limit: k, suggest: true, merge: true }) as unknown as Array<{ id: string | number }>;
    return results.slice(0, k).map((r) => String(r.id));
  },
};

interface WinkEngine {
  defineConfig(c: { fldWeights: Record<string, number> }): void;
  definePrepTasks(tasks: Array<(x: unknown) => unknown>): void;
  addDoc(doc: Record<string, string>, id: string): void;
  consolidate(): void;
  search(text: string, limit?: number): Array<[string, number]>;
}

/**
 * wink-bm25-text-search: BM25F with its default parameters (k1 1.2, b 0.75),
 * equal field weights, and the preparation pipeline of its wink-nlp-utils
 * example: lower case, tokenize, remove stop words, Porter2 stem (English;
 * no stemming for French, wink-nlp-utils has none), propagate negations.
 */
export const winkEngine: Engine = {
  name: 'wink-bm25',
  config: 'fldWeights title 1 body 1, default BM25 params; prep: lowerCase, tokenize0, removeWords, stem (en only), propagateNegations',
  build(docs, lang) {
    const bm25 = require('wink-bm25-text-search') as () => WinkEngine;
    const nlp = require('wink-nlp-utils') as {
      string: Record<string, (x: unknown) => unknown>;
      tokens: Record<string, (x: unknown) => unknown>;
    };
    const engine = bm25();
    engine.defineConfig({ fldWeights: { title: 1, body: 1 } });
    const tasks = [nlp.string.lowerCase, nlp.string.tokenize0, nlp.tokens.removeWords, ...(lang === 'en' ? [nlp.tokens.stem] : []), nlp.tokens.propagateNegations];
    engine.definePrepTasks(tasks.filter((t): t is (x: unknown) => unknown => typeof t === 'function'));
    for (const d of docs) engine.addDoc({ title: d.title, body: d.text }, d.id);
    engine.consolidate();
    return engine;
  },
  search(index, query, k) {
    return (index as WinkEngine).search(query, k).map(([id]) => String(id));
  },
};

/**
 * Orama 3: schema {title, body} as strings, its tokenizer with stemming on
 * (built-in English Porter, or @orama/stemmers/french) and stop words (the
 * docs use @orama/stopwords, not installed here; natural's list for the
 * language stands in: without stop words Orama gets 31.8 % Recall@1 on
 * StackFAQ, with them 66.1 %), default BM25 and threshold (any term matches).
 */
export const oramaEngine: Engine = {
  name: 'orama',
  config: 'schema {title, body}, tokenizer stemming (english built-in or @orama/stemmers/french) + stop words (natural lists), default relevance',
  async build(docs, lang) {
    const tokenizer =
      lang === 'fr'
        ? { language: 'french', stemming: true, stemmer: oramaFrenchStemmer, stopWords: [...stopwordsFr] }
        : { language: 'english', stemming: true, stopWords: [...stopwordsEn] };
    const db = await oramaCreate({ schema: { docId: 'string', title: 'string', body: 'string' } as const, components: { tokenizer } });
    await oramaInsertMultiple(db, docs.map((d) => ({ docId: d.id, title: d.title, body: d.text })));
    return db;
  },
  async search(index, query, k) {
    const db = index as Awaited<ReturnType<typeof oramaCreate<{ docId: 'string'; title: 'string'; body: 'string' }>>>;
    const res = await oramaSearch(db, { term: query, limit: k, properties: ['title', 'body'] });
    return res.hits.map((h) => String(h.document.docId));
  },
};

export const PEERS: readonly Engine[] = [lunrEngine, flexsearchEngine, winkEngine, oramaEngine];
