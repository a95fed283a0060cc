/**
 * The worker thread of `buildIndexCache` (build-index-cache.ts): builds the index of the articles it
 * is given, saves it to the cache file, and posts back what the build logged.
 */
import { jobData, workerResult } from '../../core/worker.ts';
import type { SynonymRule } from '../../nlu/synonyms.ts';
import type { Article } from '../article.ts';
import type { BuildLog } from './build-index-cache.ts';
import type { CacheMiss } from './index-cache.ts';
import { buildKnowledgeIndex } from './knowledge-search.ts';

const { articles, synonyms, file, missed } = jobData<{ articles: Article[]; synonyms: SynonymRule[]; file: string; missed: CacheMiss }>();
await workerResult(() => {
  let logged: BuildLog | undefined;
  buildKnowledgeIndex(articles, { synonyms, cache: { file, missed, log: (fields, message) => (logged = { fields, message }) } });
  return logged;
});
