import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../src/knowledge/article.ts';
import { buildKnowledgeIndex } from '../../../../src/knowledge/search/knowledge-search.ts';
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

  it('finds a noun through its verb or participle, which Porter stems apart ("oubli" / "oublié", "verrouillage" / "verrouiller")', () => {
    expect(fr.termOf('oubli')).not.toBe(fr.termOf('oublié'));
    expect(fr.termOf('verrouillage')).not.toBe(fr.termOf('verrouiller'));
    const article = (id: string, title: string): Article => ({ id, type: 'faq', lang: 'fr', title, tags: [], services: [], symptoms: [], status: 'published', updated: '2026-01-01', body: title });
    const index = buildKnowledgeIndex([article('A', "J'ai oublié mon code PIN"), article('B', 'Verrouiller sa session Windows'), article('C', 'Changer le fond d’écran')]);
    const hit = (q: string) => index.search(q, { lang: 'fr', limit: 1, highlights: false })[0];
    expect(hit('oubli du code pin')).toMatchObject({ ref: { id: 'A' }, typedCoverage: 1 });
    expect(hit('verrouillage de session')).toMatchObject({ ref: { id: 'B' }, typedCoverage: 1 });
    // Only towards stems of 5+ letters: "partage" does not become "part".
    const parts = buildKnowledgeIndex([article('P', 'Une part du budget')]);
    expect(parts.search('partage', { lang: 'fr', limit: 1, highlights: false })[0]?.typedCoverage ?? 0).toBe(0);
  });
});
