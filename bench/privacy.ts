/**
 * How long exporting and erasing one person takes on a database that already holds other people's work:
 * the erasure reads every ticket event, audit entry, stored reply and GLPI call to replace the person's
 * name wherever it is mentioned. SQLite by default; PostgreSQL with --pg URL (or DATABASE_URL).
 *
 *   npm run bench:privacy -- [--rows 20000] [--pg <postgresql url>]
 */
import './quiet-env.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isPostgresUrl } from '../src/persistence/database-url.ts';
import { openDatabase, type Database } from '../src/persistence/database.ts';
import { applyMigrations, createDatabase, disposableName, dropDatabase } from '../src/persistence/migrate/index.ts';
import { PrismaPrivacyStore } from '../src/persistence/stores/privacy.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '20000' }, pg: { type: 'string' } } });
const ROWS = Number(values.rows);
const PG = values.pg ?? (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined);
const actor = { id: null, kind: 'system' as const, via: 'cli' as const };

async function seed(db: Database): Promise<string> {
  const c = db.client;
  const person = await c.user.create({ data: { displayName: 'Bench Person', email: 'bench.person@example.org', identities: { create: { platform: 'slack', externalId: 'U0BENCH1' } } } });
  const other = await c.user.create({ data: { displayName: 'Other Person', email: 'other@example.org' } });
  await c.supportGroup.create({ data: { id: 'g', name: 'G', level: 1 } });
  // The person: 20 conversations of 50 lines, 10 tickets.
  for (let k = 0; k < 20; k += 1) {
    const conv = await c.conversation.create({ data: { channel: 'slack', externalId: `D${k}`, userId: person.id, state: {} } });
    await c.message.createMany({ data: Array.from({ length: 50 }, (_, i) => ({ conversationId: conv.id, userId: person.id, direction: 'in', author: 'user', kind: 'text', text: `line ${i}`, deliveryId: `Ev${k}-${i}` })) });
  }
  // Everybody else's work: ROWS ticket events, ROWS audit entries, ROWS stored replies, ROWS/10 tickets.
  const tickets = Math.max(1, Math.floor(ROWS / 10));
  for (let start = 0; start < tickets; start += 1000) {
    await c.ticket.createMany({
      data: Array.from({ length: Math.min(1000, tickets - start) }, (_, i) => ({ number: start + i + 1, type: 'incident', title: `T${start + i}`, description: 'd', category: 'c', impact: 3, urgency: 3, priority: 5, requesterId: start + i < 10 ? person.id : other.id, diagnosis: {} })),
    });
  }
  const ids = (await c.ticket.findMany({ select: { id: true } })).map((t) => t.id);
  for (let start = 0; start < ROWS; start += 1000) {
    const n = Math.min(1000, ROWS - start);
    await c.ticketEvent.createMany({ data: Array.from({ length: n }, (_, i) => ({ ticketId: ids[(start + i) % ids.length]!, kind: 'comment', actorKind: 'agent', data: { text: (start + i) % 500 === 0 ? 'call Bench Person back' : 'done' } })) });
    await c.auditLog.createMany({ data: Array.from({ length: n }, (_, i) => ({ actorKind: 'system', action: 'x', entity: 'ticket', entityId: String(start + i), after: { n: start + i } })) });
    await c.processedDelivery.createMany({ data: Array.from({ length: n }, (_, i) => ({ channel: 'teams', deliveryId: `A${start + i}`, replies: [{ type: 'text', text: 'ok' }] })) });
  }
  return person.id;
}

async function measure(label: string, url: string): Promise<void> {
  const db = await openDatabase(url);
  try {
    const id = await seed(db);
    const store = new PrismaPrivacyStore(db);
    let t = performance.now();
    const data = await store.exportData(id, actor, new Date());
    const exportMs = performance.now() - t;
    t = performance.now();
    const report = await store.erase(id, actor, 'former user #bench', new Date());
    const eraseMs = performance.now() - t;
    console.log(
      `${label}: ${ROWS} rows each of ticket events, audit, stored replies: export ${exportMs.toFixed(0)} ms (${data.conversations.length} conversations), ` +
        `erase ${eraseMs.toFixed(0)} ms (${report.messagesDeleted} messages deleted, ${report.mentionsScrubbed} mentions replaced)`,
    );
  } finally {
    await db.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'guichet-bench-privacy-'));
try {
  const file = `file:${join(dir, 'bench.db')}`;
  await applyMigrations(file);
  await measure('sqlite', file);
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (PG) {
  const name = disposableName('bench_privacy');
  const url = await createDatabase(PG, name);
  try {
    await applyMigrations(url);
    await measure('postgres', url);
  } finally {
    await dropDatabase(PG, name);
  }
}
