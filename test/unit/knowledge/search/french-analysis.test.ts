import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../src/knowledge/article.ts';
import { buildKnowledgeIndex } from '../../../../src/knowledge/search/knowledge-search.ts';
import { analyzerFor, splitWords } from '../../../../src/nlu/text.ts';
import { fixtureIndex, SYNONYMS } from './fixture-index.ts';

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

  it('removes the elision of "quelqu\'un": a pronoun, not a word "quelquun" that matches nothing or anything', () => {
    expect(splitWords("quelqu'un a laissé quelqu'une").map((w) => w.word)).toEqual(['un', 'a', 'laissé', 'une']);
    expect(terms("quelqu'un a laissé des gravats")).toEqual(terms('laissé gravats'));
  });

  it('finds a verb through the nouns and participles Porter cuts elsewhere ("inscrire" / "inscription" / "inscrit")', () => {
    expect(fr.termOf('inscrire')).not.toBe(fr.termOf('inscription'));
    const article = (id: string, title: string): Article => ({ id, type: 'faq', lang: 'fr', title, tags: [], services: [], symptoms: [], status: 'published', updated: '2026-01-01', body: title });
    const index = buildKnowledgeIndex([article('A', 'Inscription à la cantine scolaire'), article('B', 'Repas et menus de la semaine'), article('C', 'Horaires de la piscine')]);
    const hit = (q: string) => index.search(q, { lang: 'fr', limit: 1, highlights: false })[0];
    expect(hit('comment inscrire mon fils')).toMatchObject({ ref: { id: 'A' } });
    expect(hit('je suis bien inscrit ?')).toMatchObject({ ref: { id: 'A' } });
    // Only stems of 5+ letters have kin: "part" is not "partage".
    const parts = buildKnowledgeIndex([article('P', 'Partager un fichier'), article('Q', 'Une part du budget')]);
    expect(parts.search('part', { lang: 'fr', limit: 1, highlights: false })[0]?.ref.id).toBe('Q');
  });

  it('knows everyday words for the words of a policy text ("vacances" for "congés", "boulot" for "travail")', () => {
    const article = (id: string, title: string): Article => ({ id, type: 'faq', lang: 'fr', title, tags: [], services: [], symptoms: [], status: 'published', updated: '2026-01-01', body: title });
    const index = buildKnowledgeIndex([article('A', 'Poser des congés payés pendant le télétravail'), article('B', 'Organiser les pauses en télétravail'), article('C', 'Accident du travail')], { synonyms: SYNONYMS });
    const top = (q: string) => index.search(q, { lang: 'fr', limit: 1, highlights: false })[0]?.ref.id;
    expect(top('est-ce qu\'on peut prendre des vacances quand on est en télétravail')).toBe('A');
    expect(top('je me suis blessé au boulot')).toBe('C');
  });
});
