/**
 * The worker thread of `buildIndexCache` (build-index-cache.ts): builds the index of the articles it
 * is given, saves it to the cache file, and posts back what the build logged.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SynonymRule } from '../../nlu/synonyms.ts';
import type { Article } from '../article.ts';
import type { CacheMiss } from './index-cache.ts';
import { buildKnowledgeIndex } from './knowledge-search.ts';

const { articles, synonyms, file, missed } = workerData as { articles: Article[]; synonyms: SynonymRule[]; file: string; missed: CacheMiss };
let logged: { fields: Record<string, unknown>; message: string } | undefined;
buildKnowledgeIndex(articles, { synonyms, cache: { file, missed, log: (fields, message) => (logged = { fields, message }) } });
parentPort?.postMessage(logged);
