/**
 * Learns the calibration of the answer decision (src/knowledge/search/
 * calibration.ts) from the TUNING part of bench/data/ (never the test part)
 * and writes src/knowledge/search/calibration-table.ts, which the app loads.
 *
 *   npx tsx bench/calibrate.ts [--data bench/data] [--dry-run] [--max-wrong fr=0.015,en=0.02] [--max-uncovered fr=0.035,en=0.0175]
 *                              [--explained en]
 *                              [--folds 3] [--repeats 1] [--no-words] [--no-examples] [--no-added] [--langs fr,en]
 *
 * Per language: the index the app builds over knowledge/ (both languages,
 * all fields; questions for another department, as the turn router tells
 * from config/other-services.yml, get "none"), the questions
 * answers_<lang>_tune_queries.jsonl and answers_<lang>_tune_uncovered.jsonl.
 * Prints each model, the learned thresholds, the reliability of P(answer)
 * and the outcome shares on the tuning data. --max-wrong and --max-uncovered
 * are the limits the thresholds keep on the tuning data (shares of covered
 * questions answered wrong, of uncovered ones answered or offered), one
 * share for every language or one per language ("fr=0.035,en=0.025").
 * --folds K (default 3; 0 skips it) also prints the shares of a K-fold
 * cross-validation on the tuning data: what to expect on unseen questions;
 * --repeats R pools it over R shuffles of the questions (less noisy: one
 * split measures helped to about ±2 points; answer-eval.ts `crossValidate`).
 * --no-words leaves the word evidence of coverage out (calibration.ts
 * `outOfCoverage`), --no-examples the example questions (examples.ts: the
 * tuning questions themselves, written to calibration-examples.ts with the
 * table), to measure what each brings. Tuning questions added after
 * the held-out figure was first measured (covered: qid ".t<n>"; uncovered:
 * `"added": true`; bench/data/README.md) are learned on but never held out,
 * so that the held-out figure is still measured on the same questions;
 * --no-added leaves them out entirely (the figures before them).
 * --explained L,… lists the languages whose models also read the share of a
 * question its first hits' example questions explain (examples.ts; default
 * en, "" for none). --langs
 * re-learns only the languages listed and keeps the others' entries of the
 * table as they are (the shipped table: `--repeats 10`, both languages with
 * the default limits). Takes ~20 s (2 vCPU, idle; about a minute under load),
 * --repeats 10 a minute or two per language.
 */
import './quiet-env.ts';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LANGS, type Lang } from '../src/core/lang.ts';
import { CALIBRATION_TABLE } from '../src/knowledge/search/calibration-table.ts';
import type { LangCalibration } from '../src/knowledge/search/types.ts';
import { loadSynonymFile } from '../src/nlu/synonyms.ts';
import { buildShippedIndex, crossValidate, learnCalibration, observe, outcomes, reliability, shippedArticles, shippedElsewhere } from './lib/answer-eval.ts';
import { readQueries } from './lib/data.ts';
import { readUncoveredRows } from './lib/uncovered.ts';

const SYNONYMS = resolve(import.meta.dirname, '../knowledge/synonyms.yml');
const KNOWLEDGE = resolve(import.meta.dirname, '../knowledge');
const CONFIG = resolve(import.meta.dirname, '../config');
const SERVICES = join(CONFIG, 'services.yml');
const TABLE = resolve(import.meta.dirname, '../src/knowledge/search/calibration-table.ts');
const EXAMPLES = resolve(import.meta.dirname, '../src/knowledge/search/calibration-examples.ts');
/** The qid of a covered tuning question added after the fixed split (make-answer-data.ts). */
const ADDED_QID = /\.t\d+$/;

/** A limit option: "0.03" (every language) or "fr=0.035,en=0.03" (per language; all must be given). */
function perLang(value: string): (lang: Lang) => number {
  const parts = value.includes('=') ? Object.fromEntries(value.split(',').map((p) => p.split('=').map((x) => x.trim()))) : Object.fromEntries(LANGS.map((l) => [l, value]));
  for (const lang of LANGS) {
    const x = Number(parts[lang]);
    if (!Number.isFinite(x) || x < 0 || x > 1) throw new Error(`calibrate: limit "${value}": need a share 0..1 for ${lang}`);
  }
  return (lang) => Number(parts[lang]);
}

/** A list option of languages ("fr,en"; "" for none), each one we know. */
function langList(option: string, value: string): string[] {
  const langs = value.split(',').map((l) => l.trim()).filter(Boolean);
  const unknown = langs.filter((l) => !(LANGS as readonly string[]).includes(l));
  if (unknown.length > 0) throw new Error(`${option}: unknown language(s) ${unknown.join(', ')} (known: ${LANGS.join(', ')})`);
  return langs;
}

/** A TypeScript literal of JSON data, on one line: keys that are identifiers unquoted ("2e" or "10" keep their quotes). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_]\w*$/.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`);
    return `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: resolve(import.meta.dirname, 'data') }, 'dry-run': { type: 'boolean', default: false },
      // French 1.5 %: at 2 %, answerAt fell to 0.86 and the decision answered two questions of shipped-decision.test.ts
      // wrong that it should refuse or offer as a choice, for the same held-out helped (67.8 against 67.7 %).
      'max-wrong': { type: 'string', default: 'fr=0.015,en=0.02' },
      // On the tuning pool, which holds the added near-miss questions (harder than the first ones), these limits keep
      // the held-out share of the first uncovered questions at 2 % or less (bench/README.md, "Added tuning questions").
      // English 1.75 %: with the share explained by the examples (--explained), 2 % let 2.1 % of the first uncovered
      // questions through held out (src/knowledge/search/README.md, "A harder batch").
      'max-uncovered': { type: 'string', default: 'fr=0.035,en=0.0175' },
      // The languages whose models read the share of a question its first hits' examples explain (examples.ts
      // `explained`): English only (held out en 79.3 % @ 1.7 → 81.0 % @ 1.8; fr 77.0 % @ 1.9 → 77.4 % @ 1.9, along the curve).
      explained: { type: 'string', default: 'en' },
      folds: { type: 'string', default: '3' },
      repeats: { type: 'string', default: '1' },
      'no-words': { type: 'boolean', default: false },
      'no-examples': { type: 'boolean', default: false },
      'no-added': { type: 'boolean', default: false },
      langs: { type: 'string', default: LANGS.join(',') },
    },
  });
  const learned = langList('--langs', values.langs);
  const explainedLangs = langList('--explained', values.explained);
  const synonyms = existsSync(SYNONYMS) ? loadSynonymFile(SYNONYMS) : [];
  // The languages not re-learned keep their entries of the current table.
  const table: Record<Lang, LangCalibration> = { ...CALIBRATION_TABLE };
  const elsewhere = shippedElsewhere(CONFIG);
  const index = buildShippedIndex(shippedArticles(KNOWLEDGE, SERVICES), synonyms, elsewhere);
  const uncoveredLimit = perLang(values['max-uncovered']);
  const wrongLimit = perLang(values['max-wrong']);
  const limitsOf = (lang: Lang) => ({ answerWrong: wrongLimit(lang), uncoveredAnsweredOrOffered: uncoveredLimit(lang) });
  for (const lang of LANGS.filter((l) => learned.includes(l))) {
    const limits = limitsOf(lang);
    // Questions added after the held-out figure was first measured (qid ".t<n>", uncovered `added`): learned on, never held out.
    const added = (q: { qid: string }) => ADDED_QID.test(q.qid);
    const queries = readQueries(join(values.data, `answers_${lang}_tune_queries.jsonl`)).filter((q) => !values['no-added'] || !added(q));
    const uncovered = readUncoveredRows(join(values.data, `answers_${lang}_tune_uncovered.jsonl`)).filter((u) => !values['no-added'] || !u.added);
    const obs = observe(index, lang, queries, uncovered.map((u) => u.text), elsewhere);
    for (const [i, o] of obs.entries()) o.trainOnly = i < queries.length ? added(queries[i] as { qid: string }) : (uncovered[i - queries.length] as { added: boolean }).added;
    const learn = { words: !values['no-words'], examples: !values['no-examples'], explained: explainedLangs.includes(lang) };
    const cal = learnCalibration(obs, limits, undefined, learn);
    table[lang] = cal;
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    const { words, examples, ...models } = cal;
    process.stdout.write(`\n## ${lang}\n${JSON.stringify(models)}\nword evidence: ${words ? `${Object.keys(words.terms).length} terms, unseen ${words.unseen}` : 'none'}; example questions: ${examples ? examples.split('\n').length : 'none'}\n| P(answer) | questions | mean P | first hit right |\n|---|---:|---:|---:|\n`);
    for (const r of reliability(obs, cal, true)) if (r.count) process.stdout.write(`| ${r.from.toFixed(1)}–${r.to.toFixed(1)} | ${r.count} | ${r.meanP.toFixed(2)} | ${pct(r.right)} |\n`);
    const shares = (o: object) => Object.entries(o).map(([k, v]) => `${k} ${pct(v as number)}`).join(', ');
    process.stdout.write(`tuning data: ${shares(outcomes(obs, cal, true))}\n`);
    const folds = Number(values.folds);
    const repeats = Number(values.repeats);
    if (folds >= 2) process.stdout.write(`${folds}-fold held out${repeats > 1 ? ` (${repeats} shuffles pooled)` : ''}: ${shares(crossValidate(obs, folds, limits, learn, repeats))}\n`);
  }
  const body = [
    '// Generated by bench/calibrate.ts from the tuning part of bench/data/ — do not edit by hand;',
    '// run `npx tsx bench/calibrate.ts --repeats 10` after changing the search, the knowledge or the data (src/knowledge/search/README.md).',
    "import type { Lang } from '../../core/lang.ts';",
    ...(LANGS.some((l) => table[l].examples) ? ["import { CALIBRATION_EXAMPLES } from './calibration-examples.ts';"] : []),
    "import type { LangCalibration } from './types.ts';",
    '',
    'export const CALIBRATION_TABLE: Record<Lang, LangCalibration> = {',
    // The example questions are in their own module (one long string per language), referred to by name.
    ...LANGS.map((l) => {
      const { examples, ...rest } = table[l];
      const json = literal(rest);
      return `  ${l}: ${examples ? `${json.slice(0, -2)}, examples: CALIBRATION_EXAMPLES.${l} }` : json},`;
    }),
    '};',
    '',
  ].join('\n');
  const examples = [
    '// Generated by bench/calibrate.ts from the tuning part of bench/data/ — do not edit by hand: the example questions of',
    '// each language\'s calibration (calibration-table.ts), packed by examples.ts `ExampleSet.pack`: per line, the ids of the',
    '// articles that answer the question (none: the base does not cover it), a tab, its index terms.',
    "import type { Lang } from '../../core/lang.ts';",
    '',
    'export const CALIBRATION_EXAMPLES: Record<Lang, string> = {',
    ...LANGS.map((l) => `  ${l}: ${JSON.stringify(table[l].examples ?? '')},`),
    '};',
    '',
  ].join('\n');
  if (!values['dry-run']) {
    writeFileSync(TABLE, body);
    writeFileSync(EXAMPLES, examples);
  }
}

main();
