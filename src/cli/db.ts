/**
 * Database migrations from the command line, without the prisma CLI (it cannot fetch its engine
 * offline). The database is DATABASE_URL (default file:./data/guichet.db), read with the other
 * settings by loadCliConfig (src/config.ts).
 *
 *   npm run db:migrate            apply pending migrations (prisma migrate deploy)
 *   npm run db:status             compare the database with the migrations; exit 1 unless up to date
 *   npm run db:new -- <name>      write the next migration for BOTH providers from the schema change
 *                                 (add --empty for a hand-written one); PostgreSQL needs a server:
 *                                 SHADOW_DATABASE_URL, or DATABASE_URL when it is postgresql://
 *   npm run db:diff               print the SQL the schemas add to the migrations; exit 2 if any
 *   npm run db -- export-user <id|email> [--out file.json]
 *                                 a person's data as JSON (stdout, or the file); audited
 *   npm run db -- erase-user <id|email> --yes
 *                                 erases a person: tickets kept under a tombstone, the rest deleted; audited
 */
import '../bootstrap-env.ts';
import { parseArgs } from 'node:util';
import { loadCliConfig, type Env } from '../config.ts';
import { isPostgresUrl, redactUrl, type Provider } from '../persistence/database-url.ts';
import { applyMigrations, createMigration, migrationStatus, schemaDrift } from '../persistence/migrate/index.ts';
import { exportUser, eraseUser } from './privacy.ts';
import { run, usageError } from './run.ts';

const USAGE = 'usage: tsx src/cli/db.ts deploy | status | new <name> [--empty] | diff | export-user <id|email> [--out file] | erase-user <id|email> --yes';
const PROVIDERS: Provider[] = ['sqlite', 'postgres'];

/** The PostgreSQL server for the shadow databases of `new` and `diff`, if there is one. */
const postgresServer = (config: Env): string | undefined => [config.SHADOW_DATABASE_URL, config.DATABASE_URL].find(isPostgresUrl);

async function deploy(url: string): Promise<number> {
  const applied = await applyMigrations(url);
  console.log(applied.length === 0 ? `db: ${redactUrl(url)} is up to date` : `db: applied to ${redactUrl(url)}: ${applied.join(', ')}`);
  return 0;
}

async function status(url: string): Promise<number> {
  const s = await migrationStatus(url);
  console.log(`db: ${redactUrl(url)} (${s.provider}), ${s.local.length} migration(s) on disk`);
  const lines: Array<[string, string[]]> = [
    ['pending', s.pending],
    ['failed (resolve before deploying)', s.failed],
    ['edited after being applied', s.edited],
    ['applied but missing on disk', s.unknown],
  ];
  for (const [label, names] of lines) if (names.length > 0) console.log(`  ${label}: ${names.join(', ')}`);
  if (s.upToDate) console.log('  up to date');
  return s.upToDate ? 0 : 1;
}

async function create(name: string | undefined, allowEmpty: boolean, serverUrl: string | undefined): Promise<number> {
  if (!name) return usageError(USAGE);
  // One timestamp for both, so their directories pair up; PostgreSQL first: it is the one that
  // can fail for want of a server, before anything is written.
  const now = new Date();
  const created = [];
  for (const provider of ['postgres', 'sqlite'] as const) {
    const migration = await createMigration(provider, name, { now, allowEmpty, serverUrl });
    console.log(migration ? `db: ${provider}: wrote ${migration.path}` : `db: ${provider}: no schema change, nothing written`);
    created.push(migration);
  }
  if (created.filter(Boolean).length === 1) {
    console.error('db: only one provider changed: prisma/sqlite and prisma/postgres schemas must hold the same models');
    return 1;
  }
  return 0;
}

async function diff(serverUrl: string | undefined): Promise<number> {
  let drift = false;
  for (const provider of PROVIDERS) {
    if (provider === 'postgres' && !serverUrl) {
      console.log('db: postgres: skipped (set SHADOW_DATABASE_URL or DATABASE_URL to a postgresql:// server)');
      continue;
    }
    const sql = await schemaDrift(provider, { serverUrl });
    drift ||= sql !== '';
    console.log(sql === '' ? `db: ${provider}: migrations match the schema` : `db: ${provider}: the schema adds\n${sql.trimEnd()}`);
  }
  return drift ? 2 : 0;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { empty: { type: 'boolean' }, out: { type: 'string' }, yes: { type: 'boolean' } } });
  const [command, name] = positionals;
  const config = loadCliConfig();
  switch (command) {
    case 'deploy':
      return deploy(config.DATABASE_URL);
    case 'status':
      return status(config.DATABASE_URL);
    case 'new':
      return create(name, values.empty ?? false, postgresServer(config));
    case 'diff':
      return diff(postgresServer(config));
    case 'export-user':
      return name ? exportUser(config, name, values.out) : usageError(USAGE);
    case 'erase-user':
      return name ? eraseUser(config, name, values.yes ?? false) : usageError(USAGE);
    default:
      return usageError(USAGE);
  }
}

run(main);
