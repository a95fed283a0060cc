/**
 * The GLPI store as the delivery jobs use it: an item marked delivered and its ticket's next item's
 * job made due in one transaction (GlpiStore.markDoneThen), so the hand-off to the next item is
 * durable — an instance dying right after a delivery leaves the next job due, not waiting for its
 * own "not ready" delay (up to the connector's longest backoff).
 */
import type { GlpiStore, OutboxItem } from '../../connectors/glpi/ports.ts';
import type { Database } from '../database.ts';
import { PrismaGlpiStore } from './glpi.ts';

export class PrismaGlpiDeliveries extends PrismaGlpiStore implements GlpiStore {
  constructor(private readonly database: Pick<Database, 'client'>) {
    super(database);
  }

  async markDoneThen(id: number, at: Date, next: { jobKey: (item: Pick<OutboxItem, 'key'>) => string; runAt: Date }): Promise<string | undefined> {
    return this.database.client.$transaction(async (tx) => {
      const done = await tx.glpiOutbox.update({ where: { id }, data: { status: 'done', doneAt: at }, select: { ticketNumber: true } });
      const following = await tx.glpiOutbox.findFirst({ where: { ticketNumber: done.ticketNumber, status: 'pending' }, orderBy: { id: 'asc' }, select: { key: true } });
      if (!following) return undefined;
      const key = next.jobKey(following);
      // Only a job waiting unclaimed (put back "not ready", or never run): a claimed one is running or backing off.
      await tx.job.updateMany({ where: { key, status: 'pending', lockedBy: null, runAt: { gt: next.runAt } }, data: { runAt: next.runAt } });
      return key;
    });
  }
}
