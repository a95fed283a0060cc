/**
 * `applyMigrations` in a worker thread, for a server's start: the schema engine is a large WebAssembly
 * module (compiled code, its linear memory, its JS glue) that a process never gives back once loaded,
 * some 50 MB of resident memory carried by every server that once migrated a database. In a worker it
 * goes with the thread. The CLI (`npm run db:migrate`) and the tests call `applyMigrations` directly.
 */
import { runInWorker, workerModule } from '../../core/worker.ts';

/** applyMigrations(databaseUrl) run in a worker thread: the names applied, or its GuichetError `migrate.*`. */
export function applyMigrationsInWorker(databaseUrl: string): Promise<string[]> {
  return runInWorker<string[]>(workerModule('apply-worker', import.meta.url), { databaseUrl });
}
