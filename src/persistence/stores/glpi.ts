/** The GLPI connector's store on Prisma: ticket links, the outbox and applied-change marks. */
import type { GlpiLink, GlpiStore, OutboxItem, OutboxKind } from '../../connectors/glpi/ports.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import { toJson } from './json.ts';
import { GuichetError } from '../../core/errors.ts';

const KINDS: readonly OutboxKind[] = ['create-ticket', 'followup', 'document', 'solution-answer'];
const STATUSES: readonly OutboxItem['status'][] = ['pending', 'done', 'dead'];

type LinkRow = { ticketNumber: number; glpiId: number | null; marker: string; solutionId: number | null };
type OutboxRow = { id: number; key: string; ticketNumber: number; kind: string; payload: unknown; status: string; attempts: number; lastError: string | null };

const toLink = (row: LinkRow): GlpiLink => ({ ticketNumber: row.ticketNumber, glpiId: row.glpiId, marker: row.marker, solutionId: row.solutionId });

function toItem(row: OutboxRow): OutboxItem {
  const kind = KINDS.find((k) => k === row.kind);
  if (!kind) throw new GuichetError('connectors.glpi-corrupt-row', `connectors: GLPI outbox item ${row.id} has an unknown kind "${row.kind}"`);
  return {
    id: row.id,
    key: row.key,
    ticketNumber: row.ticketNumber,
    kind,
    payload: (row.payload ?? {}) as Record<string, unknown>,
    status: STATUSES.find((s) => s === row.status) ?? 'pending',
    attempts: row.attempts,
    lastError: row.lastError,
  };
}

/**
 * On the database's client, or on a unit of work's (the ticket store's transaction, when the outbox
 * is written with the change that causes it). Unique rows are looked for before they are written:
 * on PostgreSQL a failed insert would abort the whole unit of work.
 */
export class PrismaGlpiStore implements GlpiStore {
  constructor(private readonly db: Pick<Database, 'client'>) {}

  async ensureLink(ticketNumber: number, marker: string): Promise<GlpiLink> {
    const existing = await this.db.client.glpiTicketLink.findUnique({ where: { ticketNumber } });
    if (existing) return toLink(existing);
    try {
      return toLink(await this.db.client.glpiTicketLink.create({ data: { ticketNumber, marker } }));
    } catch (err) {
      // Already linked (a retried change): the first link stands.
      if (!isUniqueViolation(err)) throw err;
      return toLink(await this.db.client.glpiTicketLink.findUniqueOrThrow({ where: { ticketNumber } }));
    }
  }

  async link(ticketNumber: number): Promise<GlpiLink | undefined> {
    const row = await this.db.client.glpiTicketLink.findUnique({ where: { ticketNumber } });
    return row ? toLink(row) : undefined;
  }

  async linkByGlpiId(glpiId: number): Promise<GlpiLink | undefined> {
    const row = await this.db.client.glpiTicketLink.findUnique({ where: { glpiId } });
    return row ? toLink(row) : undefined;
  }

  async linked(): Promise<GlpiLink[]> {
    const rows = await this.db.client.glpiTicketLink.findMany({ where: { glpiId: { not: null } }, orderBy: { ticketNumber: 'asc' } });
    return rows.map(toLink);
  }

  async setLink(ticketNumber: number, changes: Partial<Pick<GlpiLink, 'glpiId' | 'solutionId'>>): Promise<void> {
    await this.db.client.glpiTicketLink.update({ where: { ticketNumber }, data: changes });
  }

  async enqueue(item: { key: string; ticketNumber: number; kind: OutboxKind; payload: Record<string, unknown> }, at: Date): Promise<boolean> {
    if (await this.db.client.glpiOutbox.findUnique({ where: { key: item.key }, select: { id: true } })) return false;
    try {
      await this.db.client.glpiOutbox.create({ data: { ...item, payload: toJson(item.payload), createdAt: at } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async pending(limit: number): Promise<OutboxItem[]> {
    const rows = await this.db.client.glpiOutbox.findMany({ where: { status: 'pending' }, orderBy: { id: 'asc' }, take: limit });
    return rows.map(toItem);
  }

  async pendingOf(ticketNumber: number): Promise<OutboxItem[]> {
    const rows = await this.db.client.glpiOutbox.findMany({ where: { status: 'pending', ticketNumber }, orderBy: { id: 'asc' } });
    return rows.map(toItem);
  }

  async item(key: string): Promise<OutboxItem | undefined> {
    const row = await this.db.client.glpiOutbox.findUnique({ where: { key } });
    return row ? toItem(row) : undefined;
  }

  async dead(limit: number): Promise<OutboxItem[]> {
    const rows = await this.db.client.glpiOutbox.findMany({ where: { status: 'dead' }, orderBy: { id: 'desc' }, take: limit });
    return rows.map(toItem);
  }

  async markDone(id: number, at: Date): Promise<void> {
    await this.db.client.glpiOutbox.update({ where: { id }, data: { status: 'done', doneAt: at } });
  }

  async markFailed(id: number, attempts: number, error: string): Promise<void> {
    await this.db.client.glpiOutbox.update({ where: { id }, data: { attempts, lastError: error.slice(0, 2_000) } });
  }

  async markDead(id: number, attempts: number, error: string): Promise<void> {
    await this.db.client.glpiOutbox.update({ where: { id }, data: { status: 'dead', attempts, lastError: error.slice(0, 2_000) } });
  }

  async revive(id: number): Promise<void> {
    await this.db.client.glpiOutbox.update({ where: { id }, data: { status: 'pending', attempts: 0 } });
  }

  async mark(key: string, at: Date): Promise<boolean> {
    try {
      await this.db.client.glpiSyncMark.create({ data: { key: `mark:${key}`, value: '1', at } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async getValue(key: string): Promise<string | undefined> {
    return (await this.db.client.glpiSyncMark.findUnique({ where: { key } }))?.value;
  }

  async setValue(key: string, value: string, at: Date): Promise<void> {
    await this.db.client.glpiSyncMark.upsert({ where: { key }, create: { key, value, at }, update: { value, at } });
  }
}
