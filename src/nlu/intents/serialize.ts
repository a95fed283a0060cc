/**
 * A trained classifier as JSON, and back. Weights are little-endian 32-bit
 * floats in base64 (the same floats the model computes with, so a restored
 * classifier answers bit for bit like the original); the example texts are
 * kept, for the similarity half of the confidence, and re-featurised at load.
 */
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import type { Lang } from '../../core/lang.ts';
import { IntentModel, type PreparedExample } from './model.ts';
import type { Calibration } from './types.ts';
import { Vectorizer } from './vectorizer.ts';

const FORMAT = 'guichet-intent-classifier';
const VERSION = 1;

const lang = z.enum(['fr', 'en']);
const snapshotSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  defaultLang: lang,
  calibration: z.object({
    method: z.enum(['fixed', 'validation', 'cross-validation']),
    threshold: z.number().min(0).max(1),
    inScope: z.number().int(),
    outOfScope: z.number().int(),
    folds: z.number().int().optional(),
  }),
  settings: z.object({
    features: z.object({ wordNgrams: z.number().int(), charNgrams: z.tuple([z.number().int(), z.number().int()]), dropStopWords: z.boolean() }),
    wordWeight: z.number(),
    epochs: z.number().int(),
    learningRate: z.number(),
    seed: z.number(),
  }),
  intents: z.array(z.string()).min(1),
  vocabulary: z.object({ features: z.array(z.number().int()), idf: z.array(z.number()) }),
  weights: z.string(),
  bias: z.string(),
  examples: z.array(z.object({ text: z.string(), intent: z.string(), lang })),
});

export type IntentSnapshot = z.infer<typeof snapshotSchema>;

export function snapshot(model: IntentModel, calibration: Calibration, defaultLang: Lang, examples: readonly PreparedExample[]): IntentSnapshot {
  const { features, idf } = model.vectorizer.state;
  return {
    format: FORMAT,
    version: VERSION,
    defaultLang,
    calibration: { ...calibration },
    settings: { ...model.settings, features: { ...model.settings.features, charNgrams: [...model.settings.features.charNgrams] } },
    intents: [...model.intents],
    vocabulary: { features: [...features], idf: [...idf] },
    weights: toBase64(model.weights.weights),
    bias: toBase64(model.weights.bias),
    examples: examples.map((e) => ({ ...e })),
  };
}

export function parseSnapshot(json: unknown): { model: IntentModel; calibration: Calibration; defaultLang: Lang; examples: PreparedExample[] } {
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new GuichetError('intents.invalid-snapshot', `intents: not a saved intent classifier: ${issues}`);
  }
  const s = parsed.data;
  const size = s.vocabulary.features.length;
  const weights = fromBase64(s.weights);
  const bias = fromBase64(s.bias);
  // One more class than intents when out-of-scope utterances were learnt.
  const classes = bias.length;
  const okClasses = classes === s.intents.length || classes === s.intents.length + 1;
  if (s.vocabulary.idf.length !== size || weights.length !== size * classes || !okClasses) {
    throw new GuichetError('intents.invalid-snapshot', `intents: saved classifier sizes disagree: ${size} features, ${s.vocabulary.idf.length} idf, ${weights.length} weights for ${classes} intents, ${bias.length} biases`);
  }
  const vectorizer = new Vectorizer({ features: s.vocabulary.features, idf: s.vocabulary.idf, wordWeight: s.settings.wordWeight });
  const settings = { ...s.settings, features: { ...s.settings.features, charNgrams: s.settings.features.charNgrams } };
  const model = IntentModel.restore(settings, s.intents, vectorizer, { classes, features: size, weights, bias }, s.examples);
  return { model, calibration: s.calibration, defaultLang: s.defaultLang, examples: s.examples };
}

function toBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function fromBase64(text: string): Float32Array {
  const bytes = new Uint8Array(Buffer.from(text, 'base64')); // a copy, aligned for Float32Array
  if (bytes.byteLength % 4 !== 0) throw new GuichetError('intents.invalid-snapshot', `intents: weights of ${bytes.byteLength} bytes are not 32-bit floats`);
  return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
}
