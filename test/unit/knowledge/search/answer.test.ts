import { describe, expect, it } from 'vitest';
import { answer, decide } from '../../../../src/knowledge/search/answer.ts';
import { answerFeatures, choiceFeatures, probability } from '../../../../src/knowledge/search/calibration.ts';
import type { LangCalibration, SearchHit } from '../../../../src/knowledge/search/types.ts';
import { fixtureArticles, fixtureIndex } from './fixture-index.ts';

const index = fixtureIndex();
const article = fixtureArticles()[0];

function hit(id: string, score: number, coverage = 1, typedCoverage = coverage): SearchHit {
  if (!article) throw new Error('no fixture article');
  return { ref: { id, lang: 'en' }, article: { ...article, id }, score, confidence: 0.5, coverage, typedCoverage };
}

/** P(answer) = σ(10·(c1·m1) − 5): 0.5 at c1·m1 = 0.5; P(choice) = σ(10·cg − 5) likewise on coverage. */
const calibration: LangCalibration = {
  answer: { weights: [0, 0, 10, 0, 0], intercept: -5 },
  choose: { weights: [10, 0, 0, 0, 0], intercept: -5 },
  answerAt: 0.8,
  chooseAt: 0.5,
};

describe('answer (on the fixture knowledge base, shipped calibration)', () => {
  it('answers a clear question with one article', () => {
    const a = index.answer('Outlook keeps asking for my password after I changed it', { lang: 'en' });
    expect(a.kind).toBe('answer');
    if (a.kind === 'answer') expect(a.best.ref.id).toBe('KE-0001');
  });

  it('answers a question with an error code with its known error', () => {
    const a = index.answer('cant connect vpn error 809', { lang: 'en' });
    expect(a.kind === 'answer' && a.best.ref.id).toBe('KE-0002');
  });

  it('offers a choice that holds both close articles (the first three hits)', () => {
    const a = index.answer('authenticator new phone', { lang: 'en' });
    expect(a.kind).toBe('choose');
    if (a.kind === 'choose') expect(a.options.map((o) => o.ref.id).slice(0, 2).sort()).toEqual(['PROC-0001', 'PROC-0002']);
  });

  it('offers the choice in the user language', () => {
    const a = index.answer('nouveau téléphone authenticator', { lang: 'fr' });
    expect(a.kind === 'choose' && a.options.every((o) => o.ref.lang === 'fr')).toBe(true);
  });

  it.each([
    ['asdfgh qwerty zxcv', 'en'],
    ["what's the weather in Paris tomorrow", 'en'],
    ['recette de la tarte aux pommes', 'fr'],
    ['who won the football match', 'en'],
  ] as const)('has no answer for gibberish or off-topic "%s"', (query, lang) => {
    expect(index.answer(query, { lang }).kind).toBe('none');
  });

  it('restricts the answer to the services asked for', () => {
    expect(index.answer('cant connect vpn error 809', { lang: 'en', services: ['printing'] }).kind).toBe('none');
  });

  it('is also a function of the index', () => {
    expect(answer(index, 'printer stuck', { lang: 'en' })).toEqual(index.answer('printer stuck', { lang: 'en' }));
  });
});

describe('decide (the calibrated rule on ranked hits)', () => {
  it('returns none, without best, when nothing matched', () => {
    expect(decide([], calibration)).toEqual({ kind: 'none' });
  });

  it('answers when P(answer) reaches answerAt: full coverage, far ahead of the second', () => {
    const best = hit('A', 10);
    expect(decide([best, hit('B', 1)], calibration)).toEqual({ kind: 'answer', best });
  });

  it('offers the first three hits when the first is not clear but the group is likely right', () => {
    const hits = [hit('A', 10), hit('B', 9.5), hit('C', 9), hit('D', 8)];
    const d = decide(hits, calibration);
    expect(d.kind === 'choose' && d.options.map((o) => o.ref.id)).toEqual(['A', 'B', 'C']);
  });

  it('offers two options when only two articles matched', () => {
    const d = decide([hit('A', 10), hit('B', 9.9)], calibration);
    expect(d.kind === 'choose' && d.options.map((o) => o.ref.id)).toEqual(['A', 'B']);
  });

  it('says nothing reliable, with the best hit, when neither probability is high enough', () => {
    const hits = [hit('A', 10, 0.3), hit('B', 9.9, 0.3)];
    expect(decide(hits, calibration)).toEqual({ kind: 'none', best: hits[0] });
  });

  it('never offers a choice of one', () => {
    const best = hit('A', 10, 0.6);
    expect(decide([best], { ...calibration, answerAt: 0.99 })).toEqual({ kind: 'none', best });
  });

  it("weighs the query's words in P(choice): the same hits, offered for a word of covered questions, not for one of uncovered questions", () => {
    // P(choice) = σ(10·cg − 5 − 2·o), o the word evidence (the 16th choice feature).
    const withWords: LangCalibration = {
      ...calibration,
      choose: { weights: [10, ...new Array<number>(14).fill(0), -2], intercept: -5 },
      words: { terms: { vpn: -2, webcam: 4 }, unseen: 0 },
    };
    const hits = [hit('A', 10), hit('B', 9.5), hit('C', 9)];
    expect(decide(hits, withWords, ['vpn']).kind).toBe('choose');
    expect(decide(hits, withWords, ['webcam'])).toEqual({ kind: 'none', best: hits[0] });
    expect(decide(hits, withWords).kind).toBe('choose');
  });

  it('follows the thresholds it is given (the same hits, a stricter answerAt: a choice instead of an answer)', () => {
    const hits = [hit('A', 10), hit('B', 2), hit('C', 1)];
    expect(decide(hits, calibration).kind).toBe('answer');
    expect(decide(hits, { ...calibration, answerAt: 0.999 }).kind).toBe('choose');
  });
});

describe('calibration features', () => {
  it('measure coverage, margin and strength of the first hit, and of the group against the first left out', () => {
    const hits = [hit('A', 10, 0.8, 0.5), hit('B', 5, 1), hit('C', 4, 0.2), hit('D', 2, 0.1)];
    hits[0] = { ...(hits[0] as SearchHit), information: 2.5 };
    const [c1, m1, cm, strength, typed] = answerFeatures(hits);
    // Typed coverage enters as its mean with the coverage: a typo correction counts half.
    expect([c1, m1, cm, typed]).toEqual([0.8, 0.5, 0.4, 0.65]);
    // Strength: the query information the first hit matches, in rare-word units, not its score (whose scale is the corpus's).
    expect(strength).toBeCloseTo(Math.log1p(0.8 * 2.5) / 2);
    const scaled = hits.map((h) => ({ ...h, score: h.score * 7 }));
    expect(answerFeatures(scaled)).toEqual(answerFeatures(hits));
    const [cg, mg] = choiceFeatures(hits);
    expect([cg, mg]).toEqual([1, 0.8]);
  });

  it('turn into a probability with σ(w·x + b)', () => {
    expect(probability({ weights: [2, -1], intercept: 0.5 }, [1, 1])).toBeCloseTo(1 / (1 + Math.exp(-1.5)));
  });
});
