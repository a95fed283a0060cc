import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../src/knowledge/article.ts';
import { buildKnowledgeIndex } from '../../../../src/knowledge/search/knowledge-search.ts';
import { DEFAULT_TUNING } from '../../../../src/knowledge/search/tuning.ts';

const article = (id: string, title: string, body: string, symptoms: string[] = []): Article => ({
  id, type: 'faq', lang: 'en', title, tags: [], services: [], symptoms, status: 'published', updated: '2026-01-01', body,
});

// One article says "battery" and "charging" in one sentence; another says them in sentences far apart.
const index = buildKnowledgeIndex([
  article('A', 'Laptop power problems', 'The battery stops charging at 80 percent. Plug the charger in.'),
  article('B', 'Company phone setup', 'Check the battery of the phone. Later, enrol it. Charging the phone takes an hour.'),
  article('C', 'Printer queue', 'Release your print job with your badge.', ['battery charging printer']),
]);

describe('focus: how much of the query one unit of an article says at once', () => {
  it('is full when one sentence holds every word, and lower when the words are scattered', () => {
    const hits = index.search('battery charging', { lang: 'en', highlights: false });
    const focus = (id: string) => hits.find((h) => h.ref.id === id)?.focus;
    expect(hits.find((h) => h.ref.id === 'B')?.coverage).toBe(1);
    expect(focus('A')).toBe(1);
    expect(focus('B')).toBeLessThan(0.8);
    expect(focus('B')).toBeGreaterThan(0);
  });

  it('over the title and symptoms alone, counts only what they say', () => {
    const hits = index.search('battery charging', { lang: 'en', highlights: false });
    expect(hits.find((h) => h.ref.id === 'C')?.titleFocus).toBe(1);
    expect(hits.find((h) => h.ref.id === 'A')?.titleFocus).toBe(0);
  });

  it('is computed only where the decision looks (the first four hits)', () => {
    const many = buildKnowledgeIndex(Array.from({ length: 6 }, (_, i) => article(`D${i}`, `Battery note ${i}`, 'battery '.repeat(i + 1))));
    const hits = many.search('battery', { lang: 'en', highlights: false });
    expect(hits).toHaveLength(6);
    expect(hits.slice(0, 4).every((h) => h.focus === 1)).toBe(true);
    expect(hits.slice(4).every((h) => h.focus === undefined)).toBe(true);
  });

  it('ranks the article that says the question in one sentence above one with the same words scattered over a long text', () => {
    const fr = (id: string, title: string, body: string): Article => ({ ...article(id, title, body), lang: 'fr' });
    const articles = [
      fr('PAUSE', 'Les pauses', 'Prendre une pause café le matin, prendre un repas le midi. Le confinement change les horaires. Les congés de la cantine sont affichés.'),
      fr('CONGES', 'Poser ses jours de repos', 'Les congés restent possibles pendant le confinement : vous pouvez les prendre avec l’accord du responsable, dans l’outil habituel.'),
    ];
    const top = (focus: number) =>
      buildKnowledgeIndex(articles, { tuning: { focus } }).search("Est-ce qu'on peut prendre des congés pendant le confinement ?", { lang: 'fr', limit: 1, highlights: false })[0]?.ref.id;
    expect(top(0)).toBe('PAUSE');
    expect(top(DEFAULT_TUNING.focus)).toBe('CONGES');
  });
});
