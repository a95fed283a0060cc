/**
 * prisma/sqlite and prisma/postgres must hold the same models, and each provider's migrations must
 * produce exactly its schema. When this fails after a schema edit: `npm run db:new -- <name>`
 * (PostgreSQL needs SHADOW_DATABASE_URL or a postgresql:// DATABASE_URL for its shadow database).
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isPostgresUrl } from '../../src/persistence/database-url.ts';
import type { Provider } from '../../src/persistence/database.ts';
import { createMigration, schemaDrift } from '../../src/persistence/migrate/index.ts';

const PG_SERVER = isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : 'postgresql://postgres@127.0.0.1:5432/postgres';
const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));
const PROVIDERS: Provider[] = ['sqlite', 'postgres'];

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A copy of prisma/<provider> that a test may change. */
async function copyOf(provider: Provider): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `guichet-drift-${provider}-`));
  scratch.push(dir);
  await cp(join(PRISMA_DIR, provider), dir, { recursive: true });
  return dir;
}

/** The model, enum, view and type blocks of a schema file, in order, with their doc comments. */
function modelBlocks(schema: string): string[] {
  return [...schema.matchAll(/^((?:\/\/\/.*\n)*)(model|enum|view|type)\s+\w+\s*\{[\s\S]*?^\}/gm)].map((m) => m[0]);
}

describe('schema files', () => {
  it('prisma/sqlite and prisma/postgres hold identical model blocks', async () => {
    const [sqlite, postgres] = await Promise.all(PROVIDERS.map((p) => readFile(join(PRISMA_DIR, p, 'schema.prisma'), 'utf8')));
    const blocks = modelBlocks(sqlite!);
    expect(blocks.length).toBeGreaterThan(20);
    expect(modelBlocks(postgres!)).toEqual(blocks);
    // …and the comparison sees a one-word change.
    expect(modelBlocks(sqlite!.replace('vip         Boolean', 'vip         Int'))).not.toEqual(blocks);
  });
});

describe.each(PROVIDERS)('%s migrations', (provider) => {
  const options = { serverUrl: PG_SERVER };

  it('produce exactly the schema (no drift)', async () => {
    expect(await schemaDrift(provider, options)).toBe('');
  });

  it('drift is reported when the schema changes, and createMigration absorbs it', async () => {
    const dir = await copyOf(provider);
    const schemaPath = join(dir, 'schema.prisma');
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(schemaPath, schema.replace(/^model User \{\n/m, '$&  nickname String?\n'));

    const drift = await schemaDrift(provider, { ...options, dir });
    expect(drift).toMatch(/ALTER TABLE "User" ADD COLUMN +"nickname" TEXT/);

    const created = await createMigration(provider, 'Add user nickname!', { ...options, dir });
    expect(created?.name).toMatch(/^\d{14}_add_user_nickname$/);
    expect(created?.sql).toBe(drift);
    expect(await readFile(created!.path, 'utf8')).toBe(drift);
    const entries = await readdir(join(dir, 'migrations'), { withFileTypes: true });
    expect(entries.filter((e) => e.isDirectory()).map((e) => e.name).sort().at(-1)).toBe(created!.name);
    expect(await readFile(join(dir, 'migrations', 'migration_lock.toml'), 'utf8')).toMatch(/^provider = "(sqlite|postgresql)"$/m);

    expect(await schemaDrift(provider, { ...options, dir })).toBe('');
    expect(await createMigration(provider, 'nothing', { ...options, dir })).toBeNull();
  });
});
