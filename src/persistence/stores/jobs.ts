/**
 * The job outbox on Prisma (the "Job" table, SQLite or PostgreSQL). `enqueue` runs on whichever
 * client it is given: a unit of work's (the job commits with the change) or the database's.
 * A key already written is skipped with ON CONFLICT DO NOTHING (a unique violation would abort the
 * unit of work), in one raw statement per chunk of jobs.
 */
import { GuichetError } from '../../core/errors.ts';
import { queueStatsOf, type JobRecord, type JobRelayStore, type JobStatus, type NewJob, type QueueStats, type SqlExecutor } from '../../core/jobs.ts';
import type { Database, Provider } from '../database.ts';
import { NO_FLUSH_WAIT, RAW_CHUNK, jsonText, portable, rawSql, readDate, readJson } from './raw-sql.ts';
import type { Client } from './tickets-directory.ts';

const STATUSES: readonly JobStatus[] = ['pending', 'queued', 'done', 'dead'];
/** Waiting to run: in the outbox, or relayed to pg-boss. */
const WAITING = { in: ['pending', 'queued'] };

type Row = Awaited<ReturnType<Client['job']['findUniqueOrThrow']>>;

function toRecord(row: Row): JobRecord {
  const status = STATUSES.find((s) => s === row.status);
  if (!status) throw new GuichetError('jobs.corrupt-row', `jobs: job ${row.id} has an unknown status "${row.status}"`);
  return {
    id: row.id,
    queue: row.queue,
    key: row.key,
    payload: (row.payload ?? {}) as Record<string, unknown>,
    status,
    attempts: row.attempts,
    runAt: row.runAt,
    lockedBy: row.lockedBy,
    progress: Array.isArray(row.progress) ? row.progress.filter((p): p is string => typeof p === 'string') : [],
    lastError: row.lastError,
    createdAt: row.createdAt,
    doneAt: row.doneAt,
  };
}

/** Writes jobs through `client` (a unit of work's or the database's); returns how many were new. */
export async function enqueueJobs(client: Client, provider: Provider, jobs: readonly NewJob[], now: Date): Promise<number> {
  const fresh = [...new Map(jobs.map((j) => [j.key, j])).values()];
  let written = 0;
  // One raw INSERT per chunk (raw-sql.ts); a key already written is skipped, on both providers.
  for (let i = 0; i < fresh.length; i += RAW_CHUNK) {
    const sql = rawSql(provider);
    const rows = fresh.slice(i, i + RAW_CHUNK).map((j) => `(${sql.p(j.queue)}, ${sql.p(j.key)}, ${sql.p(JSON.stringify(j.payload), 'jsonb')}, ${sql.p(j.runAt ?? now, 'timestamp(3)')}, ${sql.p(now, 'timestamp(3)')})`);
    written += await client.$executeRawUnsafe(`INSERT INTO "Job" ("queue", "key", "payload", "runAt", "createdAt") VALUES ${rows.join(', ')} ON CONFLICT ("key") DO NOTHING`, ...sql.args);
  }
  return written;
}

export class PrismaJobStore implements JobRelayStore {
  constructor(private readonly db: Database) {}

  enqueue(jobs: readonly NewJob[], now: Date): Promise<number> {
    return enqueueJobs(this.db.client, this.db.provider, jobs, now);
  }

  async due(queues: readonly string[], now: Date, limit: number): Promise<JobRecord[]> {
    const rows = await this.db.client.job.findMany({ where: { status: 'pending', runAt: { lte: now }, queue: { in: [...queues] } }, orderBy: [{ runAt: 'asc' }, { id: 'asc' }], take: limit });
    return rows.map(toRecord);
  }

  /*
   * A turn that opens a ticket (or relays a message) runs its job at once (runNow): reading it, its
   * steps and its end are direct statements (../direct-sql.ts), a few microseconds each on SQLite
   * instead of a Prisma query plan, and no RETURNING of the whole row on PostgreSQL.
   */

  byKey(key: string): Promise<JobRecord | undefined> {
    return this.oneWhere('"key" = ?', key);
  }

  byId(id: number): Promise<JobRecord | undefined> {
    return this.oneWhere('"id" = ?', id);
  }

  private async oneWhere(condition: string, value: string | number): Promise<JobRecord | undefined> {
    const { direct, provider } = this.db;
    const [row] = await direct.all(portable(provider, `SELECT * FROM "Job" WHERE ${condition}`), [value]);
    if (!row) return undefined;
    return toRecord({
      id: Number(row.id),
      key: String(row.key),
      queue: String(row.queue),
      payload: readJson(provider, row.payload) as Row['payload'],
      status: String(row.status),
      attempts: Number(row.attempts),
      runAt: readDate(row.runAt)!,
      lockedBy: (row.lockedBy as string | null) ?? null,
      progress: readJson(provider, row.progress ?? null) as Row['progress'],
      lastError: (row.lastError as string | null) ?? null,
      createdAt: readDate(row.createdAt)!,
      doneAt: readDate(row.doneAt),
    });
  }

  /** PostgreSQL only: `FOR UPDATE SKIP LOCKED` lets relays on several instances take disjoint rows. */
  async relay(queues: readonly string[], now: Date, limit: number, forward: (jobs: JobRecord[], sql: SqlExecutor) => Promise<void>): Promise<number> {
    if (this.db.provider !== 'postgres') throw new GuichetError('jobs.relay-needs-postgres', `jobs: the relay to pg-boss runs on PostgreSQL (this database is ${this.db.provider})`);
    return this.db.client.$transaction(async (tx) => {
      const taken = await tx.$queryRawUnsafe<{ id: number }[]>(
        `UPDATE "Job" SET status = 'queued', "lockedBy" = NULL WHERE id IN (
           SELECT id FROM "Job" WHERE status = 'pending' AND "runAt" <= $1 AND queue IN (SELECT jsonb_array_elements_text($2::jsonb))
           ORDER BY "runAt", id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id`,
        now,
        JSON.stringify(queues),
        limit,
      );
      if (taken.length === 0) return 0;
      const rows = await tx.job.findMany({ where: { id: { in: taken.map((t) => t.id) } }, orderBy: { id: 'asc' } });
      await forward(rows.map(toRecord), { executeSql: async (text, values) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) }) });
      return rows.length;
    });
  }

  /** On PostgreSQL without waiting for the WAL flush (raw-sql.ts NO_FLUSH_WAIT): a lease, made durable by the job's end. */
  async claim(id: number, runAt: Date, leaseUntil: Date, owner: string): Promise<boolean> {
    const { direct, provider } = this.db;
    const noWait = provider === 'postgres' ? ` FROM ${NO_FLUSH_WAIT} s` : '';
    return (await direct.run(portable(provider, `UPDATE "Job" SET "runAt" = ?t, "lockedBy" = ?${noWait} WHERE "id" = ? AND "status" = 'pending' AND "runAt" = ?t`), [leaseUntil, owner, id, runAt])) === 1;
  }

  async saveProgress(id: number, progress: string[]): Promise<void> {
    const { direct, provider } = this.db;
    await direct.run(portable(provider, 'UPDATE "Job" SET "progress" = ?j WHERE "id" = ?'), [jsonText(progress), id]);
  }

  /** On PostgreSQL without waiting for the WAL flush: a lost end only runs the job again, whose steps (durable) send nothing twice. */
  async done(id: number, at: Date): Promise<void> {
    const { direct, provider } = this.db;
    const noWait = provider === 'postgres' ? ` FROM ${NO_FLUSH_WAIT} s` : '';
    await direct.run(portable(provider, `UPDATE "Job" SET "status" = 'done', "doneAt" = ?t${noWait} WHERE "id" = ?`), [at, id]);
  }

  /** Only a job still waiting: a run whose lease ran out while another instance finished the job must not reopen it. */
  async retry(id: number, attempts: number, runAt: Date, error: string): Promise<void> {
    await this.db.client.job.updateMany({ where: { id, status: WAITING }, data: { status: 'pending', attempts, runAt, lockedBy: null, lastError: error.slice(0, 2_000) } });
  }

  async dead(id: number, attempts: number, error: string): Promise<void> {
    await this.db.client.job.update({ where: { id }, data: { status: 'dead', attempts, lastError: error.slice(0, 2_000) } });
  }

  async deadList(limit: number): Promise<JobRecord[]> {
    return (await this.db.client.job.findMany({ where: { status: 'dead' }, orderBy: { id: 'desc' }, take: limit })).map(toRecord);
  }

  async revive(id: number, at: Date): Promise<boolean> {
    const { count } = await this.db.client.job.updateMany({ where: { id, status: 'dead' }, data: { status: 'pending', attempts: 0, runAt: at, lockedBy: null } });
    return count === 1;
  }

  async postpone(id: number, runAt: Date): Promise<void> {
    await this.db.client.job.update({ where: { id }, data: { status: 'pending', runAt, lockedBy: null } });
  }

  async stats(now: Date): Promise<{ pending: number; dead: number; oldestDueAt: Date | null }> {
    const [pending, dead, oldest] = [
      await this.db.client.job.count({ where: { status: WAITING } }),
      await this.db.client.job.count({ where: { status: 'dead' } }),
      await this.db.client.job.findFirst({ where: { status: WAITING, runAt: { lte: now } }, orderBy: { runAt: 'asc' }, select: { runAt: true } }),
    ];
    return { pending, dead, oldestDueAt: oldest?.runAt ?? null };
  }

  async queueStats(now: Date): Promise<QueueStats[]> {
    const client = this.db.client;
    // Claimed: pending with an owner and a lease still running (runAt is the lease's end); a lapsed lease is due again.
    const claimed = { status: 'pending', lockedBy: { not: null }, runAt: { gt: now } };
    const [waiting, due, active, dead] = [
      await client.job.groupBy({ by: ['queue'], where: { status: WAITING, NOT: claimed }, _count: { _all: true } }),
      await client.job.groupBy({ by: ['queue'], where: { status: WAITING, runAt: { lte: now } }, _min: { runAt: true } }),
      await client.job.groupBy({ by: ['queue'], where: claimed, _count: { _all: true } }),
      await client.job.groupBy({ by: ['queue'], where: { status: 'dead' }, _count: { _all: true } }),
    ];
    return queueStatsOf(now, {
      waiting: waiting.map((g) => [g.queue, g._count._all]),
      dueSince: due.flatMap((g) => (g._min.runAt ? [[g.queue, g._min.runAt] as const] : [])),
      active: active.map((g) => [g.queue, g._count._all]),
      failed: dead.map((g) => [g.queue, g._count._all]),
    });
  }

  async purge(before: Date): Promise<number> {
    return (await this.db.client.job.deleteMany({ where: { status: 'done', doneAt: { lt: before } } })).count;
  }
}
