/**
 * `trainIntentClassifier`: trains the model on example utterances at
 * start-up, chooses the out-of-scope threshold, and answers `classify`.
 * Design, measurements and options: README.md beside this file.
 */
import { GuichetError } from '../../core/errors.ts';
import type { Lang } from '../../core/lang.ts';
import { detectLanguage } from '../language.ts';
import { chooseThreshold, crossValidate, type HeldOutScore } from './calibrate.ts';
import { DEFAULT_FEATURE_OPTIONS } from './features.ts';
import { IntentModel, type ModelSettings, type PreparedExample } from './model.ts';
import { parseSnapshot, snapshot } from './serialize.ts';
import type { Calibration, IntentClassifier, IntentExample, IntentResult, LabelledUtterance, TrainOptions } from './types.ts';

/** Defaults of TrainOptions and of the model (measured in README.md). */
export const INTENT_DEFAULTS = {
  seed: 1,
  defaultLang: 'en' as Lang,
  folds: 5,
  maxCalibrationSamples: 2000,
  /** Example visits that set the default number of passes: 20,000 / examples, within [5, 30]. */
  exampleVisits: 20_000,
  minEpochs: 5,
  maxEpochs: 30,
  learningRate: 2,
  /** Word block weight; character n-grams get sqrt(1 − 0.25) ≈ 0.87. */
  wordWeight: 0.5,
} as const;

/** Trains a classifier on `examples` (one or more intents, each with at least one example). */
export function trainIntentClassifier(examples: readonly IntentExample[], options: TrainOptions = {}): IntentClassifier {
  checkExamples(examples);
  const defaultLang = options.defaultLang ?? INTENT_DEFAULTS.defaultLang;
  const langOf = (u: { text: string; lang?: Lang }): Lang => u.lang ?? detectLanguage(u.text, defaultLang).lang;
  const prepared: PreparedExample[] = examples.map((e) => ({ text: e.text, intent: e.intent.trim(), lang: langOf(e) }));
  const settings = modelSettings(prepared.length, options);
  const outOfScope = (options.outOfScope ?? []).map((u) => (typeof u === 'string' ? { text: u } : u)).map((u) => ({ text: u.text, lang: langOf(u) }));
  const model = IntentModel.train(prepared, settings, outOfScope);

  let calibration: Calibration;
  if (options.threshold !== undefined) {
    if (!(options.threshold >= 0 && options.threshold <= 1)) {
      throw new GuichetError('intents.invalid-option', `intents: threshold must be between 0 and 1, got ${options.threshold}`);
    }
    calibration = { method: 'fixed', threshold: options.threshold, inScope: 0, outOfScope: 0 };
  } else if (options.validation && options.validation.length > 0) {
    const samples = options.validation.map((u) => heldOut(model, u, langOf(u)));
    calibration = { method: 'validation', threshold: chooseThreshold(samples), ...counts(samples) };
  } else {
    const { samples, folds } = crossValidate(
      prepared,
      outOfScope,
      (training, trainingOutOfScope) => {
        const fold = IntentModel.train(training, settings, trainingOutOfScope);
        return (u) => {
          const s = fold.score(u.text, u.lang);
          return { top: s.top, confidence: s.confidence };
        };
      },
      { folds: options.folds ?? INTENT_DEFAULTS.folds, seed: settings.seed, maxSamples: options.maxCalibrationSamples ?? INTENT_DEFAULTS.maxCalibrationSamples },
    );
    calibration = { method: 'cross-validation', threshold: chooseThreshold(samples), ...counts(samples), folds };
  }
  return makeClassifier(model, calibration, defaultLang, prepared);
}

/** Restores a classifier saved with `toJSON()`; throws `intents.invalid-snapshot` on anything else. */
export function intentClassifierFromJSON(json: unknown): IntentClassifier {
  const { model, calibration, defaultLang, examples } = parseSnapshot(json);
  return makeClassifier(model, calibration, defaultLang, examples);
}

function makeClassifier(model: IntentModel, calibration: Calibration, defaultLang: Lang, examples: readonly PreparedExample[]): IntentClassifier {
  const threshold = calibration.threshold;
  return {
    intents: model.intents,
    threshold,
    calibration,
    classify(text: string, lang?: Lang): IntentResult {
      const s = model.score(text, lang ?? detectLanguage(text, defaultLang).lang);
      return { intent: s.confidence >= threshold ? s.top : null, confidence: s.confidence, ranking: s.ranking };
    },
    toJSON: () => snapshot(model, calibration, defaultLang, examples),
  };
}

function modelSettings(exampleCount: number, options: TrainOptions): ModelSettings {
  const d = INTENT_DEFAULTS;
  const epochs = options.epochs ?? Math.min(d.maxEpochs, Math.max(d.minEpochs, Math.round(d.exampleVisits / exampleCount)));
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new GuichetError('intents.invalid-option', `intents: epochs must be a positive integer, got ${epochs}`);
  const features = { ...DEFAULT_FEATURE_OPTIONS, ...options.features };
  return { features, wordWeight: d.wordWeight, epochs, learningRate: d.learningRate, seed: options.seed ?? d.seed };
}

function heldOut(model: IntentModel, u: LabelledUtterance, lang: Lang): HeldOutScore {
  const s = model.score(u.text, lang);
  return { confidence: s.confidence, correct: u.intent !== null && s.top === u.intent, outOfScope: u.intent === null };
}

function counts(samples: readonly HeldOutScore[]): { inScope: number; outOfScope: number } {
  const outOfScope = samples.filter((s) => s.outOfScope).length;
  return { inScope: samples.length - outOfScope, outOfScope };
}

function checkExamples(examples: readonly IntentExample[]): void {
  if (examples.length === 0) throw new GuichetError('intents.no-examples', 'intents: no training examples');
  examples.forEach((e, i) => {
    if (typeof e.text !== 'string' || e.text.trim() === '') {
      throw new GuichetError('intents.invalid-example', `intents: example ${i} has an empty text (intent ${JSON.stringify(e.intent)})`);
    }
    if (typeof e.intent !== 'string' || e.intent.trim() === '') {
      throw new GuichetError('intents.invalid-example', `intents: example ${i} ${JSON.stringify(e.text)} has no intent`);
    }
  });
}
