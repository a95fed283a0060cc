import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../../bench/nlu.ts';
import { isGuichetError } from '../../../src/core/errors.ts';
import { words } from '../../../src/nlu/intents/features.ts';
import type { IntentSnapshot } from '../../../src/nlu/intents/serialize.ts';
import {
  chooseThreshold,
  evaluateClassifier,
  intentClassifierFromJSON,
  parseIntentJsonl,
  readIntentFile,
  scorePredictions,
  trainIntentClassifier,
  type IntentClassifier,
  type IntentRecord,
  type TestItem,
} from '../../../src/nlu/intents/index.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURE = join(ROOT, 'test/fixtures/intents.jsonl');

/** The fixture: 9 IT intents × 10 examples × FR/EN, out-of-scope chit-chat, held-out paraphrases with typos. */
const records = readIntentFile(FIXTURE);
const train = records.filter((r) => r.split === 'train' && !r.oos);
const outOfScope = records.filter((r) => r.split === 'train' && r.oos).map((r) => r.text);
const heldOut = records.filter((r) => r.split === 'test' && !r.oos);
const heldOutOos = records.filter((r) => r.split === 'test' && r.oos);

const expectCode = (fn: () => unknown, code: string, text?: string | RegExp): void => {
  try {
    fn();
  } catch (e) {
    expect(isGuichetError(e) && e.code).toBe(code);
    if (text) expect((e as Error).message).toMatch(text);
    return;
  }
  throw new Error(`expected a GuichetError ${code}`);
};

describe('intent classifier', () => {
  let classifier: IntentClassifier;
  beforeAll(() => {
    classifier = trainIntentClassifier(train, { outOfScope });
  });

  it('learns the fixture quickly, with a threshold calibrated by cross-validation', () => {
    const start = performance.now();
    trainIntentClassifier(train, { outOfScope });
    expect(performance.now() - start).toBeLessThan(2000); // ~250 ms here; loose for slow CI machines
    expect(classifier.intents).toHaveLength(9);
    expect(classifier.calibration).toMatchObject({ method: 'cross-validation', inScope: 180, outOfScope: 20, folds: 5 });
    expect(classifier.threshold).toBeGreaterThan(0);
    expect(classifier.threshold).toBeLessThan(1);
  });

  it.each(heldOut.map((r) => [r.lang, r.text, r.intent] as const))('[%s] "%s" → %s', (_lang, text, intent) => {
    expect(classifier.classify(text).intent).toBe(intent);
  });

  // A misspelt key word alone: only character n-grams can match it (turning them off fails these).
  it.each([
    ['pasword', 'password_reset'],
    ['mot de pase', 'password_reset'],
    ['imprimnte', 'printer'],
    ['printr', 'printer'],
    ['outlokk', 'email'],
    ['verouillé', 'account_locked'],
    ['wirelss', 'wifi'],
    ['keybaord broke', 'hardware_broken'],
  ])('typo "%s" → %s', (text, intent) => {
    expect(classifier.classify(text).intent).toBe(intent);
  });

  it.each(heldOutOos.map((r) => [r.lang, r.text] as const))('[%s] "%s" is out of scope', (_lang, text) => {
    const result = classifier.classify(text);
    expect(result.intent).toBeNull();
    expect(result.confidence).toBeLessThan(classifier.threshold);
  });

  it('classifies the brief\'s out-of-scope examples as null', () => {
    expect(classifier.classify('quelle est la recette des crêpes', 'fr').intent).toBeNull();
    expect(classifier.classify("what's the weather tomorrow", 'en').intent).toBeNull();
  });

  it('returns a ranking of 5, best first, with the answer on top and a confidence in 0..1', () => {
    const r = classifier.classify("l'imprimante n'imprime plus");
    expect(r.intent).toBe('printer');
    expect(r.ranking).toHaveLength(5);
    expect(r.ranking[0]?.intent).toBe('printer');
    const scores = r.ranking.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(r.confidence).toBeGreaterThanOrEqual(classifier.threshold);
    expect(r.confidence).toBeLessThanOrEqual(1);
    const empty = classifier.classify('   ');
    expect(empty.intent).toBeNull();
    expect(empty.confidence).toBe(0);
  });

  it('is deterministic: two trainings give identical models and answers', () => {
    const again = trainIntentClassifier(train, { outOfScope });
    expect(again.toJSON()).toEqual(classifier.toJSON());
    for (const r of [...heldOut, ...heldOutOos]) expect(again.classify(r.text)).toEqual(classifier.classify(r.text));
  });

  it('does not depend on the order of the examples', () => {
    const reversed = trainIntentClassifier([...train].reverse(), { outOfScope });
    const same = heldOut.filter((r) => reversed.classify(r.text).intent === r.intent);
    expect(same.length).toBe(heldOut.length);
  });

  it('restores from JSON with identical answers, and rejects anything else', () => {
    const restored = intentClassifierFromJSON(JSON.parse(JSON.stringify(classifier.toJSON())));
    expect(restored.threshold).toBe(classifier.threshold);
    for (const r of [...heldOut, ...heldOutOos]) expect(restored.classify(r.text)).toEqual(classifier.classify(r.text));
    expectCode(() => intentClassifierFromJSON({ format: 'other' }), 'intents.invalid-snapshot', /intents: not a saved intent classifier/);
  });

  it('restores the example vectors as saved, or featurises the texts again when they are absent or do not fit', () => {
    const saved = classifier.toJSON() as IntentSnapshot;
    expect(saved.vectors).toBeDefined();
    const answers = (c: ReturnType<typeof intentClassifierFromJSON>) => [...heldOut, ...heldOutOos].map((r) => c.classify(r.text));
    const expected = answers(classifier);
    const { vectors, ...withoutVectors } = saved;
    expect(answers(intentClassifierFromJSON(withoutVectors))).toEqual(expected);
    // One example's vector short: not trusted, the texts are featurised again.
    const ends = new Uint32Array(Buffer.from(vectors!.ends, 'base64').buffer.slice(0));
    const shorter = { ...vectors!, ends: Buffer.from(ends.slice(1).buffer).toString('base64') };
    expect(answers(intentClassifierFromJSON({ ...saved, vectors: shorter }))).toEqual(expected);
    // The saved vectors are what the similarity reads: zeroed, no message is like any example.
    const zeros = Buffer.alloc(Buffer.from(vectors!.val, 'base64').length).toString('base64');
    const blank = intentClassifierFromJSON({ ...saved, vectors: { ...vectors!, val: zeros } });
    expect(answers(blank).every((r) => r.intent === null && r.confidence === 0)).toBe(true);
  });

  it('uses a fixed threshold or a validation set when given', () => {
    const never = trainIntentClassifier(train, { threshold: 0 });
    expect(never.calibration.method).toBe('fixed');
    expect(never.classify('quelle est la recette des crêpes').intent).not.toBeNull();
    const validated = trainIntentClassifier(train, {
      validation: [...heldOut.map((r) => ({ text: r.text, intent: r.intent })), ...heldOutOos.map((r) => ({ text: r.text, intent: null }))],
    });
    expect(validated.calibration).toMatchObject({ method: 'validation', inScope: heldOut.length, outOfScope: heldOutOos.length });
  });

  it('rejects bad training input with coded errors', () => {
    expectCode(() => trainIntentClassifier([]), 'intents.no-examples');
    expectCode(() => trainIntentClassifier([{ text: ' ', intent: 'vpn' }]), 'intents.invalid-example', /example 0 has an empty text/);
    expectCode(() => trainIntentClassifier([{ text: 'vpn', intent: '' }]), 'intents.invalid-example', /has no intent/);
    expectCode(() => trainIntentClassifier(train, { threshold: 2 }), 'intents.invalid-option', /threshold must be between 0 and 1, got 2/);
  });
});

describe('intent features', () => {
  it('removes French elision, expands English contractions and folds accents', () => {
    expect(words("L'imprimante n'imprime plus jusqu'à midi")).toEqual(['imprimante', 'imprime', 'plus', 'a', 'midi']);
    expect(words("I can't print, it doesn't work")).toEqual(['i', 'can', 'not', 'print', 'it', 'does', 'not', 'work']);
    expect(words('Réseau BLOQUÉ, wi-fi ’ok’')).toEqual(['reseau', 'bloque', 'wifi', 'wi', 'fi', 'ok']);
  });
});

describe('threshold calibration', () => {
  it('cuts halfway where answering stops paying: right +1, wrong or out of scope −1', () => {
    const s = (confidence: number, correct: boolean, outOfScope = false) => ({ confidence, correct, outOfScope });
    // Rejecting 0.2 (wrong) and 0.3 (out of scope) gains 2; rejecting 0.8 (right) would lose 1.
    expect(chooseThreshold([s(0.9, true), s(0.8, true), s(0.3, false, true), s(0.2, false)])).toBeCloseTo(0.55);
    // Nothing to reject: halfway below the least confident.
    expect(chooseThreshold([s(0.6, true), s(0.4, true)])).toBeCloseTo(0.2);
    // One right among two out of scope just above it: rejecting all three pays most.
    expect(chooseThreshold([s(0.5, true), s(0.6, false, true), s(0.7, false, true)])).toBeCloseTo(0.85);
    expect(chooseThreshold([])).toBe(0.5);
  });
});

describe('intent data files', () => {
  const valid = '{"split":"train","text":"vpn ko","intent":"vpn","oos":false,"corpus":"extra fields are ignored"}';

  it('parses valid lines and ignores extra fields and blank lines', () => {
    const parsed = parseIntentJsonl(`${valid}\n\n{"split":"test","text":"météo","intent":"None","oos":true,"lang":"fr"}\n`, 'x.jsonl');
    expect(parsed).toEqual([
      { split: 'train', text: 'vpn ko', intent: 'vpn', oos: false, line: 1 },
      { split: 'test', text: 'météo', intent: 'None', oos: true, lang: 'fr', line: 3 },
    ]);
  });

  it('names the file and line of a bad line, and what is wrong', () => {
    expectCode(() => parseIntentJsonl(`${valid}\n{"split": "train", "text": `, 'data.jsonl'), 'intents.data-invalid', /^intents: data\.jsonl:2: not JSON/);
    expectCode(() => parseIntentJsonl(`${valid}\n${valid}\n{"split":"train","text":"a","intent":"b"}`, 'data.jsonl'), 'intents.data-invalid', 'intents: data.jsonl:3: missing field "oos"');
    expectCode(() => parseIntentJsonl('{"split":"dev","text":"a","intent":"b","oos":false}', 'd.jsonl'), 'intents.data-invalid', /d\.jsonl:1: field "split": Invalid enum value/);
    expectCode(() => parseIntentJsonl('{"split":"train","text":"a","intent":"","oos":false}', 'd.jsonl'), 'intents.data-invalid', /d\.jsonl:1: in-scope utterance with an empty "intent"/);
    expectCode(() => parseIntentJsonl('[1, 2]', 'd.jsonl'), 'intents.data-invalid', /d\.jsonl:1: expected a JSON object/);
    expectCode(() => readIntentFile('/no/such/intents.jsonl'), 'intents.data-not-found', /cannot read data file \/no\/such\/intents\.jsonl: ENOENT/);
  });
});

describe('intent benchmark', () => {
  it('computes accuracy and out-of-scope precision/recall as defined', () => {
    const items: TestItem[] = [
      { text: '1', intent: 'a', oos: false },
      { text: '2', intent: 'a', oos: false },
      { text: '3', intent: 'b', oos: false },
      { text: '4', intent: 'b', oos: false },
      { text: '5', intent: 'None', oos: true },
      { text: '6', intent: 'None', oos: true },
    ];
    const predictions = [
      { intent: 'a', top: 'a' }, // right
      { intent: null, top: 'a' }, // rejected in-scope: wrong, though top-1 right
      { intent: 'a', top: 'a' }, // wrong
      { intent: 'b', top: 'b' }, // right
      { intent: null, top: 'b' }, // out of scope, rejected
      { intent: 'b', top: 'b' }, // out of scope, answered
    ];
    expect(scorePredictions(items, predictions)).toEqual({
      inScope: 4,
      outOfScope: 2,
      inScopeAccuracy: 0.5,
      inScopeTop1: 0.75,
      inScopeRejected: 0.25,
      oosPrecision: 0.5, // 1 of the 2 rejected is out of scope
      oosRecall: 0.5, // 1 of the 2 out-of-scope is rejected
    });
    const byText = new Map(items.map((item, i) => [item.text, predictions[i]!]));
    const timed = evaluateClassifier((text) => byText.get(text)!, items);
    expect(timed).toMatchObject({ inScopeAccuracy: 0.5, oosPrecision: 0.5, oosRecall: 0.5 });
    expect(timed.p99Ms).toBeGreaterThanOrEqual(timed.p50Ms);
    // No out-of-scope utterance: OOS figures are null, not 0.
    expect(scorePredictions(items.slice(0, 4), predictions.slice(0, 4))).toMatchObject({ oosPrecision: null, oosRecall: null });
  });

  it('runs both engines on the fixture', () => {
    const report = runBenchmark(records, 'intents.jsonl');
    expect(report.data).toMatchObject({ train: 200, oosTrain: 20, test: 42, oosTest: 6, intents: 9, val: 0 });
    expect(report.guichet.inScopeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.guichet.oosRecall).toBe(1);
    expect(report.guichet.oosPrecision).toBe(1);
    expect(report.bayes.inScopeTop1).toBeGreaterThan(0.5);
    expect(report.guichet.p50Ms).toBeGreaterThan(0);
  });

  it('refuses a file without a train split', () => {
    const testOnly: IntentRecord[] = heldOut.map((r) => ({ ...r }));
    expectCode(() => runBenchmark(testOnly, 't.jsonl'), 'bench.no-train-split', /t\.jsonl has no in-scope "train" utterances/);
  });

  it('reports a bad line and a missing file from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-nlu-'));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"split":"train","text":"vpn","intent":"vpn","oos":false}\n{"split":"test","text":"x"}\n');
    const run = (data: string) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/nlu.ts', '--data', data], { cwd: ROOT, encoding: 'utf8' });
    const badRun = run(bad);
    expect(badRun.status).toBe(1);
    expect(badRun.stderr).toContain(`${bad}:2: missing field "intent"; missing field "oos"`);
    const missing = run(join(dir, 'none.jsonl'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read data file .*none\.jsonl: ENOENT/);
  });
});
