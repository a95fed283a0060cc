/**
 * Resident memory and start time at scale: the compiled server (`node dist/main.js`) started with the
 * shipped knowledge, then with a knowledge folder of `--articles` articles (default 10,000: copies of
 * the shipped ones under new ids, in both languages), twice — a cold start (every article created)
 * and a warm start (no file changed). Prints the time to readiness and the resident memory after
 * start of each, against the targets of issue #20 (< 250 MB shipped, < 400 MB with 10,000 articles,
 * warm start < 2 s). bench:turn prints the memory after 10,000 turns.
 *
 *   npm run bench:memory -- [--articles 10000] [--pg <postgresql url>]
 *   npm run bench:memory -- --articles 0          # only the shipped knowledge (two starts, a minute)
 *   npm run bench:memory -- --articles 10000 --write-only <dir>   # only writes the knowledge folder (to profile a start)
 */
import './quiet-env.ts';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, disposableName, dropDatabase } from '../src/persistence/migrate/index.ts';
import { ROOT, rssMb, startGuichet } from './lib/children.ts';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '10000' }, pg: { type: 'string' }, 'write-only': { type: 'string' } } });
const ARTICLES = Number(values.articles);
const SHIPPED = join(ROOT, 'knowledge');

/** The shipped articles' files, grouped by id (one file per language). */
function shippedById(): Map<string, { lang: string; folder: string; slug: string; text: string }[]> {
  const byId = new Map<string, { lang: string; folder: string; slug: string; text: string }[]>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.md') && name.toLowerCase() !== 'readme.md') {
        const [lang, folder] = relative(SHIPPED, full).split('/');
        const id = /^(?:FAQ|KE|PROC)-\d{4}/.exec(name)![0];
        byId.set(id, [...(byId.get(id) ?? []), { lang: lang!, folder: folder!, slug: name.slice(id.length + 1), text: readFileSync(full, 'utf8') }]);
      }
    }
  };
  walk(SHIPPED);
  return byId;
}

/** A knowledge folder of `count` articles: copy k of a shipped article gets the id <prefix>-<k> and a sentence of its own. */
function makeKnowledge(dir: string, count: number): void {
  const sources = [...shippedById().entries()].filter(([, files]) => files.length === 2);
  const perPrefix = new Map<string, number>();
  let written = 0;
  for (let k = 0; written < count; k += 1) {
    const [id, files] = sources[k % sources.length]!;
    const prefix = id.split('-')[0]!;
    const n = (perPrefix.get(prefix) ?? 0) + 1;
    perPrefix.set(prefix, n);
    if (n > 9_999) throw new Error('bench:memory: too many articles for 4-digit ids');
    const newId = `${prefix}-${String(n).padStart(4, '0')}`;
    for (const f of files) {
      if (written >= count) break;
      mkdirSync(join(dir, f.lang, f.folder), { recursive: true });
      const text = f.text.replace(new RegExp(`^id: ${id}$`, 'm'), `id: ${newId}`).replace(/\n---\n/, `\n---\nCopy ${k} of ${id} (bench:memory).\n\n`);
      writeFileSync(join(dir, f.lang, f.folder, `${newId}-${f.slug}`), text);
      written += 1;
    }
  }
  cpSync(join(SHIPPED, 'synonyms.yml'), join(dir, 'synonyms.yml'));
}

interface Start {
  label: string;
  seconds: number;
  /** Resident memory (MB) at readiness, 2 s and 10 s later: a start's peak, and where it settles. */
  rss: { ready: number; after2s: number; after10s: number };
}

async function timedStart(label: string, env: Record<string, string>): Promise<Start> {
  const started = performance.now();
  const guichet = await startGuichet('guichet', { CHANNELS: 'web', SLA_TICK_SECONDS: '0', ...env });
  const seconds = (performance.now() - started) / 1000;
  const ready = await rssMb(guichet);
  // Settled: what a scrape sees a moment after start, then once the start's garbage is collected.
  await new Promise((r) => setTimeout(r, 2_000));
  const after2s = await rssMb(guichet);
  await new Promise((r) => setTimeout(r, 8_000));
  const after10s = await rssMb(guichet);
  await guichet.stop();
  return { label, seconds, rss: { ready, after2s, after10s } };
}

if (values['write-only']) {
  makeKnowledge(values['write-only'], ARTICLES);
  process.exit(0);
}
// Built first, so that no start below counts a build.
if (spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
const work = mkdtempSync(join(tmpdir(), 'guichet-bench-memory-'));
const created: string[] = [];
const databaseUrl = async (name: string): Promise<string> => {
  if (!values.pg) return `file:${join(work, `${name}.db`)}`;
  const db = disposableName(`bench_mem_${name}`);
  created.push(db);
  return createDatabase(values.pg, db);
};
try {
  const knowledge = join(work, 'knowledge');
  makeKnowledge(knowledge, ARTICLES);
  const shippedDb = await databaseUrl('shipped');
  const scaleDb = await databaseUrl('scale');
  const runs = [
    await timedStart('shipped knowledge, first start', { DATABASE_URL: shippedDb }),
    await timedStart('shipped knowledge, warm start', { DATABASE_URL: shippedDb }),
  ];
  if (ARTICLES > 0) {
    runs.push(await timedStart(`${ARTICLES} articles, cold start`, { DATABASE_URL: scaleDb, KNOWLEDGE_DIR: knowledge }));
    runs.push(await timedStart(`${ARTICLES} articles, warm start`, { DATABASE_URL: scaleDb, KNOWLEDGE_DIR: knowledge }));
  }
  process.stdout.write(`\nStart time (process start → /readyz 200, polled every 50 ms) and resident memory at readiness, 2 s and 10 s later, ${values.pg ? 'PostgreSQL' : 'SQLite'}\n`);
  process.stdout.write(`  ${''.padEnd(36)} ${'ready'.padStart(8)} ${'RSS ready'.padStart(10)} ${'+2 s'.padStart(7)} ${'+10 s'.padStart(7)}\n`);
  const mb = (n: number) => `${n.toFixed(0).padStart(4)} MB`;
  for (const r of runs) process.stdout.write(`  ${r.label.padEnd(36)} ${r.seconds.toFixed(1).padStart(6)} s ${mb(r.rss.ready).padStart(10)} ${mb(r.rss.after2s)} ${mb(r.rss.after10s)}\n`);
  const [, shippedWarm, , scaleWarm] = runs;
  // Each target is met only if it holds at every reading (a start's peak counts, not only where it settles).
  const worst = (r: Start) => Math.max(r.rss.ready, r.rss.after2s, r.rss.after10s);
  const scale = scaleWarm ? `; ${ARTICLES} articles < 400 MB: ${worst(scaleWarm) < 400 ? 'met' : 'MISSED'}; warm start < 2 s: ${scaleWarm.seconds < 2 ? 'met' : 'MISSED'}` : '';
  process.stdout.write(`targets: shipped < 250 MB: ${worst(shippedWarm!) < 250 ? 'met' : 'MISSED'}${scale}\n`);
} finally {
  for (const name of created) await dropDatabase(values.pg!, name).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
