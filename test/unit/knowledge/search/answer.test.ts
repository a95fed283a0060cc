import { describe, expect, it } from 'vitest';
import { answer, CLOSE_RATIO, decide, MIN_CONFIDENCE } from '../../../../src/knowledge/search/answer.ts';
import type { SearchHit } from '../../../../src/knowledge/search/knowledge-search.ts';
import { fixtureArticles, fixtureIndex } from './fixture-index.ts';

const index = fixtureIndex();
const article = fixtureArticles()[0];

function hit(id: string, score: number, confidence: number, coverage = 1): SearchHit {
  if (!article) throw new Error('no fixture article');
  return { ref: { id, lang: 'en' }, article: { ...article, id }, score, confidence, coverage };
}

describe('answer (on the fixture knowledge base)', () => {
  it('answers a clear question with one article', () => {
    const a = index.answer('cant connect vpn error 809', { lang: 'en' });
    expect(a.kind).toBe('answer');
    if (a.kind === 'answer') expect(a.best.ref.id).toBe('KE-0002');
  });

  it('offers a choice between two close articles', () => {
    const a = index.answer('authenticator new phone', { lang: 'en' });
    expect(a.kind).toBe('choose');
    if (a.kind === 'choose') expect(a.options.map((o) => o.ref.id).sort()).toEqual(['PROC-0001', 'PROC-0002']);
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

describe('decide (the rule on ranked hits)', () => {
  it('returns none, without best, when nothing matched', () => {
    expect(decide([])).toEqual({ kind: 'none' });
  });

  it('answers when the best stands apart with enough confidence', () => {
    const best = hit('A', 10, 0.9);
    expect(decide([best, hit('B', 5, 0.05)])).toEqual({ kind: 'answer', best });
  });

  it('returns none with the best hit when its confidence is below the threshold', () => {
    const best = hit('A', 10, MIN_CONFIDENCE - 0.01, 0.3);
    expect(decide([best, hit('B', 5, 0.01)])).toEqual({ kind: 'none', best });
  });

  it(`offers 2–3 options when scores are within ${CLOSE_RATIO} of the best`, () => {
    const two = decide([hit('A', 10, 0.3), hit('B', 9, 0.2), hit('C', 5, 0.01)]);
    expect(two.kind === 'choose' && two.options.map((o) => o.ref.id)).toEqual(['A', 'B']);
    const three = decide([hit('A', 10, 0.3), hit('B', 9.5, 0.2), hit('C', 8.5, 0.2), hit('D', 5, 0.01)]);
    expect(three.kind === 'choose' && three.options.map((o) => o.ref.id)).toEqual(['A', 'B', 'C']);
  });

  it('returns none when more articles are close than it can offer (the question is too vague)', () => {
    const hits = [hit('A', 10, 0.3), hit('B', 9.5, 0.2), hit('C', 9, 0.2), hit('D', 8.9, 0.2)];
    expect(decide(hits)).toEqual({ kind: 'none', best: hits[0] });
  });

  it('does not offer close options that cover little of the query', () => {
    expect(decide([hit('A', 10, 0.1, 0.2), hit('B', 9.9, 0.1, 0.2)]).kind).toBe('none');
  });
});
