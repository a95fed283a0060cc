/**
 * Conversation benchmark: where does Guichet send a first message?
 *
 *   npm run bench:conversations -- --cases bench/data/conversations-tune.jsonl [--json]
 *
 * Drives the real bot (createGuichet with a fresh SQLite database and the
 * shipped knowledge/, dialogs/ and config/, as the terminal chat does), one
 * fresh user per case, and reads the turn's decision. A case is one JSON line
 * `{id, lang, text, expect: {route: [...], flow?: [...], article?: [...], urgent?}}`;
 * it is right when the route taken is one of `route`, the flow one of `flow`
 * (when given), one of the articles shown one of `article` (when given) and
 * `urgent` matches (when given). Prints the share right overall, per route
 * expected and per language; `--json` prints every case and the summary.
 */
import './quiet-env.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROUTES, type TurnDecision } from '../src/core/turn/decision.ts';
import { createGuichet } from '../src/app/guichet.ts';

const caseSchema = z.object({
  id: z.string(),
  lang: z.enum(['fr', 'en']),
  text: z.string().min(1),
  expect: z.object({
    route: z.array(z.enum(ROUTES)).min(1),
    flow: z.array(z.string()).optional(),
    article: z.array(z.string()).optional(),
    urgent: z.boolean().optional(),
  }),
});
type Case = z.infer<typeof caseSchema>;

interface CaseResult {
  id: string;
  lang: 'fr' | 'en';
  text: string;
  expected: Case['expect'];
  route: string;
  flow: string | null;
  articles: string[];
  urgent: boolean;
  reason: string;
  ok: boolean;
}

function readCases(file: string): Case[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      const parsed = caseSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`bench: ${file}:${n}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

export function judge(c: Case, d: Pick<TurnDecision, 'route' | 'flow' | 'articles' | 'urgent'>): boolean {
  const e = c.expect;
  if (!e.route.includes(d.route as never)) return false;
  if (e.flow && !(d.flow && e.flow.includes(d.flow))) return false;
  if (e.article && !d.articles.some((a) => e.article!.includes(a))) return false;
  if (e.urgent !== undefined && e.urgent !== d.urgent) return false;
  return true;
}

function share(results: CaseResult[]): { right: number; total: number; share: number } {
  const right = results.filter((r) => r.ok).length;
  return { right, total: results.length, share: results.length ? Math.round((right / results.length) * 1000) / 10 : 0 };
}

function groupBy(results: CaseResult[], key: (r: CaseResult) => string): Record<string, ReturnType<typeof share>> {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return Object.fromEntries([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, share(v)]));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, json: { type: 'boolean' }, failures: { type: 'boolean' } }, strict: true });
  if (!values.cases) throw new Error('usage: npm run bench:conversations -- --cases FILE [--json] [--failures]');
  const cases = readCases(resolve(values.cases));
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-'));
  const root = resolve(import.meta.dirname, '..');
  const guichet = await createGuichet({
    databaseUrl: `file:${join(dir, 'bench.db')}`,
    defaultLang: 'fr',
    knowledgeDir: join(root, 'knowledge'),
    configDir: join(root, 'config'),
    dialogsDir: join(root, 'dialogs'),
  });
  const results: CaseResult[] = [];
  try {
    for (const c of cases) {
      const user = `bench-${c.id}`;
      const result = await guichet.turn({
        channel: 'terminal',
        deliveryId: `${user}:1`,
        user: { externalId: user, displayName: 'Camille Martin', locale: c.lang },
        conversation: { externalId: user, kind: 'personal' },
        text: c.text,
      });
      const d = result.decision ?? { route: 'none', flow: null, articles: [], urgent: false, confidence: 0, reason: 'no decision' };
      results.push({ id: c.id, lang: c.lang, text: c.text, expected: c.expect, route: d.route, flow: d.flow, articles: d.articles, urgent: d.urgent, reason: d.reason, ok: judge(c, d as TurnDecision) });
    }
  } finally {
    await guichet.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = {
    overall: share(results),
    byRoute: groupBy(results, (r) => r.expected.route[0] ?? '?'),
    byLang: groupBy(results, (r) => r.lang),
  };
  if (values.json) {
    const out = { cases: results.map(({ id, route, flow, articles, urgent, ok }) => ({ id, route, flow, articles, urgent, ok })), summary };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const line = (name: string, s: ReturnType<typeof share>) => `${name.padEnd(14)} ${String(s.share).padStart(5)} %  (${s.right}/${s.total})`;
  process.stdout.write(`${line('overall', summary.overall)}\n`);
  for (const [k, s] of Object.entries(summary.byRoute)) process.stdout.write(`${line(`route ${k}`, s)}\n`);
  for (const [k, s] of Object.entries(summary.byLang)) process.stdout.write(`${line(`lang ${k}`, s)}\n`);
  if (values.failures) {
    for (const r of results.filter((x) => !x.ok)) {
      process.stdout.write(`✗ ${r.id} [${r.lang}] ${r.text}\n    expected ${JSON.stringify(r.expected)} got ${r.route} ${r.flow ?? ''} ${r.articles.join(',')} urgent=${r.urgent} (${r.reason})\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
