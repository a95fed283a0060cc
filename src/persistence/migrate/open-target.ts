/** Picks the migrate target (target.ts) for a database URL: PostgreSQL or SQLite. */
import { providerOf, sqlitePath } from '../database-url.ts';
import { postgresTarget } from './postgres-target.ts';
import { sqliteTarget } from './sqlite-target.ts';
import type { MigrateTarget } from './target.ts';

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
