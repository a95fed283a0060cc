/**
 * Migrations through the wasm schema engine, and openDatabase, on BOTH providers whatever
 * DATABASE_URL says: an empty SQLite file, and an empty database on the PostgreSQL server of
 * DATABASE_URL (or postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isGuichetError } from '../../src/core/errors.ts';
import { isPostgresUrl } from '../../src/persistence/database-url.ts';
import { isUniqueViolation, openDatabase, type Provider } from '../../src/persistence/database.ts';
import {
  applyMigrations,
  createDatabase,
  disposableName,
  dropDatabase,
  migrationStatus,
} from '../../src/persistence/migrate/index.ts';

const PG_SERVER = isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : 'postgresql://postgres@127.0.0.1:5432/postgres';
const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));

const cleanups: Array<() => Promise<void>> = [];
/** Runs and forgets the cleanups, in order: close clients before dropping their database. */
async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
}
afterEach(runCleanups);
afterAll(runCleanups);

/** A database URL naming an empty database (nothing created in it yet). */
async function emptyDatabase(provider: Provider): Promise<string> {
  if (provider === 'postgres') {
    const name = disposableName('test');
    const url = await createDatabase(PG_SERVER, name);
    cleanups.push(() => dropDatabase(PG_SERVER, name));
    return url;
  }
  const dir = await mkdtemp(join(tmpdir(), 'guichet-migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return `file:${join(dir, 'nested', 'guichet.db')}`; // a missing parent directory is created
}

async function localMigrations(provider: Provider): Promise<string[]> {
  const entries = await readdir(join(PRISMA_DIR, provider, 'migrations'), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** A copy of prisma/<provider> with one more migration whose second statement fails. */
async function withBrokenMigration(provider: Provider): Promise<{ dir: string; name: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'guichet-broken-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(join(PRISMA_DIR, provider), dir, { recursive: true });
  const name = '29991231000000_broken';
  await mkdir(join(dir, 'migrations', name));
  await writeFile(join(dir, 'migrations', name, 'migration.sql'), 'CREATE TABLE "Partial" ("a" INTEGER);\nINSERT INTO "Nope" VALUES (1);\n');
  return { dir, name };
}

/** Whether table `name` exists, asked without Prisma. */
async function tableExists(provider: Provider, url: string, name: string): Promise<boolean> {
  if (provider === 'sqlite') {
    const db = new Sqlite(url.replace(/^file:/, ''), { readonly: true });
    try {
      return db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get('table', name) !== undefined;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_tables WHERE tablename = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe.each<Provider>(['sqlite', 'postgres'])('migrations on %s', (provider) => {
  it('applies every migration to an empty database, then reports it up to date', async () => {
    const url = await emptyDatabase(provider);
    const expected = await localMigrations(provider);
    expect(await migrationStatus(url)).toMatchObject({ provider, pending: expected, upToDate: false });

    expect(await applyMigrations(url)).toEqual(expected);

    expect(await migrationStatus(url)).toEqual({ provider, local: expected, pending: [], unknown: [], failed: [], edited: [], upToDate: true });
    expect(await tableExists(provider, url, 'Ticket')).toBe(true);
  });

  it('re-applying is a no-op and keeps the data', async () => {
    const url = await emptyDatabase(provider);
    const first = await openDatabase(url, { migrate: true });
    await first.client.user.create({ data: { id: 'u-1', displayName: 'Alice Martin' } });
    await first.close();

    expect(await applyMigrations(url)).toEqual([]);
    const second = await openDatabase(url, { migrate: true });
    cleanups.unshift(() => second.close());
    expect(await second.client.user.findUnique({ where: { id: 'u-1' } })).toMatchObject({ displayName: 'Alice Martin' });
  });

  it('names the failing migration and the database error', async () => {
    const url = await emptyDatabase(provider);
    const { dir, name } = await withBrokenMigration(provider);

    const error = await applyMigrations(url, { dir }).catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('migrate.failed');
    expect((error as Error).message).toMatch(new RegExp(`^migrate: migration "${name}" failed on .*: .*Nope`));
    expect(await migrationStatus(url, { dir })).toMatchObject({ failed: [name], upToDate: false });
    // PostgreSQL runs a migration as one implicit transaction; SQLite, like Prisma's native engine,
    // keeps what ran before the error (its table rebuilds need PRAGMA foreign_keys outside one).
    expect(await tableExists(provider, url, 'Partial')).toBe(provider === 'sqlite');
  });

  it('openDatabase({migrate: true}) fails with database.migration-failed naming the migration', async () => {
    const url = await emptyDatabase(provider);
    const [init] = await localMigrations(provider);
    // Forget the history of a migrated database: its first migration runs again and must fail.
    const db = await openDatabase(url, { migrate: true });
    await db.client.$executeRawUnsafe('DELETE FROM "_prisma_migrations"');
    await db.close();

    const error = await openDatabase(url, { migrate: true }).catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('database.migration-failed');
    expect((error as Error).message).toMatch(new RegExp(`^database: cannot open .*: migrate: migration "${init}" failed on .*User.*exists`));
  });

  it('refuses to migrate a non-empty database that Prisma never migrated', async () => {
    const url = await emptyDatabase(provider);
    const db = await openDatabase(url);
    await db.client.$executeRawUnsafe('CREATE TABLE "Legacy" ("id" TEXT)');
    await db.close();

    const error = await applyMigrations(url).catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('migrate.failed');
    expect((error as Error).message).toMatch(/^migrate: cannot apply migrations to .*: The database schema is not empty/);
  });
});

describe.each<Provider>(['sqlite', 'postgres'])('openDatabase on %s', (provider) => {
  async function migrated() {
    const db = await openDatabase(await emptyDatabase(provider), { migrate: true });
    cleanups.unshift(() => db.close());
    return db;
  }

  it('round-trips a User and the Json state of their conversation', async () => {
    const db = await migrated();
    expect(db.provider).toBe(provider);
    const state = { flow: { flowId: 'vpn', flowVersion: 3, nodeId: 'ask-os', slots: { os: 'Windows 11', tried: ['reboot'], ok: null } }, note: 'é ✓ "quoted"' };
    const created = await db.client.user.create({
      data: { displayName: 'Zoé Dupont', locale: 'fr', vip: true, conversations: { create: { channel: 'web', externalId: 'c-1', state } } },
      include: { conversations: true },
    });
    const read = await db.client.user.findUniqueOrThrow({ where: { id: created.id }, include: { conversations: true } });
    expect(read).toMatchObject({ displayName: 'Zoé Dupont', locale: 'fr', vip: true, role: 'employee' });
    expect(read.createdAt).toBeInstanceOf(Date);
    expect(read.conversations[0]?.state).toEqual(state);
  });

  it('isUniqueViolation recognises duplicates from a model query, a transaction and raw SQL', async () => {
    const db = await migrated();
    const user = await db.client.user.create({ data: { displayName: 'Bob' } });
    const identity = { userId: user.id, platform: 'slack', tenantId: 'T1', externalId: 'U1' };
    await db.client.identity.create({ data: identity });

    const direct = await db.client.identity.create({ data: identity }).catch((e: unknown) => e);
    const inTransaction = await db.client
      .$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { displayName: 'Bob B.' } });
        await tx.identity.create({ data: identity });
      })
      .catch((e: unknown) => e);
    const raw = await db.client.$executeRaw`INSERT INTO "Identity" ("id", "userId", "platform", "tenantId", "externalId")
      VALUES ('i-2', ${user.id}, 'slack', 'T1', 'U1')`.catch((e: unknown) => e);
    expect(isUniqueViolation(direct)).toBe(true);
    expect(isUniqueViolation(inTransaction)).toBe(true);
    expect(isUniqueViolation(raw)).toBe(true);
    expect((await db.client.user.findUniqueOrThrow({ where: { id: user.id } })).displayName).toBe('Bob'); // rolled back

    const notFound = await db.client.user.update({ where: { id: 'missing' }, data: { vip: true } }).catch((e: unknown) => e);
    expect(isUniqueViolation(notFound)).toBe(false);
    expect(isUniqueViolation(new Error('P2002'))).toBe(false);
  });
});

describe('openDatabase on sqlite: connection settings', () => {
  it('uses WAL, and a transaction holds the write lock from its start and isolates other queries', async () => {
    const url = await emptyDatabase('sqlite');
    const db = await openDatabase(url, { migrate: true });
    cleanups.unshift(() => db.close());
    expect(await db.client.$queryRawUnsafe('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);

    const other = new Sqlite(url.replace(/^file:/, ''), { timeout: 0 });
    cleanups.unshift(async () => void other.close());
    let outsideSaw: number | undefined;
    await db.client.$transaction(async (tx) => {
      await tx.user.count(); // a read only: BEGIN IMMEDIATE already holds the write lock
      expect(() => other.prepare('BEGIN IMMEDIATE').run()).toThrow(/locked|busy/i);
      await tx.user.create({ data: { displayName: 'In flight' } });
      // A query outside the transaction, in the same process, waits for it instead of running inside it.
      void db.client.user.count().then((n) => (outsideSaw = n));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(outsideSaw).toBeUndefined();
    });
    await expect.poll(() => outsideSaw).toBe(1);
  });
});

describe('openDatabase on postgres: tables', () => {
  it('keeps the abuse limits in an unlogged table (no WAL flush per request), and only them', async () => {
    const db = await openDatabase(await emptyDatabase('postgres'), { migrate: true });
    cleanups.unshift(() => db.close());
    const unlogged = await db.client.$queryRawUnsafe<{ relname: string }[]>(
      `SELECT relname FROM pg_class WHERE relpersistence = 'u' AND relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY relname`,
    );
    expect(unlogged.map((r) => r.relname)).toEqual(['RateLimit']);
  });
});
