import { describe, expect, it } from 'vitest';
import { buildKnowledgeIndex } from '../../../../src/knowledge/search/knowledge-search.ts';
import { fixtureArticles, fixtureIndex } from './fixture-index.ts';

const index = fixtureIndex();
const top = (query: string, lang: 'fr' | 'en') => index.search(query, { lang, limit: 3 })[0];

describe('knowledge search: the right article for what users type', () => {
  it.each([
    // French: abbreviations, typos, missing accents, chat phrasing
    ['mdp oublié', 'fr', 'FAQ-0001'],
    ['mdp oublie', 'fr', 'FAQ-0001'],
    ["j'ai oublié mon mot de passe", 'fr', 'FAQ-0001'],
    ['imprimate bloquée', 'fr', 'KE-0003'],
    ['wifi marche pas', 'fr', 'FAQ-0003'],
    ['le wi-fi ne fonctionne plus', 'fr', 'FAQ-0003'],
    ['compte bloqué', 'fr', 'FAQ-0002'],
    ['pas de son dans teams', 'fr', 'FAQ-0004'],
    ['erreur 809', 'fr', 'KE-0002'],
    ['outlook demande mot de passe en boucle', 'fr', 'KE-0001'],
    // English: typos, missing apostrophes, error codes
    ['outlok password loop', 'en', 'KE-0001'],
    ['cant connect vpn error 809', 'en', 'KE-0002'],
    ['my account is locked', 'en', 'FAQ-0002'],
    ['wi-fi not working', 'en', 'FAQ-0003'],
    ['printer stuck', 'en', 'KE-0003'],
    ['people cant hear me on teams', 'en', 'FAQ-0004'],
    ['forgot pwd', 'en', 'FAQ-0001'],
  ] as const)('"%s" (%s) → %s', (query, lang, id) => {
    expect(top(query, lang)?.ref.id).toBe(id);
  });

  it("shows the user's language when the article is translated, whatever the query's language", () => {
    expect(top('outlook password loop', 'fr')?.ref).toEqual({ id: 'KE-0001', lang: 'fr' });
    expect(top('mdp oublié', 'en')?.ref).toEqual({ id: 'FAQ-0001', lang: 'en' });
  });

  it('falls back to the other language when the article has no translation', () => {
    const hit = top('écran noir avec le dock', 'fr');
    expect(hit?.ref).toEqual({ id: 'FAQ-0005', lang: 'en' });
    expect(hit?.article.title).toBe('External screens stay black on the WD19 dock');
  });

  it('returns each article once, even when both languages match', () => {
    const ids = index.search('vpn 809', { lang: 'fr' }).map((h) => h.ref.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows published articles only, unless asked for drafts', () => {
    expect(index.search('second monitor', { lang: 'en' }).map((h) => h.ref.id)).not.toContain('FAQ-0006');
    expect(index.search('second monitor', { lang: 'en', statuses: ['published', 'draft'] })[0]?.ref.id).toBe('FAQ-0006');
  });

  it('filters by service', () => {
    const hits = index.search('password', { lang: 'en', services: ['email'] });
    expect(hits.map((h) => h.ref.id)).toEqual(['KE-0001']);
    expect(index.search('printer stuck', { lang: 'en', services: ['vpn'] })).toEqual([]);
  });

  it('gives scores best first, confidences and coverages between 0 and 1, and highlights', () => {
    const hits = index.search('vpn error 809 at home', { lang: 'en', limit: 5 });
    expect(hits.length).toBeGreaterThan(1);
    for (const [i, h] of hits.entries()) {
      expect(h.confidence).toBeGreaterThanOrEqual(0);
      expect(h.confidence).toBeLessThanOrEqual(1);
      expect(h.coverage).toBeGreaterThanOrEqual(0);
      expect(h.coverage).toBeLessThanOrEqual(1);
      if (i > 0) expect(h.score).toBeLessThanOrEqual(hits[i - 1]?.score ?? Infinity);
    }
    expect(hits[0]?.confidence).toBeGreaterThan(0.8);
    expect(hits[0]?.highlights?.[0]).toMatch(/809/);
    expect(index.search('vpn', { lang: 'en', highlights: false })[0]?.highlights).toBeUndefined();
  });

  it('respects the limit and returns nothing for an empty or stop-word-only query', () => {
    expect(index.search('password', { lang: 'en', limit: 2 })).toHaveLength(2);
    expect(index.search('', { lang: 'en' })).toEqual([]);
    expect(index.search('the of and', { lang: 'en' })).toEqual([]);
  });

  it('works on an empty knowledge base', () => {
    const empty = buildKnowledgeIndex([]);
    expect(empty.size).toBe(0);
    expect(empty.search('vpn', { lang: 'fr' })).toEqual([]);
    expect(empty.answer('vpn', { lang: 'fr' })).toEqual({ kind: 'none' });
  });

  it('uses synonyms: without them, an abbreviation finds nothing', () => {
    const bare = buildKnowledgeIndex(fixtureArticles());
    expect(bare.search('mdp', { lang: 'fr' })).toEqual([]);
    expect(index.search('mdp', { lang: 'fr' })[0]?.ref.id).toMatch(/FAQ-0001|KE-0001/);
  });

  it('corrects typos towards words of the articles, and weighs corrections less', () => {
    const typo = index.search('outlok', { lang: 'en' })[0];
    const right = index.search('outlook', { lang: 'en' })[0];
    expect(typo?.ref.id).toBe('KE-0001');
    expect(right?.ref.id).toBe('KE-0001');
    expect(typo?.score ?? 0).toBeLessThan(right?.score ?? 0);
    expect(index.search('pasword', { lang: 'en' })[0]?.ref.id).toMatch(/^(KE-0001|FAQ-0001)$/);
    expect(index.search('imprimnate', { lang: 'fr' })[0]?.ref.id).toBe('KE-0003');
  });
});

describe('knowledge search: what the hits tell the decision', () => {
  it('says how specific the most specific word a hit misses is (missing)', () => {
    const full = top('mdp oublié', 'fr');
    const partial = top('mdp oublié autocad', 'fr');
    // "oublié" is not word for word in the article: a common word missed weighs little.
    expect(full?.missing).toBeLessThan(0.5);
    // "autocad" no article contains: the rarest possible word, missed entirely.
    expect(partial?.missing).toBe(1);
  });

  it('answers none to a question for another department (BuildOptions.elsewhere), naming its best hit', () => {
    const asked: string[] = [];
    const guarded = buildKnowledgeIndex(fixtureArticles(), {
      elsewhere: (q) => {
        asked.push(q);
        return q.includes('paie');
      },
    });
    const answer = guarded.answer('mot de passe fiche de paie', { lang: 'fr' });
    expect(answer.kind).toBe('none');
    expect(answer.kind === 'none' && answer.best?.ref.id).toBe('FAQ-0001');
    expect(guarded.answer('mdp oublié', { lang: 'fr' })).toEqual(buildKnowledgeIndex(fixtureArticles()).answer('mdp oublié', { lang: 'fr' }));
    expect(asked).toEqual(['mot de passe fiche de paie', 'mdp oublié']);
  });
});
