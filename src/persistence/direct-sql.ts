/**
 * Statements sent straight to the driver, outside Prisma, for the few queries every chat turn runs.
 *
 * Why: Prisma's query interpreter costs about a millisecond of CPU per statement on SQLite (a model
 * query 1.3-1.6 ms, a raw one 0.4-0.6 ms, an interactive transaction of two raw statements 2.7 ms,
 * measured on the shared 2-core machine), while better-sqlite3 runs a prepared statement in some
 * 20 µs. A turn ran 32 statements through Prisma (74 when it opened a ticket): most of its latency.
 *
 * On SQLite the statements run on the Prisma adapter's own better-sqlite3 connection, under the lock
 * that every Prisma statement takes (sqlite-connection.ts), so they never interleave with a Prisma
 * transaction; a `transaction` runs BEGIN IMMEDIATE … COMMIT synchronously under that lock. Prepared
 * statements are cached by SQL text. On PostgreSQL they run on the pool Prisma's adapter uses.
 *
 * Values are written as Prisma writes them: on SQLite a date is ISO text with "+00:00", a boolean
 * 0/1, JSON text; on PostgreSQL the SQL casts what needs casting. Dates come back as ISO text on
 * SQLite and as Date on PostgreSQL (timestamps parsed as UTC, never through pg's local-time
 * parser); raw-sql.ts `readDate` reads both.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { yieldToLoop } from '../core/event-loop.ts';
import type { Provider } from './database-url.ts';

export type Row = Record<string, unknown>;

/** Statements of one unit: `all` returns rows, `run` the number of rows changed. */
export interface DirectStatements {
  all(sql: string, args?: readonly unknown[]): Promise<Row[]>;
  run(sql: string, args?: readonly unknown[]): Promise<number>;
}

export interface DirectSql extends DirectStatements {
  provider: Provider;
  /** `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: DirectStatements) => Promise<T>): Promise<T>;
}

type Tell = (sql: string) => void;

/** Prepared statements kept per SQLite connection. */
const MAX_CACHED_STATEMENTS = 200;

/** A SQLite value as Prisma's adapter writes it. */
function sqliteArg(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value === undefined ? null : value;
}

/** The SQLite side: `connection()` is the adapter's current better-sqlite3 connection, `lock()` its statement lock. */
export function sqliteDirect(connection: () => BetterSqlite3.Database, lock: () => Promise<() => void>, tell: Tell): DirectSql {
  const cache = new Map<string, BetterSqlite3.Statement>();
  let cachedFor: BetterSqlite3.Database | undefined;
  const prepare = (sql: string): BetterSqlite3.Statement => {
    const db = connection();
    if (db !== cachedFor) {
      cache.clear(); // a new connection (after a reconnect): statements belong to their connection
      cachedFor = db;
    }
    let statement = cache.get(sql);
    if (!statement) {
      // The turn's statements are a few dozen texts; the bound only guards against a caller building unbounded variants.
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  const statements: DirectStatements & { allSync(sql: string, args: readonly unknown[]): Row[]; runSync(sql: string, args: readonly unknown[]): number } = {
    allSync: (sql, args) => (tell(sql), prepare(sql).all(...args.map(sqliteArg)) as Row[]),
    runSync: (sql, args) => (tell(sql), prepare(sql).run(...args.map(sqliteArg)).changes),
    all: async (sql, args = []) => statements.allSync(sql, args),
    run: async (sql, args = []) => statements.runSync(sql, args),
  };
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    await yieldToLoop(); // as every Prisma statement: waiting requests are read between two statements
    const release = await lock();
    try {
      return await work();
    } finally {
      release();
    }
  };
  return {
    provider: 'sqlite',
    all: (sql, args = []) => exclusive(async () => statements.allSync(sql, args)),
    run: (sql, args = []) => exclusive(async () => statements.runSync(sql, args)),
    transaction: (work) =>
      exclusive(async () => {
        statements.runSync('BEGIN IMMEDIATE', []);
        try {
          const result = await work(statements);
          statements.runSync('COMMIT', []);
          return result;
        } catch (error) {
          if (connection().inTransaction) statements.runSync('ROLLBACK', []);
          throw error;
        }
      }),
  };
}

const TIMESTAMP_OID = 1114;

/** The PostgreSQL side, on `pool`; `types` is pg's (passed in, so that a server on SQLite never loads pg). */
export function postgresDirect(pool: pg.Pool, types: typeof pg.types, tell: Tell): DirectSql {
  // "timestamp without time zone" holds UTC, as Prisma writes it; pg's default parser would read local time.
  const utcTimestamps = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
  };
  // A Date is sent as UTC ISO text, which a timestamp(3) cast reads as UTC (pg would send local time).
  const values = (args: readonly unknown[]) => args.map((a) => (a instanceof Date ? a.toISOString() : a === undefined ? null : a));
  const on = (client: pg.Pool | pg.PoolClient): DirectStatements => ({
    all: async (sql, args = []) => (tell(sql), (await client.query({ text: sql, values: values(args), types: utcTimestamps })).rows as Row[]),
    run: async (sql, args = []) => (tell(sql), (await client.query(sql, values(args))).rowCount ?? 0),
  });
  return {
    provider: 'postgres',
    ...on(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      const tx = on(client);
      try {
        await tx.run('BEGIN');
        const result = await work(tx);
        await tx.run('COMMIT');
        client.release();
        return result;
      } catch (error) {
        await tx.run('ROLLBACK').then(
          () => client.release(),
          (rollbackError: unknown) => client.release(rollbackError as Error), // a broken connection leaves the pool
        );
        throw error;
      }
    },
  };
}

/** True when `error` is a unique-constraint violation raised by a direct statement (either driver). */
export function isDirectUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
