/**
 * An empty database for one benchmark run: a throw-away PostgreSQL database on `server` when one is
 * given, else a SQLite file in a temporary folder; `done()` drops or deletes it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, disposableName, dropDatabase } from '../../src/persistence/migrate/index.ts';

export async function freshDatabase(server: string | undefined): Promise<{ url: string; done: () => Promise<void> }> {
  if (server) {
    const name = disposableName('bench');
    const url = await createDatabase(server, name);
    return { url, done: () => dropDatabase(server, name) };
  }
  const dir = await mkdtemp(join(tmpdir(), 'guichet-bench-'));
  return { url: `file:${join(dir, 'bench.db')}`, done: () => rm(dir, { recursive: true, force: true }) };
}
