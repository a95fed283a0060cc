/**
 * The search tests' knowledge base: the small FR/EN fixture set of
 * test/fixtures/knowledge (independent of the real content), indexed with the
 * shipped synonyms, as production does.
 */
import { join } from 'node:path';
import { loadKnowledgeDir } from '../../../../src/knowledge/load-knowledge-dir.ts';
import { buildKnowledgeIndex, type BuildOptions, type KnowledgeIndex } from '../../../../src/knowledge/search/knowledge-search.ts';
import { loadSynonymFile } from '../../../../src/nlu/synonyms.ts';
import type { Article } from '../../../../src/knowledge/article.ts';

const ROOT = join(import.meta.dirname, '../../../..');
export const KNOWLEDGE_FIXTURES = join(ROOT, 'test/fixtures/knowledge');
export const FIXTURE_SERVICES = ['identity', 'email', 'collaboration', 'vpn', 'network', 'printing', 'workstation', 'software'];
export const SYNONYMS = loadSynonymFile(join(ROOT, 'knowledge/synonyms.yml'));

export function fixtureArticles(): Article[] {
  const { articles, errors } = loadKnowledgeDir(KNOWLEDGE_FIXTURES, FIXTURE_SERVICES);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return articles;
}

export function fixtureIndex(options: BuildOptions = {}): KnowledgeIndex {
  return buildKnowledgeIndex(fixtureArticles(), { synonyms: SYNONYMS, ...options });
}
