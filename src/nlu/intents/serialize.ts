/**
 * A trained classifier as JSON, and back. Weights are little-endian 32-bit
 * floats in base64 (the same floats the model computes with, so a restored
 * classifier answers bit for bit like the original), the vocabulary's
 * features and IDF little-endian u32 and f64 in base64; the example texts are
 * kept, for the similarity half of the confidence, with their vectors
 * (`vectors`, optional: without them the texts are featurised again at load,
 * ~0.1 s of every start for the shipped 599 examples).
 */
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import type { Lang } from '../../core/lang.ts';
import { exampleVectors, IntentModel, type PreparedExample } from './model.ts';
import type { Calibration } from './types.ts';
import { Vectorizer, type SparseVector } from './vectorizer.ts';

const FORMAT = 'guichet-intent-classifier';
const VERSION = 2;

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
  /** The features (30-bit hashes, u32) and their IDF (f64), base64: as arrays of numbers, checking them was ~50 ms of every start. */
  vocabulary: z.object({ features: z.string(), idf: z.string() }),
  weights: z.string(),
  bias: z.string(),
  examples: z.array(z.object({ text: z.string(), intent: z.string(), lang })),
  /** The examples' vectors, one after the other: example i's entries end at ends[i] (u32), their indices (i32) and values (f32), base64. */
  vectors: z.object({ ends: z.string(), idx: z.string(), val: z.string() }).optional(),
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
    vocabulary: { features: toBase64(Uint32Array.from(features)), idf: toBase64(Float64Array.from(idf)) },
    weights: toBase64(model.weights.weights),
    bias: toBase64(model.weights.bias),
    examples: examples.map((e) => ({ ...e })),
    vectors: packVectors(exampleVectors(model.vectorizer, model.settings, examples)),
  };
}

function packVectors(vectors: readonly SparseVector[]): NonNullable<IntentSnapshot['vectors']> {
  const ends = new Uint32Array(vectors.length);
  let length = 0;
  vectors.forEach((v, i) => (ends[i] = length += v.idx.length));
  const idx = new Int32Array(length);
  const val = new Float32Array(length);
  vectors.forEach((v, i) => {
    idx.set(v.idx, (ends[i] as number) - v.idx.length);
    val.set(v.val, (ends[i] as number) - v.idx.length);
  });
  return { ends: toBase64(ends), idx: toBase64(idx), val: toBase64(val) };
}

/** The saved vectors of `count` examples over `size` features; undefined (featurise again) when they do not fit. */
function unpackVectors(saved: IntentSnapshot['vectors'], count: number, size: number): SparseVector[] | undefined {
  if (!saved) return undefined;
  const ends = fromBase64(Uint32Array, saved.ends);
  const idx = fromBase64(Int32Array, saved.idx);
  const val = fromBase64(Float32Array, saved.val);
  if (ends.length !== count || idx.length !== val.length || (ends.at(-1) ?? 0) !== idx.length) return undefined;
  const vectors: SparseVector[] = [];
  let start = 0;
  for (const end of ends) {
    if (end < start) return undefined;
    vectors.push({ idx: idx.subarray(start, end), val: val.subarray(start, end) });
    start = end;
  }
  return idx.every((i) => i >= 0 && i < size) ? vectors : undefined;
}

export function parseSnapshot(json: unknown): { model: IntentModel; calibration: Calibration; defaultLang: Lang; examples: PreparedExample[] } {
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new GuichetError('intents.invalid-snapshot', `intents: not a saved intent classifier: ${issues}`);
  }
  const s = parsed.data;
  const features = Array.from(fromBase64(Uint32Array, s.vocabulary.features));
  const idf = Array.from(fromBase64(Float64Array, s.vocabulary.idf));
  const size = features.length;
  const weights = fromBase64(Float32Array, s.weights);
  const bias = fromBase64(Float32Array, s.bias);
  // One more class than intents when out-of-scope utterances were learnt.
  const classes = bias.length;
  const okClasses = classes === s.intents.length || classes === s.intents.length + 1;
  if (idf.length !== size || weights.length !== size * classes || !okClasses) {
    throw new GuichetError('intents.invalid-snapshot', `intents: saved classifier sizes disagree: ${size} features, ${idf.length} idf, ${weights.length} weights for ${classes} intents, ${bias.length} biases`);
  }
  const vectorizer = new Vectorizer({ features, idf, wordWeight: s.settings.wordWeight });
  const settings = { ...s.settings, features: { ...s.settings.features, charNgrams: s.settings.features.charNgrams } };
  const model = IntentModel.restore(settings, s.intents, vectorizer, { classes, features: size, weights, bias }, s.examples, unpackVectors(s.vectors, s.examples.length, size));
  return { model, calibration: s.calibration, defaultLang: s.defaultLang, examples: s.examples };
}

function toBase64(values: NumberArray): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

type NumberArray = Float32Array | Float64Array | Int32Array | Uint32Array;

/** The little-endian numbers of base64 `text` as a `Type` array (a copy, aligned); a length that is no whole number of them is refused. */
function fromBase64<A extends NumberArray>(Type: { new (buffer: ArrayBuffer): A; readonly BYTES_PER_ELEMENT: number }, text: string): A {
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  const width = Type.BYTES_PER_ELEMENT;
  if (bytes.byteLength % width !== 0) throw new GuichetError('intents.invalid-snapshot', `intents: ${bytes.byteLength} bytes are not ${8 * width}-bit numbers`);
  return new Type(bytes.buffer);
}
