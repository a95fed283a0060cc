/**
 * A fresh, migrated database per caller, for integration tests.
 *
 * DATABASE_URL=postgresql://… → a new database `guichet_test_<random>` on that server, dropped by
 * cleanup(); otherwise a SQLite file in a temp directory, deleted by cleanup(). Test files run in
 * parallel processes: every name is random, and shared templates are published atomically.
 *
 * Speed: migrating costs a wasm engine load (~0.5 s) plus the migrations, in every process. So the
 * migrations are applied once per migration set into a template, then copied:
 * - SQLite: `<tmpdir>/guichet-test-template-<hash>.db`, shared by all processes, copied per test;
 * - PostgreSQL: database `guichet_tmpl_<hash>`, and `CREATE DATABASE … TEMPLATE` per test.
 * <hash> covers the migration files, so a new migration makes a new template; old ones are small
 * and left in place (a fresh CI server has none).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { isPostgresUrl, withDatabase } from '../../src/persistence/database-url.ts';
import { openDatabase, type Database, type Provider } from '../../src/persistence/database.ts';
import { applyMigrations, createDatabase, disposableName, dropDatabase } from '../../src/persistence/migrate/index.ts';

export interface TestDatabase {
  url: string;
  db: Database;
  /** Closes `db` and deletes the database; safe to call twice. */
  cleanup(): Promise<void>;
}

const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));

/** Hash of a provider's migration files: names and contents, in order. */
async function migrationsHash(provider: Provider): Promise<string> {
  const dir = join(PRISMA_DIR, provider, 'migrations');
  const hash = createHash('sha256');
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const name of names) hash.update(`${name}\0${await readFile(join(dir, name, 'migration.sql'), 'utf8')}\0`);
  return hash.digest('hex').slice(0, 16);
}

const templates = new Map<string, Promise<string>>();

/** Path of the migrated SQLite template, created on first use (write to a temp name, then rename). */
function sqliteTemplate(): Promise<string> {
  const cached = templates.get('sqlite');
  if (cached) return cached;
  const making = (async () => {
    const path = join(tmpdir(), `guichet-test-template-${await migrationsHash('sqlite')}.db`);
    if (existsSync(path)) return path;
    const staging = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      await applyMigrations(`file:${staging}`);
      await rename(staging, path); // atomic: a concurrent process sees no file or a whole one
    } finally {
      await rm(staging, { force: true });
    }
    return path;
  })();
  making.catch(() => templates.delete('sqlite')); // a failure is retried by the next caller
  templates.set('sqlite', making);
  return making;
}

async function createSqlite(): Promise<TestDatabase> {
  const template = await sqliteTemplate();
  const dir = await mkdtemp(join(tmpdir(), 'guichet-test-'));
  const path = join(dir, 'guichet.db');
  await copyFile(template, path);
  const url = `file:${path}`;
  const db = await openDatabase(url);
  let done: Promise<void> | undefined;
  const cleanup = (): Promise<void> => (done ??= db.close().finally(() => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })));
  return { url, db, cleanup };
}

/** PostgreSQL's "duplicate_database": another process published the template first. */
const DUPLICATE_DATABASE = '42P04';

/** Name of the migrated template database on `server`, created on first use. */
function postgresTemplate(server: string): Promise<string> {
  const cached = templates.get(server);
  if (cached) return cached;
  const making = (async () => {
    const name = `guichet_tmpl_${await migrationsHash('postgres')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return name;
      // Migrate a staging database, then rename it: no process can copy a half-migrated template.
      const staging = disposableName('staging');
      try {
        await applyMigrations(await createDatabase(server, staging));
        await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(staging)} RENAME TO ${pg.escapeIdentifier(name)}`);
      } catch (error) {
        await dropDatabase(server, staging);
        if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
      }
      return name;
    } finally {
      await admin.end();
    }
  })();
  making.catch(() => templates.delete(server));
  templates.set(server, making);
  return making;
}

async function createPostgres(server: string): Promise<TestDatabase> {
  const template = await postgresTemplate(server);
  const name = disposableName('test');
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(server, name);
  const db = await openDatabase(url).catch(async (error: unknown) => {
    await dropDatabase(server, name);
    throw error;
  });
  let done: Promise<void> | undefined;
  const cleanup = (): Promise<void> => (done ??= db.close().finally(() => dropDatabase(server, name)));
  return { url, db, cleanup };
}

/**
 * A migrated, empty database for one test file (or one test): PostgreSQL when DATABASE_URL is a
 * postgresql:// URL (used only to reach the server), SQLite otherwise. Call cleanup() in afterAll.
 */
export function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.DATABASE_URL;
  return isPostgresUrl(server) ? createPostgres(server) : createSqlite();
}
