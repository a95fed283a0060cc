import { describe, expect, it } from 'vitest';
import { editDistance, FuzzyVocabulary } from '../../../../src/knowledge/search/fuzzy.ts';

describe('editDistance', () => {
  it.each([
    ['imprimante', 'imprimate', 1],
    ['outlook', 'outlok', 1],
    ['teams', 'taems', 1],
    ['password', 'pasword', 1],
    ['printer', 'pritner', 1],
    ['kitten', 'sitting', 3],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(editDistance(a, b, 3)).toBe(d);
    expect(editDistance(b, a, 3)).toBe(d);
  });

  it('stops at the bound', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});

describe('FuzzyVocabulary', () => {
  const vocabulary = FuzzyVocabulary.of(['imprimante', 'imprimer', 'outlook', 'password', 'passport', 'vpn', 'teams']);

  it('finds the known words within the distance, closest first, without the word itself', () => {
    expect(vocabulary.near('imprimate', 2).map((n) => n.word)).toEqual(['imprimante']);
    expect(vocabulary.near('pasword', 2)).toEqual([{ word: 'password', distance: 1 }]);
    expect(vocabulary.near('imprimr', 2)).toEqual([{ word: 'imprimer', distance: 1 }]);
    expect(vocabulary.near('imprimr', 2).concat(vocabulary.near('imprimnte', 2)).map((n) => n.word)).toEqual(['imprimer', 'imprimante']);
    expect(vocabulary.near('outlook', 1)).toEqual([]);
  });

  it('finds nothing for an unrelated word', () => {
    expect(vocabulary.near('zzzzzz', 2)).toEqual([]);
  });

  it('is saved and restored as it is (the index cache), and refuses saved parts that do not fit', () => {
    const restored = FuzzyVocabulary.restore(structuredClone(vocabulary.save()));
    expect(restored).toBeDefined();
    for (const word of ['imprimate', 'pasword', 'imprimr', 'pasport', 'vnp', 'team', 'zzzzzz']) expect(restored!.near(word, 2)).toEqual(vocabulary.near(word, 2));
    const saved = vocabulary.save();
    expect(FuzzyVocabulary.restore({ ...saved, grams: saved.grams.slice(1) })).toBeUndefined();
    expect(FuzzyVocabulary.restore({ ...saved, words: saved.words.slice(0, 2) })).toBeUndefined();
    expect(FuzzyVocabulary.restore({ ...saved, ids: saved.ids.slice(1) })).toBeUndefined();
  });
});
