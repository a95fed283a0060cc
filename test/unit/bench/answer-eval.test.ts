import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { crossValidate, fitLogistic, isShippedCorpus, learnCalibration, outcomes, shippedArticles, shuffled, type Observation } from '../../../bench/lib/answer-eval.ts';
import { readCorpus } from '../../../bench/lib/data.ts';
import type { SearchHit } from '../../../src/knowledge/search/types.ts';

/** A seeded PRNG (mulberry32), so the data are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fitLogistic (Newton steps)', () => {
  it('recovers the model the data were drawn from, and its mean probability equals the share of positives', () => {
    const next = random(7);
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 4000; i += 1) {
      const x = [next(), next()];
      const p = 1 / (1 + Math.exp(-(3 * (x[0] as number) - 2 * (x[1] as number) - 0.5)));
      xs.push(x);
      ys.push(next() < p ? 1 : 0);
    }
    const m = fitLogistic(xs, ys);
    expect(m.weights[0]).toBeCloseTo(3, 0);
    expect(m.weights[1]).toBeCloseTo(-2, 0);
    expect(m.intercept).toBeCloseTo(-0.5, 0);
    const meanP = xs.reduce((s, x) => s + 1 / (1 + Math.exp(-((m.weights[0] as number) * (x[0] as number) + (m.weights[1] as number) * (x[1] as number) + m.intercept))), 0) / xs.length;
    expect(meanP).toBeCloseTo(ys.reduce((s, y) => s + y, 0) / ys.length, 2);
  });
});

const hit = (id: string, score: number, coverage: number): SearchHit =>
  ({ ref: { id, lang: 'en' }, article: { id, services: [`service-${id}`], symptoms: ['a', 'b'] }, score, coverage, typedCoverage: coverage, missing: 1 - coverage, focus: coverage, titleFocus: coverage, confidence: 0 }) as unknown as SearchHit;

describe('learnCalibration', () => {
  it('keeps the uncovered questions answered or offered within the limit, and still helps the clear questions', () => {
    const next = random(11);
    const obs: Observation[] = [];
    for (let i = 0; i < 300; i += 1) {
      // Covered: strong, well-covered first hit; uncovered: weaker, partly covered, a few look covered.
      const c = 0.5 + 0.5 * next();
      obs.push({ relevant: ['A'], hits: [hit('A', 20 * c, c), hit('B', 8, 0.4), hit('C', 6, 0.3), hit('D', 5, 0.2)] });
      const u = 0.8 * next();
      obs.push({ relevant: [], hits: [hit('B', 10 * u + 2, u), hit('C', 8, 0.3), hit('D', 6, 0.2), hit('E', 5, 0.1)] });
    }
    const limits = { answerWrong: 0.02, uncoveredAnsweredOrOffered: 0.02 };
    const cal = learnCalibration(obs, limits);
    const o = outcomes(obs, cal);
    expect(o.uncoveredAnsweredOrOffered).toBeLessThanOrEqual(0.05);
    expect(o.answerWrong).toBeLessThanOrEqual(0.02);
    expect(o.helped).toBeGreaterThan(0.5);
  });

  it('routes nothing of what the turn router handles first (elsewhere) to an answer', () => {
    const obs: Observation[] = [{ relevant: [], hits: [hit('A', 30, 1), hit('B', 1, 0.1)], elsewhere: true }];
    const cal = { answer: { weights: [], intercept: 10 }, choose: { weights: [], intercept: 10 }, answerAt: 0.5, chooseAt: 0.5 };
    expect(outcomes(obs, cal).uncoveredNone).toBe(1);
  });
});

describe('crossValidate with repeats', () => {
  /** Covered and uncovered questions whose first hit's coverage overlaps, so that each split gives other shares. */
  function noisy(): Observation[] {
    const next = random(5);
    const obs: Observation[] = [];
    for (let i = 0; i < 90; i += 1) {
      const c = 0.4 + 0.6 * next();
      obs.push({ relevant: [next() < 0.85 ? 'A' : 'E'], hits: [hit('A', 20 * c, c), hit('B', 8, 0.4), hit('C', 6, 0.3), hit('D', 5, 0.2)] });
      const u = next();
      obs.push({ relevant: [], hits: [hit('B', 16 * u + 2, u), hit('C', 8, 0.3), hit('D', 6, 0.2), hit('E', 5, 0.1)] });
    }
    return obs;
  }

  it('shuffles the same way for a seed, another way for another seed, losing nothing', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(shuffled(items, 1)).toEqual(shuffled(items, 1));
    expect(shuffled(items, 1)).not.toEqual(shuffled(items, 2));
    expect(shuffled(items, 1)).not.toEqual(items);
    expect([...shuffled(items, 3)].sort((a, b) => a - b)).toEqual(items);
  });

  it('pools the plain split and the shuffled ones (equal fold sizes: the mean of their shares, which differ)', () => {
    const obs = noisy();
    const limits = { answerWrong: 0.1, uncoveredAnsweredOrOffered: 0.1 };
    const plain = crossValidate(obs, 3, limits);
    const other = crossValidate(shuffled(obs, 1), 3, limits);
    const pooled = crossValidate(obs, 3, limits, {}, 2);
    expect(plain.uncoveredAnsweredOrOffered).not.toBeCloseTo(other.uncoveredAnsweredOrOffered, 6);
    expect(pooled.helped).toBeCloseTo((plain.helped + other.helped) / 2, 9);
    expect(pooled.uncoveredAnsweredOrOffered).toBeCloseTo((plain.uncoveredAnsweredOrOffered + other.uncoveredAnsweredOrOffered) / 2, 9);
  });

  it('learns on the questions marked trainOnly but never measures them (the held-out figure stays on the same questions)', () => {
    const obs = noisy();
    // Uncovered questions that look exactly like the clearest covered ones: measured, some would be answered.
    const lookalikes: Observation[] = Array.from({ length: 30 }, () => ({ relevant: [], hits: [hit('A', 20, 1), hit('B', 8, 0.4), hit('C', 6, 0.3), hit('D', 5, 0.2)] }));
    const limits = { answerWrong: 0.1, uncoveredAnsweredOrOffered: 0.1 };
    const onlyLookalikes = [...obs.filter((o) => o.relevant.length > 0), ...lookalikes];
    const noLimit = { answerWrong: 1, uncoveredAnsweredOrOffered: 1 };
    // Measured, the look-alikes are answered; marked trainOnly, no uncovered question is left to measure.
    expect(crossValidate(onlyLookalikes, 3, noLimit).uncoveredAnsweredOrOffered).toBeGreaterThan(0.5);
    expect(crossValidate(onlyLookalikes.map((o) => (o.relevant.length ? o : { ...o, trainOnly: true })), 3, noLimit).uncoveredAnsweredOrOffered).toBe(0);
    // Learned on: the thresholds learned with them differ from those learned without them.
    const marked = [...obs, ...lookalikes.map((o) => ({ ...o, trainOnly: true }))];
    expect(crossValidate(marked, 3, limits).helped).not.toBeCloseTo(crossValidate(obs, 3, limits).helped, 6);
  });
});

describe('isShippedCorpus', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const articles = shippedArticles(`${root}/knowledge`, `${root}/config/services.yml`);
  const shipped = (docs: ReturnType<typeof readCorpus>, lang: 'fr' | 'en') => isShippedCorpus(docs, lang, articles);

  it('takes the shipped corpus files for what the app runs, and nothing else', () => {
    const en = readCorpus(`${root}/bench/data/kb_en_full_corpus.jsonl`);
    expect(shipped(en, 'en')).toBe(true);
    expect(shipped(readCorpus(`${root}/bench/data/kb_fr_full_corpus.jsonl`), 'fr')).toBe(true);
    // Another language's articles, one article fewer, another title under a shipped id: indexed from the file.
    expect(shipped(en, 'fr')).toBe(false);
    expect(shipped(en.slice(1), 'en')).toBe(false);
    expect(shipped(en.map((d, i) => (i === 0 ? { ...d, title: 'Annual leave' } : d)), 'en')).toBe(false);
    expect(shipped(readCorpus(`${root}/bench/data/faq_hr_fr_corpus.jsonl`), 'fr')).toBe(false);
  });
});
