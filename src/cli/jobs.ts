/**
 * The job queue from the command line (admins): what waits, what is dead, and a dead job's retry.
 *
 *   npm run jobs -- stats              pending and dead jobs, how long the longest-waiting due job has waited
 *   npm run jobs -- dead [--limit 50]  dead jobs, latest first: id, queue, key, attempts, last error
 *   npm run jobs -- retry <id>         makes a dead job pending again (attempts reset); a running instance runs it
 *
 * The database is DATABASE_URL (loadCliConfig, src/config.ts; pending migrations are applied).
 */
import '../bootstrap-env.ts';
import { parseArgs } from 'node:util';
import { loadCliConfig } from '../config.ts';
import { GuichetError } from '../core/errors.ts';
import { openDatabase } from '../persistence/database.ts';
import { PrismaJobStore } from '../persistence/stores/jobs.ts';
import { run, usageError } from './run.ts';

const USAGE = 'usage: npm run jobs -- stats | dead [--limit <n>] | retry <id>';

run(async () => {
  const { positionals, values } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { limit: { type: 'string', default: '50' } } });
  const [command, arg] = positionals;
  if (!command || !['stats', 'dead', 'retry'].includes(command)) return usageError(USAGE);
  const config = loadCliConfig(process.env);
  const db = await openDatabase(config.DATABASE_URL, { migrate: true });
  try {
    const store = new PrismaJobStore(db);
    if (command === 'stats') {
      const { pending, dead, oldestDueAt } = await store.stats(new Date());
      const age = oldestDueAt ? `${Math.round((Date.now() - oldestDueAt.getTime()) / 1000)} s` : '-';
      console.log(`pending: ${pending}\ndead: ${dead}\noldest due job waiting for: ${age}`);
      return 0;
    }
    if (command === 'dead') {
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new GuichetError('cli.invalid-option', `jobs: --limit must be a positive integer (got "${values.limit}")`);
      const dead = await store.deadList(limit);
      if (dead.length === 0) console.log('no dead job');
      for (const j of dead) console.log(`${j.id}\t${j.queue}\t${j.key}\t${j.attempts} attempts\t${j.createdAt.toISOString()}\t${j.lastError ?? ''}`);
      return 0;
    }
    const id = Number(arg);
    if (!Number.isInteger(id) || id < 1) throw new GuichetError('cli.invalid-option', `jobs: retry needs a job id (got "${arg ?? ''}")`);
    if (!(await store.revive(id, new Date()))) throw new GuichetError('jobs.not-dead', `jobs: job ${id} is not a dead job`);
    console.log(`job ${id} is pending again`);
    return 0;
  } finally {
    await db.close();
  }
});
