/**
 * A full web chat turn against its floor, interleaved in one run: Guichet as production runs it (the
 * compiled server, `node dist/main.js`, in its own process) and a bare Express app that stores one
 * row (bench/lib/bare-servers.ts), on SQLite and on PostgreSQL. One visitor at a time sends a mix of
 * FAQ questions, greetings and ticket openings; each request goes to Guichet then to the bare app, so
 * both see the same machine load. Prints p50 / p99 per server and the ratio at p99 (target ≤ 3×), and
 * Guichet's resident memory right after start and after all the turns (target < 250 MB with the
 * shipped knowledge).
 *
 *   npm run bench:turn -- [--turns 10000] [--warmup 200] [--pg <postgresql url>] [--no-sqlite] [--settle <ms>]
 *
 * `--settle`: a pause after each of Guichet's replies (default 0), so that what it runs right after a
 * reply (a new ticket's card, JobQueue.runAfterReply) cannot overlap the next request, the bare app's
 * included: a check that the floor is not slowed by Guichet's own background work.
 */
import './quiet-env.ts';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isPostgresUrl } from '../src/persistence/database-url.ts';
import { createDatabase, disposableName, dropDatabase } from '../src/persistence/migrate/index.ts';
import { exchange, metric, percentile, rssMb, startBare, startGuichet, type Child } from './lib/children.ts';

const { values } = parseArgs({
  options: { turns: { type: 'string', default: '10000' }, warmup: { type: 'string', default: '200' }, pg: { type: 'string' }, 'no-sqlite': { type: 'boolean', default: false }, settle: { type: 'string', default: '0' } },
});
const TURNS = Number(values.turns);
const WARMUP = Number(values.warmup);
const SETTLE_MS = Number(values.settle);
const PG = values.pg ?? (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined);

/** What visitors say: FAQ questions, small talk, and (one in ten) a ticket opening. */
const MESSAGES = [
  'mot de passe oublié',
  'bonjour',
  'le vpn ne se connecte pas',
  'comment configurer outlook sur mon téléphone',
  'merci',
  'my printer does not print',
  'ouvrir un ticket : écran noir sur le poste de la salle B',
  'wifi lent au 3e étage',
  'how do I reset my MFA',
  'aide',
];

interface Run {
  backend: string;
  guichet: number[];
  bare: number[];
  rssStart: number;
  rssEnd: number;
  /** Guichet's JS heap in use after the turns (MB): what the resident memory holds beyond it is native. */
  heapEnd: number;
  bareRss: number;
  errors: number;
}

const body = (text: string) => JSON.stringify({ id: randomUUID(), text });
const headers = { 'content-type': 'application/json' };

async function measure(backend: string, guichetDb: string, bareDb: string): Promise<Run> {
  // One load generator stands for many people behind one address: the abuse limits stay on (their store is part of
  // a turn's cost) but high enough never to refuse a turn, so that no cheap 429 counts as a turn.
  const guichet = await startGuichet('guichet', { DATABASE_URL: guichetDb, CHANNELS: 'web', SLA_TICK_SECONDS: '0', RATE_LIMIT_CHAT_PER_MINUTE: '10000' });
  const bare = await startBare('bare-express', 'express', bareDb);
  const servers: Child[] = [guichet, bare];
  try {
    const rssStart = await rssMb(guichet);
    const run: Run = { backend, guichet: [], bare: [], rssStart, rssEnd: 0, heapEnd: 0, bareRss: 0, errors: 0 };
    for (let i = 0; i < WARMUP + TURNS; i += 1) {
      const text = MESSAGES[i % MESSAGES.length]!;
      // Alternate which goes first, so that neither always follows the other's work.
      const order = i % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) {
        const r = await exchange(`${server.url}/api/web/messages`, 'POST', body(text), headers);
        if (r.status !== 200) run.errors += 1;
        if (i >= WARMUP) (server === guichet ? run.guichet : run.bare).push(r.ms);
        if (server === guichet && SETTLE_MS > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      }
      if ((i + 1) % 2_000 === 0) process.stderr.write(`  ${backend}: ${i + 1}/${WARMUP + TURNS} turns, Guichet RSS ${(await rssMb(guichet)).toFixed(0)} MB, JS heap used ${((await metric(guichet, 'guichet_nodejs_heap_size_used_bytes')) / 1e6).toFixed(0)} MB\n`);
    }
    run.rssEnd = await rssMb(guichet);
    run.heapEnd = (await metric(guichet, 'guichet_nodejs_heap_size_used_bytes')) / 1e6;
    run.bareRss = await rssMb(bare);
    return run;
  } finally {
    await guichet.stop();
    await bare.stop();
  }
}

function report(run: Run): void {
  const g = [...run.guichet].sort((a, b) => a - b);
  const b = [...run.bare].sort((a, b2) => a - b2);
  const line = (name: string, s: number[]) =>
    `  ${name.padEnd(13)} p50 ${percentile(s, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(s, 99).toFixed(2).padStart(7)} ms   mean ${(s.reduce((x, y) => x + y, 0) / s.length).toFixed(2).padStart(7)} ms`;
  const ratio = percentile(g, 99) / percentile(b, 99);
  process.stdout.write(`\n${run.backend}: ${g.length} turns each, interleaved (errors: ${run.errors})\n`);
  process.stdout.write(`${line('guichet', g)}\n${line('bare express', b)}\n`);
  process.stdout.write(`  p99 ratio ${ratio.toFixed(1)}× the floor (target ≤ 3×: ${ratio <= 3 ? 'met' : 'MISSED'})\n`);
  process.stdout.write(
    `  resident memory: Guichet ${run.rssStart.toFixed(0)} MB after start, ${run.rssEnd.toFixed(0)} MB after ${g.length + WARMUP} turns (target < 250 MB: ${run.rssEnd < 250 ? 'met' : 'MISSED'}; JS heap used ${run.heapEnd.toFixed(0)} MB); bare Express ${run.bareRss.toFixed(0)} MB\n`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'guichet-bench-turn-'));
const created: string[] = [];
try {
  if (!values['no-sqlite']) report(await measure('SQLite', `file:${join(dir, 'guichet.db')}`, `file:${join(dir, 'bare.db')}`));
  if (PG) {
    const names = [disposableName('bench_turn'), disposableName('bench_bare')];
    const [guichetDb, bareDb] = await Promise.all(names.map((n) => createDatabase(PG, n)));
    created.push(...names);
    report(await measure('PostgreSQL', guichetDb!, bareDb!));
  }
} finally {
  for (const name of created) await dropDatabase(PG!, name).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
process.exit(0);
