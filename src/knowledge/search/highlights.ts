/**
 * Highlights: the lines of an article that best match the query (a symptom,
 * the title, a sentence of the body), to show under the title. Lines are
 * scored by the number of distinct query stems they contain, in the
 * article's language; Markdown list markers and emphasis are removed.
 */
import type { Analyzer } from '../../nlu/text.ts';
import type { Article } from '../article.ts';

const MAX_LINES = 2;
const MAX_CHARS = 160;

/** How many articles' lines are kept analysed, per analyzer (the most recently shown first to stay). */
const MEMO_SIZE = 512;

interface AnalysedLines {
  lines: string[];
  /** The distinct terms of each line. */
  terms: ReadonlySet<string>[];
}

const memo = new WeakMap<Analyzer, Map<Article, AnalysedLines>>();

/**
 * The article's lines and their terms, remembered for the last MEMO_SIZE articles shown: splitting and analysing the
 * first hits' every line again at each answer was 13 % of a bench:turn server's busy time (its CPU profile:
 * highlightsOf 3.8 s of 30 s, tokenizing 2.5 s). The words' stems were already remembered (the knowledge's own
 * vocabulary, bounded: an index loaded from its cache, or built in a worker, never analysed them in this thread).
 */
function analysedLines(article: Article, analyzer: Analyzer): AnalysedLines {
  let byArticle = memo.get(analyzer);
  if (!byArticle) memo.set(analyzer, (byArticle = new Map()));
  const known = byArticle.get(article);
  if (known) {
    byArticle.delete(article);
    byArticle.set(article, known);
    return known;
  }
  const lines = [article.title, ...article.symptoms, ...(article.workaround ? [article.workaround] : []), ...sentences(article.body)];
  const analysed = { lines, terms: lines.map((line) => new Set(analyzer.terms(line, true))) };
  byArticle.set(article, analysed);
  if (byArticle.size > MEMO_SIZE) byArticle.delete(byArticle.keys().next().value as Article);
  return analysed;
}

/** `analyzer` is the one of the article's language (the index's). */
export function highlightsOf(article: Article, query: string, analyzer: Analyzer): string[] {
  const wanted = new Set(analyzer.terms(query, false));
  if (wanted.size === 0) return [];
  const { lines, terms } = analysedLines(article, analyzer);
  return lines
    .map((line, i) => {
      let hits = 0;
      for (const t of wanted) if (terms[i]?.has(t)) hits += 1;
      return { line, i, hits };
    })
    .filter((l) => l.hits > 0)
    .sort((a, b) => b.hits - a.hits || a.i - b.i)
    .slice(0, MAX_LINES)
    .map((l) => (l.line.length > MAX_CHARS ? `${l.line.slice(0, MAX_CHARS - 1).trimEnd()}…` : l.line));
}

function sentences(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/^\s*(?:\d+\.|[-*])\s+/, '').replace(/[*_`]/g, '').trim())
    .flatMap((l) => l.split(/(?<=[.!?])\s+(?=\p{Lu})/u))
    .filter((l) => l.length > 0);
}
