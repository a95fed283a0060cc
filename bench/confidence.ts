/**
 * How much Guichet's confidence can be trusted, and how the constants of
 * src/knowledge/search/confidence.ts were obtained.
 *
 *   npx tsx bench/confidence.ts --set <corpus.jsonl>,<queries.jsonl> [--set …] [--fit]
 *
 * For every query of every set, two observations: the query against the
 * whole corpus (label: is the top hit right?) and the same query with its
 * right articles hidden (label 0: the knowledge base has no answer). Prints,
 * per set, the reliability of the confidence (hits grouped by confidence:
 * how often the top hit is right) and its expected calibration error, and
 * what `answer()` decides (answer / choose / none) and how often it is right.
 * `--fit` also fits σ(A·c + B·c·m + C) by logistic regression, each set
 * weighted equally (the procedure that gave CONFIDENCE_MODEL).
 */
import './quiet-env.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Article } from '../src/knowledge/article.ts';
import { decide } from '../src/knowledge/search/answer.ts';
import { CONFIDENCE_MODEL } from '../src/knowledge/search/confidence.ts';
import { buildKnowledgeIndex } from '../src/knowledge/search/knowledge-search.ts';
import { loadSynonymFile } from '../src/nlu/synonyms.ts';
import { majorityLang, readCorpus, readQueries } from './lib/data.ts';

interface Row {
  set: string;
  label: number;
  confidence: number;
  coverage: number;
  margin: number;
}

const SYNONYMS = resolve(import.meta.dirname, '../knowledge/synonyms.yml');

function observe(set: string, corpusPath: string, queriesPath: string): { rows: Row[]; decisions: Record<string, [number, number]> } {
  const docs = readCorpus(corpusPath);
  const lang = majorityLang(docs);
  const articles: Article[] = docs.map((d) => ({ id: d.id, type: 'faq', lang: d.lang, title: d.title, tags: [], services: [], symptoms: [], status: 'published', updated: '2026-01-01', body: d.text }));
  const byId = new Map(articles.map((a) => [a.id, a]));
  const index = buildKnowledgeIndex(articles, { synonyms: existsSync(SYNONYMS) ? loadSynonymFile(SYNONYMS) : [] });
  const rows: Row[] = [];
  // Per decision kind: [count, right] (right: answer = the relevant article; choose = it is among the options; none = no answer existed).
  const decisions: Record<string, [number, number]> = {};
  const tally = (kind: string, right: boolean) => {
    const t = (decisions[kind] ??= [0, 0]);
    t[0] += 1;
    if (right) t[1] += 1;
  };
  for (const q of readQueries(queriesPath)) {
    for (const hidden of [false, true]) {
      for (const id of q.relevant) if (hidden) byId.get(id)!.status = 'draft';
      const hits = index.search(q.text, { lang, limit: 4, highlights: false });
      for (const id of q.relevant) byId.get(id)!.status = 'published';
      const relevant = (id: string) => !hidden && q.relevant.includes(id);
      const best = hits[0];
      if (best) {
        const rival = hits[1]?.score ?? 0;
        rows.push({ set, label: relevant(best.ref.id) ? 1 : 0, confidence: best.confidence, coverage: best.coverage, margin: Math.max(-1, Math.min(1, 1 - rival / best.score)) });
      } else rows.push({ set, label: 0, confidence: 0, coverage: 0, margin: 0 });
      const d = decide(hits);
      const kind = `${hidden ? 'no answer exists' : 'answer exists'} → ${d.kind}`;
      if (d.kind === 'answer') tally(kind, relevant(d.best.ref.id));
      else if (d.kind === 'choose') tally(kind, d.options.some((o) => relevant(o.ref.id)));
      else tally(kind, hidden);
    }
  }
  return { rows, decisions };
}

function reliability(rows: readonly Row[]): string {
  const bins = [0, 0.2, 0.4, 0.6, 0.8, 1.0001];
  let ece = 0;
  const lines: string[] = ['| confidence | hits | mean confidence | top hit right |', '|---|---:|---:|---:|'];
  for (let i = 0; i + 1 < bins.length; i += 1) {
    const lo = bins[i] ?? 0;
    const hi = bins[i + 1] ?? 1;
    const inBin = rows.filter((r) => r.confidence >= lo && r.confidence < hi);
    if (inBin.length === 0) continue;
    const conf = inBin.reduce((s, r) => s + r.confidence, 0) / inBin.length;
    const acc = inBin.reduce((s, r) => s + r.label, 0) / inBin.length;
    ece += (inBin.length / rows.length) * Math.abs(conf - acc);
    lines.push(`| ${lo.toFixed(1)}–${Math.min(1, hi).toFixed(1)} | ${inBin.length} | ${conf.toFixed(2)} | ${(100 * acc).toFixed(0)} % |`);
  }
  return `${lines.join('\n')}\nexpected calibration error: ${ece.toFixed(3)}`;
}

/** Logistic regression on [c, c·m, 1] by gradient descent; each set weighs the same. */
function fit(rows: readonly Row[]): [number, number, number] {
  const perSet = new Map<string, number>();
  for (const r of rows) perSet.set(r.set, (perSet.get(r.set) ?? 0) + 1);
  const w: [number, number, number] = [0, 0, 0];
  for (let it = 0; it < 20_000; it += 1) {
    const g = [0, 0, 0];
    let total = 0;
    for (const r of rows) {
      const x = [r.coverage, r.coverage * r.margin, 1];
      const p = 1 / (1 + Math.exp(-(w[0] * (x[0] ?? 0) + w[1] * (x[1] ?? 0) + w[2])));
      const weight = 1 / (perSet.get(r.set) ?? 1);
      total += weight;
      for (let j = 0; j < 3; j += 1) g[j] = (g[j] ?? 0) + weight * (p - r.label) * (x[j] ?? 0);
    }
    for (let j = 0; j < 3; j += 1) w[j as 0 | 1 | 2] -= (3 * (g[j] ?? 0)) / total;
  }
  return w;
}

function main(): void {
  const { values } = parseArgs({ options: { set: { type: 'string', multiple: true }, fit: { type: 'boolean', default: false } } });
  const sets = (values.set ?? []).map((s) => s.split(','));
  if (sets.length === 0 || sets.some((s) => s.length !== 2)) {
    process.stderr.write('usage: npx tsx bench/confidence.ts --set <corpus.jsonl>,<queries.jsonl> [--set …] [--fit]\n');
    process.exit(2);
  }
  const all: Row[] = [];
  for (const [corpus, queries] of sets as Array<[string, string]>) {
    const { rows, decisions } = observe(corpus, corpus, queries);
    all.push(...rows);
    process.stdout.write(`\n## ${corpus}\n${reliability(rows)}\n\n| situation → decision | count | right |\n|---|---:|---:|\n`);
    for (const [kind, [n, right]] of Object.entries(decisions).sort()) process.stdout.write(`| ${kind} | ${n} | ${((100 * right) / n).toFixed(0)} % |\n`);
  }
  const m = CONFIDENCE_MODEL;
  process.stdout.write(`\nmodel in use: σ(${m.coverage}·c + ${m.coverageTimesMargin}·c·m + ${m.intercept})\n`);
  if (values.fit) {
    const [a, b, c] = fit(all);
    process.stdout.write(`fitted on these sets: σ(${a.toFixed(2)}·c + ${b.toFixed(2)}·c·m + ${c.toFixed(2)})\n`);
  }
}

main();
