import { describe, expect, it } from 'vitest';
import { decide } from '../../../../src/knowledge/search/answer.ts';
import { answerFeatures, answerProbability, calibrationFor, choiceFeatures, choiceInputs, choiceProbability, outOfCoverage, queryTerms, rankWithExamples, rerank } from '../../../../src/knowledge/search/calibration.ts';
import type { LangCalibration, SearchHit } from '../../../../src/knowledge/search/types.ts';
import { CALIBRATION_TABLE } from '../../../../src/knowledge/search/calibration-table.ts';
import { LANGS } from '../../../../src/core/lang.ts';
import { loadServiceIds } from '../../../../src/catalog/services.ts';
import { loadKnowledgeDir } from '../../../../src/knowledge/load-knowledge-dir.ts';
import { ExampleSet, type Nearest } from '../../../../src/knowledge/search/examples.ts';

describe('the shipped calibration (calibration-table.ts, learned by bench/calibrate.ts)', () => {
  it.each(LANGS)('loads a complete calibration for %s', (lang) => {
    const c = calibrationFor(lang);
    expect(c).toBe(CALIBRATION_TABLE[lang]);
    // One weight per feature of answerFeatures / choiceFeatures (calibration.ts).
    const hit = { score: 10, coverage: 1, typedCoverage: 1, missing: 0, focus: 1, titleFocus: 1, article: { services: ['email'], symptoms: ['x'] } } as unknown as SearchHit;
    expect(answerFeatures([hit]).length).toBe(14);
    expect(choiceFeatures([hit]).length).toBe(16);
    // Then the example questions' closeness and votes: the first hit's (P(answer)), the first hits' and the uncovered ones' (P(choice));
    // then, English only, the share of the question the examples explain (bench/calibrate.ts --explained).
    expect(c.explained ?? false).toBe(lang === 'en');
    const explained = c.explained ? 1 : 0;
    expect(c.answer.weights).toHaveLength(answerFeatures([hit]).length + 2 + explained);
    expect(c.choose.weights).toHaveLength(choiceFeatures([hit]).length + 4 + explained);
    expect(ExampleSet.unpack(c.examples ?? '').size).toBeGreaterThan(2000);
    // The word evidence learned with them: covered words say "covered", words of uncovered questions the opposite.
    expect(Object.keys(c.words?.terms ?? {}).length).toBeGreaterThan(500);
    expect(c.words?.terms['vpn']).toBeLessThan(-1);
    expect(c.words?.terms[lang === 'fr' ? 'excel' : 'excel']).toBeGreaterThan(1);
    for (const x of [...c.answer.weights, c.answer.intercept, ...c.choose.weights, c.choose.intercept]) expect(Number.isFinite(x)).toBe(true);
    // The articles it was learned with and the means P(choice) reads where the hits say nothing of them (choiceInputs).
    expect(c.articles).toContain('FAQ-0001');
    expect(c.articles?.length).toBeGreaterThanOrEqual(60);
    expect(c.neutral?.agreement).toBeGreaterThan(0);
    expect(c.neutral?.agreement).toBeLessThan(1);
    expect(c.answerAt).toBeGreaterThan(0.5);
    expect(c.answerAt).toBeLessThanOrEqual(1);
    expect(c.chooseAt).toBeGreaterThan(0);
    expect(c.chooseAt).toBeLessThanOrEqual(1);
    // P(choice) without the word evidence and the examples, P(answer) without the examples, for a first hit it was not
    // learned with (choiceProbability, answerProbability).
    expect(c.blind?.model.weights).toHaveLength(choiceFeatures([hit]).length - 1);
    expect(c.blind?.answer?.weights).toHaveLength(answerFeatures([hit]).length);
    expect(c.blind?.answerAt).toBeGreaterThan(0.5);
    expect(c.blind?.answerAt).toBeLessThanOrEqual(1);
    expect(c.blind?.at).toBeGreaterThan(0);
    expect(c.blind?.at).toBeLessThanOrEqual(1);
  });

  it.each(LANGS)('in %s, knows the shipped articles by the titles they have in knowledge/ (re-learn it after changing one)', (lang) => {
    // An article whose title changed since counts as one the calibration was not learned with: the blind models decide.
    const { titles } = calibrationFor(lang);
    const published = loadKnowledgeDir('knowledge', loadServiceIds('config')).articles.filter((a) => a.status === 'published');
    const shown = new Map(published.filter((a) => a.lang === lang).map((a) => [a.id, a.title]));
    for (const a of published) if (!shown.has(a.id)) shown.set(a.id, a.title);
    expect([...shown.keys()].sort()).toEqual(Object.keys(titles ?? {}).sort());
    for (const [id, title] of shown) expect(titles?.[id]).toContain(title);
  });

  it.each(LANGS)('in %s, gives a full, lone match a higher probability than a weak, contested one', (lang) => {
    const { answer } = calibrationFor(lang);
    const z = (x: number[]) => answer.intercept + x.reduce((s, v, i) => s + v * (answer.weights[i] ?? 0), 0);
    expect(z([1, 0.8, 0.8, 0.8, 1])).toBeGreaterThan(z([0.3, 0.05, 0.015, 0.3, 0.3]));
  });
});

describe('choiceFeatures', () => {
  const hit = (...services: string[]) => ({ score: 10, coverage: 1, typedCoverage: 1, article: { services, symptoms: ['x'] } }) as unknown as SearchHit;
  const agreement = (hits: SearchHit[]) => choiceFeatures(hits)[14];

  it('ends with the share of the 2nd and 3rd hits that share a service with the first (the 4th does not count)', () => {
    expect(agreement([hit('email'), hit('email', 'identity'), hit('vpn'), hit('email')])).toBe(0.5);
    expect(agreement([hit('email'), hit('email'), hit('email')])).toBe(1);
    expect(agreement([hit('email'), hit('vpn'), hit('printing')])).toBe(0);
    expect(agreement([hit('email')])).toBe(0);
    expect(agreement([hit(), hit(), hit()])).toBe(0);
  });
});

describe('outOfCoverage (word evidence of a query)', () => {
  const words = { terms: { vpn: -3, webcam: 1.5, excel: 2 }, unseen: 0.3 };

  it('averages the evidence of the query terms, an unknown term counting as unseen', () => {
    expect(outOfCoverage(['vpn'], words)).toEqual([-3]);
    expect(outOfCoverage(['webcam', 'excel'], words)).toEqual([1.75]);
    expect(outOfCoverage(['excel', 'zzz'], words)[0]).toBeCloseTo(1.15);
  });

  it('is [0] without terms or without evidence, and takes a lookup function too', () => {
    expect(outOfCoverage([], words)).toEqual([0]);
    expect(outOfCoverage(['vpn'], undefined)).toEqual([0]);
    expect(outOfCoverage(['a', 'b'], (t) => (t === 'a' ? 1 : -2))).toEqual([-0.5]);
  });

  it('counts each term of a query once, as the index stems it', () => {
    expect(queryTerms('Imprimantes imprimante', 'fr')).toEqual([queryTerms('imprimante', 'fr')[0]]);
    expect(queryTerms('the VPN keeps dropping', 'en')).toContain('vpn');
  });

  it('is the last choice feature', () => {
    const hit = { score: 10, coverage: 1, typedCoverage: 1, article: { services: [], symptoms: ['x'] } } as unknown as SearchHit;
    expect(choiceFeatures([hit], outOfCoverage(['webcam'], words)).at(-1)).toBe(1.5);
    expect(choiceFeatures([hit]).at(-1)).toBe(0);
  });
});

describe('choiceInputs (what P(choice) reads where the hits say nothing of the calibration)', () => {
  const words = { terms: { conge: 2.5, vpn: -3 }, unseen: 0.3 };
  const models = { answer: { weights: [], intercept: 0 }, choose: { weights: [], intercept: 0 }, answerAt: 1, chooseAt: 1, words };
  const hit = (id: string, ...services: string[]) => ({ ref: { id, lang: 'fr' }, score: 10, coverage: 1, typedCoverage: 1, article: { services, symptoms: ['x'] } }) as unknown as SearchHit;
  const calibration = { ...models, articles: ['FAQ-0001', 'FAQ-0002'], neutral: { agreement: 0.7, evidence: -0.4 } };

  it('reads the word evidence and agreement of the hits when the first hit is an article it was learned with', () => {
    const x = choiceInputs([hit('FAQ-0001', 'email'), hit('FAQ-0002', 'email'), hit('FAQ-0003', 'vpn')], ['conge'], calibration);
    expect(x.slice(-2)).toEqual([0.5, 2.5]);
  });

  it('reads the mean evidence for a first hit it was not learned with (another base, an article added since)', () => {
    const x = choiceInputs([hit('A01', 'hr'), hit('FAQ-0001', 'hr'), hit('A02', 'email')], ['conge'], calibration);
    expect(x.slice(-2)).toEqual([0.5, -0.4]);
  });

  it('reads the mean agreement when none of the first hits names a service', () => {
    expect(choiceInputs([hit('FAQ-0001'), hit('FAQ-0002'), hit('A02')], ['vpn'], calibration).slice(-2)).toEqual([0.7, -3]);
    // One hit that names a service: the hits' own agreement.
    expect(choiceInputs([hit('FAQ-0001', 'email'), hit('FAQ-0002'), hit('A02')], ['vpn'], calibration).slice(-2)).toEqual([0, -3]);
  });

  it('uses the model learned without the word evidence, and its threshold, for a first hit it was not learned with', () => {
    const blind = { model: { weights: [], intercept: 2 }, at: 0.85 };
    const withBlind = { ...calibration, blind };
    const foreign = [hit('A01', 'hr'), hit('FAQ-0001', 'hr'), hit('A02', 'email')];
    // No evidence column: the blind model was fitted without it.
    expect(choiceInputs(foreign, ['conge'], withBlind)).toEqual(choiceFeatures(foreign, []));
    expect(choiceProbability(foreign, ['conge'], withBlind)).toEqual({ p: 1 / (1 + Math.exp(-2)), at: 0.85 });
    const known = [hit('FAQ-0001', 'email'), hit('FAQ-0002', 'email'), hit('FAQ-0003', 'vpn')];
    expect(choiceProbability(known, ['conge'], withBlind)).toEqual({ p: 0.5, at: 1 });
  });

  it('is choiceFeatures with the word evidence for a calibration without these (learned before them)', () => {
    const hits = [hit('A01'), hit('A02'), hit('A03')];
    expect(choiceInputs(hits, ['conge'], models)).toEqual(choiceFeatures(hits, outOfCoverage(['conge'], words)));
  });
});

describe('the example questions in the decision (rankWithExamples, answerProbability, choiceInputs)', () => {
  const hit = (id: string, title = `title of ${id}`) => ({ ref: { id, lang: 'en' }, score: 10, coverage: 1, typedCoverage: 1, focus: 1, titleFocus: 1, article: { title, services: ['identity'], symptoms: ['x'] } }) as unknown as SearchHit;
  const examples = ExampleSet.pack([
    { articles: ['FAQ-0001'], terms: ['chang', 'password'] },
    { articles: ['FAQ-0002'], terms: ['forgot', 'password'] },
    { articles: [], terms: ['excel', 'formula'] },
  ]);
  const calibration: LangCalibration = {
    // P(answer) = σ(10·first − 5), its blind twin σ(0) = 0.5; P(choice) reads top and uncovered, then their votes, as its last four inputs.
    answer: { weights: [...new Array(14).fill(0), 10, 0], intercept: -5 },
    choose: { weights: [...new Array(16).fill(0), 4, -8, 0, 0], intercept: 0 },
    answerAt: 0.9,
    chooseAt: 0.5,
    words: { terms: {}, unseen: 0 },
    articles: ['FAQ-0001', 'FAQ-0002'],
    titles: { 'FAQ-0001': ['title of FAQ-0001'], 'FAQ-0002': ['title of FAQ-0002'] },
    neutral: { agreement: 0.5, evidence: 0 },
    blind: { model: { weights: [], intercept: 0 }, at: 0.9, answer: { weights: [], intercept: 0 }, answerAt: 0.95 },
    examples,
  };

  it('answers when the question is one of the first hit\'s examples, not when it is only near another article\'s', () => {
    const near = rankWithExamples([hit('FAQ-0001'), hit('FAQ-0002')], ['chang', 'password'], calibration).near;
    expect(near).toMatchObject({ first: 1, top: 1, uncovered: 0, votes: { top: 1, uncovered: 0 } });
    // Both password examples vote, the one the question is for with closeness 1, the other with less.
    expect(near?.votes.first).toBeGreaterThan(0.5);
    expect(near?.votes.first).toBeLessThan(1);
    expect(answerProbability([hit('FAQ-0001'), hit('FAQ-0002')], calibration, near).p).toBeCloseTo(1 / (1 + Math.exp(-5)));
    expect(decide([hit('FAQ-0001'), hit('FAQ-0002')], calibration, ['chang', 'password'])).toMatchObject({ kind: 'answer' });
    const second = rankWithExamples([hit('FAQ-0002'), hit('FAQ-0001')], ['chang', 'password'], calibration).near;
    expect(second?.first).toBeLessThan(0.5);
    expect(decide([hit('FAQ-0002'), hit('FAQ-0001')], calibration, ['chang', 'password']).kind).not.toBe('answer');
  });

  it('puts the closeness of the first hits\' nearest example and of the nearest uncovered one, then their votes, last in P(choice)', () => {
    const hits = [hit('FAQ-0002'), hit('FAQ-0001')];
    const near = rankWithExamples(hits, ['excel', 'formula'], calibration).near;
    expect(near).toEqual({ first: 0, top: 0, uncovered: 1, votes: { first: 0, top: 0, uncovered: 1 }, explained: { first: 0, top: 0 } });
    expect(choiceInputs(hits, ['excel', 'formula'], calibration, near).slice(-4)).toEqual([0, 1, 0, 1]);
    expect(decide(hits, calibration, ['excel', 'formula']).kind).toBe('none');
  });

  it('reads the share of the question its first hits\' examples explain only in a calibration learned with it', () => {
    // P(answer) = σ(10·explained.first − 5): "chang" and "password" are both words of FAQ-0001's examples.
    const weights = [...new Array(16).fill(0), 10];
    const hits = [hit('FAQ-0001'), hit('FAQ-0002')];
    const withIt: LangCalibration = { ...calibration, explained: true, answer: { weights, intercept: -5 } };
    const near = rankWithExamples(hits, ['chang', 'password'], withIt).near as Nearest;
    expect(near.explained.first).toBe(1);
    expect(answerProbability(hits, withIt, near).p).toBeCloseTo(1 / (1 + Math.exp(-5)));
    // Learned without it (the French table), the same weights find no 17th input.
    expect(answerProbability(hits, { ...withIt, explained: undefined }, near).p).toBeCloseTo(1 / (1 + Math.exp(5)));
    // In P(choice), the best share of the first hits comes last.
    const inputs = choiceInputs(hits, ['chang', 'password'], withIt, near);
    expect(inputs.at(-1)).toBe(1);
    expect(inputs.length).toBe(choiceInputs(hits, ['chang', 'password'], calibration, near).length + 1);
  });

  it('reads the first hit\'s share of the nearest examples\' votes in P(answer)', () => {
    // P(answer) = σ(10·votes.first − 5): the question's own example and one of FAQ-0002's vote.
    const byVotes: LangCalibration = { ...calibration, answer: { weights: [...new Array(15).fill(0), 10], intercept: -5 } };
    const hits = [hit('FAQ-0001'), hit('FAQ-0002')];
    const near = rankWithExamples(hits, ['chang', 'password'], byVotes).near as Nearest;
    expect(answerProbability(hits, byVotes, near).p).toBeCloseTo(1 / (1 + Math.exp(-(10 * near.votes.first - 5))));
    expect(answerProbability(hits, byVotes, near).p).toBeGreaterThan(0.5);
    // With FAQ-0002 first, its share is the smaller one: below one half.
    const other = rankWithExamples([hit('FAQ-0002'), hit('FAQ-0001')], ['chang', 'password'], byVotes).near as Nearest;
    expect(other.votes.first).toBeCloseTo(1 - near.votes.first);
    expect(answerProbability([hit('FAQ-0002'), hit('FAQ-0001')], byVotes, other).p).toBeLessThan(0.5);
  });

  it('leaves the examples out for an article it was not learned with, or one with our id and another title (another base)', () => {
    for (const first of [hit('A01'), hit('FAQ-0001', 'Congés payés : comment poser un jour')]) {
      const hits = [first, hit('FAQ-0002')];
      expect(rankWithExamples(hits, ['chang', 'password'], calibration).near).toBeUndefined();
      // The blind models decide, with their own thresholds: P(answer) 0.5 < 0.95, P(choice) 0.5 < 0.9.
      expect(answerProbability(hits, calibration, undefined)).toEqual({ p: 0.5, at: 0.95 });
      expect(decide(hits, calibration, ['chang', 'password']).kind).toBe('none');
    }
  });

  it('re-ranks the first hits by their examples with the learned weight: the article asked like its questions comes first', () => {
    const close = [{ ...hit('FAQ-0002'), score: 10 }, { ...hit('FAQ-0001'), score: 9 }, { ...hit('A01'), score: 8.9 }] as SearchHit[];
    // Weight 0: the search's order. Weight 1: 9/10 + 1 (FAQ-0001's own example) > 10/10 + its closeness to FAQ-0002's.
    expect(rankWithExamples(close, ['chang', 'password'], calibration).hits.map((h) => h.ref.id)).toEqual(['FAQ-0002', 'FAQ-0001', 'A01']);
    const ranked = rankWithExamples(close, ['chang', 'password'], { ...calibration, rerank: 1 });
    expect(ranked.hits.map((h) => h.ref.id)).toEqual(['FAQ-0001', 'FAQ-0002', 'A01']);
    expect(ranked.near).toMatchObject({ first: 1, top: 1 });
    expect(decide(close, { ...calibration, rerank: 1 }, ['chang', 'password'])).toMatchObject({ kind: 'answer', best: { ref: { id: 'FAQ-0001' } } });
    // rerank follows the closeness it is given; rankWithExamples gives a hit the calibration was not learned with none.
    expect(rerank(close, { each: [0, 0, 1], uncovered: 0, neighbours: [], explained: [0, 0, 1] }, 1).hits.map((h) => h.ref.id)).toEqual(['A01', 'FAQ-0002', 'FAQ-0001']);
    expect(rankWithExamples([close[0], close[2]] as SearchHit[], ['chang', 'password'], { ...calibration, rerank: 5 }).hits.map((h) => h.ref.id)).toEqual(['FAQ-0002', 'A01']);
  });

  it('reads no examples in a calibration without them (learned before them)', () => {
    const { examples: _, ...without } = calibration;
    expect(rankWithExamples([hit('FAQ-0001'), hit('FAQ-0002')], ['chang', 'password'], without).near).toBeUndefined();
    expect(answerProbability([hit('FAQ-0001'), hit('FAQ-0002')], without, undefined)).toEqual({ p: 1 / (1 + Math.exp(5)), at: 0.9 });
  });
});
