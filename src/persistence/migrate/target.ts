/**
 * The database a schema-engine command runs against: a driver adapter factory patched for the
 * engine (see sqlite-target.ts, postgres-target.ts) and what to close afterwards.
 */
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { providerOf, sqlitePath, type Provider } from '../database-url.ts';
import { postgresTarget } from './postgres-target.ts';
import { sqliteTarget } from './sqlite-target.ts';

export interface MigrateTarget {
  provider: Provider;
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Closes connections and drops shadow databases the engine left; idempotent. */
  close(): Promise<void>;
}

/**
 * The migrate target for a database URL.
 * @param shadowServerUrl PostgreSQL only: a database URL on the server where `diff` may create its
 *   shadow databases (defaults to `url`).
 * @param sqliteShadowPath SQLite only: the file `diff` uses as its shadow database.
 */
export function openTarget(url: string, options: { shadowServerUrl?: string; sqliteShadowPath?: string } = {}): MigrateTarget {
  return providerOf(url) === 'postgres'
    ? postgresTarget(url, options.shadowServerUrl)
    : sqliteTarget(sqlitePath(url), options.sqliteShadowPath);
}
