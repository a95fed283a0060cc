/**
 * Guichet's knowledge search: build an index from articles, query it.
 *
 * One MiniSearch index per language, each with its own analysis (stemmer,
 * stop words). A query is planned and run against every language's index,
 * analysed in that language, so that a French user typing "outlook password
 * loop" still matches the English wording of an article, and an article that
 * has no translation in the user's language is still found. An article's
 * score is its best score over its versions (a version in another language
 * than the query's counts `crossLanguage` times); the version shown is the
 * user's language when it exists.
 *
 * Scoring, per version: BM25+ over the fields with boosts (scorer.ts), each
 * query term weighted by the planner (exact 1, corrections and synonyms
 * less). The coverage of the query (share of its words' IDF that the article
 * matches) feeds the confidence.
 *
 * Everything is pure and in memory: the caller (database sync, benchmark,
 * tests) passes articles and feedback counts in.
 */
import type { Lang } from '../../core/lang.ts';
import { detectLanguage } from '../../nlu/language.ts';
import { compileSynonyms, type SynonymMatcher, type SynonymRule } from '../../nlu/synonyms.ts';
import { analyzerFor, type Token } from '../../nlu/text.ts';
import type { Article, ArticleStatus } from '../article.ts';
import { decide, MAX_OPTIONS } from './answer.ts';
import { calibrationFor, queryTerms } from './calibration.ts';
import { confidenceOf } from './confidence.ts';
import { feedbackFactor, type FeedbackCounts } from './feedback.ts';
import { highlightsOf } from './highlights.ts';
import { cachedLangIndexes, loadLangIndexes, type CacheMiss, type IndexCacheOptions, type IndexedVersion } from './index-cache.ts';
import { buildLangIndex, idf, type IndexedDoc, type LangIndex } from './lang-index.ts';
import { planQuery, type QueryPlan } from './query-plan.ts';
import { expandWithFeedback } from './pseudo-feedback.ts';
import { coverageOf, focusOf, informationOf, missingOf, scorePlan } from './scorer.ts';
import { withTuning, type DeepPartial, type SearchTuning } from './tuning.ts';
import type { KnowledgeIndex, SearchHit, SearchOptions } from './types.ts';

export type { Answer, AnswerOptions, KnowledgeIndex, SearchHit, SearchOptions } from './types.ts';
export type { CacheMiss, IndexCacheOptions } from './index-cache.ts';

export interface BuildOptions {
  /** Synonym rules (knowledge/synonyms.yml); none by default. */
  synonyms?: readonly SynonymRule[];
  tuning?: DeepPartial<SearchTuning>;
  /**
   * Whether a question is for another department (HR, payroll, canteen,
   * facilities: config/other-services.yml, as the turn router tells): then
   * `answer()` says it has none, whatever the words match ("note de frais"
   * matches an IT article about paid software word for word). None by
   * default (the router already sends such first messages elsewhere).
   */
  elsewhere?: (query: string) => boolean;
  /** Load the index from this cache file when nothing changed, save it after a build (index-cache.ts). */
  cache?: IndexCacheOptions;
}

interface Candidate {
  article: Article;
  doc: IndexedDoc;
  score: number;
  plan: QueryPlan;
  /** Planned terms the article matches (bit mask, see scorer.ts). */
  matched: number;
  /** IDF of a word no article of the candidate's index contains (see missingOf). */
  rarest: number;
}

export function buildKnowledgeIndex(articles: readonly Article[], options: BuildOptions = {}): KnowledgeIndex {
  const tuning = withTuning(options.tuning);
  const build = (): LangIndex[] => buildLangIndexes(articles, tuning);
  return indexOver(options.cache ? cachedLangIndexes(options.cache, articles, options.synonyms ?? [], tuning, build) : build(), tuning, options);
}

/**
 * The index the cache holds for exactly these article versions (id, language, content hash), with its
 * articles: a start where nothing changed reads no article from the database. When the cache does not
 * hold it, why (then read the articles and build with `cache: { ...cache, missed }`, which saves it
 * without reading the file again).
 */
export function loadKnowledgeIndex(
  versions: readonly IndexedVersion[],
  options: BuildOptions & { cache: IndexCacheOptions },
): { index: KnowledgeIndex; articles: Article[] } | { miss: CacheMiss } {
  const tuning = withTuning(options.tuning);
  const loaded = loadLangIndexes(options.cache, versions, options.synonyms ?? [], tuning);
  return 'indexes' in loaded ? { index: indexOver(loaded.indexes, tuning, options), articles: loaded.articles } : loaded;
}

function indexOver(indexes: readonly LangIndex[], tuning: SearchTuning, options: BuildOptions): KnowledgeIndex {
  const matchers = new Map<Lang, SynonymMatcher | null>();
  for (const index of indexes) matchers.set(index.lang, options.synonyms?.length ? compileSynonyms(options.synonyms, index.analyzer) : null);
  const feedback = new Map<string, FeedbackCounts>();

  const search = (query: string, opts: SearchOptions): SearchHit[] => {
    const queryLang = detectLanguage(query, opts.lang).lang;
    const visible = visibility(opts);
    const best = new Map<string, Candidate>();
    for (const index of indexes) {
      const factor = index.lang === queryLang ? 1 : tuning.crossLanguage;
      const tokens = queryTokens(index, query, queryLang);
      for (const c of searchIndex(index, tokens, tuning, matchers.get(index.lang) ?? null, visible, opts.limit ?? 10)) {
        c.score *= factor;
        const current = best.get(c.article.id);
        if (!current || c.score > current.score) best.set(c.article.id, c);
      }
    }
    const all = [...best.values()]
      .map((c) => ({ c, score: c.score * feedbackFactor(feedback.get(c.article.id)) }))
      .sort((a, b) => b.score - a.score);
    return all.slice(0, opts.limit ?? 10).map(({ c, score }, rank) => {
      const shown = versionFor(c.article, opts.lang, indexes, visible);
      const coverage = coverageOf(c.plan, c.matched);
      const rival = (rank === 0 ? all[1]?.score : all[0]?.score) ?? 0;
      const hit: SearchHit = {
        ref: { id: shown.id, lang: shown.lang },
        article: shown,
        score,
        coverage,
        typedCoverage: coverageOf(c.plan, c.matched, false),
        missing: missingOf(c.plan, c.matched, c.rarest),
        // Only where the decision looks (the first MAX_OPTIONS + 1 hits): the other hits keep it absent.
        ...(rank <= MAX_OPTIONS ? { focus: focusOf(c.plan, c.matched, c.doc.units), titleFocus: focusOf(c.plan, c.matched, c.doc.units, c.doc.shortUnits), information: informationOf(c.plan) / c.rarest } : {}),
        confidence: confidenceOf(coverage, score, rival),
      };
      const analyzer = indexes.find((i) => i.lang === shown.lang)?.analyzer;
      if (opts.highlights !== false && analyzer) hit.highlights = highlightsOf(shown, query, analyzer);
      return hit;
    });
  };

  return {
    search,
    answer: (query, opts) => {
      const hits = search(query, { ...opts, limit: MAX_OPTIONS + 1 });
      if (options.elsewhere?.(query)) return hits[0] ? { kind: 'none', best: hits[0] } : { kind: 'none' };
      return decide(hits, calibrationFor(opts.lang), queryTerms(query, opts.lang));
    },
    applyFeedback(articleId, helpful, notHelpful) {
      feedback.set(articleId, { helpful: Math.max(0, helpful), notHelpful: Math.max(0, notHelpful) });
    },
    get size() {
      return indexes.reduce((n, i) => n + i.docCount, 0);
    },
  };
}

function buildLangIndexes(articles: readonly Article[], tuning: SearchTuning): LangIndex[] {
  const indexes: LangIndex[] = [];
  for (const lang of ['fr', 'en'] as const) {
    const mine = articles.filter((a) => a.lang === lang);
    if (mine.length > 0) indexes.push(buildLangIndex(lang, mine, analyzerFor(lang, { stemmer: tuning.stemmers[lang] }), tuning));
  }
  return indexes;
}

/** Whether users with these options may see an article (status, then service). */
function visibility(opts: SearchOptions): (a: Article) => boolean {
  const statuses = new Set<ArticleStatus>(opts.statuses ?? ['published']);
  const services = opts.services?.length ? new Set(opts.services) : null;
  // Returned unnamed: tsx's keep-names helper would re-wrap a named closure on every query (see scorer.ts).
  return (a) => statuses.has(a.status) && (!services || a.services.some((s) => services.has(s)));
}

/** The version of an article to show: the user's language when it exists and is visible. */
function versionFor(article: Article, lang: Lang, indexes: readonly LangIndex[], visible: (a: Article) => boolean): Article {
  if (article.lang === lang) return article;
  const translated = indexes.find((i) => i.lang === lang)?.docs.get(`${lang}:${article.id}`)?.article;
  return translated && visible(translated) ? translated : article;
}

/** How many candidates each language's index returns before merging: room for filtered translations. */
const CANDIDATES_MIN = 20;

/**
 * The query's tokens analysed for an index; when the query is in the other
 * language, its own stop words are dropped too ("pas", "mon" of a French
 * query are noise in the English index, and not English stop words).
 */
function queryTokens(index: LangIndex, query: string, queryLang: Lang): Token[] {
  const tokens = index.analyzer.tokens(query, false);
  if (queryLang === index.lang) return tokens;
  const own = analyzerFor(queryLang);
  // A literal with Token's property order (not a spread): same hidden class as the analyzer's tokens.
  return tokens.map((t) =>
    !t.stop && own.isStopWord(t.surface) ? { surface: t.surface, folded: t.folded, term: '', stop: true, pos: t.pos, part: t.part } : t,
  );
}

function searchIndex(
  index: LangIndex,
  tokens: readonly Token[],
  tuning: SearchTuning,
  synonyms: SynonymMatcher | null,
  visible: (a: Article) => boolean,
  limit: number,
): Candidate[] {
  const plan = planQuery(tokens, index, tuning, synonyms);
  if (plan.terms.length === 0) return [];
  let scored = scorePlan(index, plan, tuning, visible, Math.max(CANDIDATES_MIN, limit));
  if (tuning.feedback.weight > 0 && scored.length > 1) {
    const expanded = expandWithFeedback(index, plan, scored, tuning);
    scored = scorePlan(index, expanded, tuning, visible, Math.max(CANDIDATES_MIN, limit));
  }
  const rarest = idf(index, '');
  return scored.map((s) => {
    // Coordination (off by default, see tuning.ts) re-weighs the BM25 candidates by their coverage.
    const coordination = tuning.coordination === 0 ? 1 : coverageOf(plan, s.matched) ** tuning.coordination;
    // Focus (the best coverage of the query by one title, symptom or sentence) ranks the article that says it in one place
    // above one with the words scattered; divided by 1 + focus, a fully focused hit keeps its BM25 score (the decision reads it).
    const focus = tuning.focus === 0 ? 1 : (1 + tuning.focus * focusOf(plan, s.matched, s.doc.units)) / (1 + tuning.focus);
    return { article: s.doc.article, doc: s.doc, score: s.score * coordination * focus, plan, matched: s.matched, rarest };
  });
}
