/**
 * PostgreSQL as seen by the schema engine: adapter-pg on pools we own, patched for the engine.
 * Only the migrate process uses these pools; the application's client is built in database.ts.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { createDatabase, disposableName, dropDatabase } from './postgres-admin.ts';
import type { MigrateTarget } from './target.ts';

/** OIDs of PostgreSQL's internal one-byte `"char"` type and of `text`. */
const CHAR_OID = 18;
const TEXT_OID = 25;

type Fields = { fields?: Array<{ dataTypeID: number }> };

function charAsText(result: unknown): void {
  for (const field of (result as Fields | undefined)?.fields ?? []) {
    if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  }
}

/**
 * The engine's catalog queries return `"char"` columns (pg_class.relkind, …), which adapter-pg
 * cannot map ("Column type 'char' could not be deserialized"). Their text value is a one-letter
 * string, so each client reports them as `text`. pg calls `query` both with a callback (pool.query)
 * and as a promise (adapter transactions): both are patched.
 */
function patchClient(client: pg.PoolClient): void {
  // `query` has a dozen overloads; this wrapper only forwards the arguments and looks at the result.
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        charAsText(result);
        (callback as (e: unknown, r: unknown) => void)(error, result);
      };
      return query(...args);
    }
    const returned = query(...args);
    if (returned instanceof Promise) return returned.then((result) => (charAsText(result), result));
    return returned;
  };
}

function migratePool(url: string): pg.Pool {
  // Idle clients would keep the process alive for idleTimeoutMillis (10 s) after the engine is
  // done; close() ends the pool instead, and a short idle timeout covers a forgotten close().
  const pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 1_000 });
  pool.on('connect', patchClient);
  // An idle client's error (server restart) must not crash the process: the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * adapter-pg's executeScript splits the script on every ";" (breaking `$$` bodies and string
 * literals) and runs the pieces one by one, so a failing migration stays half-applied. Sent as one
 * parameterless query (pg's simple protocol), the script runs whole, in one implicit transaction,
 * as the native engine does: a failing migration leaves no partial change.
 */
function withWholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

/**
 * A shadow database of our own: adapter-pg's connectToShadowDb with a connection string would
 * connect to the *real* database (the URL wins over `database`) and drops its shadow before closing
 * the pool. Ours is `guichet_shadow_<random>` on the same server, dropped on dispose.
 */
async function connectShadow(serverUrl: string, cleanups: Set<() => Promise<void>>): Promise<SqlDriverAdapter> {
  const name = disposableName('shadow');
  const url = await createDatabase(serverUrl, name);
  const pool = migratePool(url);
  const adapter = withWholeScripts(await new PrismaPg(pool).connect());
  const cleanup = async (): Promise<void> => {
    cleanups.delete(cleanup);
    if (!pool.ended) await pool.end();
    await dropDatabase(serverUrl, name);
  };
  cleanups.add(cleanup);
  adapter.dispose = cleanup;
  return adapter;
}

/**
 * @param url the database to migrate (for `diff`: any database on the server, left untouched).
 * @param shadowServerUrl a database URL on the server where shadow databases may be created.
 */
export function postgresTarget(url: string, shadowServerUrl: string = url): MigrateTarget {
  const pool = migratePool(url);
  const cleanups = new Set<() => Promise<void>>();
  const inner = new PrismaPg(pool);
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withWholeScripts(await inner.connect()),
    connectToShadowDb: () => connectShadow(shadowServerUrl, cleanups),
  };
  // Drops the shadow databases the engine did not dispose, then ends the pool.
  const close = async (): Promise<void> => {
    await Promise.all([...cleanups].map((cleanup) => cleanup()));
    if (!pool.ended) await pool.end();
  };
  return { provider: 'postgres', factory, close };
}
