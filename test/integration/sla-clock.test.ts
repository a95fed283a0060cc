/**
 * The SLA clock costs what is due, on a real database (SQLite, or PostgreSQL with DATABASE_URL):
 * a tick reads only the tickets whose stored next moment (Ticket.nextSlaAt) has come — of 1,000
 * open tickets all past their response target, only the 3 whose moment has come fire —, each
 * warning fires once when two schedulers on two connections tick at once, and ticket numbers stay
 * unique when 8 creations from two desks race (PostgreSQL: the ticket_number_seq sequence).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/persistence/database.ts';
import type { DeskConfig } from '../../src/ticketing/config.ts';
import { createSlaScheduler } from '../../src/ticketing/scheduler.ts';
import type { TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { prismaTicketDesk } from '../helpers/prisma-ticket-desk.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { closeSlaDatabases, DAY, eventKeys as keysOf, MINUTE, MONDAY_10H_PARIS, openSlaDatabases } from '../helpers/sla-world.ts';

let testDb: TestDatabase;
/** The other instance's connection: a second pool on PostgreSQL, the same connection on SQLite (one process). */
let second: Database;
let config: DeskConfig;
let clock: FakeClock;
const notifier = new RecordingNotifier();
const errors: unknown[] = [];

const desk = (db: Database) => prismaTicketDesk({ db, clock, notifier, config, onError: (err) => errors.push(err) });
const scheduler = (db: Database) => createSlaScheduler({ clock, desk: desk(db).internals, config, batch: 7, onError: (err) => errors.push(err) });

/** `count` open P4 tickets of the network group, numbered from `from`, inserted in one statement. */
async function seed(from: number, count: number, fields: (i: number) => Record<string, unknown>): Promise<void> {
  const requesterId = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' } })).id;
  const now = clock.now();
  await testDb.db.client.ticket.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      number: from + i, type: 'incident', title: `Seeded ${from + i}`, description: 'seeded', category: 'test', impact: 2, urgency: 3, priority: 4,
      status: 'new', requesterId, groupId: 'network', level: 1, slaPolicyId: 'standard', diagnosis: {}, createdAt: new Date(now.getTime() - 60 * MINUTE),
      responseDueAt: new Date(now.getTime() + 10 * MINUTE), resolutionDueAt: new Date(now.getTime() + 30 * DAY), nextSlaAt: new Date(now.getTime() - MINUTE),
      ...fields(i),
    })),
  });
}

const eventKeys = (kind: string) => keysOf(testDb.db, kind);

beforeAll(async () => {
  ({ testDb, second, config } = await openSlaDatabases());
}, 60_000);

afterAll(() => closeSlaDatabases({ testDb, second }));

beforeEach(async () => {
  clock = new FakeClock(MONDAY_10H_PARIS);
  notifier.clear();
  errors.length = 0;
  await testDb.db.client.ticket.deleteMany({});
});

describe('a tick', () => {
  it('reads only the tickets whose next moment has come: of 1,000 past their response target, the 3 due fire, the others are untouched', async () => {
    const now = clock.now();
    // All past their response target (a full scan would breach every one); only 3 are due by their stored moment.
    const due = new Set([7001, 7500, 7999]);
    const later = new Date(now.getTime() + DAY);
    await seed(7000, 1000, (i) => ({ responseDueAt: new Date(now.getTime() - MINUTE), nextSlaAt: due.has(7000 + i) ? new Date(now.getTime() - MINUTE) : later }));

    expect(await scheduler(testDb.db).tick()).toMatchObject({ breaches: 3, warnings: 0 });
    expect(errors).toEqual([]);
    expect(await eventKeys('sla-breach')).toEqual([...due].map((n) => `${n} sla-breach:response:P4`));
    const touched = await testDb.db.client.ticket.findMany({ where: { OR: [{ responseBreached: true }, { nextSlaAt: { not: later } }] }, select: { number: true }, orderBy: { number: 'asc' } });
    expect(touched.map((t) => t.number)).toEqual([...due]);
    // Each fired ticket waits for its next moment: the resolution warning, days away.
    const fired = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: 7500 } });
    expect(fired.nextSlaAt!.getTime()).toBeGreaterThan(now.getTime() + DAY);
  });

  it('fires each warning once when two schedulers on two connections tick at once, in batches', async () => {
    await seed(8000, 30, () => ({}));
    const [a, b] = await Promise.all([scheduler(testDb.db).tick(), scheduler(second).tick()]);
    expect(errors).toEqual([]);
    expect(a.warnings + b.warnings).toBe(30);
    const keys = await eventKeys('sla-warning');
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
    expect(await testDb.db.client.ticket.count({ where: { responseWarnedAt: null } })).toBe(0);
    // The next ticks find nothing due before the response targets.
    expect(await scheduler(second).tick()).toMatchObject({ warnings: 0, breaches: 0 });
  });

  it('re-derives backfilled tickets (nextSlaAt at the epoch) without firing what is not due', async () => {
    await seed(9000, 5, () => ({ createdAt: clock.now(), responseDueAt: new Date(clock.now().getTime() + DAY), nextSlaAt: new Date(0) }));
    expect(await scheduler(testDb.db).tick()).toMatchObject({ warnings: 0, breaches: 0 });
    expect(await testDb.db.client.ticket.count({ where: { nextSlaAt: { lte: clock.now() } } })).toBe(0);
  });
});

describe('ticket numbers', () => {
  it('stay unique and above 1000 when 8 creations from two desks race', async () => {
    const alice = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' } })).id;
    const desks = [desk(testDb.db), desk(second)];
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        desks[i % 2]!.create({ type: 'incident', title: `Imprimante ${i} en panne`, description: 'Elle ne répond plus', category: 'printing', impact: 3, urgency: 3, requesterId: alice, origin: `web:race-${i}`, createdBy: { id: alice, kind: 'user' } }),
      ),
    );
    const numbers = created.map((c) => c.ticket.number);
    expect(new Set(numbers).size).toBe(8);
    for (const n of numbers) expect(n).toBeGreaterThan(1000);
    // The same origin again is the same ticket.
    const again = await desk(second).create({ type: 'incident', title: 'Imprimante 0 en panne', description: 'Elle ne répond plus', category: 'printing', impact: 3, urgency: 3, requesterId: alice, origin: 'web:race-0', createdBy: { id: alice, kind: 'user' } });
    expect(again).toMatchObject({ created: false, ticket: { number: numbers[0] } });
    // Each creation stored its next SLA moment.
    expect(await testDb.db.client.ticket.count({ where: { nextSlaAt: null } })).toBe(0);
  });
});
