/**
 * The database a schema-engine command runs against: a driver adapter factory patched for the
 * engine (see sqlite-target.ts, postgres-target.ts) and what to close afterwards. The factory that
 * picks one for a URL is open-target.ts.
 */
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Provider } from '../database-url.ts';

export interface MigrateTarget {
  provider: Provider;
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Closes connections and drops shadow databases the engine left; idempotent. */
  close(): Promise<void>;
}
