/**
 * Deploying migrations (`prisma migrate deploy`) and reporting their status (`prisma migrate
 * status`) through the wasm schema engine.
 */
import type { DiagnoseMigrationHistoryOutput, MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { GuichetError, isGuichetError } from '../../core/errors.ts';
import { providerOf, redactUrl, type Provider } from '../database-url.ts';
import { withEngine, type SchemaEngine } from './engine.ts';
import { engineMessage, isMissingMigrationsTable } from './engine-error.ts';
import { providerDir, readMigrationList, readSchema } from './migrations-dir.ts';
import { openTarget } from './open-target.ts';

const NO_FILTERS = { externalTables: [], externalEnums: [] };

export interface MigrateOptions {
  /** The directory holding schema.prisma and migrations/ (default: prisma/<provider>). */
  dir?: string;
}

/**
 * Runs `command` with an engine on `databaseUrl` and the provider's migration history. Errors
 * `command` did not turn into a GuichetError (engine start, connection) become `migrate.failed`.
 */
async function onDatabase<T>(
  databaseUrl: string,
  options: MigrateOptions,
  command: (engine: SchemaEngine, list: MigrationList) => Promise<T>,
): Promise<T> {
  const dir = providerDir(providerOf(databaseUrl), options.dir);
  const [schema, list] = await Promise.all([readSchema(dir), readMigrationList(dir)]);
  const target = openTarget(databaseUrl);
  try {
    return await withEngine({ schemaPath: schema.path, schemaText: schema.text, factory: target.factory }, (engine) =>
      command(engine, list),
    );
  } catch (error) {
    if (isGuichetError(error)) throw error;
    throw new GuichetError('migrate.failed', `migrate: ${redactUrl(databaseUrl)}: ${engineMessage(error)}`, { cause: error });
  } finally {
    await target.close();
  }
}

/**
 * Which migration failed: PostgreSQL errors and P3009 name it; otherwise the migrations table,
 * where the engine has just recorded the failure, tells.
 */
async function failedMigrationName(engine: SchemaEngine, list: MigrationList, error: unknown): Promise<string | undefined> {
  const text = error instanceof Error ? error.message : String(error);
  const named = /migration_name="([^"]+)"/.exec(text) ?? /The `([^`]+)` migration started at/.exec(text);
  if (named?.[1]) return named[1];
  try {
    const diagnosis = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS });
    return diagnosis.failedMigrationNames.at(-1);
  } catch {
    return undefined; // the database is unreachable now; the original error says why
  }
}

/**
 * Applies the pending migrations of `prisma/<provider>/migrations` to the database; returns the
 * names applied now, in order ([] when up to date). Safe to call on every start.
 * Throws GuichetError `migrate.failed`, whose message names the migration and the database error.
 */
export async function applyMigrations(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  return onDatabase(databaseUrl, options, async (engine, list) => {
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS });
      return appliedMigrationNames;
    } catch (error) {
      const name = await failedMigrationName(engine, list, error);
      const what = name ? `migration "${name}" failed on` : 'cannot apply migrations to';
      throw new GuichetError('migrate.failed', `migrate: ${what} ${redactUrl(databaseUrl)}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  });
}

export interface MigrationStatus {
  provider: Provider;
  /** Migration directories on disk, in order. */
  local: string[];
  /** On disk, not yet applied. */
  pending: string[];
  /** Recorded in the database but missing on disk (applied by another checkout, or deleted). */
  unknown: string[];
  /** Started and failed: they block new migrations until resolved. */
  failed: string[];
  /** Applied, but their migration.sql changed since. */
  edited: string[];
  /** True when nothing is pending, unknown, failed or edited. */
  upToDate: boolean;
}

function toStatus(provider: Provider, local: string[], d: DiagnoseMigrationHistoryOutput | undefined): MigrationStatus {
  const history = d?.history;
  // A database without _prisma_migrations has applied nothing: everything on disk is pending.
  const pending = !d || !d.hasMigrationsTable ? local
    : history?.diagnostic === 'databaseIsBehind' || history?.diagnostic === 'historiesDiverge' ? history.unappliedMigrationNames
    : [];
  const unknown = history && history.diagnostic !== 'databaseIsBehind' ? history.unpersistedMigrationNames : [];
  const failed = d?.failedMigrationNames ?? [];
  const edited = d?.editedMigrationNames ?? [];
  const upToDate = [pending, unknown, failed, edited].every((names) => names.length === 0);
  return { provider, local, pending, unknown, failed, edited, upToDate };
}

/** Compares the database's `_prisma_migrations` with the migrations on disk; changes nothing. */
export async function migrationStatus(databaseUrl: string, options: MigrateOptions = {}): Promise<MigrationStatus> {
  const provider = providerOf(databaseUrl);
  return onDatabase(databaseUrl, options, async (engine, list) => {
    const local = list.migrationDirectories.map((m) => m.path);
    try {
      const diagnosis = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS });
      return toStatus(provider, local, diagnosis);
    } catch (error) {
      if (isMissingMigrationsTable(error)) return toStatus(provider, local, undefined);
      throw new GuichetError(
        'migrate.status-failed',
        `migrate: cannot read the migration history of ${redactUrl(databaseUrl)}: ${engineMessage(error)}`,
        { cause: error },
      );
    }
  });
}
