/** Monitoring alerts on Prisma: one row per fingerprint, numbered from the "monitoring-alert" counter row. */
import type { AlertPatch, AlertRecord, AlertStore } from '../../ticketing/ports.ts';
import type { NewJob } from '../../core/jobs.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import { enqueueJobs } from './jobs.ts';
import type { Client } from './tickets-directory.ts';

type Row = Omit<AlertRecord, 'status' | 'decision'> & { status: string; decision: string | null };

const toRecord = (row: Row): AlertRecord => ({
  id: row.id, number: row.number, fingerprint: row.fingerprint, source: row.source, serviceId: row.serviceId, severity: row.severity, summary: row.summary,
  status: row.status === 'resolved' ? 'resolved' : 'firing', startsAt: row.startsAt, endsAt: row.endsAt, flaps: row.flaps, repeats: row.repeats,
  decision: row.decision as AlertRecord['decision'], incidentNumber: row.incidentNumber,
});

export class PrismaAlertStore implements AlertStore {
  constructor(private readonly db: Database) {}

  private get client() {
    return this.db.client;
  }

  async byFingerprint(fingerprint: string): Promise<AlertRecord | undefined> {
    const row = await this.client.monitoringAlert.findUnique({ where: { fingerprint } });
    return row ? toRecord(row) : undefined;
  }

  async byNumber(number: number): Promise<AlertRecord | undefined> {
    const row = await this.client.monitoringAlert.findUnique({ where: { number } });
    return row ? toRecord(row) : undefined;
  }

  async create(input: Omit<AlertRecord, 'id' | 'number' | 'flaps' | 'repeats' | 'decision' | 'incidentNumber'>): Promise<AlertRecord | undefined> {
    try {
      return await this.client.$transaction(async (tx) => {
        const counter = await tx.counter.upsert({ where: { name: 'monitoring-alert' }, create: { name: 'monitoring-alert', value: 1 }, update: { value: { increment: 1 } } });
        return toRecord(await tx.monitoringAlert.create({ data: { ...input, number: counter.value } }));
      });
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  async update(id: string, patch: AlertPatch, outbox?: { jobs: readonly NewJob[]; at: Date }): Promise<AlertRecord> {
    if (!outbox || outbox.jobs.length === 0) return toRecord(await this.client.monitoringAlert.update({ where: { id }, data: patch }));
    // The change and its posts' jobs: one transaction (no commit, no post; a commit, a post).
    return this.client.$transaction(async (tx) => {
      const row = await tx.monitoringAlert.update({ where: { id }, data: patch });
      await enqueueJobs(tx as Client, this.db.provider, outbox.jobs, outbox.at);
      return toRecord(row);
    });
  }

  async where(filter: { serviceId?: string; incidentNumber?: number; status?: 'firing' | 'resolved'; decision?: AlertRecord['decision'] }): Promise<AlertRecord[]> {
    const rows = await this.client.monitoringAlert.findMany({
      where: {
        ...(filter.serviceId !== undefined ? { serviceId: filter.serviceId } : {}),
        ...(filter.incidentNumber !== undefined ? { incidentNumber: filter.incidentNumber } : {}),
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.decision !== undefined ? { decision: filter.decision } : {}),
      },
      orderBy: { number: 'asc' },
    });
    return rows.map(toRecord);
  }
}
