/**
 * GlpiStore in memory, for unit tests. Not for production: the outbox must survive a restart
 * (use src/persistence/stores/glpi.ts).
 */
import type { GlpiLink, GlpiStore, OutboxItem } from './ports.ts';
import { GuichetError } from '../../core/errors.ts';

export class MemoryGlpiStore implements GlpiStore {
  readonly links = new Map<number, GlpiLink>();
  readonly outbox: OutboxItem[] = [];
  readonly values = new Map<string, string>();

  async ensureLink(ticketNumber: number, marker: string): Promise<GlpiLink> {
    const link = this.links.get(ticketNumber) ?? { ticketNumber, glpiId: null, marker, solutionId: null };
    this.links.set(ticketNumber, link);
    return { ...link };
  }

  async link(ticketNumber: number): Promise<GlpiLink | undefined> {
    const link = this.links.get(ticketNumber);
    return link && { ...link };
  }

  async linkByGlpiId(glpiId: number): Promise<GlpiLink | undefined> {
    const link = [...this.links.values()].find((l) => l.glpiId === glpiId);
    return link && { ...link };
  }

  async linked(): Promise<GlpiLink[]> {
    return [...this.links.values()].filter((l) => l.glpiId !== null).map((l) => ({ ...l }));
  }

  async setLink(ticketNumber: number, changes: Partial<Pick<GlpiLink, 'glpiId' | 'solutionId'>>): Promise<void> {
    const link = this.links.get(ticketNumber);
    if (link) Object.assign(link, changes);
  }

  async enqueue(item: { key: string; ticketNumber: number; kind: OutboxItem['kind']; payload: Record<string, unknown> }, at: Date): Promise<boolean> {
    if (this.outbox.some((o) => o.key === item.key)) return false;
    this.outbox.push({ ...item, id: this.outbox.length + 1, status: 'pending', attempts: 0, lastError: null });
    return true;
  }

  async pending(limit: number): Promise<OutboxItem[]> {
    return this.outbox.filter((o) => o.status === 'pending').slice(0, limit).map((o) => ({ ...o }));
  }

  async pendingOf(ticketNumber: number): Promise<OutboxItem[]> {
    return this.outbox.filter((o) => o.status === 'pending' && o.ticketNumber === ticketNumber).map((o) => ({ ...o }));
  }

  async item(key: string): Promise<OutboxItem | undefined> {
    const item = this.outbox.find((o) => o.key === key);
    return item && { ...item };
  }

  async dead(limit: number): Promise<OutboxItem[]> {
    return this.outbox.filter((o) => o.status === 'dead').reverse().slice(0, limit).map((o) => ({ ...o }));
  }

  async markDone(id: number): Promise<void> {
    this.byId(id).status = 'done';
  }

  async markFailed(id: number, attempts: number, error: string): Promise<void> {
    Object.assign(this.byId(id), { attempts, lastError: error });
  }

  async markDead(id: number, attempts: number, error: string): Promise<void> {
    Object.assign(this.byId(id), { status: 'dead', attempts, lastError: error });
  }

  async revive(id: number): Promise<void> {
    Object.assign(this.byId(id), { status: 'pending', attempts: 0 });
  }

  async mark(key: string): Promise<boolean> {
    if (this.values.has(`mark:${key}`)) return false;
    this.values.set(`mark:${key}`, '1');
    return true;
  }

  async getValue(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async setValue(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  private byId(id: number): OutboxItem {
    const item = this.outbox.find((o) => o.id === id);
    if (!item) throw new GuichetError('connectors.glpi-corrupt-row', `connectors: memory GLPI store: no outbox item ${id}`);
    return item;
  }
}
