import { describe, expect, it } from 'vitest';
import { ExampleSet, NEIGHBOURS, nearestOf, type Example } from '../../../../src/knowledge/search/examples.ts';

const examples: Example[] = [
  { articles: ['FAQ-0001'], terms: ['password', 'expir', 'login'] },
  { articles: ['FAQ-0001'], terms: ['chang', 'password'] },
  { articles: ['FAQ-0004', 'PROC-0003'], terms: ['vpn', 'drop'] },
  { articles: ['KE-0002'], terms: ['print', 'stuck', 'queue'] },
  { articles: [], terms: ['excel', 'formula', 'broken'] },
  { articles: [], terms: ['teams', 'pin', 'chat'] },
];

describe('ExampleSet (nearest example questions)', () => {
  const set = ExampleSet.of(examples);
  // The decision's inputs for hits `ids` (all of them counted in `top`).
  const near = (s: ExampleSet, terms: string[], ids: string[], skip?: (j: number) => boolean) => nearestOf(s.closeness(terms, ids, skip), ids.length);

  it('is 1 for a question that is one of the examples, for its own article, and 0 for what no example says', () => {
    expect(near(set, ['chang', 'password'], ['FAQ-0001', 'KE-0002'])).toEqual({ first: 1, top: 1, uncovered: 0, votes: { first: 1, top: 1, uncovered: 0 }, explained: { first: 1, top: 1 } });
    expect(near(set, ['zzz', 'yyy'], ['FAQ-0001'])).toEqual({ first: 0, top: 0, uncovered: 0, votes: { first: 0, top: 0, uncovered: 0 }, explained: { first: 0, top: 0 } });
  });

  it('tells the nearest example of the first hit from that of the first hits, and the nearest uncovered one', () => {
    // "password" is shared with the FAQ-0001 examples, "stuck queue" with KE-0002's, "broken" with an uncovered one.
    const onFirst = near(set, ['password', 'broken'], ['FAQ-0001', 'KE-0002']);
    expect(onFirst.first).toBeGreaterThan(0);
    expect(onFirst.top).toBe(onFirst.first);
    expect(onFirst.uncovered).toBeGreaterThan(0);
    const onSecond = near(set, ['print', 'stuck'], ['FAQ-0001', 'KE-0002']);
    expect(onSecond.first).toBe(0);
    expect(onSecond.top).toBeGreaterThan(0.5);
    expect(onSecond.uncovered).toBe(0);
  });

  it('counts an example for every article that answers it (an FAQ and its procedure)', () => {
    expect(near(set, ['vpn', 'drop'], ['PROC-0003']).first).toBe(1);
    expect(near(set, ['vpn', 'drop'], ['FAQ-0004']).first).toBe(1);
  });

  it('weighs shared words by their rarity among the examples: a rare shared word brings it closer than a common one', () => {
    // "password" is in two examples, "expir" in one: sharing "expir" with the first example counts more.
    const rare = near(set, ['expir', 'zzz'], ['FAQ-0001']).first;
    const common = near(set, ['password', 'zzz'], ['FAQ-0001']).first;
    expect(rare).toBeGreaterThan(common);
  });

  it('leaves out the examples `skip` names (the benchmark leaves a question out of its own evidence)', () => {
    expect(near(set, ['chang', 'password'], ['FAQ-0001'], (j) => j === 1).first).toBeLessThan(1);
    expect(near(set, ['excel', 'formula', 'broken'], ['FAQ-0001'], (j) => j === 4).uncovered).toBe(0);
    // The scratch state is reset after each query: the same question gives the same answer again.
    expect(near(set, ['chang', 'password'], ['FAQ-0001'])).toMatchObject({ first: 1, top: 1, uncovered: 0 });
  });

  it("explains a question by the words of all of an article's examples, not only the nearest one's", () => {
    // "expir" is a word of FAQ-0001's first example, "chang" of its second: no one example has both, their pool does.
    const both = near(set, ['expir', 'chang'], ['FAQ-0001', 'KE-0002']);
    expect(both.first).toBeLessThan(1);
    expect(both.explained).toEqual({ first: 1, top: 1 });
    // A near miss: "print" is KE-0002's, "ocr" no example's; each weighs log(1 + 6) (one example, or none, has it).
    expect(near(set, ['print', 'ocr'], ['KE-0002']).explained.first).toBeCloseTo(0.5, 10);
    // The best of the first hits, in the order given (re-ranked: KE-0002 first).
    const order = nearestOf(set.closeness(['print', 'ocr'], ['FAQ-0001', 'KE-0002']), 2, [1, 0]);
    expect(order.explained).toEqual({ first: expect.closeTo(0.5, 10), top: expect.closeTo(0.5, 10) });
    // Left out by `skip`, an example explains nothing: "chang" is then a word no example has.
    expect(near(set, ['expir', 'chang'], ['FAQ-0001'], (j) => j === 1).explained.first).toBeCloseTo(0.5, 10);
    // An uncovered example explains no article.
    expect(near(set, ['excel', 'formula'], ['FAQ-0001']).explained.first).toBe(0);
  });

  it('packs and unpacks to the same set (calibration-examples.ts)', () => {
    const packed = ExampleSet.pack(examples);
    expect(packed.split('\n')[2]).toBe('FAQ-0004,PROC-0003\tvpn drop');
    expect(packed.split('\n')[4]).toBe('\texcel formula broken');
    const again = ExampleSet.unpack(packed);
    expect(again.size).toBe(examples.length);
    for (const q of [['password', 'broken'], ['print', 'stuck'], ['teams', 'chat', 'zzz']]) {
      expect(near(again, q, ['FAQ-0001', 'KE-0002'])).toEqual(near(set, q, ['FAQ-0001', 'KE-0002']));
    }
  });

  it('gives the closeness of each hit in its order, and none for a hit no example answers ("")', () => {
    const c = set.closeness(['print', 'stuck', 'queue'], ['FAQ-0001', 'KE-0002', '']);
    expect(c.each).toEqual([0, 1, 0]);
    expect(c.explained).toEqual([0, 1, 0]);
    expect(nearestOf(c, 1)).toEqual({ first: 0, top: 0, uncovered: 0, votes: { first: 0, top: 0, uncovered: 0 }, explained: { first: 0, top: 0 } });
    expect(nearestOf(c, 3)).toEqual({ first: 0, top: 1, uncovered: 0, votes: { first: 0, top: 1, uncovered: 0 }, explained: { first: 0, top: 1 } });
    // In another order (the hits re-ranked: KE-0002 first), the first hit's closeness, votes and explained share follow it.
    expect(nearestOf(c, 1, [1, 0, 2])).toEqual({ first: 1, top: 1, uncovered: 0, votes: { first: 1, top: 1, uncovered: 0 }, explained: { first: 1, top: 1 } });
  });

  it('matches a misspelt term to the examples\' own terms (1 edit from 4 letters), unless the examples left in lack it', () => {
    expect(near(set, ['chang', 'pasword'], ['FAQ-0001']).first).toBe(1);
    expect(near(set, ['formla', 'excel', 'broken'], ['FAQ-0001']).uncovered).toBe(1);
    // "pasword" is 1 edit from "password", which only examples 0 and 1 have: with both left out, nothing is near.
    expect(near(set, ['pasword'], ['FAQ-0001'], (j) => j <= 1).first).toBe(0);
  });

  it('shares the votes of the nearest examples by their closeness squared, among the first hits and the uncovered ones', () => {
    // "password" is in both FAQ-0001 examples; "broken" in an uncovered one. The three vote, nearest most.
    const c = set.closeness(['password', 'broken'], ['FAQ-0001', 'KE-0002']);
    expect(c.neighbours.map((n) => n.mask).sort()).toEqual([-1, 1, 1]);
    const squared = c.neighbours.map((n) => n.closeness * n.closeness);
    const total = squared.reduce((a, b) => a + b, 0);
    const v = nearestOf(c, 2).votes;
    expect(v.first).toBeCloseTo(squared.filter((_, i) => c.neighbours[i]?.mask === 1).reduce((a, b) => a + b, 0) / total);
    expect(v.uncovered).toBeCloseTo(1 - v.first);
    expect(v.top).toBe(v.first);
    // Nearest first.
    for (let i = 1; i < c.neighbours.length; i += 1) expect(c.neighbours[i]?.closeness).toBeLessThanOrEqual(c.neighbours[i - 1]?.closeness as number);
  });

  it('keeps only the NEIGHBOURS nearest examples as voters', () => {
    // 30 examples of one article sharing one word with the question, a few of another sharing two: the nearest are theirs.
    const many = ExampleSet.of([
      ...Array.from({ length: 30 }, (_, i) => ({ articles: ['A'], terms: ['vpn', `w${i}`, `x${i}`] })),
      ...Array.from({ length: 3 }, (_, i) => ({ articles: ['B'], terms: ['vpn', 'drop', `y${i}`] })),
    ]);
    const c = many.closeness(['vpn', 'drop'], ['A', 'B']);
    expect(c.neighbours).toHaveLength(NEIGHBOURS);
    expect(c.neighbours.slice(0, 3).every((n) => n.mask === 2)).toBe(true);
    const v = nearestOf(c, 1, [1, 0]).votes;
    expect(v.first).toBeGreaterThan(0.5);
    expect(nearestOf(c, 1).votes.first).toBeCloseTo(1 - v.first);
  });
});
