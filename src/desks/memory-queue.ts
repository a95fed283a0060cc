/**
 * The queue in memory: for tests and a single instance. Not for several instances (each would
 * have its own queue) nor across restarts (waiting users and handling times are forgotten).
 */
import type { QueueEntry, QueueStore, WaitOutcome, WaitRecord } from './ports.ts';

export class MemoryQueueStore implements QueueStore {
  private readonly entries = new Map<number, QueueEntry>();
  private readonly ended: WaitRecord[] = [];
  private readonly handling = new Map<number, { groupId: string; at: Date }>();
  private readonly handled = new Map<string, number[]>();

  async add(entry: QueueEntry): Promise<boolean> {
    if (this.entries.has(entry.number)) return false;
    this.entries.set(entry.number, { ...entry });
    return true;
  }

  async get(number: number): Promise<QueueEntry | undefined> {
    const e = this.entries.get(number);
    return e && { ...e };
  }

  async update(entry: QueueEntry): Promise<void> {
    if (this.entries.has(entry.number)) this.entries.set(entry.number, { ...entry });
  }

  async end(number: number, outcome: WaitOutcome, at: Date): Promise<QueueEntry | undefined> {
    const e = this.entries.get(number);
    if (!e) return undefined;
    this.entries.delete(number);
    this.ended.push({ number, deskId: e.deskId, groupId: e.groupId, queuedAt: e.queuedAt, endedAt: at, outcome });
    return e;
  }

  async waiting(): Promise<QueueEntry[]> {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  async history(since: Date): Promise<WaitRecord[]> {
    return this.ended.filter((r) => r.endedAt >= since);
  }

  async startHandling(number: number, groupId: string, at: Date): Promise<void> {
    this.handling.set(number, { groupId, at });
  }

  async endHandling(number: number, at: Date): Promise<number | undefined> {
    const h = this.handling.get(number);
    if (!h) return undefined;
    this.handling.delete(number);
    const minutes = (at.getTime() - h.at.getTime()) / 60_000;
    this.handled.set(h.groupId, [...(this.handled.get(h.groupId) ?? []), minutes].slice(-500));
    return minutes;
  }

  async recentHandling(groupId: string, count: number): Promise<number[]> {
    return (this.handled.get(groupId) ?? []).slice(-count);
  }
}
