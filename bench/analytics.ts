/**
 * Analytics benchmark: computeMetrics (counted in the application, the same code on SQLite and
 * PostgreSQL) over a busy month, against the database doing the two main counts itself (one SQL
 * statement: conversations per day, and how many were escalated to a ticket).
 *
 *   npm run bench:analytics -- [--conversations 40000] [--db <database url>]
 *
 * Without --db, a fresh SQLite file in a temp directory; with a PostgreSQL URL, a fresh database on
 * that server (dropped at the end). Prints wall time (best of 3) and heap growth for each.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { computeMetrics } from '../src/analytics/metrics.ts';
import { PrismaMetricsQuery } from '../src/persistence/stores/metrics.ts';
import { isPostgresUrl } from '../src/persistence/database-url.ts';
import { openDatabase, type Database } from '../src/persistence/database.ts';
import { applyMigrations, createDatabase, disposableName, dropDatabase } from '../src/persistence/migrate/index.ts';

const { values } = parseArgs({ options: { conversations: { type: 'string', default: '40000' }, db: { type: 'string' } } });
const CONVERSATIONS = Number(values.conversations);
const DAYS = 20;
const TICKETED = Math.round(CONVERSATIONS * 0.03);

async function fresh(): Promise<{ url: string; done: () => Promise<void> }> {
  if (values.db && isPostgresUrl(values.db)) {
    const server = values.db;
    const name = disposableName('bench');
    const url = await createDatabase(server, name);
    return { url, done: () => dropDatabase(server, name) };
  }
  const dir = await mkdtemp(join(tmpdir(), 'guichet-bench-'));
  return { url: `file:${join(dir, 'bench.db')}`, done: () => rm(dir, { recursive: true, force: true }) };
}

async function seed(db: Database): Promise<void> {
  const c = db.client;
  const user = await c.user.create({ data: { displayName: 'Alice Martin' } });
  const start = Date.parse('2026-11-02T08:00:00Z');
  const perDay = Math.ceil(CONVERSATIONS / DAYS);
  const conversations = Array.from({ length: CONVERSATIONS }, (_, i) => ({ id: randomUUID(), channel: 'web', externalId: `v-${i}`, userId: user.id, state: {} }));
  for (let i = 0; i < conversations.length; i += 5_000) await c.conversation.createMany({ data: conversations.slice(i, i + 5_000) });
  // Two messages a conversation: a question (with its intent) and a follow-up.
  const messages = conversations.flatMap((conv, i) => {
    const at = start + Math.floor(i / perDay) * 86_400_000 + (i % perDay) * 1_000;
    return [
      { conversationId: conv.id, direction: 'in', author: 'user', kind: 'text', text: 'le vpn ne marche pas', createdAt: new Date(at), payload: { intent: i % 2 ? 'vpn' : 'password' } },
      { conversationId: conv.id, direction: 'in', author: 'user', kind: 'text', text: 'oui', createdAt: new Date(at + 30_000) },
    ];
  });
  for (let i = 0; i < messages.length; i += 5_000) await c.message.createMany({ data: messages.slice(i, i + 5_000) });
  const tickets = conversations.slice(-TICKETED).map((conv, i) => ({
    number: 1001 + i, type: 'incident', title: `t${i}`, description: 'd', category: 'vpn', impact: 2, urgency: 2, priority: 3, requesterId: user.id, diagnosis: {},
    conversationId: conv.id, createdAt: new Date(start + (DAYS - 1) * 86_400_000),
  }));
  for (let i = 0; i < tickets.length; i += 1_000) await c.ticket.createMany({ data: tickets.slice(i, i + 1_000) });
}

/** The database's own count of the same two figures (UTC days). */
async function sqlCounts(db: Database, from: Date, to: Date): Promise<{ days: number; conversations: number; escalated: number }> {
  const pgSql = db.provider === 'postgres';
  // SQLite (Prisma's adapter) keeps instants as ISO 8601 text in UTC: its first ten characters are the day.
  const day = pgSql ? `to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : `substr("createdAt", 1, 10)`;
  const fromV = pgSql ? from : from.toISOString();
  const toV = pgSql ? to : to.toISOString();
  const [p1, p2] = pgSql ? ['$1', '$2'] : ['?', '?'];
  const perDay = (await db.client.$queryRawUnsafe(
    `SELECT ${day} AS day, COUNT(DISTINCT "conversationId") AS n FROM "Message" WHERE direction = 'in' AND "createdAt" >= ${p1} AND "createdAt" < ${p2} GROUP BY 1`,
    fromV,
    toV,
  )) as { day: string; n: bigint | number }[];
  const [totals] = (await db.client.$queryRawUnsafe(
    `WITH talked AS (SELECT DISTINCT "conversationId" AS id FROM "Message" WHERE direction = 'in' AND "createdAt" >= ${p1} AND "createdAt" < ${p2})
     SELECT (SELECT COUNT(*) FROM talked) AS conversations,
            (SELECT COUNT(DISTINCT t."conversationId") FROM "Ticket" t JOIN talked ON talked.id = t."conversationId") AS escalated`,
    fromV,
    toV,
  )) as { conversations: bigint | number; escalated: bigint | number }[];
  return { days: perDay.length, conversations: Number(totals!.conversations), escalated: Number(totals!.escalated) };
}

async function measure<T>(name: string, work: () => Promise<T>): Promise<T> {
  let best = Number.POSITIVE_INFINITY;
  let heap = 0;
  let result: T | undefined;
  for (let run = 0; run < 3; run += 1) {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    result = await work();
    best = Math.min(best, performance.now() - started);
    heap = Math.max(heap, process.memoryUsage().heapUsed - before);
  }
  console.log(`${name.padEnd(34)} ${best.toFixed(0).padStart(6)} ms   heap +${(heap / 1_048_576).toFixed(1)} MB`);
  return result!;
}

const target = await fresh();
try {
  await applyMigrations(target.url);
  const db = await openDatabase(target.url);
  try {
    const seeding = performance.now();
    await seed(db);
    console.log(`${db.provider}: ${CONVERSATIONS} conversations, ${CONVERSATIONS * 2} messages, ${TICKETED} tickets over ${DAYS} days (seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`);
    const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
    const m = await measure('Guichet computeMetrics (all figures)', () => computeMetrics(new PrismaMetricsQuery(db), period, 'UTC'));
    const sql = await measure('SQL: per-day + escalated only', () => sqlCounts(db, period.from, period.to));
    const escalated = Math.round((m.escalationRate ?? 0) * m.conversations);
    const agree = m.conversations === sql.conversations && escalated === sql.escalated && m.conversationsPerDay.filter((d) => d.count > 0).length === sql.days;
    console.log(`same counts: ${agree ? 'yes' : 'NO'} (${m.conversations} conversations, ${escalated} escalated, ${sql.days} days)`);
    if (!agree) process.exitCode = 1;
  } finally {
    await db.close();
  }
} finally {
  await target.done();
}
