/**
 * The hand-off from one GLPI delivery to its ticket's next item is durable, on a real database
 * (SQLite, or PostgreSQL with DATABASE_URL): the item is marked delivered and the next item's job
 * (waiting "not ready" for up to the connector's longest backoff) made due in one transaction, so
 * an instance that dies right after a delivery leaves the next job due for any other runner; a
 * claimed job is left alone, and a transaction that fails changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJobs } from '../../src/app/jobs.ts';
import { deliveryJob, DELIVERY_QUEUE } from '../../src/connectors/glpi/outbox.ts';
import { systemClock } from '../../src/core/ports.ts';
import type { JobRunner } from '../../src/jobs/runner.ts';
import { PrismaGlpiDeliveries } from '../../src/persistence/stores/glpi-deliveries.ts';
import { enqueueJobs } from '../../src/persistence/stores/jobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;
const opened: JobRunner[] = [];
const LATER = 15 * 60_000;

beforeEach(async () => {
  testDb = await createTestDatabase();
});

afterEach(async () => {
  for (const jobs of opened.splice(0)) await jobs.stop();
  await testDb.cleanup();
});

/** Two items of ticket #1042 with their jobs: the first due, the second put back for later (it waited for the first). */
async function twoItems(now: Date, second: { lockedBy?: string } = {}) {
  const { client } = testDb.db;
  const first = await client.glpiOutbox.create({ data: { key: '1042:create', ticketNumber: 1042, kind: 'create-ticket', payload: {} } });
  await client.glpiOutbox.create({ data: { key: '1042:followup:1', ticketNumber: 1042, kind: 'followup', payload: { text: 'hello' } } });
  await enqueueJobs(client, testDb.db.provider, [{ ...deliveryJob('1042:create'), runAt: now }, { ...deliveryJob('1042:followup:1'), runAt: new Date(now.getTime() + LATER) }], now);
  if (second.lockedBy) await client.job.update({ where: { key: 'glpi:1042:followup:1' }, data: { lockedBy: second.lockedBy } });
  return first;
}

const jobOf = (key: string) => testDb.db.client.job.findUniqueOrThrow({ where: { key } });

describe(`GLPI's next item on ${process.env.DATABASE_URL?.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}`, () => {
  it('is made due in the transaction that marks the item delivered, and another runner runs it after this one died', { timeout: 60_000 }, async () => {
    const now = new Date();
    const first = await twoItems(now);
    const next = await new PrismaGlpiDeliveries(testDb.db).markDoneThen(first.id, now, { jobKey: (o) => deliveryJob(o.key).key, runAt: now });
    expect(next).toBe('glpi:1042:followup:1');
    expect(await testDb.db.client.glpiOutbox.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'done' });
    expect((await jobOf('glpi:1042:followup:1')).runAt.getTime()).toBe(now.getTime());
    // The instance that delivered died here (no runNow): another one's runner finds the next job due.
    await testDb.db.client.job.update({ where: { key: 'glpi:1042:create' }, data: { status: 'done' } });
    const other = openJobs(testDb.db, { url: testDb.url, clock: systemClock, settings: { pollMs: 200, leaseSeconds: 30, graceSeconds: 0, maxAttempts: 3, concurrency: 2, backoffSeconds: 1 }, onError: () => {} });
    opened.push(other);
    const ran: string[] = [];
    other.handle(DELIVERY_QUEUE, async (payload) => void ran.push(String(payload.item)));
    await other.drain();
    expect(ran).toEqual(['1042:followup:1']);
  });

  it('leaves a claimed next job alone, and changes nothing when the transaction fails', { timeout: 60_000 }, async () => {
    const now = new Date();
    const first = await twoItems(now, { lockedBy: 'instance-b' });
    const store = new PrismaGlpiDeliveries(testDb.db);
    const before = (await jobOf('glpi:1042:followup:1')).runAt.getTime();
    await store.markDoneThen(first.id, now, { jobKey: (o) => deliveryJob(o.key).key, runAt: now });
    expect((await jobOf('glpi:1042:followup:1')).runAt.getTime()).toBe(before);

    await testDb.db.client.glpiOutbox.update({ where: { id: first.id }, data: { status: 'pending' } });
    await testDb.db.client.job.update({ where: { key: 'glpi:1042:followup:1' }, data: { lockedBy: null } });
    await expect(store.markDoneThen(first.id, now, { jobKey: () => { throw new Error('key lost'); }, runAt: now })).rejects.toThrow('key lost');
    expect(await testDb.db.client.glpiOutbox.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'pending' });
    expect((await jobOf('glpi:1042:followup:1')).runAt.getTime()).toBe(before);
  });
});
