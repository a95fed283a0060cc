/**
 * Highlights (src/knowledge/search/highlights.ts): the lines of an article that match the query best, and
 * the memo they use — the article's words are remembered by the analyzer (the knowledge's own vocabulary),
 * the query's are not (a long-running process must not grow with users' typos).
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../src/knowledge/article.ts';
import { highlightsOf } from '../../../../src/knowledge/search/highlights.ts';
import { analyzerFor, type Analyzer } from '../../../../src/nlu/text.ts';

const article: Article = {
  id: 'FAQ-0901', type: 'faq', lang: 'fr', title: 'Réinitialiser son mot de passe', tags: [], services: ['identity'],
  symptoms: ['Mon mot de passe a expiré', 'Je ne peux plus me connecter à Windows'],
  status: 'published', updated: '2026-12-01',
  body: '1. Ouvrez le portail de réinitialisation.\n2. Choisissez **un nouveau mot de passe** de 14 caractères.\n\nLe verrouillage se lève après 15 minutes.',
};

/** The French analyzer, recording whether each text was analysed to be remembered. */
function recording(): { analyzer: Analyzer; calls: { text: string; remember: boolean | undefined }[] } {
  const real = analyzerFor('fr');
  const calls: { text: string; remember: boolean | undefined }[] = [];
  const analyzer: Analyzer = { ...real, terms: (text, remember) => (calls.push({ text, remember }), real.terms(text, remember)) };
  return { analyzer, calls };
}

describe('highlightsOf', () => {
  it('gives the lines with the most query stems, list markers and emphasis removed, at most two', () => {
    expect(highlightsOf(article, 'mot de passe expire', analyzerFor('fr'))).toEqual(['Mon mot de passe a expiré', 'Réinitialiser son mot de passe']);
    expect(highlightsOf(article, 'nouveau mot de passe', analyzerFor('fr'))).toEqual(['Choisissez un nouveau mot de passe de 14 caractères.', 'Réinitialiser son mot de passe']);
    expect(highlightsOf(article, 'imprimante', analyzerFor('fr'))).toEqual([]);
  });

  it("remembers the article's words and never the query's", () => {
    const { analyzer, calls } = recording();
    highlightsOf(article, 'mot de pase expiré ?', analyzer);
    const [query, ...lines] = calls;
    expect(query).toEqual({ text: 'mot de pase expiré ?', remember: false });
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.every((c) => c.remember === true)).toBe(true);
  });

  it("analyses an article's lines once per analyzer: the next answers only analyse their query", () => {
    const { analyzer, calls } = recording();
    const first = highlightsOf(article, 'mot de passe expire', analyzer);
    const linesAnalysed = calls.length - 1;
    expect(linesAnalysed).toBeGreaterThanOrEqual(5);
    calls.length = 0;
    expect(highlightsOf(article, 'mot de passe expire', analyzer)).toEqual(first);
    expect(highlightsOf(article, 'nouveau mot de passe', analyzer)).toEqual(['Choisissez un nouveau mot de passe de 14 caractères.', 'Réinitialiser son mot de passe']);
    expect(calls.map((c) => c.text)).toEqual(['mot de passe expire', 'nouveau mot de passe']);
  });
});
