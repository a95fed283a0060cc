/** The public types of the intent classifier (see README.md beside this file). */
import type { Lang } from '../../core/lang.ts';
import type { FeatureOptions } from './features.ts';

/** One example utterance of an intent. */
export interface IntentExample {
  text: string;
  intent: string;
  /** The utterance's language; detected from the text when absent. */
  lang?: Lang;
}

/** A held-out utterance for calibration: `intent: null` marks an out-of-scope one. */
export interface LabelledUtterance {
  text: string;
  intent: string | null;
  lang?: Lang;
}

export interface IntentScore {
  intent: string;
  /** The model's probability of this intent, 0..1 (the ranking's scores sum to at most 1). */
  score: number;
}

export interface IntentResult {
  /** The recognised intent, or null when the message is out of scope (confidence below the threshold). */
  intent: string | null;
  /**
   * 0..1: the geometric mean of the top intent's probability and the cosine
   * similarity of the message to the nearest training example of that
   * intent. Compared with the classifier's `threshold`.
   */
  confidence: number;
  /** The 5 most probable intents, best first, whatever the threshold. */
  ranking: IntentScore[];
}

/** How the threshold was chosen. */
export interface Calibration {
  /** 'fixed': given in the options; 'validation': held-out set given; 'cross-validation': folds of the training examples. */
  method: 'fixed' | 'validation' | 'cross-validation';
  threshold: number;
  /** Held-out utterances scored: in scope, and out of scope. */
  inScope: number;
  outOfScope: number;
  /** Folds trained (cross-validation only). */
  folds?: number;
}

export interface IntentClassifier {
  /** The intents it knows, sorted. */
  readonly intents: readonly string[];
  /** Confidence below which `classify` answers `intent: null`. */
  readonly threshold: number;
  readonly calibration: Calibration;
  /** Classifies one message; `lang` is detected when absent (fallback: the training's `defaultLang`). */
  classify(text: string, lang?: Lang): IntentResult;
  /** A JSON-serialisable snapshot; `intentClassifierFromJSON` restores it with identical results. */
  toJSON(): unknown;
}

export interface TrainOptions {
  /**
   * A fixed confidence threshold, 0..1: no calibration. Default: calibrated
   * (on `validation` when given, otherwise by cross-validation on the
   * examples plus `outOfScope`).
   */
  threshold?: number;
  /** Out-of-scope utterances: never learnt as a class, used only to calibrate the threshold. */
  outOfScope?: ReadonlyArray<string | { text: string; lang?: Lang }>;
  /** A held-out set to calibrate on instead of cross-validation (e.g. a data set's `val` split). */
  validation?: readonly LabelledUtterance[];
  /** Seed of the example order and of the folds. Same examples, options and seed ⇒ same classifier. Default 1. */
  seed?: number;
  /** Language assumed when detection cannot tell (e.g. "vpn ko"). Default 'en'. */
  defaultLang?: Lang;
  /** Passes of gradient descent. Default: about 20,000 example visits, between 5 and 30 passes. */
  epochs?: number;
  /** Folds of cross-validation. Default 5. */
  folds?: number;
  /** Cross-validation stops after the fold that brings the held-out utterances to this many. Default 2,000. */
  maxCalibrationSamples?: number;
  /** Feature extraction (features.ts). */
  features?: Partial<FeatureOptions>;
}
