/**
 * Answer-quality benchmark: retrieval (Recall@1, Recall@3, MRR@10) of
 * Guichet and every peer, and the outcome shares of Guichet's answer
 * decision (answer / choice / nothing reliable), per language.
 *
 *   npm run bench:answers                         # the frozen TEST part of bench/data/, fr and en
 *   npm run bench:answers -- --corpus C --queries Q [--uncovered U] [--json]
 *                            [--calibrate-queries Q2 [--calibrate-uncovered U2]]
 *
 * C and Q are in the formats of bench:search (/work/shared/data/README.md);
 * U has one `{"text": "..."}` a line (questions the corpus does not cover).
 * Without --corpus, Guichet runs the index the app builds over knowledge/
 * (all fields, both languages) and the peers index kb_<lang>_full_corpus.jsonl
 * (the same articles, title + all text); so does a --corpus that holds the
 * shipped knowledge of its language (the same ids and titles: the app's index
 * and its router, which sends small talk, vague messages and other
 * departments' questions elsewhere before any search). Any other corpus is
 * indexed from the file, without the router. The decision uses the shipped calibration (src/knowledge/search/
 * calibration-table.ts, learned by bench/calibrate.ts on the tuning part of
 * bench/data/) for the corpus language, unless --calibrate-queries gives
 * tuning questions on C: the calibration is then learned on them (never
 * pass the queries being measured). `--json` prints the figures as numbers.
 */
import './quiet-env.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Lang } from '../src/core/lang.ts';
import { calibrationFor } from '../src/knowledge/search/calibration.ts';
import { loadSynonymFile } from '../src/nlu/synonyms.ts';
import { buildIndex, buildShippedIndex, isShippedCorpus, learnCalibration, observe, outcomes, retrieval, shippedArticles, shippedElsewhere, type Outcomes } from './lib/answer-eval.ts';
import { majorityLang, readCorpus, readQueries, type BenchQuery, type CorpusDoc } from './lib/data.ts';
import { PEERS } from './lib/engines.ts';
import { readUncovered } from './lib/uncovered.ts';

const SYNONYMS = resolve(import.meta.dirname, '../knowledge/synonyms.yml');
const DATA = resolve(import.meta.dirname, 'data');
const KNOWLEDGE = resolve(import.meta.dirname, '../knowledge');
const SERVICES = resolve(import.meta.dirname, '../config/services.yml');

interface Retrieval {
  recallAt1: number;
  recallAt3: number;
  mrrAt10: number;
}

interface Report {
  corpus: string;
  queries: string;
  lang: Lang;
  /** Guichet's index: the app's when the corpus holds the shipped knowledge (`isShippedCorpus`), else the corpus file's. */
  index: string;
  calibration: string;
  questions: number;
  uncovered: number;
  retrieval: Record<string, Retrieval>;
  decision: Outcomes;
}

function usage(message: string): never {
  process.stderr.write(`bench:answers: ${message}\nusage: npm run bench:answers -- [--corpus C --queries Q [--uncovered U] [--calibrate-queries Q2 [--calibrate-uncovered U2]]] [--json]\n`);
  process.exit(2);
}

async function peerRetrieval(docs: readonly CorpusDoc[], queries: readonly BenchQuery[], lang: Lang): Promise<Record<string, Retrieval>> {
  const out: Record<string, Retrieval> = {};
  for (const peer of PEERS) {
    const index = await peer.build(docs, lang);
    let r1 = 0;
    let r3 = 0;
    let mrr = 0;
    for (const q of queries) {
      const ids = await peer.search(index, q.text, 10);
      const rank = ids.findIndex((id) => q.relevant.includes(id));
      if (rank === 0) r1 += 1;
      if (rank >= 0 && rank < 3) r3 += 1;
      if (rank >= 0) mrr += 1 / (rank + 1);
    }
    const n = queries.length || 1;
    out[peer.name] = { recallAt1: r1 / n, recallAt3: r3 / n, mrrAt10: mrr / n };
  }
  return out;
}

async function run(corpus: string, queriesPath: string, uncoveredPath: string | undefined, tune?: { queries: string; uncovered?: string }): Promise<Report> {
  const synonyms = existsSync(SYNONYMS) ? loadSynonymFile(SYNONYMS) : [];
  const docs = readCorpus(corpus);
  const lang = majorityLang(docs);
  const articles = shippedArticles(KNOWLEDGE, SERVICES);
  const shipped = isShippedCorpus(docs, lang, articles);
  const queries = readQueries(queriesPath);
  const uncovered = uncoveredPath ? readUncovered(uncoveredPath) : [];
  // On the shipped knowledge (kb_<lang>_full_corpus.jsonl or any file with the same articles), Guichet runs the index the app
  // builds (knowledge/, all fields, both languages); peers get the corpus file.
  // and questions for another department get "none", as the router sends them there first (never on a foreign corpus: an HR FAQ covers them).
  const elsewhere = shipped ? shippedElsewhere(resolve(import.meta.dirname, '../config')) : undefined;
  const index = shipped ? buildShippedIndex(articles, synonyms, elsewhere) : buildIndex(docs, synonyms);
  const calibration = tune ? learnCalibration(observe(index, lang, readQueries(tune.queries), tune.uncovered ? readUncovered(tune.uncovered) : [], elsewhere)) : calibrationFor(lang);
  const obs = observe(index, lang, queries, uncovered, elsewhere);
  return {
    corpus,
    queries: queriesPath,
    lang,
    index: shipped ? "the app's (the corpus is the shipped knowledge), with its router" : 'the corpus file',
    calibration: tune ? `learned on ${tune.queries}` : `shipped (${lang})`,
    questions: queries.length,
    uncovered: uncovered.length,
    retrieval: { guichet: retrieval(obs), ...(await peerRetrieval(docs, queries, lang)) },
    decision: outcomes(obs, calibration),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function table(r: Report): string {
  const d = r.decision;
  return [
    `## ${r.lang}: ${r.corpus}, ${r.questions} questions, ${r.uncovered} uncovered; index ${r.index}; calibration ${r.calibration}`,
    '| engine | R@1 | R@3 | MRR@10 |',
    '|:--|--:|--:|--:|',
    ...Object.entries(r.retrieval).map(([name, x]) => `| ${name} | ${pct(x.recallAt1)} | ${pct(x.recallAt3)} | ${x.mrrAt10.toFixed(3)} |`),
    '',
    '| decision (Guichet) | share |',
    '|:--|--:|',
    `| answer right | ${pct(d.answerRight)} |`,
    `| answer wrong | ${pct(d.answerWrong)} |`,
    `| choice with the right article | ${pct(d.choiceWithRight)} |`,
    `| choice without it | ${pct(d.choiceWithoutRight)} |`,
    `| nothing reliable, first hit was right | ${pct(d.noneTopRight)} |`,
    `| nothing reliable, first hit was wrong | ${pct(d.noneTopWrong)} |`,
    `| **helped** (answer right + choice with right) | ${pct(d.helped)} |`,
    `| uncovered: nothing reliable | ${pct(d.uncoveredNone)} |`,
    `| uncovered: answered or offered (wrong) | ${pct(d.uncoveredAnsweredOrOffered)} |`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      queries: { type: 'string' },
      uncovered: { type: 'string' },
      'calibrate-queries': { type: 'string' },
      'calibrate-uncovered': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (Boolean(values.corpus) !== Boolean(values.queries)) usage('--corpus and --queries go together');
  if (values['calibrate-uncovered'] && !values['calibrate-queries']) usage('--calibrate-uncovered needs --calibrate-queries');
  const tune = values['calibrate-queries'] ? { queries: values['calibrate-queries'], ...(values['calibrate-uncovered'] ? { uncovered: values['calibrate-uncovered'] } : {}) } : undefined;
  const reports: Report[] = [];
  if (values.corpus && values.queries) reports.push(await run(values.corpus, values.queries, values.uncovered, tune));
  else for (const lang of ['fr', 'en'] as const) reports.push(await run(`${DATA}/kb_${lang}_full_corpus.jsonl`, `${DATA}/answers_${lang}_test_queries.jsonl`, `${DATA}/answers_${lang}_test_uncovered.jsonl`));
  if (values.json) process.stdout.write(`${JSON.stringify(Object.fromEntries(reports.map((r) => [r.lang, r])), null, 2)}\n`);
  else process.stdout.write(reports.map(table).join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:answers: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
