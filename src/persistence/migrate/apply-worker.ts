/**
 * The worker thread of `applyMigrationsInWorker` (apply-in-worker.ts): applies the pending migrations of
 * the database it is given and posts back the names applied.
 */
import { jobData, workerResult } from '../../core/worker.ts';
import { applyMigrations } from './apply.ts';

const { databaseUrl } = jobData<{ databaseUrl: string }>();
await workerResult(() => applyMigrations(databaseUrl));
