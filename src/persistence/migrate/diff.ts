/**
 * Comparing a provider's migrations with its schema: `schemaDrift` (the drift test, `db:diff`) and
 * `createMigration` (`db:new`), which writes that difference as the next migration.
 *
 * The engine's own createMigration refuses SQLite without an external shadow database, so both
 * use `diff` from the migrations (replayed on a disposable shadow database) to the schema.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuichetError, isGuichetError } from '../../core/errors.ts';
import { isPostgresUrl, type Provider } from '../database-url.ts';
import { withEngine } from './engine.ts';
import { engineMessage } from './engine-error.ts';
import { providerDir, readMigrationList, readSchema, writeMigration, type ProviderDir } from './migrations-dir.ts';
import { openTarget } from './open-target.ts';
import type { MigrateTarget } from './target.ts';

export interface DiffOptions {
  /** The directory holding schema.prisma and migrations/ (default: prisma/<provider>). */
  dir?: string;
  /**
   * PostgreSQL only: a database URL on the server where a disposable shadow database
   * (guichet_shadow_<random>) is created and dropped; that database itself is not changed.
   * `npm run db:new` / `db:diff` pass SHADOW_DATABASE_URL, else DATABASE_URL when it is a PostgreSQL URL.
   */
  serverUrl?: string;
}

function postgresServer(options: DiffOptions): string {
  const url = options.serverUrl;
  if (!isPostgresUrl(url)) {
    throw new GuichetError(
      'migrate.no-postgres-server',
      'migrate: comparing PostgreSQL migrations needs a server for a shadow database: set SHADOW_DATABASE_URL (or DATABASE_URL) to a postgresql:// URL',
    );
  }
  return url;
}

/** Runs `use` with a migrate target for `provider` that only `diff` will use, then disposes of it. */
async function withDiffTarget<T>(provider: Provider, options: DiffOptions, use: (t: MigrateTarget) => Promise<T>): Promise<T> {
  if (provider === 'postgres') {
    const target = openTarget(postgresServer(options));
    try {
      return await use(target);
    } finally {
      await target.close();
    }
  }
  // SQLite: the engine connects to a main database even for diff; both are throw-away files.
  const scratch = await mkdtemp(join(tmpdir(), 'guichet-diff-'));
  const target = openTarget(join(scratch, 'main.db'), { sqliteShadowPath: join(scratch, 'shadow.db') });
  try {
    return await use(target);
  } finally {
    await target.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The SQL that takes a database migrated with `dir`'s migrations to its schema ('' when none). */
async function diffMigrationsToSchema(dir: ProviderDir, options: DiffOptions): Promise<string> {
  const [schema, list] = await Promise.all([readSchema(dir), readMigrationList(dir)]);
  try {
    return await withDiffTarget(dir.provider, options, (target) =>
      withEngine({ schemaPath: schema.path, schemaText: schema.text, factory: target.factory }, async (engine) => {
        const result = await engine.diff({
          from: { tag: 'migrations', ...list },
          to: { tag: 'schemaDatamodel', files: [{ path: schema.path, content: schema.text }] },
          script: true,
          exitCode: true, // 0: no difference, 2: some
          filters: { externalTables: [], externalEnums: [] },
        });
        return result.exitCode === 0 ? '' : (result.stdout ?? '');
      }),
    );
  } catch (error) {
    if (isGuichetError(error)) throw error;
    throw new GuichetError('migrate.diff-failed', `migrate: cannot compare ${dir.dir} migrations with schema.prisma: ${engineMessage(error)}`, {
      cause: error,
    });
  }
}

/** The SQL that would bring `provider`'s migrations to its schema; '' when they agree. */
export function schemaDrift(provider: Provider, options: DiffOptions = {}): Promise<string> {
  return diffMigrationsToSchema(providerDir(provider, options.dir), options);
}

export interface CreatedMigration {
  /** Directory name, e.g. "20260301093000_add_ticket_tags". */
  name: string;
  /** Path of the migration.sql written. */
  path: string;
  sql: string;
}

/** "Add ticket tags!" → "add_ticket_tags", as prisma migrate dev names directories. */
function slug(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 200);
  if (s === '') throw new GuichetError('migrate.bad-name', `migrate: migration name "${name}" has no letters or digits`);
  return s;
}

/** UTC yyyymmddhhmmss, one second after the latest existing migration if the clock is behind it. */
function timestampAfter(now: Date, existing: string[]): string {
  const format = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const latest = existing.map((n) => n.slice(0, 14)).filter((t) => /^\d{14}$/.test(t)).sort().at(-1);
  const stamp = format(now);
  if (!latest || stamp > latest) return stamp;
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((i, k) => Number(latest.slice(i, i + (k === 0 ? 4 : 2))));
  return format(new Date(Date.UTC(y!, mo! - 1, d, h, mi, s! + 1)));
}

export interface CreateOptions extends DiffOptions {
  /** Migration time (default now); `db:new` passes one time to both providers. */
  now?: Date;
  /** Write the migration even when the schema did not change (for hand-written SQL). */
  allowEmpty?: boolean;
}

/**
 * Writes `prisma/<provider>/migrations/<timestamp>_<name>/migration.sql` holding what the schema
 * adds to the migrations, and the lock file. Returns null, writing nothing, when there is no
 * change (unless `allowEmpty`).
 */
export async function createMigration(provider: Provider, name: string, options: CreateOptions = {}): Promise<CreatedMigration | null> {
  const suffix = slug(name);
  const dir = providerDir(provider, options.dir);
  const sql = await diffMigrationsToSchema(dir, options);
  if (sql === '' && !options.allowEmpty) return null;
  const existing = (await readMigrationList(dir)).migrationDirectories.map((m) => m.path);
  const migrationName = `${timestampAfter(options.now ?? new Date(), existing)}_${suffix}`;
  const script = sql === '' ? '-- This is an empty migration.\n' : sql;
  const path = await writeMigration(dir, migrationName, script);
  return { name: migrationName, path, sql: script };
}
