import { describe, expect, it } from 'vitest';
import { loadServiceIds } from '../../../../src/catalog/services.ts';
import { loadKnowledgeDir } from '../../../../src/knowledge/load-knowledge-dir.ts';
import { buildKnowledgeIndex } from '../../../../src/knowledge/search/knowledge-search.ts';
import { loadSynonymFile } from '../../../../src/nlu/synonyms.ts';

/**
 * The shipped decision (calibration-table.ts) on the shipped knowledge/, on
 * questions of the tuning part of bench/data/ (and of conversations-tune):
 * the word evidence turns away an uncovered question that shares an
 * article's words, and lets through covered ones whose hits alone looked
 * uncertain. Re-check after re-learning the calibration (bench/calibrate.ts).
 */
describe('the shipped decision on knowledge/ (word evidence of coverage)', () => {
  const { articles } = loadKnowledgeDir('knowledge', loadServiceIds('config'));
  const index = buildKnowledgeIndex(
    articles.filter((a) => a.status === 'published'),
    { synonyms: loadSynonymFile('knowledge/synonyms.yml') },
  );

  it('says nothing reliable for a personal phone that will not turn on, though the iPhone enrolment articles share its words', () => {
    expect(index.answer("mon iphone perso ne s'allume plus", { lang: 'fr' }).kind).toBe('none');
  });

  it.each([
    ['pas de son pendant les reunions teams', 'FAQ-0016'],
    ["le vpn décroche sans arrêt c'est infernal", 'FAQ-0008'],
  ])('offers the right article for "%s"', (query, id) => {
    const a = index.answer(query, { lang: 'fr' });
    const shown = a.kind === 'choose' ? a.options.map((o) => o.ref.id) : a.kind === 'answer' ? [a.best.ref.id] : [];
    expect(shown).toContain(id);
  });
});
