/**
 * The trained classifier saved between starts (src/core/cache-file.ts): training with its
 * cross-validated calibration takes about 4 s at every start, loading the saved one a few
 * tens of milliseconds. Keyed on the training examples, the options and the code of this folder
 * and of src/nlu (features, stemmers, language detection): any change trains again.
 *
 * On a miss the classifier is trained in a worker thread (train-worker.ts), which saves it and sends
 * back its snapshot: training allocates several times what the classifier keeps (the folds'
 * models, the feature maps), and in the server's own heap that garbage stayed committed after the
 * start (an idle server runs no GC). A failed worker falls back to training here (logged).
 */
import { cacheKey, codeVersion, readCache, writeCache } from '../../core/cache-file.ts';
import { runInWorker, workerModule } from '../../core/worker.ts';
import { intentClassifierFromJSON, trainIntentClassifier } from './classifier.ts';
import type { IntentClassifier, IntentExample, TrainOptions } from './types.ts';

/** Bump when the saved shape changes without a code change in the hashed folders. */
const FORMAT_VERSION = 1;

export interface ClassifierCacheOptions {
  /** The cache file (e.g. `<cache dir>/intent-classifier.bin`). */
  file: string;
  /** Told when the classifier was trained (and why the cache was not used). */
  log?: (fields: Record<string, unknown>, message: string) => void;
}

/** What a training (in the worker or here) gives back: the classifier's snapshot, and whether it was saved. */
export interface Training {
  snapshot: unknown;
  trainMs: number;
  saveError?: string;
}

/** Trains on `examples` and saves the classifier under `key` in `file`: the job of train-worker.ts (and its fallback). */
export function trainAndSave(examples: readonly IntentExample[], options: TrainOptions, file: string, key: string): Training {
  const started = performance.now();
  const snapshot = trainIntentClassifier(examples, options).toJSON();
  const trainMs = Math.round(performance.now() - started);
  const failed = writeCache(file, key, snapshot);
  return { snapshot, trainMs, ...(failed ? { saveError: failed.message } : {}) };
}

/** trainIntentClassifier (in a worker thread), or the classifier saved for the same examples and options. */
export async function cachedIntentClassifier(examples: readonly IntentExample[], options: TrainOptions, cache: ClassifierCacheOptions): Promise<IntentClassifier> {
  const key = cacheKey(FORMAT_VERSION, codeVersion(new URL('./', import.meta.url), new URL('../', import.meta.url)), examples, options);
  const read = readCache<unknown>(cache.file, key);
  let miss = read.miss;
  if (read.value !== undefined) {
    try {
      return intentClassifierFromJSON(read.value);
    } catch {
      miss = 'corrupt';
    }
  }
  let workerError: string | undefined;
  const training = await runInWorker<Training>(workerModule('train-worker', import.meta.url), { examples, options, file: cache.file, key }).catch((error: unknown) => {
    workerError = (error as Error).message;
    return trainAndSave(examples, options, cache.file, key);
  });
  const { trainMs, saveError } = training;
  const fields = { file: cache.file, reason: miss, trainMs, worker: workerError === undefined, ...(workerError ? { workerError } : {}), ...(saveError ? { saveError } : {}) };
  cache.log?.(fields, saveError ? 'intent classifier trained; its cache could not be saved' : 'intent classifier trained and cached');
  return intentClassifierFromJSON(training.snapshot);
}
