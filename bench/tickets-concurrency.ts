/**
 * Ticket creation throughput through the real desk: 1 and 8 concurrent callers creating tickets
 * (each with its own origin) for N seconds, on SQLite and (with --pg URL, or DATABASE_URL a
 * postgresql:// URL) PostgreSQL. On PostgreSQL numbers come from a sequence (no counter row every
 * creation queues behind), so 8 callers must make more tickets per second than 1.
 *
 *   npm run bench:tickets -- [--seconds 5] [--pg <postgresql url>]
 */
import './quiet-env.ts';
import { parseArgs } from 'node:util';
import type { Notifier } from '../src/core/ports.ts';
import { isPostgresUrl } from '../src/persistence/database-url.ts';
import { freshDatabase } from './lib/fresh-database.ts';
import { openDatabase, type Database } from '../src/persistence/database.ts';
import { applyMigrations } from '../src/persistence/migrate/index.ts';
import { PrismaIncidentStore } from '../src/persistence/stores/incidents.ts';
import { PrismaTicketRepository } from '../src/persistence/stores/tickets-repository.ts';
import { loadDeskConfig } from '../src/ticketing/config.ts';
import { TicketDeskService } from '../src/ticketing/desk/ticket-desk.ts';
import { syncDeskConfig } from '../src/persistence/stores/desk-config.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, pg: { type: 'string' } } });
const SECONDS = Number(values.seconds);
const PG = values.pg ?? (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined);
const config = loadDeskConfig('config');
const notifier: Notifier = { notify: async () => ({ delivered: [] }) };

/** Tickets per second made by `callers` concurrent loops of desk.create for SECONDS seconds. */
async function throughput(db: Database, callers: number, requesterId: string): Promise<number> {
  const desk = new TicketDeskService({ defaultLang: 'fr', repository: new PrismaTicketRepository(db), incidents: new PrismaIncidentStore(db), clock: { now: () => new Date() }, notifier, config });
  const end = performance.now() + SECONDS * 1000;
  let made = 0;
  const caller = async (c: number) => {
    for (let i = 0; performance.now() < end; i += 1) {
      await desk.create({ type: 'incident', title: `Imprimante ${c}-${i} en panne`, description: 'Elle ne répond plus', category: 'printing', impact: 3, urgency: 3, requesterId, origin: `bench:${callers}:${c}:${i}`, createdBy: { id: requesterId, kind: 'user' } });
      made += 1;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: callers }, (_, c) => caller(c)));
  return made / ((performance.now() - start) / 1000);
}

for (const server of [undefined, ...(PG ? [PG] : [])]) {
  const target = await freshDatabase(server);
  await applyMigrations(target.url);
  const db = await openDatabase(target.url);
  try {
    await syncDeskConfig(db, config);
    const requesterId = (await db.client.user.findFirstOrThrow({ select: { id: true } })).id;
    const rates = [];
    for (const callers of [1, 8]) rates.push(await throughput(db, callers, requesterId));
    const numbers = await db.client.ticket.findMany({ select: { number: true } });
    const unique = new Set(numbers.map((t) => t.number)).size === numbers.length;
    console.log(`${db.provider.padEnd(9)} 1 caller ${rates[0]!.toFixed(0).padStart(5)} tickets/s   8 callers ${rates[1]!.toFixed(0).padStart(5)} tickets/s   (${numbers.length} tickets, numbers unique: ${unique ? 'yes' : 'NO'})`);
  } finally {
    await db.close();
    await target.done();
  }
}
process.exit(0);
