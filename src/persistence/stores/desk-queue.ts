/**
 * The desks' live queue and on-call pages on Prisma: who waits (positions and the position each
 * was told), how waits ended, handling times, and pages still running. A restart keeps them, and
 * several instances share them (the key of a page is recorded once).
 */
import type { Lang } from '../../core/lang.ts';
import type { PageRecord, PageStore } from '../../desks/pager.ts';
import type { PageSeverity } from '../../desks/pagerduty.ts';
import type { QueueEntry, QueueStore, WaitOutcome, WaitRecord } from '../../desks/ports.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import { toJson } from './json.ts';

type EntryRow = { ticketNumber: number; deskId: string; groupId: string; priority: number; queuedAt: Date; userId: string; userName: string; lang: string; toldPosition: number | null; callbackAt: Date | null; messageRef: unknown };

const LANGS: readonly Lang[] = ['fr', 'en'];
const SEVERITIES: readonly PageSeverity[] = ['critical', 'error', 'warning', 'info'];

function toEntry(row: EntryRow): QueueEntry {
  return {
    number: row.ticketNumber,
    deskId: row.deskId,
    groupId: row.groupId,
    priority: row.priority,
    queuedAt: row.queuedAt,
    userId: row.userId,
    userName: row.userName,
    lang: LANGS.find((l) => l === row.lang) ?? 'fr',
    ...(row.toldPosition !== null ? { toldPosition: row.toldPosition } : {}),
    ...(row.callbackAt !== null ? { callbackAt: row.callbackAt } : {}),
    ...(row.messageRef !== null && row.messageRef !== undefined ? { messageRef: row.messageRef } : {}),
  };
}

const entryData = (e: QueueEntry) => ({
  deskId: e.deskId,
  groupId: e.groupId,
  priority: e.priority,
  queuedAt: e.queuedAt,
  userId: e.userId,
  userName: e.userName,
  lang: e.lang,
  toldPosition: e.toldPosition ?? null,
  callbackAt: e.callbackAt ?? null,
  ...(e.messageRef !== undefined ? { messageRef: toJson(e.messageRef) } : {}),
});

export class PrismaQueueStore implements QueueStore {
  constructor(private readonly db: Database) {}

  async add(entry: QueueEntry): Promise<boolean> {
    try {
      await this.db.client.deskQueueEntry.create({ data: { ticketNumber: entry.number, ...entryData(entry) } });
      return true;
    } catch (err) {
      // Already waiting (a replayed escalation): the first entry stands.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async get(number: number): Promise<QueueEntry | undefined> {
    const row = await this.db.client.deskQueueEntry.findUnique({ where: { ticketNumber: number } });
    return row ? toEntry(row) : undefined;
  }

  async update(entry: QueueEntry): Promise<void> {
    await this.db.client.deskQueueEntry.updateMany({ where: { ticketNumber: entry.number }, data: entryData(entry) });
  }

  async end(number: number, outcome: WaitOutcome, at: Date): Promise<QueueEntry | undefined> {
    return this.db.client.$transaction(async (tx) => {
      const row = await tx.deskQueueEntry.findUnique({ where: { ticketNumber: number } });
      if (!row) return undefined;
      // Only the caller that removed it records how it ended (two instances ending it at once: one record).
      const { count } = await tx.deskQueueEntry.deleteMany({ where: { ticketNumber: number } });
      if (count === 0) return undefined;
      await tx.deskWait.create({ data: { ticketNumber: number, deskId: row.deskId, groupId: row.groupId, queuedAt: row.queuedAt, endedAt: at, outcome } });
      return toEntry(row);
    });
  }

  async waiting(): Promise<QueueEntry[]> {
    return (await this.db.client.deskQueueEntry.findMany({ orderBy: { ticketNumber: 'asc' } })).map(toEntry);
  }

  async history(since: Date): Promise<WaitRecord[]> {
    const rows = await this.db.client.deskWait.findMany({ where: { endedAt: { gte: since } }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({ number: r.ticketNumber, deskId: r.deskId, groupId: r.groupId, queuedAt: r.queuedAt, endedAt: r.endedAt, outcome: r.outcome === 'abandoned' ? 'abandoned' : 'taken' }));
  }

  async startHandling(number: number, groupId: string, at: Date): Promise<void> {
    await this.db.client.$transaction(async (tx) => {
      await tx.deskHandling.deleteMany({ where: { ticketNumber: number, endedAt: null } });
      await tx.deskHandling.create({ data: { ticketNumber: number, groupId, startedAt: at } });
    });
  }

  async endHandling(number: number, at: Date): Promise<number | undefined> {
    const open = await this.db.client.deskHandling.findFirst({ where: { ticketNumber: number, endedAt: null }, orderBy: { id: 'desc' } });
    if (!open) return undefined;
    const minutes = (at.getTime() - open.startedAt.getTime()) / 60_000;
    const { count } = await this.db.client.deskHandling.updateMany({ where: { id: open.id, endedAt: null }, data: { endedAt: at, minutes } });
    return count === 1 ? minutes : undefined;
  }

  async recentHandling(groupId: string, count: number): Promise<number[]> {
    const rows = await this.db.client.deskHandling.findMany({ where: { groupId, minutes: { not: null } }, orderBy: [{ endedAt: 'desc' }, { id: 'desc' }], take: count, select: { minutes: true } });
    return rows.map((r) => r.minutes!).reverse();
  }
}

type PageRow = { key: string; ticketNumber: number; summary: string; severity: string; deskId: string; order: unknown; attempt: number; pagedAt: Date; acknowledgedBy: string | null; closed: boolean };

function toPage(row: PageRow): PageRecord {
  return {
    key: row.key,
    number: row.ticketNumber,
    summary: row.summary,
    severity: SEVERITIES.find((s) => s === row.severity) ?? 'critical',
    deskId: row.deskId,
    order: Array.isArray(row.order) ? row.order.filter((e): e is string => typeof e === 'string') : [],
    attempt: row.attempt,
    pagedAt: row.pagedAt,
    ...(row.acknowledgedBy !== null ? { acknowledgedBy: row.acknowledgedBy } : {}),
    closed: row.closed,
  };
}

const pageData = (p: PageRecord) => ({
  ticketNumber: p.number,
  summary: p.summary,
  severity: p.severity,
  deskId: p.deskId,
  order: toJson(p.order),
  attempt: p.attempt,
  pagedAt: p.pagedAt,
  acknowledgedBy: p.acknowledgedBy ?? null,
  closed: p.closed,
});

export class PrismaPageStore implements PageStore {
  constructor(private readonly db: Database) {}

  async create(page: PageRecord): Promise<boolean> {
    try {
      await this.db.client.oncallPage.create({ data: { key: page.key, ...pageData(page) } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async get(key: string): Promise<PageRecord | undefined> {
    const row = await this.db.client.oncallPage.findUnique({ where: { key } });
    return row ? toPage(row) : undefined;
  }

  async update(page: PageRecord): Promise<void> {
    await this.db.client.oncallPage.update({ where: { key: page.key }, data: pageData(page) });
  }

  async pending(): Promise<PageRecord[]> {
    const rows = await this.db.client.oncallPage.findMany({ where: { closed: false, acknowledgedBy: null }, orderBy: { pagedAt: 'asc' } });
    return rows.map(toPage);
  }
}
