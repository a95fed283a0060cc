/**
 * SQLite as seen by the schema engine: the better-sqlite3 adapter factory, patched for the engine.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrateTarget } from './target.ts';

/** better-sqlite3's message when `prepare` is given several statements. */
const MULTI_STATEMENT = /more than one statement/i;

/**
 * The engine replays whole migration files through `executeRaw` on the shadow database;
 * better-sqlite3 prepares one statement at a time and throws. A batch without parameters is a
 * script: run it with `executeScript` (sqlite3_exec) instead. The row count is unknown then; the
 * engine ignores it for scripts.
 */
function withScriptFallback(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length > 0 || !(error instanceof Error) || !MULTI_STATEMENT.test(error.message)) throw error;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}

/**
 * @param databasePath the database file (its directory is created).
 * @param shadowPath a disposable file for the shadow database, needed by `diff` only; the caller
 *   deletes it. Without it the adapter would use an in-memory database.
 */
export function sqliteTarget(databasePath: string, shadowPath?: string): MigrateTarget {
  mkdirSync(dirname(databasePath), { recursive: true });
  const inner = new PrismaBetterSqlite3(
    { url: databasePath, timeout: 5_000 },
    shadowPath ? { shadowDatabaseUrl: shadowPath } : undefined,
  );
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (open.delete(adapter)) await dispose();
    };
    open.add(adapter);
    return withScriptFallback(adapter);
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await inner.connectToShadowDb()),
  };
  // Closes what the engine left open, so the files can be deleted (and are unlocked on Windows).
  const close = async (): Promise<void> => {
    await Promise.all([...open].map((adapter) => adapter.dispose()));
  };
  return { provider: 'sqlite', factory, close };
}
