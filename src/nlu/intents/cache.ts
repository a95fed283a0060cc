/**
 * The trained classifier saved between starts (src/core/cache-file.ts): training with its
 * cross-validated calibration takes about 4 s at every start, loading the saved one a few
 * tens of milliseconds. Keyed on the training examples, the options and the code of this folder
 * and of src/nlu (features, stemmers, language detection): any change trains again.
 */
import { cacheKey, codeVersion, readCache, writeCache } from '../../core/cache-file.ts';
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

/** trainIntentClassifier, or the classifier saved for the same examples and options. */
export function cachedIntentClassifier(examples: readonly IntentExample[], options: TrainOptions, cache: ClassifierCacheOptions): IntentClassifier {
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
  const started = performance.now();
  const classifier = trainIntentClassifier(examples, options);
  const trainMs = Math.round(performance.now() - started);
  const failed = writeCache(cache.file, key, classifier.toJSON());
  cache.log?.({ file: cache.file, reason: miss, trainMs, ...(failed ? { saveError: failed.message } : {}) }, failed ? 'intent classifier trained; its cache could not be saved' : 'intent classifier trained and cached');
  return classifier;
}
