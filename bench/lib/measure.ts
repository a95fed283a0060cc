/**
 * Runs one engine over a corpus and its queries: quality (Recall@1, Recall@3,
 * MRR@10), index build time, heap growth due to the index (after forced
 * garbage collections), query throughput and latency percentiles.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Lang } from '../../src/core/lang.ts';
import type { BenchQuery, CorpusDoc } from './data.ts';
import type { Engine } from './engines.ts';

export interface EngineReport {
  config: string;
  queries: number;
  recallAt1: number;
  recallAt3: number;
  mrrAt10: number;
  buildMs: number;
  memoryMb: number;
  queriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** `gc()` without starting node with --expose-gc: the flag can be set at run time and read from a fresh context. */
function getGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const gc = getGc();
const settle = () => {
  for (let i = 0; i < 3; i += 1) gc();
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * Every engine runs the query set untimed (warm-up: whole passes, at least
 * WARM_UP_QUERIES queries), then once timed: latencies are those of a
 * JIT-compiled engine in a steady state, not of V8 compiling code paths a
 * query meets for the first time. No engine caches results (FlexSearch's
 * cache is off by default; Guichet does not remember query words), so the
 * timed pass does no less work than the first.
 */
const WARM_UP_QUERIES = 2000;

export async function measure(engine: Engine, docs: readonly CorpusDoc[], queries: readonly BenchQuery[], lang: Lang): Promise<EngineReport> {
  settle();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const index = await engine.build(docs, lang);
  const buildMs = performance.now() - t0;
  settle();
  const memoryMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

  for (let done = 0; done < Math.max(WARM_UP_QUERIES, queries.length) && queries.length > 0; ) {
    for (const q of queries) await engine.search(index, q.text, 10);
    done += queries.length;
  }
  const latencies: number[] = [];
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  const started = performance.now();
  for (const q of queries) {
    const s = performance.now();
    const ids = await engine.search(index, q.text, 10);
    latencies.push(performance.now() - s);
    const relevant = new Set(q.relevant);
    const rank = ids.findIndex((id) => relevant.has(id));
    if (rank === 0) hit1 += 1;
    if (rank >= 0 && rank < 3) hit3 += 1;
    if (rank >= 0 && rank < 10) rr += 1 / (rank + 1);
  }
  const totalMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const n = queries.length || 1;
  return {
    config: engine.config,
    queries: queries.length,
    recallAt1: hit1 / n,
    recallAt3: hit3 / n,
    mrrAt10: rr / n,
    buildMs,
    memoryMb,
    queriesPerSecond: queries.length / (totalMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
