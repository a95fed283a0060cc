import { describe, expect, it } from 'vitest';
import { feedbackFactor, MAX_FEEDBACK_EFFECT } from '../../../../src/knowledge/search/feedback.ts';
import { fixtureIndex } from './fixture-index.ts';

describe('feedbackFactor', () => {
  it('is neutral without votes or with as many 👍 as 👎', () => {
    expect(feedbackFactor(undefined)).toBe(1);
    expect(feedbackFactor({ helpful: 0, notHelpful: 0 })).toBe(1);
    expect(feedbackFactor({ helpful: 7, notHelpful: 7 })).toBe(1);
  });

  it('moves little with few votes', () => {
    expect(feedbackFactor({ helpful: 1, notHelpful: 0 })).toBeCloseTo(1.0333, 3);
    expect(feedbackFactor({ helpful: 0, notHelpful: 1 })).toBeCloseTo(0.9667, 3);
  });

  it(`never moves a score by more than ${MAX_FEEDBACK_EFFECT * 100} %`, () => {
    for (const [h, n] of [[1e9, 0], [0, 1e9], [50, 1], [3, 400]] as const) {
      const f = feedbackFactor({ helpful: h, notHelpful: n });
      expect(f).toBeGreaterThanOrEqual(1 - MAX_FEEDBACK_EFFECT);
      expect(f).toBeLessThanOrEqual(1 + MAX_FEEDBACK_EFFECT);
    }
    expect(feedbackFactor({ helpful: 1e9, notHelpful: 0 })).toBeCloseTo(1.2, 6);
  });

  it('grows with the number of votes', () => {
    const f = (n: number) => feedbackFactor({ helpful: n, notHelpful: 0 });
    expect(f(1)).toBeLessThan(f(5));
    expect(f(5)).toBeLessThan(f(50));
  });
});

describe('applyFeedback', () => {
  const query = 'authenticator new phone';
  const order = (i: ReturnType<typeof fixtureIndex>) => i.search(query, { lang: 'en', limit: 2 }).map((h) => h.ref.id);

  it('reorders close articles', () => {
    const index = fixtureIndex();
    const [first, second] = order(index);
    expect(second).toBeDefined();
    index.applyFeedback(second ?? '', 40, 0);
    expect(order(index)).toEqual([second, first]);
  });

  it('takes totals: applying the same counts again changes nothing', () => {
    const index = fixtureIndex();
    const second = order(index)[1] ?? '';
    index.applyFeedback(second, 40, 0);
    const once = index.search(query, { lang: 'en' })[0]?.score;
    index.applyFeedback(second, 40, 0);
    expect(index.search(query, { lang: 'en' })[0]?.score).toBe(once);
  });

  it('cannot bury a clearly better article, and one vote moves a score by a few percent only', () => {
    const index = fixtureIndex();
    const before = index.search('cant connect vpn error 809', { lang: 'en', limit: 2 });
    const [best, runnerUp] = before;
    expect((runnerUp?.score ?? 0) * 1.2).toBeLessThan((best?.score ?? 0) * 0.8);
    index.applyFeedback(best?.ref.id ?? '', 0, 1_000_000);
    index.applyFeedback(runnerUp?.ref.id ?? '', 1_000_000, 0);
    const after = index.search('cant connect vpn error 809', { lang: 'en', limit: 2 });
    expect(after[0]?.ref.id).toBe(best?.ref.id);
    expect(after[0]?.score).toBeCloseTo((best?.score ?? 0) * 0.8, 3);

    const once = fixtureIndex();
    const score = (id: string) => once.search(query, { lang: 'en' }).find((h) => h.ref.id === id)?.score ?? 0;
    const id = order(once)[1] ?? '';
    const unvoted = score(id);
    once.applyFeedback(id, 1, 0);
    expect(score(id) / unvoted).toBeGreaterThan(1);
    expect(score(id) / unvoted).toBeLessThan(1.034);
  });
});
