/** The job outbox in memory, for tests (one process; the same rules as the Prisma store). */
import { queueStatsOf, type JobRecord, type JobStore, type NewJob, type QueueStats } from '../core/jobs.ts';

export class MemoryJobStore implements JobStore {
  readonly rows: JobRecord[] = [];

  async enqueue(jobs: readonly NewJob[], now: Date): Promise<number> {
    let written = 0;
    for (const job of jobs) {
      if (this.rows.some((r) => r.key === job.key)) continue;
      this.rows.push({ id: this.rows.length + 1, queue: job.queue, key: job.key, payload: structuredClone(job.payload), status: 'pending', attempts: 0, runAt: job.runAt ?? now, lockedBy: null, progress: [], lastError: null, createdAt: now, doneAt: null });
      written += 1;
    }
    return written;
  }

  async due(queues: readonly string[], now: Date, limit: number): Promise<JobRecord[]> {
    return this.rows.filter((r) => r.status === 'pending' && queues.includes(r.queue) && r.runAt <= now).slice(0, limit).map((r) => ({ ...r }));
  }

  async byKey(key: string): Promise<JobRecord | undefined> {
    const row = this.rows.find((r) => r.key === key);
    return row && { ...row };
  }

  async byId(id: number): Promise<JobRecord | undefined> {
    const row = this.row(id);
    return row && { ...row };
  }

  async claim(id: number, runAt: Date, leaseUntil: Date, owner: string): Promise<boolean> {
    const row = this.row(id);
    if (!row || row.status !== 'pending' || row.runAt.getTime() !== runAt.getTime()) return false;
    row.runAt = leaseUntil;
    row.lockedBy = owner;
    return true;
  }

  async saveProgress(id: number, progress: string[]): Promise<void> {
    this.row(id)!.progress = [...progress];
  }

  async done(id: number, at: Date): Promise<void> {
    Object.assign(this.row(id)!, { status: 'done', doneAt: at });
  }

  async retry(id: number, attempts: number, runAt: Date, error: string): Promise<void> {
    const row = this.row(id)!;
    if (row.status !== 'pending' && row.status !== 'queued') return;
    Object.assign(row, { status: 'pending', attempts, runAt, lockedBy: null, lastError: error });
  }

  async dead(id: number, attempts: number, error: string): Promise<void> {
    Object.assign(this.row(id)!, { status: 'dead', attempts, lastError: error });
  }

  async deadList(limit: number): Promise<JobRecord[]> {
    return this.rows.filter((r) => r.status === 'dead').reverse().slice(0, limit);
  }

  async revive(id: number, at: Date): Promise<boolean> {
    const row = this.row(id);
    if (row?.status !== 'dead') return false;
    Object.assign(row, { status: 'pending', attempts: 0, runAt: at });
    return true;
  }

  async postpone(id: number, runAt: Date): Promise<void> {
    Object.assign(this.row(id)!, { status: 'pending', runAt, lockedBy: null });
  }

  async stats(now: Date): Promise<{ pending: number; dead: number; oldestDueAt: Date | null }> {
    const waiting = this.rows.filter((r) => r.status === 'pending' || r.status === 'queued');
    const due = waiting.filter((r) => r.runAt <= now).map((r) => r.runAt.getTime());
    return { pending: waiting.length, dead: this.rows.filter((r) => r.status === 'dead').length, oldestDueAt: due.length > 0 ? new Date(Math.min(...due)) : null };
  }

  async queueStats(now: Date): Promise<QueueStats[]> {
    const claimed = (r: JobRecord) => r.status === 'pending' && r.lockedBy !== null && r.runAt > now;
    const waiting = this.rows.filter((r) => (r.status === 'pending' || r.status === 'queued') && !claimed(r));
    const byQueue = (rows: JobRecord[]) => {
      const groups = new Map<string, JobRecord[]>();
      for (const r of rows) groups.set(r.queue, [...(groups.get(r.queue) ?? []), r]);
      return [...groups];
    };
    const count = (rows: JobRecord[]) => byQueue(rows).map(([queue, of]) => [queue, of.length] as const);
    const dueSince = byQueue(waiting.filter((r) => r.runAt <= now)).map(([queue, of]) => [queue, new Date(Math.min(...of.map((r) => r.runAt.getTime())))] as const);
    return queueStatsOf(now, { waiting: count(waiting), dueSince, active: count(this.rows.filter(claimed)), failed: count(this.rows.filter((r) => r.status === 'dead')) });
  }

  async purge(before: Date): Promise<number> {
    const old = this.rows.filter((r) => r.status === 'done' && r.doneAt && r.doneAt < before);
    for (const r of old) this.rows.splice(this.rows.indexOf(r), 1);
    return old.length;
  }

  private row(id: number): JobRecord | undefined {
    return this.rows.find((r) => r.id === id);
  }
}
