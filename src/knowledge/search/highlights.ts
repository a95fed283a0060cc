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

/** `analyzer` is the one of the article's language (the index's). */
export function highlightsOf(article: Article, query: string, analyzer: Analyzer): string[] {
  const wanted = new Set(analyzer.terms(query, false));
  if (wanted.size === 0) return [];
  const lines = [article.title, ...article.symptoms, ...(article.workaround ? [article.workaround] : []), ...sentences(article.body)];
  return lines
    // The article's words are remembered (the knowledge's own vocabulary, bounded; the query's typos are not): an
    // index loaded from its cache, or built in a worker, never analysed them in this thread, and stemming every word
    // of the first hits' text again at each answer cost about 1 ms a turn.
    .map((line, i) => ({ line, i, hits: new Set(analyzer.terms(line, true).filter((t) => wanted.has(t))).size }))
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
