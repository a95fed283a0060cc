/**
 * Where a web chat turn's database time goes, per statement, in one process (issue #20): the
 * statements of each turn kind (FAQ, greeting, ticket opening) with the time from each statement's
 * start to the next one's (its round trip plus the work before the next). The turns are the
 * bench:turn mix, one visitor each, through `guichet.turn` (the web route's turn, without HTTP).
 *
 *   npx tsx bench/turn-statements-profile.ts [--turns 600] [--pg <postgresql url>]
 */
import './quiet-env.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { start } from '../src/main.ts';
import { createDatabase, disposableName, dropDatabase } from '../src/persistence/migrate/index.ts';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '600' }, pg: { type: 'string' } } });
const TURNS = Number(values.turns);
const MESSAGES = ['mot de passe oublié', 'bonjour', 'le vpn ne se connecte pas', 'comment configurer outlook sur mon téléphone', 'merci', 'my printer does not print',
  'ouvrir un ticket : écran noir sur le poste de la salle B', 'wifi lent au 3e étage', 'how do I reset my MFA', 'aide'];

const dir = await mkdtemp(join(tmpdir(), 'guichet-profile-'));
const name = values.pg ? disposableName('profile') : undefined;
const url = values.pg ? await createDatabase(values.pg, name!) : `file:${join(dir, 'g.db')}`;
const running = await start(loadConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', SLA_TICK_SECONDS: '0' }));
const scope = new AsyncLocalStorage<{ sql: string; at: number }[]>();
const stop = running.guichet.db.observeStatements((sql) => scope.getStore()?.push({ sql, at: performance.now() }));
interface Kind { totals: number[]; counts: number[]; perStatement: Map<string, number[]> }
const newKind = (): Kind => ({ totals: [], counts: [], perStatement: new Map() });
const kinds = new Map<string, Kind>();
const kindOf = (text: string) => (text.startsWith('ouvrir') ? 'ticket' : `« ${text} »`);
try {
  for (let i = 0; i < TURNS; i += 1) {
    const text = MESSAGES[i % MESSAGES.length]!;
    const visitor = randomUUID().replace(/-/g, '');
    const statements: { sql: string; at: number }[] = [];
    const began = performance.now();
    await scope.run(statements, () =>
      running.guichet.turn({ channel: 'web', tenantId: '', deliveryId: `${visitor}:${randomUUID()}`, user: { externalId: visitor }, conversation: { externalId: visitor, kind: 'personal', reference: { tenantId: '', externalId: visitor } }, text }),
    );
    const ended = performance.now();
    if (i < 50) continue;
    const kind = kinds.get(kindOf(text)) ?? newKind();
    kinds.set(kindOf(text), kind);
    kind.totals.push(ended - began);
    kind.counts.push(statements.length);
    statements.forEach((s, n) => {
      const next = statements[n + 1]?.at ?? ended;
      const key = `${String(n).padStart(2)} ${s.sql.replace(/\s+/g, ' ').slice(0, 150)}`;
      const list = kind.perStatement.get(key) ?? [];
      list.push(next - s.at);
      kind.perStatement.set(key, list);
    });
    const first = statements[0]?.at ?? ended;
    const key = '-- before the first statement';
    const list = kind.perStatement.get(key) ?? [];
    list.push(first - began);
    kind.perStatement.set(key, list);
  }
} finally {
  stop();
  await running.stop();
  if (name) await dropDatabase(values.pg!, name).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
const pct = (list: number[], p: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor((p / 100) * list.length))]!;
const median = (list: number[]) => pct(list, 50);
for (const [kind, k] of kinds) {
  process.stdout.write(`\n${kind}: ${k.totals.length} turns, p50 ${median(k.totals).toFixed(2)} ms, p90 ${pct(k.totals, 90).toFixed(2)} ms, p99 ${pct(k.totals, 99).toFixed(2)} ms; statements p50 ${median(k.counts)} (min ${Math.min(...k.counts)}, max ${Math.max(...k.counts)})\n`);
  for (const [key, list] of [...k.perStatement].sort((a, b) => a[0].localeCompare(b[0]))) process.stdout.write(`  ${median(list).toFixed(2).padStart(6)} ms (n=${list.length})  ${key}\n`);
}
process.exit(0);
