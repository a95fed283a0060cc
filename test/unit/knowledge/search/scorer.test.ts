import { describe, expect, it } from 'vitest';
import { buildLangIndex } from '../../../../src/knowledge/search/lang-index.ts';
import { planQuery, type QueryPlan } from '../../../../src/knowledge/search/query-plan.ts';
import { coverageOf, scorePlan } from '../../../../src/knowledge/search/scorer.ts';
import { withTuning } from '../../../../src/knowledge/search/tuning.ts';
import { analyzerFor } from '../../../../src/nlu/text.ts';
import { fixtureArticles } from './fixture-index.ts';

// Exact terms only (no pairs, corrections, synonyms): the case where our scorer must equal MiniSearch's.
const tuning = withTuning({ weights: { pair: 0 } });
const analyzer = analyzerFor('en', { stemmer: tuning.stemmers.en });
const index = buildLangIndex('en', fixtureArticles().filter((a) => a.lang === 'en'), analyzer, tuning, { keepMiniSearch: true });

describe('scorer', () => {
  it.each(['vpn error 809', 'password outlook', 'printer queue stuck badge', 'teams microphone headset'])(
    'gives MiniSearch.search() scores, without its matched-terms multiplier, for "%s"',
    (query) => {
      const terms = [...new Set(analyzer.terms(query))];
      const plan: QueryPlan = {
        terms: terms.map((term, i) => ({ term, weight: 1, slot: i, phrase: i, kind: 'exact', credits: [i, 1] })),
        concepts: terms.map((term, i) => ({ pos: i, word: term, idf: 1 })),
      };
      const ours = scorePlan(index, plan, tuning, () => true, 50);
      const theirs = index.mini.search(query, { tokenize: () => terms, processTerm: (t) => t });
      expect(ours.length).toBe(theirs.length);
      for (const r of theirs) {
        const mine = ours.find((o) => o.doc.key === r.id);
        expect(mine?.score).toBeCloseTo(r.score / r.queryTerms.length, 9);
      }
    },
  );

  it('scores a slot by its best alternative, not by the sum of its synonyms', () => {
    const plain = planQuery(analyzer.tokens('password'), index, tuning, null);
    const doubled = { ...plain, terms: [...plain.terms, { ...plain.terms[0]!, term: analyzer.termOf('outlook'), phrase: 99 }] };
    const a = scorePlan(index, plain, tuning, () => true, 50);
    const b = scorePlan(index, doubled, tuning, () => true, 50);
    const outlookDoc = b.find((s) => s.doc.article.id === 'KE-0001');
    const passwordScore = a.find((s) => s.doc.article.id === 'KE-0001')?.score ?? 0;
    // KE-0001 matches both alternatives of the one slot: it keeps the better one.
    expect(outlookDoc?.score).toBeLessThan(passwordScore * 1.99);
    expect(outlookDoc?.score).toBeGreaterThanOrEqual(passwordScore);
  });

  it('measures coverage as the IDF share of the query words matched', () => {
    const plan = planQuery(analyzer.tokens('printer zzzqqq'), index, tuning, null);
    const top = scorePlan(index, plan, tuning, () => true, 1)[0];
    const printer = plan.concepts[0]?.idf ?? 0;
    const unknown = plan.concepts[1]?.idf ?? 0;
    expect(coverageOf(plan, top?.matched ?? 0)).toBeCloseTo(printer / (printer + unknown), 9);
    expect(coverageOf(plan, 0)).toBe(0);
  });
});
