import { describe, expect, it } from 'vitest';
import { ExampleSet, type Example } from '../../../../src/knowledge/search/examples.ts';

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

  it('is 1 for a question that is one of the examples, for its own article, and 0 for what no example says', () => {
    expect(set.nearest(['chang', 'password'], ['FAQ-0001', 'KE-0002'])).toEqual({ first: 1, top: 1, uncovered: 0 });
    expect(set.nearest(['zzz', 'yyy'], ['FAQ-0001'])).toEqual({ first: 0, top: 0, uncovered: 0 });
  });

  it('tells the nearest example of the first hit from that of the first hits, and the nearest uncovered one', () => {
    // "password" is shared with the FAQ-0001 examples, "stuck queue" with KE-0002's, "broken" with an uncovered one.
    const onFirst = set.nearest(['password', 'broken'], ['FAQ-0001', 'KE-0002']);
    expect(onFirst.first).toBeGreaterThan(0);
    expect(onFirst.top).toBe(onFirst.first);
    expect(onFirst.uncovered).toBeGreaterThan(0);
    const onSecond = set.nearest(['print', 'stuck'], ['FAQ-0001', 'KE-0002']);
    expect(onSecond.first).toBe(0);
    expect(onSecond.top).toBeGreaterThan(0.5);
    expect(onSecond.uncovered).toBe(0);
  });

  it('counts an example for every article that answers it (an FAQ and its procedure)', () => {
    expect(set.nearest(['vpn', 'drop'], ['PROC-0003']).first).toBe(1);
    expect(set.nearest(['vpn', 'drop'], ['FAQ-0004']).first).toBe(1);
  });

  it('weighs shared words by their rarity among the examples: a rare shared word brings it closer than a common one', () => {
    // "password" is in two examples, "expir" in one: sharing "expir" with the first example counts more.
    const rare = set.nearest(['expir', 'zzz'], ['FAQ-0001']).first;
    const common = set.nearest(['password', 'zzz'], ['FAQ-0001']).first;
    expect(rare).toBeGreaterThan(common);
  });

  it('leaves out the examples `skip` names (the benchmark leaves a question out of its own evidence)', () => {
    expect(set.nearest(['chang', 'password'], ['FAQ-0001'], (j) => j === 1).first).toBeLessThan(1);
    expect(set.nearest(['excel', 'formula', 'broken'], ['FAQ-0001'], (j) => j === 4).uncovered).toBe(0);
    // The scratch state is reset after each query: the same question gives the same answer again.
    expect(set.nearest(['chang', 'password'], ['FAQ-0001'])).toEqual({ first: 1, top: 1, uncovered: 0 });
  });

  it('packs and unpacks to the same set (calibration-examples.ts)', () => {
    const packed = ExampleSet.pack(examples);
    expect(packed.split('\n')[2]).toBe('FAQ-0004,PROC-0003\tvpn drop');
    expect(packed.split('\n')[4]).toBe('\texcel formula broken');
    const again = ExampleSet.unpack(packed);
    expect(again.size).toBe(examples.length);
    for (const q of [['password', 'broken'], ['print', 'stuck'], ['teams', 'chat', 'zzz']]) {
      expect(again.nearest(q, ['FAQ-0001', 'KE-0002'])).toEqual(set.nearest(q, ['FAQ-0001', 'KE-0002']));
    }
  });
});
