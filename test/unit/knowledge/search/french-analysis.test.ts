import { describe, expect, it } from 'vitest';
import { analyzerFor, splitWords } from '../../../../src/nlu/text.ts';
import { fixtureIndex } from './fixture-index.ts';

const fr = analyzerFor('fr');
const terms = (text: string) => fr.terms(text);

describe('French analysis for search', () => {
  it('removes elision, so that a word matches with and without its article', () => {
    expect(terms("l'imprimante d'Anne qu'on m'a donnée")).toEqual(terms('imprimante Anne donnée'));
  });

  it('drops the subject of an inverted question: "peut-il" is the stop word "peut", not a word "peutil"', () => {
    expect(splitWords('peut-il puis-je doit-on a-t-il est-ce').map((w) => w.word)).toEqual(['peut', 'puis', 'doit', 'a', 'est']);
    expect(terms("l'employeur peut-il décider de mes congés ?")).toEqual(terms("l'employeur décider congés"));
  });

  it('keeps real compounds joined and split', () => {
    expect(splitWords('wi-fi').map((w) => w.word)).toEqual(['wifi', 'wi', 'fi']);
  });

  it('treats prepositions and connectors as stop words ("pendant", "depuis", "selon")', () => {
    expect(terms('congés pendant le confinement depuis lundi selon mon manager')).toEqual(terms('congés confinement lundi manager'));
  });

  it('matches the compound "mot de passe" whatever the accents and the elision', () => {
    const index = fixtureIndex();
    const top = (q: string) => index.search(q, { lang: 'fr', limit: 1, highlights: false })[0]?.ref.id;
    expect(top("j'ai oublié mon mot de passe")).toBeDefined();
    expect(top('jai oublie mon mot de passe')).toBe(top("j'ai oublié mon mot de passe"));
    expect(top('mdp oublié')).toBe(top("j'ai oublié mon mot de passe"));
  });
});
