/** Intent recognition for FR/EN chat messages: see README.md beside this file. */
export { trainIntentClassifier, intentClassifierFromJSON, INTENT_DEFAULTS } from './classifier.ts';
export type { Calibration, IntentClassifier, IntentExample, IntentResult, IntentScore, LabelledUtterance, TrainOptions } from './types.ts';
export { chooseThreshold, crossValidate, type HeldOutScore, type HeldOutScorer } from './calibrate.ts';
export { parseIntentJsonl, readIntentFile, type IntentRecord } from './dataset.ts';
export { evaluateClassifier, scorePredictions, type IntentMetrics, type Prediction, type TestItem, type TimedMetrics } from './evaluate.ts';
export { cachedIntentClassifier, type ClassifierCacheOptions } from './cache.ts';
