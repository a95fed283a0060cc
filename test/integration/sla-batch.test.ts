/**
 * The SLA clock's batched firing path on a real database (SQLite, or PostgreSQL with DATABASE_URL):
 * a mass breach of 300 tickets is fired once each (timeline events, escalations, one tell job per
 * batch in the outbox, each person told once per batch, of each ticket once, by the job runner), two schedulers on two connections ticking the same
 * due tickets at once fire each breach once (the claim: a compare-and-set of the stored next
 * moment), and a ticket paused or reprioritised between the clock's read and its firing is not
 * fired on what was read.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/jobs/runner.ts';
import type { Notifier } from '../../src/core/ports.ts';
import type { Database } from '../../src/persistence/database.ts';
import { PrismaJobStore } from '../../src/persistence/stores/jobs.ts';
import type { DeskConfig } from '../../src/ticketing/config.ts';
import type { DeskInternals } from '../../src/ticketing/desk/internals.ts';
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

const internals = (db: Database) => prismaTicketDesk({ db, clock, notifier, config, onError: (err) => errors.push(err) }).internals;
const runner = (db: Database) => createJobRunner({ store: new PrismaJobStore(db), concurrency: 1, now: () => clock.now(), onError: (err) => errors.push(err) });
/** A scheduler writing its tell jobs in the outbox (the job runner given, or one that is never started). */
const scheduler = (db: Database, options: { desk?: DeskInternals; jobs?: ReturnType<typeof runner> } = {}) =>
  createSlaScheduler({ clock, desk: options.desk ?? internals(db), config, batch: 50, jobs: options.jobs ?? runner(db), onError: (err) => errors.push(err) });

/** `count` open P4 tickets of the network group, unassigned, past their response target, numbered from `from`. */
async function seed(from: number, count: number, fields: (i: number) => Record<string, unknown> = () => ({})): Promise<void> {
  const requesterId = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'alice.martin@example.org' } })).id;
  const now = clock.now();
  await testDb.db.client.ticket.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      number: from + i, type: 'incident', title: `Seeded ${from + i}`, description: 'seeded', category: 'test', impact: 2, urgency: 3, priority: 4,
      status: 'new', requesterId, groupId: 'network', level: 1, slaPolicyId: 'standard', diagnosis: {}, createdAt: new Date(now.getTime() - 5 * 60 * MINUTE),
      responseDueAt: new Date(now.getTime() - MINUTE), resolutionDueAt: new Date(now.getTime() + 30 * DAY), nextSlaAt: new Date(now.getTime() - MINUTE),
      ...fields(i),
    })),
  });
}

const eventKeys = (kind: string) => keysOf(testDb.db, kind);
const tellJobs = () => testDb.db.client.job.count({ where: { queue: 'sla.tell' } });
/** The tickets the tell jobs tell of (a batch's job carries its tickets), sorted. */
const toldTickets = async () =>
  (await testDb.db.client.job.findMany({ where: { queue: 'sla.tell' } })).flatMap((j) => (j.payload as { tickets?: { number: number }[] }).tickets?.map((t) => t.number) ?? [(j.payload as { number: number }).number]).sort((x, y) => x - y);
/** The ticket numbers a person's messages tell of ("Ticket #N (title)"), one per line told. */
const ticketsIn = (sent: RecordingNotifier['sent']) => sent.flatMap((s) => s.messages.flatMap((m) => (m.type === 'text' ? [...m.text.matchAll(/Ticket #(\d+) \(/g)].map((x) => Number(x[1])) : [])));

beforeAll(async () => {
  ({ testDb, second, config } = await openSlaDatabases());
}, 60_000);

afterAll(() => closeSlaDatabases({ testDb, second }));

beforeEach(async () => {
  clock = new FakeClock(MONDAY_10H_PARIS);
  notifier.clear();
  errors.length = 0;
  await testDb.db.client.ticket.deleteMany({});
  await testDb.db.client.job.deleteMany({});
});

describe('a mass breach', () => {
  it('fires each of 300 breaches once — events, escalations, one tell job per batch — and the job runner tells each person ONE message for the tick (a digest job each), of each breach once', { timeout: 120_000 }, async () => {
    // The first 20 are past their resolution target too: that breach moves them to the next level (the per-ticket path, in the same batches).
    await seed(5000, 300, (i) => (i < 20 ? { resolutionDueAt: new Date(clock.now().getTime() - MINUTE) } : {}));
    const jobs = runner(testDb.db);
    const clockOf = scheduler(testDb.db, { jobs });

    expect(await clockOf.tick()).toEqual({ warnings: 0, breaches: 320, escalations: 340, autoClosed: 0 });
    expect(errors).toEqual([]);
    const numbers = Array.from({ length: 300 }, (_, i) => 5000 + i);
    const moved = numbers.slice(0, 20);
    expect(await eventKeys('sla-breach')).toEqual([...numbers.map((n) => `${n} sla-breach:response:P4`), ...moved.map((n) => `${n} sla-breach:resolution:P4`)].sort());
    expect(await eventKeys('escalated')).toEqual(
      [
        ...numbers.map((n) => `${n} escalated:hierarchical:sla-response:P4`),
        ...moved.flatMap((n) => [`${n} escalated:hierarchical:sla-resolution:P4`, `${n} escalated:functional:sla:P4`]),
      ].sort(),
    );
    // 6 batches of 50 (one job each) and the 20 breaches that moved a ticket (the per-ticket path, a job each).
    expect(await tellJobs()).toBe(26);
    expect(await toldTickets()).toEqual([...numbers, ...moved].sort((x, y) => x - y));
    expect(await testDb.db.client.ticket.count({ where: { responseBreached: true } })).toBe(300);
    const up = await testDb.db.client.ticket.findMany({ where: { resolutionBreached: true }, select: { number: true, groupId: true, level: true }, orderBy: { number: 'asc' } });
    expect(up.map((t) => t.number)).toEqual(moved);
    for (const t of up) expect(t).toMatchObject({ groupId: 'infrastructure', level: 3 });
    // None is due any more: the 280 others wait for their resolution warning; the 20 moved have nothing left to watch.
    expect(await testDb.db.client.ticket.count({ where: { nextSlaAt: { gt: clock.now() } } })).toBe(280);
    expect(await testDb.db.client.ticket.count({ where: { nextSlaAt: null, number: { in: moved } } })).toBe(20);

    // The tick's digests: the 26 tell jobs claimed (each one's cards job) and ONE digest job per person told.
    const digests = await testDb.db.client.job.findMany({ where: { queue: 'sla.digest' } });
    expect(await testDb.db.client.job.count({ where: { queue: 'sla.changed' } })).toBe(26);
    expect(await jobs.drain()).toBe(26 + digests.length);
    expect(errors).toEqual([]);
    // Each person one message for the whole tick: the group's manager, a digest of the 320 breaches (the first 20 listed, the others counted).
    const manager = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'olivier.garnier@example.org' } })).id;
    const ofManager = notifier.sent.filter((s) => s.userId === manager);
    expect(ofManager.length).toBe(1);
    const digest = (ofManager[0]!.messages[0] as { text: string }).text.split('\n');
    expect(digest[0]).toMatch(/ 320 tickets /);
    expect(digest.filter((l) => l.startsWith('• '))).toHaveLength(20);
    expect(digest.at(-1)).toMatch(/300/);
    const people = notifier.sent.map((s) => s.userId);
    expect(new Set(people).size).toBe(people.length);
    expect(people.length).toBe(digests.length);
    // Every breach is in the digests of the people who must hear of it: the manager's holds them all.
    const managerDigest = digests.find((d) => (d.payload as { to: string }).to === manager)!.payload as { total: number };
    expect(managerDigest.total).toBe(320);
    // The tell jobs come due after their wait: the digests have their tickets, nobody is told again.
    clock.advance(11 * MINUTE);
    expect(await jobs.drain()).toBe(26);
    expect(notifier.sent.length).toBe(people.length);
    // Nothing due any more: a second tick, and a second drain, fire and tell nothing.
    notifier.clear();
    expect(await clockOf.tick()).toEqual({ warnings: 0, breaches: 0, escalations: 0, autoClosed: 0 });
    expect(await jobs.drain()).toBe(0);
    expect(notifier.sent).toEqual([]);
  });

  it('dead before its digests, the tick leaves its tell jobs to tell each batch after their wait, each breach once', { timeout: 120_000 }, async () => {
    await seed(5500, 120);
    const jobs = runner(testDb.db);
    expect(await scheduler(testDb.db, { jobs }).tick()).toMatchObject({ breaches: 120 });
    // As if the instance died after the batches' commits, before the digests' unit: none of it is there.
    await testDb.db.client.job.deleteMany({ where: { queue: { in: ['sla.digest', 'sla.changed'] } } });
    expect(await jobs.drain()).toBe(0); // the tell jobs wait for the digests that never come
    clock.advance(11 * MINUTE);
    // 3 batches, then each one's cards job (its claim) and the digest jobs written with it (one per person told of its batch).
    expect(await jobs.drain()).toBe(3 + 3 + (await testDb.db.client.job.count({ where: { queue: 'sla.digest' } })));
    expect(errors).toEqual([]);
    const manager = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'olivier.garnier@example.org' } })).id;
    const ofManager = notifier.sent.filter((s) => s.userId === manager);
    // One digest per batch (as before the tick's digests), of its 50, 50 and 20 tickets: 120 told once.
    expect(ofManager.length).toBe(3);
    const counts = ofManager.map((s) => Number(/ (\d+) tickets /.exec((s.messages[0] as { text: string }).text)![1]));
    expect(counts.sort((x, y) => x - y)).toEqual([20, 50, 50]);
    expect(new Set(ticketsIn(ofManager)).size).toBe(20 + 20 + 20);
  });
});

describe('an instance dying right after a tell job wins its claim', () => {
  it('leaves nothing half done: the next runner finds the claim with its digest jobs (or no claim), and every breach is told once', { timeout: 120_000 }, async () => {
    await seed(5600, 120);
    expect(await scheduler(testDb.db).tick()).toMatchObject({ breaches: 120 });
    // The tick died before its digests: the 3 tell jobs are the fallback.
    await testDb.db.client.job.deleteMany({ where: { queue: { in: ['sla.digest', 'sla.changed'] } } });
    clock.advance(11 * MINUTE);
    // An instance whose process dies right after the first job's work commits: nothing of it recorded
    // after (no step, no end), and nothing more taken; its claim on that job ends with its lease.
    let dead = false;
    const store = new PrismaJobStore(testDb.db);
    const died = async (): Promise<never> => {
      dead = true;
      throw new Error('the instance died');
    };
    const dying = Object.assign(Object.create(store) as PrismaJobStore, {
      saveProgress: died, done: died, retry: died, dead: died, postpone: died,
      claim: (...args: Parameters<PrismaJobStore['claim']>) => (dead ? Promise.resolve(false) : store.claim(...args)),
      due: (...args: Parameters<PrismaJobStore['due']>) => (dead ? Promise.resolve([]) : store.due(...args)),
    });
    const first = createJobRunner({ store: dying, concurrency: 1, now: () => clock.now(), onError: () => {} });
    scheduler(testDb.db, { jobs: first });
    await first.drain();
    expect(dead).toBe(true);
    expect(await testDb.db.client.job.count({ where: { queue: 'sla.changed' } })).toBe(1);
    expect(notifier.sent).toEqual([]);

    // Another instance, once the dead one's lease has ended.
    clock.advance(6 * MINUTE);
    const next = runner(testDb.db);
    scheduler(testDb.db, { jobs: next });
    await next.drain();
    expect(errors).toEqual([]);
    expect(await testDb.db.client.job.count({ where: { status: { not: 'done' } } })).toBe(0);
    const manager = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'olivier.garnier@example.org' } })).id;
    const ofManager = notifier.sent.filter((s) => s.userId === manager);
    // Each batch told once (a digest of its 50, 50 and 20 tickets): 120 breaches, none missed, none twice.
    const counts = ofManager.map((s) => Number(/ (\d+) tickets /.exec((s.messages[0] as { text: string }).text)![1]));
    expect(counts.sort((x, y) => x - y)).toEqual([20, 50, 50]);
    expect(new Set(ticketsIn(ofManager)).size).toBe(20 + 20 + 20);
    // Nobody hears of a ticket twice.
    for (const userId of new Set(notifier.sent.map((s) => s.userId))) {
      const lines = ticketsIn(notifier.sent.filter((s) => s.userId === userId));
      expect(new Set(lines).size).toBe(lines.length);
    }
  });
});

describe('two schedulers', () => {
  it('on two connections, ticking the same 300 due tickets at once, fire each breach once', { timeout: 120_000 }, async () => {
    await seed(6000, 300);
    const [a, b] = await Promise.all([scheduler(testDb.db).tick(), scheduler(second).tick()]);
    expect(errors).toEqual([]);
    expect(a.breaches + b.breaches).toBe(300);
    expect(a.escalations + b.escalations).toBe(300);
    const keys = await eventKeys('sla-breach');
    expect(keys).toHaveLength(300);
    expect(new Set(keys).size).toBe(300);
    expect(await eventKeys('escalated')).toHaveLength(300);
    expect(await toldTickets()).toEqual(Array.from({ length: 300 }, (_, i) => 6000 + i));
    expect(await testDb.db.client.ticket.count({ where: { responseBreached: false } })).toBe(0);
  });
});

describe('a ticket changed between the read and the firing', () => {
  it('is not fired on what was read: paused, it waits; reprioritised, its new targets are watched instead', async () => {
    await seed(7000, 10);
    const desk = internals(testDb.db);
    const later = new Date(clock.now().getTime() + 2 * 60 * MINUTE);
    // Between the clock's read of the due tickets and its unit of work, 7003 waits for its requester
    // and 7006 gets another priority with new targets: both through the desk's repository, which re-arms their moments.
    const changing: DeskInternals = {
      ...desk,
      repository: new Proxy(desk.repository, {
        get(target, prop) {
          if (prop === 'slaDue') {
            return async (...args: Parameters<typeof target.slaDue>) => {
              const due = await target.slaDue(...args);
              if (due.some((t) => t.number === 7003)) {
                await target.update(7003, { status: 'pending-user', slaPausedAt: clock.now() });
                await target.update(7006, { priority: 3, responseDueAt: later, resolutionDueAt: new Date(clock.now().getTime() + DAY) });
              }
              return due;
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }),
    };

    expect(await scheduler(testDb.db, { desk: changing }).tick()).toMatchObject({ breaches: 8 });
    expect(errors).toEqual([]);
    const fired = [7000, 7001, 7002, 7004, 7005, 7007, 7008, 7009];
    expect(await eventKeys('sla-breach')).toEqual(fired.map((n) => `${n} sla-breach:response:P4`));
    expect(await toldTickets()).toEqual(fired);
    const paused = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: 7003 } });
    expect(paused).toMatchObject({ status: 'pending-user', responseBreached: false, nextSlaAt: null });
    const reprioritised = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: 7006 } });
    expect(reprioritised).toMatchObject({ priority: 3, responseBreached: false, responseWarnedAt: null });
    expect(reprioritised.nextSlaAt!.getTime()).toBeGreaterThan(clock.now().getTime());

    // Its new response target's warning comes in time, under its new priority.
    clock.advance(later.getTime() - 10 * MINUTE - clock.now().getTime());
    expect(await scheduler(testDb.db).tick()).toMatchObject({ warnings: 1, breaches: 0 });
    expect(await eventKeys('sla-warning')).toEqual(['7006 sla-warning:response:P3']);
  });
});

describe('a tell that no channel took', () => {
  it('fails its job, and the retry tells that person only: everyone is told once', { timeout: 60_000 }, async () => {
    await seed(8000, 2);
    const manager = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'olivier.garnier@example.org' } })).id;
    let down = true;
    const flaky: Notifier = {
      notify: async (userId, messages) => (down && userId === manager ? { delivered: [], failed: ['slack'] } : notifier.notify(userId, messages)),
    };
    const desk = prismaTicketDesk({ db: testDb.db, clock, notifier: flaky, config, onError: (err) => errors.push(err) }).internals;
    const failed: unknown[] = [];
    const jobs = createJobRunner({ store: new PrismaJobStore(testDb.db), concurrency: 1, now: () => clock.now(), backoffMs: 1_000, onError: (err) => failed.push(err) });
    expect((await scheduler(testDb.db, { desk, jobs }).tick()).breaches).toBe(2);

    await jobs.drain();
    const toManager = () => notifier.sent.filter((s) => s.userId === manager).length;
    expect(toManager()).toBe(0);
    // The tick's digests, one per person: the manager's failed, the others were told.
    expect(failed.map(String).filter((e) => e.includes('reached no channel'))).toHaveLength(1);
    const others = notifier.sent.length;
    expect(others).toBeGreaterThan(0);
    expect(await testDb.db.client.job.count({ where: { queue: 'sla.digest', status: 'pending' } })).toBe(1);

    // The channel is back: the retries tell the manager, and nobody else again.
    down = false;
    clock.advance(5_000);
    expect(await jobs.drain()).toBe(1);
    expect(toManager()).toBe(1);
    expect(ticketsIn(notifier.sent.filter((s) => s.userId === manager))).toEqual([8000, 8001]);
    expect(notifier.sent.length).toBe(others + 1);
    expect(await testDb.db.client.job.count({ where: { queue: 'sla.digest', status: 'pending' } })).toBe(0);
    expect(errors).toEqual([]);
  });
});
