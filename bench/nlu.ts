/**
 * Intent benchmark: Guichet's intent classifier against natural's
 * BayesClassifier on any intent data file (JSONL, format of
 * /work/shared/data/README.md: `{split, text, intent, oos}` per line).
 *
 *   npm run bench:nlu -- --data <intents.jsonl> [--json]
 *   npm run bench:nlu -- --data dialogs [--config config] [--json]
 *
 * With a folder of flows (`dialogs`), the data set is Guichet's own: the
 * flows' examples plus the global intents and out-of-scope utterances
 * (src/nlu/global-intents.ts), every 5th example of each intent and language
 * held back as the test split (src/nlu/router-intents.ts heldOutRecords).
 *
 * Both classifiers learn the in-scope `train` utterances; out-of-scope
 * `train` utterances are never learnt, only used to choose the threshold.
 * The threshold is chosen the same way for both (src/nlu/intents/calibrate.ts):
 * on the `val` split when the file has one, otherwise by stratified
 * cross-validation on `train` (5 folds, stopping at 2,000 held-out
 * utterances). Bayes's confidence is its normalised posterior of the top
 * intent. Both are scored on the `test` split (definitions in
 * src/nlu/intents/evaluate.ts).
 */
import './quiet-env.ts';
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isGuichetError, GuichetError } from '../src/core/errors.ts';
import {
  chooseThreshold,
  crossValidate,
  evaluateClassifier,
  INTENT_DEFAULTS,
  readIntentFile,
  trainIntentClassifier,
  type HeldOutScore,
  type IntentRecord,
  type TimedMetrics,
} from '../src/nlu/intents/index.ts';
import { loadFlows } from '../src/flows/load.ts';
import { loadServiceIds } from '../src/catalog/services.ts';
import { heldOutRecords } from '../src/nlu/router-intents.ts';

export interface EngineReport extends TimedMetrics {
  /** What the engine is, in a few words. */
  config: string;
  threshold: number;
  /** Start-up cost: model and threshold calibration, in milliseconds, measured first (cold). */
  trainMs: number;
  /** The model alone, without calibration, measured second (warm JIT). */
  fitMs: number;
}

export interface BenchReport {
  data: {
    file: string;
    train: number;
    val: number;
    test: number;
    intents: number;
    oosTrain: number;
    oosTest: number;
    /** How the thresholds were chosen. */
    calibration: string;
    /** Why the OOS figures are null, when they are. */
    note?: string;
  };
  guichet: EngineReport;
  bayes: EngineReport;
}

/** A trained engine: top intent and confidence of one message. */
type Scorer = (text: string) => { top: string | null; confidence: number };

interface Engine {
  config: string;
  train(examples: IntentRecord[], calibrate: { outOfScope: IntentRecord[]; validation: IntentRecord[] }): { scorer: Scorer; threshold: number };
  fit(examples: IntentRecord[]): Scorer;
}

const guichet: Engine = {
  config: 'TF-IDF (stems + stem pairs + char 2–5-grams) → softmax; confidence √(p × nearest-example cosine)',
  train(examples, { outOfScope, validation }) {
    const classifier = trainIntentClassifier(examples, {
      outOfScope: outOfScope.map((r) => r.text),
      validation: validation.map((r) => ({ text: r.text, intent: r.oos ? null : r.intent })),
    });
    return {
      threshold: classifier.threshold,
      scorer: (text) => {
        const r = classifier.classify(text);
        return { top: r.ranking[0]?.intent ?? null, confidence: r.confidence };
      },
    };
  },
  fit(examples) {
    const classifier = trainIntentClassifier(examples, { threshold: 0 });
    return (text) => ({ top: classifier.classify(text).ranking[0]?.intent ?? null, confidence: 0 });
  },
};

/** natural's BayesClassifier, the class `natural.BayesClassifier` exports, loaded from its file:
 * importing 'natural' makes tsc check a .ts file of the package that does not compile here. */
interface NaturalBayes {
  addDocument(text: string, label: string): void;
  train(): void;
  getClassifications(text: string): Array<{ label: string; value: number }>;
}
const NaturalBayesClassifier = createRequire(import.meta.url)('natural/lib/natural/classifiers/bayes_classifier.js') as new () => NaturalBayes;

/** natural's BayesClassifier with its defaults (Porter stemmer, English stop words, smoothing 1). */
const bayes: Engine = {
  config: "natural BayesClassifier, defaults; confidence = normalised posterior",
  train(examples, { outOfScope, validation }) {
    const scorer = bayes.fit(examples);
    let samples: HeldOutScore[];
    if (validation.length > 0) {
      samples = validation.map((r) => heldOut(scorer, r));
    } else {
      samples = crossValidate(examples, outOfScope, (fold) => {
        const s = bayes.fit(fold);
        return (r) => s(r.text);
      }, { folds: INTENT_DEFAULTS.folds, seed: INTENT_DEFAULTS.seed, maxSamples: INTENT_DEFAULTS.maxCalibrationSamples }).samples;
    }
    return { scorer, threshold: chooseThreshold(samples) };
  },
  fit(examples) {
    const classifier = new NaturalBayesClassifier();
    for (const e of examples) classifier.addDocument(e.text, e.intent);
    classifier.train();
    return (text) => {
      const ranked = classifier.getClassifications(text);
      const sum = ranked.reduce((total, c) => total + c.value, 0);
      const top = ranked[0];
      return { top: top?.label ?? null, confidence: top && sum > 0 ? top.value / sum : 0 };
    };
  },
};

function heldOut(scorer: Scorer, r: IntentRecord): HeldOutScore {
  const s = scorer(r.text);
  return { confidence: s.confidence, correct: !r.oos && s.top === r.intent, outOfScope: r.oos };
}

function runEngine(engine: Engine, train: IntentRecord[], calibrate: { outOfScope: IntentRecord[]; validation: IntentRecord[] }, test: IntentRecord[]): EngineReport {
  // Calibrated training first, as at start-up (cold JIT, empty stem cache); the model alone after it.
  let start = performance.now();
  const { scorer, threshold } = engine.train(train, calibrate);
  const trainMs = performance.now() - start;
  start = performance.now();
  engine.fit(train);
  const fitMs = performance.now() - start;
  const metrics = evaluateClassifier((text) => {
    const s = scorer(text);
    return { top: s.top, intent: s.confidence >= threshold ? s.top : null };
  }, test);
  return { config: engine.config, threshold, trainMs, fitMs, ...metrics };
}

/** Trains and scores both engines on one data file's records. */
export function runBenchmark(records: readonly IntentRecord[], file: string): BenchReport {
  const train = records.filter((r) => r.split === 'train' && !r.oos);
  const outOfScope = records.filter((r) => r.split === 'train' && r.oos);
  const validation = records.filter((r) => r.split === 'val');
  const test = records.filter((r) => r.split === 'test');
  if (train.length === 0) throw new GuichetError('bench.no-train-split', `bench:nlu: ${file} has no in-scope "train" utterances`);
  if (test.length === 0) throw new GuichetError('bench.no-test-split', `bench:nlu: ${file} has no "test" utterances`);
  const oosTest = test.filter((r) => r.oos).length;
  const calibration =
    validation.length > 0
      ? `threshold chosen on the val split (${validation.length} utterances)`
      : `threshold chosen by ${INTENT_DEFAULTS.folds}-fold cross-validation on train (at most ${INTENT_DEFAULTS.maxCalibrationSamples} held-out)` +
        (outOfScope.length > 0 ? ` plus its ${outOfScope.length} out-of-scope utterances` : ', no out-of-scope utterance to calibrate on');
  const calibrate = { outOfScope, validation };
  return {
    data: {
      file,
      train: train.length + outOfScope.length,
      val: validation.length,
      test: test.length,
      intents: new Set(train.map((r) => r.intent)).size,
      oosTrain: outOfScope.length,
      oosTest,
      calibration,
      ...(oosTest === 0 ? { note: 'no out-of-scope test utterance: OOS precision and recall are null' } : {}),
    },
    guichet: runEngine(guichet, train, calibrate, test),
    bayes: runEngine(bayes, train, calibrate, test),
  };
}

/** The report as a readable table. */
export function formatTable(report: BenchReport): string {
  const d = report.data;
  const pct = (x: number | null) => (x === null ? 'null' : `${(100 * x).toFixed(1)} %`);
  const ms = (x: number, digits: number) => x.toFixed(digits);
  const rows: Array<[string, (r: EngineReport) => string]> = [
    ['in-scope accuracy', (r) => pct(r.inScopeAccuracy)],
    ['in-scope top-1 (no threshold)', (r) => pct(r.inScopeTop1)],
    ['in-scope rejected', (r) => pct(r.inScopeRejected)],
    ['OOS precision', (r) => pct(r.oosPrecision)],
    ['OOS recall', (r) => pct(r.oosRecall)],
    ['threshold', (r) => r.threshold.toFixed(3)],
    ['training ms (with calibration)', (r) => ms(r.trainMs, 0)],
    ['training ms (model only, warm)', (r) => ms(r.fitMs, 0)],
    ['p50 ms', (r) => ms(r.p50Ms, 3)],
    ['p99 ms', (r) => ms(r.p99Ms, 3)],
  ];
  const cells = rows.map(([name, f]) => [name, f(report.guichet), f(report.bayes)]);
  const head = ['', 'guichet', 'bayes'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((x, i) => (i === 0 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [
    `data: ${d.file}: ${d.train} train (${d.oosTrain} out of scope), ${d.val} val, ${d.test} test (${d.oosTest} out of scope), ${d.intents} intents`,
    `calibration: ${d.calibration}`,
    ...(d.note ? [`note: ${d.note}`] : []),
    '',
    line(head),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...cells.map(line),
    '',
    `guichet: ${report.guichet.config}`,
    `bayes: ${report.bayes.config}`,
    '',
  ].join('\n');
}

function main(): void {
  const usage = 'usage: npm run bench:nlu -- --data <intents.jsonl | dialogs folder> [--config <folder of services.yml>] [--json]';
  let values: { data?: string; json?: boolean; config?: string };
  try {
    ({ values } = parseArgs({ options: { data: { type: 'string' }, json: { type: 'boolean', default: false }, config: { type: 'string', default: 'config' } } }));
  } catch (e) {
    process.stderr.write(`bench:nlu: ${(e as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  if (!values.data) {
    process.stderr.write(`bench:nlu: --data is required\n${usage}\n`);
    process.exit(2);
  }
  try {
    const records = isFolder(values.data)
      ? heldOutRecords(loadFlows(values.data, { serviceIds: loadServiceIds(values.config ?? 'config') }))
      : readIntentFile(values.data);
    const report = runBenchmark(records, values.data);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report));
  } catch (e) {
    if (!isGuichetError(e)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // readIntentFile reports the missing file
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) main();
