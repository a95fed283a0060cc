/**
 * Opening Guichet's database: a Prisma client on SQLite (the embedded default) or PostgreSQL,
 * chosen by the URL, optionally migrated first. The only module that builds a PrismaClient.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { GuichetError, isGuichetError } from '../core/errors.ts';
import { PrismaClient as PostgresClient } from './generated/postgres/client.ts';
import { PrismaClient } from './generated/sqlite/client.ts';
import { providerOf, redactUrl, sqlitePath, type Provider } from './database-url.ts';
import { applyMigrations } from './migrate/apply.ts';
import { sqliteAdapterFactory } from './sqlite-connection.ts';

export { providerOf, type Provider } from './database-url.ts';
export type { PrismaClient };

export interface Database {
  provider: Provider;
  /**
   * The client generated from prisma/sqlite. On PostgreSQL it is the client generated from
   * prisma/postgres, typed as this one: both schemas hold the same models (the schema test checks).
   */
  client: PrismaClient;
  /** Disconnects (ends the PostgreSQL pool, closes the SQLite file); idempotent. */
  close(): Promise<void>;
  /** Resolves when the database answers a query; rejects once closed (Prisma would silently reconnect) or when unreachable. */
  ping(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations before connecting (default false). */
  migrate?: boolean;
}

function createClient(url: string, provider: Provider): PrismaClient {
  if (provider === 'sqlite') return new PrismaClient({ adapter: sqliteAdapterFactory(sqlitePath(url)) });
  // Same models, same query API; only the generated SQL dialect differs.
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as PrismaClient;
}

/**
 * Opens `url`: `file:./data/guichet.db` or a plain path (SQLite; parent directories created), or
 * `postgresql://…` / `postgres://…`. With `migrate`, pending migrations are applied first; a
 * failure is GuichetError `database.migration-failed`, naming the migration and the database error.
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const provider = providerOf(url);
  if (options.migrate) {
    try {
      await applyMigrations(url);
    } catch (error) {
      const message = isGuichetError(error) ? error.message : String(error);
      throw new GuichetError('database.migration-failed', `database: cannot open ${redactUrl(url)}: ${message}`, { cause: error });
    }
  }
  const client = createClient(url, provider);
  try {
    // $connect alone does not reach PostgreSQL (the pool connects lazily): ask for a row.
    await client.$queryRawUnsafe('SELECT 1');
  } catch (error) {
    await client.$disconnect().catch(() => undefined); // the connect error is the one to report
    throw new GuichetError('database.connect-failed', `database: cannot connect to ${redactUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let closing: Promise<void> | undefined;
  return {
    provider,
    client,
    close: () => (closing ??= client.$disconnect()),
    ping: async () => {
      if (closing) throw new GuichetError('database.closed', `database: ${redactUrl(url)} is closed`);
      await client.$queryRawUnsafe('SELECT 1');
    },
  };
}

/**
 * True when `error` is a unique-constraint violation, from either adapter: P2002 from a model query
 * (also inside a transaction), or P2010 from a raw query whose driver error is a
 * UniqueConstraintViolation. Callers turn it into an expected outcome ("duplicate delivery"), so
 * the check is by shape, not class identity: the two generated clients may load their runtime
 * separately.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, meta } = error as { code?: unknown; name?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (name !== 'PrismaClientKnownRequestError') return false;
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}
