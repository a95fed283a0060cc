/**
 * The worker thread of `cachedIntentClassifier` (cache.ts): trains the classifier on the examples it is
 * given, saves it to the cache file, and posts back its snapshot.
 */
import { jobData, workerResult } from '../../core/worker.ts';
import { trainAndSave } from './cache.ts';
import type { IntentExample, TrainOptions } from './types.ts';

const { examples, options, file, key } = jobData<{ examples: IntentExample[]; options: TrainOptions; file: string; key: string }>();
await workerResult(() => trainAndSave(examples, options, file, key));
