/**
 * What the SLA clock's database tests share: a test database (SQLite, or PostgreSQL with
 * DATABASE_URL) holding the shipped desk configuration, and the other instance's connection — a
 * second pool on PostgreSQL (another process, as in production); on SQLite, which serves one
 * process, the same connection, as two ticks of one process would share it.
 */
import { openDatabase, type Database } from '../../src/persistence/database.ts';
import { syncDeskConfig } from '../../src/persistence/stores/desk-config.ts';
import { loadDeskConfig, type DeskConfig } from '../../src/ticketing/config.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const MONDAY_10H_PARIS = new Date('2026-11-23T09:00:00Z');
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface SlaDatabases {
  testDb: TestDatabase;
  second: Database;
  config: DeskConfig;
}

export async function openSlaDatabases(): Promise<SlaDatabases> {
  const testDb = await createTestDatabase();
  const second = testDb.db.provider === 'postgres' ? await openDatabase(testDb.url) : testDb.db;
  const config = loadDeskConfig('config');
  await syncDeskConfig(testDb.db, config);
  return { testDb, second, config };
}

export async function closeSlaDatabases(dbs: Partial<SlaDatabases>): Promise<void> {
  if (dbs.second && dbs.second !== dbs.testDb?.db) await dbs.second.close();
  await dbs.testDb?.cleanup();
}

/** "number dedupeKey" of every event of `kind`, sorted. */
export async function eventKeys(db: Database, kind: string): Promise<string[]> {
  const events = await db.client.ticketEvent.findMany({ where: { kind }, select: { ticket: { select: { number: true } }, dedupeKey: true } });
  return events.map((e) => `${e.ticket.number} ${e.dedupeKey}`).sort();
}
