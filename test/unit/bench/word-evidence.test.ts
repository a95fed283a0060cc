import { describe, expect, it } from 'vitest';
import { learnCalibration, outcomes, type Observation } from '../../../bench/lib/answer-eval.ts';
import { countWords, evidenceTable, leaveOneOut } from '../../../bench/lib/word-evidence.ts';
import type { SearchHit } from '../../../src/knowledge/search/types.ts';

const covered = (terms: string[]) => ({ relevant: ['A'], terms });
const uncovered = (terms: string[]) => ({ relevant: [], terms });

describe('word evidence (bench/lib/word-evidence.ts)', () => {
  const questions = [covered(['vpn', 'slow']), covered(['vpn', 'error']), covered(['printer']), uncovered(['webcam', 'slow']), uncovered(['excel'])];

  it('counts, per term, the covered and uncovered questions that contain it', () => {
    const c = countWords(questions);
    expect([c.nCovered, c.nUncovered]).toEqual([3, 2]);
    expect(c.covered.get('vpn')).toBe(2);
    expect(c.uncovered.get('slow')).toBe(1);
  });

  it('gives a word of covered questions a negative evidence, one of uncovered questions a positive one (add-one smoothing)', () => {
    const t = evidenceTable(countWords(questions));
    // vpn: log((0+1)/(2+2)) − log((2+1)/(3+2)) = log(0.25/0.6)
    expect(t.terms['vpn']).toBeCloseTo(Math.log(0.25 / 0.6), 2);
    expect(t.terms['webcam']).toBeGreaterThan(0);
    expect(t.terms['slow']).toBeGreaterThan(t.terms['vpn'] as number);
    expect(t.unseen).toBeCloseTo(Math.log(0.25 / 0.2), 2);
  });

  it("leaves a question's own words out of its evidence (a word only it has counts as unseen)", () => {
    const c = countWords(questions);
    const q = questions[4] as { relevant: string[]; terms: string[] };
    const own = leaveOneOut(c, q);
    const others = evidenceTable(countWords(questions.filter((x) => x !== q)));
    expect(own('excel')).toBeCloseTo(others.unseen, 2);
    expect(own('vpn')).toBeCloseTo(others.terms['vpn'] as number, 2);
    expect(evidenceTable(c).terms['excel']).toBeGreaterThan(own('excel'));
  });
});

const hit = (id: string, score: number, coverage: number): SearchHit =>
  ({ ref: { id, lang: 'en' }, article: { id, services: ['s'], symptoms: ['a', 'b'] }, score, coverage, typedCoverage: coverage, missing: 0, focus: coverage, titleFocus: coverage, confidence: 0 }) as unknown as SearchHit;

describe('learnCalibration with word evidence', () => {
  it('tells covered from uncovered questions whose hits look alike by their words, and not without them', () => {
    // The same hits for both kinds; covered questions say "vpn …", uncovered ones "webcam …" (plus one word of their own).
    const obs: Observation[] = [];
    for (let i = 0; i < 200; i += 1) {
      const hits = [hit('A', 10, 0.8), hit('B', 9, 0.7), hit('C', 8, 0.6), hit('D', 7, 0.5)];
      obs.push({ relevant: [['A', 'B', 'C'][i % 3] as string], hits, terms: ['vpn', `w${i}`] });
      obs.push({ relevant: [], hits, terms: ['webcam', `u${i}`] });
    }
    const limits = { answerWrong: 0.02, uncoveredAnsweredOrOffered: 0.02 };
    const withWords = outcomes(obs, learnCalibration(obs, limits, undefined, { examples: false }));
    expect(withWords.choiceWithRight).toBeGreaterThan(0.9);
    expect(withWords.uncoveredAnsweredOrOffered).toBeLessThanOrEqual(0.02);
    const without = outcomes(obs, learnCalibration(obs, limits, undefined, { words: false, examples: false }));
    expect(without.helped).toBeLessThan(0.1);
    // The example questions alone tell them apart too (each question measured against the others: `learnedOn`).
    const withExamples = outcomes(obs, learnCalibration(obs, limits, undefined, { words: false }), true);
    expect(withExamples.helped).toBeGreaterThan(0.9);
    expect(withExamples.uncoveredAnsweredOrOffered).toBeLessThanOrEqual(0.02);
  });
});
