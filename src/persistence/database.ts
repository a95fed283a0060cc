/**
 * Opening Guichet's database: a Prisma client on SQLite (the embedded default) or PostgreSQL,
 * chosen by the URL, optionally migrated first. The only module that builds a PrismaClient.
 */
import { createHash } from 'node:crypto';
import type { SqlDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import { GuichetError, isGuichetError } from '../core/errors.ts';
import type { PrismaClient } from './generated/sqlite/client.ts';
import { providerOf, redactUrl, sqlitePath, type Provider } from './database-url.ts';
import { providerDir, readMigrationList } from './migrate/migrations-dir.ts';
import { isDirectUniqueViolation, postgresDirect, sqliteDirect, type DirectSql } from './direct-sql.ts';

export { providerOf, type Provider } from './database-url.ts';
export type { PrismaClient };

export interface Database {
  provider: Provider;
  /**
   * The client generated from prisma/sqlite. On PostgreSQL it is the client generated from
   * prisma/postgres, typed as this one: both schemas hold the same models (the schema test checks).
   */
  client: PrismaClient;
  /** Statements straight to the driver, outside Prisma, for the chat turn's hot path (direct-sql.ts). */
  direct: DirectSql;
  /** Disconnects (ends the PostgreSQL pool, closes the SQLite file); idempotent. */
  close(): Promise<void>;
  /** Resolves when the database answers a query; rejects once closed (Prisma would silently reconnect) or when unreachable. */
  ping(): Promise<void>;
  /**
   * Calls `listener` with the SQL of every statement sent from now on (BEGIN and COMMIT included),
   * until the returned function is called: how tests and benchmarks count a turn's statements.
   */
  observeStatements(listener: StatementListener): () => void;
}

export type StatementListener = (sql: string) => void;

export interface OpenOptions {
  /** Apply pending migrations before connecting (default false). */
  migrate?: boolean;
}

/**
 * The client of `provider`, its driver loaded only then: a server on SQLite never loads pg and the
 * PostgreSQL client, one on PostgreSQL never opens better-sqlite3 (resident memory, start time).
 */
async function createClient(url: string, provider: Provider, listeners: Set<StatementListener>): Promise<{ client: PrismaClient; direct: DirectSql }> {
  const tell = (sql: string) => {
    if (listeners.size > 0) for (const listener of listeners) listener(sql);
  };
  if (provider === 'sqlite') {
    const [{ PrismaClient: SqliteClient }, { sqliteAdapterFactory }] = await Promise.all([import('./generated/sqlite/client.ts'), import('./sqlite-connection.ts')]);
    const factory = sqliteAdapterFactory(sqlitePath(url));
    const direct = sqliteDirect(() => factory.connection().db, () => factory.connection().lock(), tell);
    return { client: new SqliteClient({ adapter: observed(factory, tell) }), direct };
  }
  const [{ PrismaClient: PostgresClient }, { PrismaPg }, { default: pg }] = await Promise.all([import('./generated/postgres/client.ts'), import('@prisma/adapter-pg'), import('pg')]);
  // One pool for Prisma and the direct statements; Prisma's $disconnect ends it.
  const pool = new pg.Pool({ connectionString: url });
  // Same models, same query API; only the generated SQL dialect differs.
  const client = new PostgresClient({ adapter: observed(new PrismaPg(pool, { disposeExternalPool: true }), tell) }) as unknown as PrismaClient;
  return { client, direct: postgresDirect(pool, pg.types, tell) };
}

/**
 * The factory's connections, telling `listeners` each statement. Both adapters run BEGIN inside
 * startTransaction (told as one statement) and let Prisma send COMMIT / ROLLBACK as statements of the
 * transaction (usePhantomQuery false). With no listener this costs one size check per statement.
 */
function observed(factory: SqlDriverAdapterFactory, tell: (sql: string) => void): SqlDriverAdapterFactory {
  const watch = <Q extends { queryRaw: (q: SqlQuery) => Promise<unknown>; executeRaw: (q: SqlQuery) => Promise<unknown> }>(target: Q): Q => {
    const queryRaw = target.queryRaw.bind(target);
    const executeRaw = target.executeRaw.bind(target);
    target.queryRaw = (q) => (tell(q.sql), queryRaw(q));
    target.executeRaw = (q) => (tell(q.sql), executeRaw(q));
    return target;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = watch(await factory.connect());
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => {
        tell('BEGIN');
        return watch(await startTransaction(isolationLevel));
      };
      return adapter;
    },
  };
}

/**
 * True when every migration of the provider's folder is recorded as applied, unchanged (same
 * checksum), with no failed or unfinished one: the usual start, which then needs no schema engine
 * (its wasm costs some 50 MB of resident memory that the process never gives back). Anything else
 * (no migrations table, a pending, edited or failed migration) goes through the engine as before.
 */
async function migrationsUpToDate(client: PrismaClient, provider: Provider): Promise<boolean> {
  // Asked first rather than learnt from a failed query: a Prisma error's stack trace makes Node parse the source map
  // of Prisma's runtime (--enable-source-maps), some 10 MB of JS heap kept for the life of the process.
  const present: unknown[] = await client.$queryRawUnsafe(
    provider === 'sqlite'
      ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'"
      : "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_prisma_migrations'",
  );
  if (present.length === 0) return false;
  const rows: { migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown }[] = await client.$queryRawUnsafe(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations',
  );
  if (rows.some((r) => r.finished_at === null && r.rolled_back_at === null)) return false;
  const applied = new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r.checksum]));
  const list = await readMigrationList(providerDir(provider));
  return list.migrationDirectories.every((m) => {
    const content = m.migrationFile.content;
    return content.tag === 'ok' && applied.get(m.path) === createHash('sha256').update(content.value).digest('hex');
  });
}

async function migrate(url: string): Promise<void> {
  try {
    const { applyMigrationsInWorker } = await import('./migrate/apply-in-worker.ts');
    await applyMigrationsInWorker(url);
  } catch (error) {
    const message = isGuichetError(error) ? error.message : String(error);
    throw new GuichetError('database.migration-failed', `database: cannot open ${redactUrl(url)}: ${message}`, { cause: error });
  }
}

/**
 * Opens `url`: `file:./data/guichet.db` or a plain path (SQLite; parent directories created), or
 * `postgresql://…` / `postgres://…`. With `migrate`, pending migrations are applied first; a
 * failure is GuichetError `database.migration-failed`, naming the migration and the database error.
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const provider = providerOf(url);
  const listeners = new Set<StatementListener>();
  let { client, direct } = await connect(url, provider, listeners);
  // The usual start finds every migration applied and needs no engine; otherwise our connection is closed while
  // the engine migrates (on SQLite it wants the file to itself), then opened again.
  if (options.migrate && !(await migrationsUpToDate(client, provider).catch(() => false))) {
    await client.$disconnect().catch(() => undefined);
    await migrate(url);
    ({ client, direct } = await connect(url, provider, listeners));
  }
  let closing: Promise<void> | undefined;
  return {
    provider,
    client,
    direct,
    close: () => (closing ??= client.$disconnect()),
    ping: async () => {
      if (closing) throw new GuichetError('database.closed', `database: ${redactUrl(url)} is closed`);
      await client.$queryRawUnsafe('SELECT 1');
    },
    observeStatements: (listener) => {
      const own = (sql: string) => listener(sql); // a distinct entry even when one listener is added twice
      listeners.add(own);
      return () => void listeners.delete(own);
    },
  };
}

/** A client that has answered a query; GuichetError `database.connect-failed` otherwise. */
async function connect(url: string, provider: Provider, listeners: Set<StatementListener>): Promise<{ client: PrismaClient; direct: DirectSql }> {
  const { client, direct } = await createClient(url, provider, listeners);
  try {
    // $connect alone does not reach PostgreSQL (the pool connects lazily): ask for a row.
    await client.$queryRawUnsafe('SELECT 1');
    return { client, direct };
  } catch (error) {
    await client.$disconnect().catch(() => undefined); // the connect error is the one to report
    throw new GuichetError('database.connect-failed', `database: cannot connect to ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * True when `error` is a unique-constraint violation, from either adapter: P2002 from a model query
 * (also inside a transaction), or P2010 from a raw query whose driver error is a
 * UniqueConstraintViolation. Callers turn it into an expected outcome ("duplicate delivery"), so
 * the check is by shape, not class identity; a direct statement's driver error (direct-sql.ts) counts too: the two generated clients may load their runtime
 * separately.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isDirectUniqueViolation(error)) return true;
  const { code, name, meta } = error as { code?: unknown; name?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (name !== 'PrismaClientKnownRequestError') return false;
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}
