/**
 * The application's SQLite connection: adapter-better-sqlite3 with the settings a server needs.
 *
 * What adapter-better-sqlite3 7.10 does on its own, and why that is not enough:
 * - one better-sqlite3 connection per PrismaClient; transactions *within one adapter* are
 *   serialised by a mutex, but they start with a plain (deferred) BEGIN: a transaction that reads
 *   then writes fails with SQLITE_BUSY when another process wrote in between (measured: 2,163 of
 *   2,400 read-then-insert transactions across 8 processes), whatever the busy timeout;
 * - if BEGIN itself fails, its mutex is never released and every later transaction waits forever;
 * - queries outside a transaction do not wait for that mutex: while an interactive transaction
 *   awaits, another request's query runs on the same connection *inside* it, sees its uncommitted
 *   rows, and its writes vanish if that transaction rolls back.
 * So transactions are re-implemented here with BEGIN IMMEDIATE (the write lock is taken at the
 * start, so busy waits happen at BEGIN, where the busy timeout applies) and one lock that every
 * statement outside a transaction also takes.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { GuichetError } from '../core/errors.ts';
import { yieldToLoop } from '../core/event-loop.ts';

/** How long a statement waits for another process's write lock before SQLITE_BUSY, in ms. */
export const BUSY_TIMEOUT_MS = 5_000;

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/** A FIFO lock: `acquire` resolves with the function that releases it (idempotent). */
function createLock(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = tail.then(() => released);
    await previous;
    return release;
  };
}


/** A connection's better-sqlite3 handle and the lock its statements take (for direct-sql.ts). */
export interface SqliteConnection {
  db: BetterSqlite3.Database;
  lock: () => Promise<() => void>;
}

function serialised(adapter: SqlDriverAdapter, lock: () => Promise<() => void>): SqlDriverAdapter {
  const acquire = async () => {
    // Each statement starts from a macrotask: the loop reads and answers waiting requests between two of a turn's statements.
    await yieldToLoop();
    return lock();
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const executeScript = adapter.executeScript.bind(adapter);
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };

  adapter.queryRaw = (query) => exclusive(() => queryRaw(query));
  adapter.executeRaw = (query) => exclusive(() => executeRaw(query));
  adapter.executeScript = (script) => exclusive(() => executeScript(script));
  adapter.startTransaction = async (isolationLevel): Promise<Transaction> => {
    // SQLite transactions are serializable; the adapter refuses other levels the same way.
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') {
      throw new DriverAdapterError({ kind: 'InvalidIsolationLevel', level: isolationLevel });
    }
    const release = await acquire();
    try {
      await executeRaw(statement('BEGIN IMMEDIATE'));
    } catch (error) {
      release();
      throw error;
    }
    // Prisma sends COMMIT / ROLLBACK itself (usePhantomQuery: false), then calls commit()/rollback().
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      options: { usePhantomQuery: false },
      queryRaw,
      executeRaw,
      commit: async () => release(),
      rollback: async () => release(),
      createSavepoint: async (name) => void (await executeRaw(statement(`SAVEPOINT ${name}`))),
      rollbackToSavepoint: async (name) => void (await executeRaw(statement(`ROLLBACK TO ${name}`))),
      releaseSavepoint: async (name) => void (await executeRaw(statement(`RELEASE SAVEPOINT ${name}`))),
    };
  };
  return adapter;
}

/**
 * Adapter factory for the SQLite file at `path` (its directory is created). Each connection runs
 * in WAL mode (readers never block the writer; persistent in the file), with foreign keys on
 * (Prisma's onDelete rules depend on them) and the busy timeout above. synchronous stays FULL:
 * a committed ticket must survive a power cut.
 */
export function sqliteAdapterFactory(path: string): SqlDriverAdapterFactory & { connection(): SqliteConnection } {
  mkdirSync(dirname(path), { recursive: true });
  const inner = new PrismaBetterSqlite3({ url: path, timeout: BUSY_TIMEOUT_MS });
  let current: SqliteConnection | undefined;
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const adapter = await inner.connect();
      await adapter.executeScript('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
      // The adapter keeps its better-sqlite3 connection in `client` (adapter-better-sqlite3 7.10).
      const db = (adapter as unknown as { client: BetterSqlite3.Database }).client;
      current = { db, lock: createLock() };
      return serialised(adapter, current.lock);
    },
    connection: () => {
      if (!current) throw new GuichetError('database.closed', 'database: the SQLite connection is not open');
      return current;
    },
  };
}
