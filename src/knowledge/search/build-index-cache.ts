/**
 * Builds the search index into its cache file in a worker thread, for a start whose cache missed: the
 * server then loads the file as on a warm start. Building takes several times the memory of the
 * index it leaves (analysis, MiniSearch's Maps, the copy into tables; 1.3–1.7 GB of resident memory
 * for 10,000 articles), and V8 gives little of it back once the main heap has grown; in a worker
 * it goes with the worker's heap when the thread ends.
 */
import { runInWorker, workerModule } from '../../core/worker.ts';
import type { SynonymRule } from '../../nlu/synonyms.ts';
import type { Article } from '../article.ts';
import type { CacheMiss, IndexCacheOptions } from './index-cache.ts';

/** What the build logged in the worker. */
export interface BuildLog {
  fields: Record<string, unknown>;
  message: string;
}

/**
 * Builds and saves the index of `articles`; resolves once the worker is done (its build's log line
 * told to `cache.log`, with `worker: true`), rejects when it fails (then build in the thread).
 */
export async function buildIndexCache(articles: readonly Article[], synonyms: readonly SynonymRule[], cache: IndexCacheOptions & { missed: CacheMiss }): Promise<void> {
  const logged = await runInWorker<BuildLog | undefined>(workerModule('index-worker', import.meta.url), { articles, synonyms, file: cache.file, missed: cache.missed });
  if (logged) cache.log?.({ ...logged.fields, worker: true }, logged.message);
}
