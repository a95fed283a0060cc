/**
 * Builds the search index into its cache file in a worker thread, for a start whose cache missed: the
 * server then loads the file as on a warm start. Building takes several times the memory of the
 * index it leaves (analysis, MiniSearch's Maps, the copy into tables; 1.3–1.7 GB of resident memory
 * for 10,000 articles), and V8 gives little of it back once the main heap has grown; in a worker
 * it goes with the worker's heap when the thread ends.
 */
import { Worker } from 'node:worker_threads';
import type { SynonymRule } from '../../nlu/synonyms.ts';
import type { Article } from '../article.ts';
import type { CacheMiss, IndexCacheOptions } from './index-cache.ts';

/**
 * Builds and saves the index of `articles`; resolves once the worker is done (its build's log line
 * told to `cache.log`, with `worker: true`), rejects when it fails (then build in the thread).
 */
export function buildIndexCache(articles: readonly Article[], synonyms: readonly SynonymRule[], cache: IndexCacheOptions & { missed: CacheMiss }): Promise<void> {
  const workerData = { articles, synonyms, file: cache.file, missed: cache.missed };
  // Run from src/ (tsx, vitest), the worker is TypeScript: it registers tsx's loader first (a worker does not inherit vitest's).
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(new URL('./index-worker.ts', import.meta.url).href)}))`, { eval: true, workerData })
    : new Worker(new URL('./index-worker.js', import.meta.url), { workerData });
  return new Promise((resolve, reject) => {
    let logged: { fields: Record<string, unknown>; message: string } | undefined;
    worker.on('message', (message: typeof logged) => (logged = message));
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`knowledge: the index worker exited with code ${code}`));
      if (logged) cache.log?.({ ...logged.fields, worker: true }, logged.message);
      resolve();
    });
  });
}
