/**
 * Search benchmark: Guichet's knowledge search against lunr, FlexSearch,
 * wink-bm25-text-search and Orama on any corpus/queries pair in the format
 * of /work/shared/data/README.md.
 *
 *   npm run bench:search -- --corpus <corpus.jsonl> --queries <queries.jsonl> [--json]
 *     [--engines guichet,lunr,...] [--tuning '<json of SearchTuning fields>'] [--no-synonyms]
 *
 * `--tuning` overrides Guichet's search constants for one run (ablations; see
 * bench/README.md); `--no-synonyms` runs Guichet without knowledge/synonyms.yml.
 *
 * Each engine runs in its own child process (same Node flags, `--worker
 * <engine>`), one after the other: memory and latency are then not affected
 * by what the engines before it left in the heap, loaded or compiled. Timing
 * on a shared machine is noisy (another process, the start-up tail of the
 * parent): every engine is run `--runs` times (default 3), in a rotated order
 * (no engine always first), and the run with its lowest p99 is reported
 * (build time, memory, throughput and latencies all come from that run;
 * quality figures are the same in every run).
 */
import './quiet-env.ts';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSynonymFile } from '../src/nlu/synonyms.ts';
import { majorityLang, readCorpus, readQueries } from './lib/data.ts';
import { guichetEngine, PEERS, type Engine } from './lib/engines.ts';
import { measure, type EngineReport } from './lib/measure.ts';

const SYNONYMS = resolve(import.meta.dirname, '../knowledge/synonyms.yml');

function usage(message: string): never {
  process.stderr.write(`bench:search: ${message}\nusage: npm run bench:search -- --corpus <corpus.jsonl> --queries <queries.jsonl> [--json] [--runs 3] [--engines a,b] [--tuning '{...}'] [--no-synonyms]\n`);
  process.exit(2);
}

interface Args {
  corpus: string;
  queries: string;
  json: boolean;
  engines?: string;
  tuning?: string;
  noSynonyms: boolean;
  worker?: string;
  runs: number;
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      queries: { type: 'string' },
      json: { type: 'boolean', default: false },
      engines: { type: 'string' },
      tuning: { type: 'string' },
      'no-synonyms': { type: 'boolean', default: false },
      worker: { type: 'string' },
      runs: { type: 'string', default: '3' },
    },
  });
  if (!values.corpus || !values.queries) usage('--corpus and --queries are required');
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) usage(`--runs must be a positive integer (got ${values.runs})`);
  const out: Args = { corpus: values.corpus, queries: values.queries, json: values.json ?? false, noSynonyms: values['no-synonyms'] ?? false, runs };
  if (values.engines) out.engines = values.engines;
  if (values.tuning) out.tuning = values.tuning;
  if (values.worker) out.worker = values.worker;
  return out;
}

function engines(a: Args): Engine[] {
  const synonyms = a.noSynonyms || !existsSync(SYNONYMS) ? [] : loadSynonymFile(SYNONYMS);
  let tuning: object | undefined;
  try {
    tuning = a.tuning ? (JSON.parse(a.tuning) as object) : undefined;
  } catch {
    usage(`--tuning is not JSON: ${a.tuning}`);
  }
  return [guichetEngine({ synonyms, ...(tuning ? { tuning } : {}) }), ...PEERS];
}

/** In a worker: measure one engine and print its report as JSON. */
async function worker(a: Args, name: string): Promise<void> {
  const engine = engines(a).find((e) => e.name === name);
  if (!engine) usage(`no engine named ${name}`);
  const docs = readCorpus(a.corpus);
  const report = await measure(engine, docs, readQueries(a.queries), majorityLang(docs));
  process.stdout.write(JSON.stringify(report));
}

async function main(): Promise<void> {
  const a = args();
  if (a.worker) return worker(a, a.worker);
  const all = engines(a).map((e) => e.name);
  const wanted = a.engines?.split(',').map((s) => s.trim()) ?? all;
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) usage(`no engine named ${unknown.join(', ')} (known: ${all.join(', ')})`);
  const docs = readCorpus(a.corpus);
  const queries = readQueries(a.queries);
  const lang = majorityLang(docs);
  const reports: Record<string, EngineReport> = {};
  for (let run = 0; run < a.runs; run += 1) {
    const order = wanted.map((_, i) => wanted[(i + run) % wanted.length] ?? '');
    for (const name of order) {
      const report = runWorker(name);
      const kept = reports[name];
      if (!kept || report.p99Ms < kept.p99Ms) reports[name] = report;
    }
  }
  // Keep the command line's engine order in the output.
  const ordered = Object.fromEntries(wanted.map((n) => [n, reports[n] as EngineReport]));
  const summary = { corpus: a.corpus, queries: a.queries, documents: docs.length, queryCount: queries.length, lang, runs: a.runs, engines: ordered };
  if (a.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(table(summary.corpus, docs.length, queries.length, lang, ordered));
}

/** Runs one engine in a fresh process; throws with its stderr when it fails. */
function runWorker(name: string): EngineReport {
  const args = process.argv.slice(2).filter((x, i, all) => x !== '--runs' && all[i - 1] !== '--runs' && !x.startsWith('--runs='));
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args, '--worker', name], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`engine ${name} failed (exit ${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout) as EngineReport;
}

function table(corpus: string, docs: number, queries: number, lang: string, reports: Record<string, EngineReport>): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const num = (x: number, d: number) => x.toFixed(d);
  const head = ['engine', 'R@1', 'R@3', 'MRR@10', 'build ms', 'heap MB', 'q/s', 'p50 ms', 'p99 ms'];
  const rows = Object.entries(reports).map(([name, r]) => [
    name,
    pct(r.recallAt1),
    pct(r.recallAt3),
    num(r.mrrAt10, 3),
    num(r.buildMs, 0),
    num(r.memoryMb, 1),
    num(r.queriesPerSecond, 0),
    num(r.p50Ms, 3),
    num(r.p99Ms, 3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [
    `${corpus}: ${docs} documents (${lang}), ${queries} queries`,
    line(head),
    `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
    '',
  ].join('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:search: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
