/**
 * The SLA clock on a real database (SQLite, or PostgreSQL with DATABASE_URL)
 * with the shipped configuration: tickets are inserted with Prisma directly,
 * time is a FakeClock, notifications are recorded. Warnings and breaches fire
 * once each — across ticks, after a restart (a new scheduler on the same
 * database) and with two schedulers on two connections ticking at once —
 * escalation moves the group and level and records its events, a ticket
 * waiting for its requester does not run its clock, and resolved tickets
 * nobody confirms are closed after three business days.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Priority } from '../../src/core/tickets.ts';
import type { Database } from '../../src/persistence/database.ts';
import type { DeskConfig } from '../../src/ticketing/config.ts';
import { prismaTicketDesk } from '../helpers/prisma-ticket-desk.ts';
import type { TicketDeskService } from '../../src/ticketing/desk/ticket-desk.ts';
import { createSlaScheduler, type TickReport } from '../../src/ticketing/scheduler.ts';
import { dueDates, resumeDueDates } from '../../src/ticketing/sla.ts';
import type { TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { closeSlaDatabases, MINUTE, MONDAY_10H_PARIS, openSlaDatabases } from '../helpers/sla-world.ts';

let testDb: TestDatabase;
/** The other instance's connection (test/helpers/sla-world.ts). */
let second: Database;
let config: DeskConfig;
let clock: FakeClock;
const notifier = new RecordingNotifier();
const errors: unknown[] = [];
let nextNumber = 5001;

function desk(db: Database): TicketDeskService {
  return prismaTicketDesk({ db, clock, notifier, config, onError: (err) => errors.push(err) });
}
function scheduler(db: Database = testDb.db) {
  return createSlaScheduler({ clock, desk: desk(db).internals, config, onError: (err) => errors.push(err) });
}
const person = async (email: string) => (await testDb.db.client.user.findFirstOrThrow({ where: { email } })).id;
const row = (number: number) => testDb.db.client.ticket.findUniqueOrThrow({ where: { number } });
const keys = async (number: number) =>
  (await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, dedupeKey: { not: null } }, orderBy: { dedupeKey: 'asc' } })).map((e) => e.dedupeKey);
const sum = (reports: TickReport[]): TickReport =>
  reports.reduce((a, r) => ({ warnings: a.warnings + r.warnings, breaches: a.breaches + r.breaches, escalations: a.escalations + r.escalations, autoClosed: a.autoClosed + r.autoClosed }));

/** Inserts an open ticket as the desk would have created it at the clock's time. */
async function insertTicket(options: { groupId: string; level?: number; priority?: Priority; policy?: string; status?: string; assignee?: string; requester?: string; paused?: Date; pausedMinutes?: number }) {
  const policy = config.policies.find((p) => p.id === (options.policy ?? 'standard'))!;
  const cal = config.calendars.find((c) => c.id === policy.calendarId)!;
  const priority = options.priority ?? 4;
  const now = clock.now();
  let due: { responseDueAt: Date | null; resolutionDueAt: Date | null } = dueDates(policy, cal, priority, now);
  if (options.pausedMinutes) {
    // As if paused for that long right after creation, then resumed.
    const pausedAt = now;
    const { responseDueAt, resolutionDueAt } = resumeDueDates(cal, due, pausedAt, new Date(pausedAt.getTime() + options.pausedMinutes * MINUTE));
    due = { responseDueAt, resolutionDueAt };
  }
  const number = nextNumber++;
  await testDb.db.client.ticket.create({
    data: {
      number,
      type: 'incident',
      title: `Test ticket ${number}`,
      description: 'Inserted by the SLA test',
      category: 'test',
      impact: 2,
      urgency: 3,
      priority,
      status: options.status ?? (options.assignee ? 'assigned' : 'new'),
      requesterId: await person(options.requester ?? 'alice.martin@example.org'),
      assigneeId: options.assignee ? await person(options.assignee) : null,
      firstResponseAt: options.assignee ? now : null,
      groupId: options.groupId,
      level: options.level ?? config.groups.find((g) => g.id === options.groupId)!.level,
      slaPolicyId: policy.id,
      responseDueAt: due.responseDueAt,
      resolutionDueAt: due.resolutionDueAt,
      slaPausedAt: options.paused ?? null,
      slaPausedMinutes: options.pausedMinutes ?? 0,
      // As the migration backfills existing tickets: due at once, the first tick stores the real next moment.
      nextSlaAt: new Date(0),
      diagnosis: {},
      createdAt: now,
    },
  });
  return number;
}

beforeAll(async () => {
  ({ testDb, second, config } = await openSlaDatabases());
  // Alice reads English; everybody else has no preference yet (French).
  await testDb.db.client.user.updateMany({ where: { email: 'alice.martin@example.org' }, data: { locale: 'en' } });
}, 60_000);

afterAll(() => closeSlaDatabases({ testDb, second }));

beforeEach(async () => {
  clock = new FakeClock(MONDAY_10H_PARIS);
  notifier.clear();
  errors.length = 0;
  // Each test starts with no ticket in the way of the others.
  await testDb.db.client.ticket.deleteMany({});
});

describe('warnings and breaches', () => {
  it('warns at 75 % of the response target, once, also after a restart, telling the group’s manager and the requester', async () => {
    const number = await insertTicket({ groupId: 'network' }); // P4: response 240 business minutes → due 15:00 Paris
    expect((await row(number)).responseDueAt?.toISOString()).toBe('2026-11-23T14:00:00.000Z');
    const clockwork = scheduler();
    clock.advance(179 * MINUTE); // 12:59 Paris: 179 minutes… minus lunch, only 150 used
    expect(await clockwork.tick()).toEqual({ warnings: 0, breaches: 0, escalations: 0, autoClosed: 0 });
    clock.advance(61 * MINUTE); // 14:00 Paris: 180 business minutes = 75 %
    expect(await clockwork.tick()).toMatchObject({ warnings: 1, breaches: 0 });
    expect(await clockwork.tick()).toMatchObject({ warnings: 0 });
    expect(await scheduler().tick()).toMatchObject({ warnings: 0 }); // restarted
    expect(await keys(number)).toEqual(['sla-warning:response:P4']);
    expect((await row(number)).responseWarnedAt?.toISOString()).toBe(clock.now().toISOString());

    // Nobody has it: the network group's manager is told, in French; the requester in English, with the ticket.
    const manager = await person('olivier.garnier@example.org');
    expect(notifier.textsFor(manager)).toHaveLength(1);
    expect(notifier.textsFor(manager)[0]).toMatch(new RegExp(`⏰ Ticket #${number} \\(Test ticket ${number}\\) : 75 % du délai de prise en charge écoulé \\(échéance lun\\. 23 nov\\. 2026, 15:00\\)`));
    const alice = await person('alice.martin@example.org');
    expect(notifier.textsFor(alice)[0]).toMatch(new RegExp(`Your ticket #${number} is taking longer than planned`));
    const toAlice = notifier.sent.find((s) => s.userId === alice)!;
    expect(toAlice.messages[1]).toMatchObject({ type: 'ticket', lang: 'en', ticket: { number, status: 'new' } });
    expect(errors).toEqual([]);
  });

  it('watches the new targets after a priority change: a warning of the old one does not silence the new one', async () => {
    const number = await insertTicket({ groupId: 'network' }); // P4: response due 15:00 Paris, warned at 14:00
    const clockwork = scheduler();
    clock.advance(4 * 60 * MINUTE); // 14:00 Paris
    expect(await clockwork.tick()).toMatchObject({ warnings: 1 });
    // An agent lowers it to P5: response in 480 business minutes → Tuesday 09:30 Paris, 75 % at Monday 17:00.
    const agent = { id: await person('nadia.benali@example.org'), role: 'agent' as const };
    expect(await desk(testDb.db).setPriority(number, agent, 3, 3)).toMatchObject({ priority: 5, responseDueAt: '2026-11-24T08:30:00.000Z' });
    expect((await row(number)).responseWarnedAt).toBeNull();
    expect(await clockwork.tick()).toMatchObject({ warnings: 0, breaches: 0 });
    clock.advance(3 * 60 * MINUTE); // 17:00 Paris
    expect(await clockwork.tick()).toMatchObject({ warnings: 1, breaches: 0 });
    expect(await clockwork.tick()).toMatchObject({ warnings: 0 });
    clock.advance(16.5 * 60 * MINUTE); // Tuesday 09:30 Paris: the new due time
    expect(await clockwork.tick()).toMatchObject({ breaches: 1 });
    expect(await scheduler().tick()).toMatchObject({ warnings: 0, breaches: 0 }); // restarted
    expect(await keys(number)).toEqual(['escalated:hierarchical:sla-response:P5', 'sla-breach:response:P5', 'sla-warning:response:P4', 'sla-warning:response:P5']);
    expect(errors).toEqual([]);
  });

  it('warns the assignee rather than the manager when someone has the ticket', async () => {
    const number = await insertTicket({ groupId: 'workplace', assignee: 'camille.roux@example.org', priority: 3 }); // resolution 1,440 → 75 % = 1,080
    clock.advance(2 * 86_400_000); // Wednesday 10:00 Paris: 420 + 510 + 90 = 1,020 business minutes
    expect(await scheduler().tick()).toMatchObject({ warnings: 0 });
    clock.advance(60 * MINUTE); // 11:00: 1,080
    expect(await scheduler().tick()).toMatchObject({ warnings: 1 });
    expect(notifier.textsFor(await person('camille.roux@example.org')).join('\n')).toMatch(/75 % du délai de résolution écoulé/);
    expect(notifier.textsFor(await person('olivier.garnier@example.org'))).toEqual([]);
    expect(await keys(number)).toEqual(['sla-warning:resolution:P3']); // the response target was met when she took it
  });

  it('breaches the response target once: flag, hierarchical escalation, the group’s agents, manager and lead told', async () => {
    const number = await insertTicket({ groupId: 'network' });
    const clockwork = scheduler();
    clock.advance(5 * 60 * MINUTE); // 15:00 Paris: due
    expect(await clockwork.tick()).toMatchObject({ breaches: 1, escalations: 1, warnings: 0 });
    expect(await clockwork.tick()).toMatchObject({ breaches: 0, escalations: 0 });
    expect(await scheduler().tick()).toMatchObject({ breaches: 0, escalations: 0 });
    const t = await row(number);
    expect(t).toMatchObject({ responseBreached: true, resolutionBreached: false, groupId: 'network', level: 2 });
    expect(await keys(number)).toEqual(['escalated:hierarchical:sla-response:P4', 'sla-breach:response:P4']);

    const told = new Set(notifier.sent.map((s) => s.userId));
    const expected = await Promise.all(['nadia.benali', 'thomas.leroy', 'olivier.garnier', 'claire.fontaine'].map((n) => person(`${n}@example.org`)));
    expect([...told].sort()).toEqual([...expected].sort());
    expect(notifier.textsFor(expected[3]!)[0]).toMatch(new RegExp(`🚨 Ticket #${number} \\(Test ticket ${number}\\) : délai de prise en charge dépassé`));
    expect(errors).toEqual([]);
  });

  it('breaches the resolution target with two schedulers on two connections ticking at once: one firing, the ticket moves up a level', async () => {
    const number = await insertTicket({ groupId: 'workplace', assignee: 'hugo.lambert@example.org', status: 'in-progress', priority: 4 });
    const resolutionDue = (await row(number)).resolutionDueAt!;
    const [a, b] = [scheduler(testDb.db), scheduler(second)];
    clock.advance(resolutionDue.getTime() - clock.now().getTime());
    const reports = [...(await Promise.all([a.tick(), b.tick()])), ...(await Promise.all([b.tick(), a.tick()]))];
    expect(sum(reports)).toMatchObject({ breaches: 1, escalations: 2 });

    const t = await row(number);
    expect(t).toMatchObject({ resolutionBreached: true, groupId: 'infrastructure', level: 3, assigneeId: null, status: 'new' });
    expect(await keys(number)).toEqual(['escalated:functional:sla:P4', 'escalated:hierarchical:sla-resolution:P4', 'sla-breach:resolution:P4']);
    const functional = await testDb.db.client.ticketEvent.findFirstOrThrow({ where: { ticket: { number }, dedupeKey: 'escalated:functional:sla:P4' } });
    expect(functional.data).toMatchObject({ type: 'functional', from: 'workplace', to: 'infrastructure', level: 3, reason: 'sla-breach' });
    expect(await testDb.db.client.ticketEvent.count({ where: { ticket: { number }, kind: 'status' } })).toBe(1); // in-progress → new

    // The new group's agent, both managers (one person here), the lead and the former assignee, once each.
    const recipients = notifier.sent.map((s) => s.userId).sort();
    const expected = await Promise.all(['marc.dubois', 'olivier.garnier', 'claire.fontaine', 'hugo.lambert'].map((n) => person(`${n}@example.org`)));
    expect(recipients).toEqual([...expected].sort());
    expect(notifier.textsFor(expected[0]!)[0]).toMatch(/délai de résolution dépassé .* Escaladé au groupe Infrastructure and security \(N3\)\./);
    // The next breach of the level-3 group does not escalate further: nothing else is open.
    expect(sum(await Promise.all([a.tick(), b.tick()]))).toMatchObject({ breaches: 0, escalations: 0 });
    expect(errors).toEqual([]);
  });

  it('does not escalate functionally from the top level, only hierarchically', async () => {
    const number = await insertTicket({ groupId: 'infrastructure', assignee: 'marc.dubois@example.org', priority: 1 }); // resolution 240
    clock.advance(5 * 60 * MINUTE); // 15:00 Paris = 240 business minutes
    expect(await scheduler().tick()).toMatchObject({ breaches: 1, escalations: 1 });
    expect(await row(number)).toMatchObject({ groupId: 'infrastructure', level: 3, resolutionBreached: true });
    expect(await keys(number)).toEqual(['escalated:hierarchical:sla-resolution:P1', 'sla-breach:resolution:P1']);
  });

  it('fires the warning and the breach separately when a tick comes late, and the breach only once the due time is reached', async () => {
    const number = await insertTicket({ groupId: 'service-desk', priority: 2 }); // response 30 → warn at 10:22:30, due 10:30
    const clockwork = scheduler();
    clock.advance(22 * MINUTE);
    expect(await clockwork.tick()).toMatchObject({ warnings: 0, breaches: 0 });
    clock.advance(MINUTE);
    expect(await clockwork.tick()).toMatchObject({ warnings: 1, breaches: 0 });
    clock.advance(6 * MINUTE + 59_000); // 10:29:59
    expect(await clockwork.tick()).toMatchObject({ breaches: 0 });
    clock.advance(1_000);
    expect(await clockwork.tick()).toMatchObject({ breaches: 1 });
    expect(await keys(number)).toEqual(['escalated:hierarchical:sla-response:P2', 'sla-breach:response:P2', 'sla-warning:response:P2']);
  });
});

describe('robustness', () => {
  it('reports a ticket it cannot process and goes on with the others', async () => {
    const standard = await insertTicket({ groupId: 'network' }); // cannot be processed (below)
    const vip = await insertTicket({ groupId: 'network' });
    // The configuration now points the standard policy at a calendar that does not exist.
    const misconfigured: DeskConfig = { ...config, policies: config.policies.map((p) => (p.id === 'standard' ? { ...p, calendarId: 'nowhere' } : p)) };
    await testDb.db.client.ticket.update({ where: { number: vip }, data: { slaPolicyId: 'vip' } });
    clock.advance(5 * 60 * MINUTE);
    const reports: unknown[] = [];
    const clockwork = createSlaScheduler({ clock, desk: prismaTicketDesk({ db: testDb.db, clock, notifier, config: misconfigured }).internals, config: misconfigured, onError: (err) => reports.push(err) });
    expect(await clockwork.tick()).toMatchObject({ breaches: 1 });
    expect(await keys(vip)).toContain('sla-breach:response:P4'); // the vip policy is still on the paris calendar
    expect(await keys(standard)).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(String(reports[0])).toMatch(/unknown calendar "nowhere"/);
    // Without an onError, the pass still completes and then rejects: nothing is swallowed.
    const unwatched = createSlaScheduler({ clock, desk: prismaTicketDesk({ db: testDb.db, clock, notifier, config: misconfigured }).internals, config: misconfigured });
    await expect(unwatched.tick()).rejects.toThrow(/SLA clock: 1 ticket\(s\) could not be processed: .*unknown calendar "nowhere"/);
  });
});

describe('waiting for the requester', () => {
  it('runs no clock while a ticket waits under a policy that pauses, and runs it under one that does not', async () => {
    const paused = await insertTicket({ groupId: 'network', status: 'pending-user', assignee: 'nadia.benali@example.org', paused: MONDAY_10H_PARIS });
    const running = await insertTicket({ groupId: 'network', status: 'pending-user', assignee: 'nadia.benali@example.org', policy: 'critical-24x7', priority: 1 });
    clock.advance(30 * 86_400_000);
    expect(await scheduler().tick()).toMatchObject({ breaches: 1 });
    expect(await keys(paused)).toEqual([]);
    expect(await row(paused)).toMatchObject({ resolutionBreached: false, status: 'pending-user' });
    expect(await keys(running)).toContain('sla-breach:resolution:P1');
  });

  it('does not count the paused time once the ticket is back: the warning moves by the paused minutes', async () => {
    // P4 response (240): 75 % at 14:00 Paris; paused 60 business minutes → 15:00 Paris.
    const number = await insertTicket({ groupId: 'network', pausedMinutes: 60 });
    clock.advance((4 * 60 + 30) * MINUTE); // 14:30 Paris
    expect(await scheduler().tick()).toMatchObject({ warnings: 0 });
    clock.advance(30 * MINUTE); // 15:00 Paris
    expect(await scheduler().tick()).toMatchObject({ warnings: 1 });
    expect(await keys(number)).toEqual(['sla-warning:response:P4']);
  });
});

describe('auto-close', () => {
  async function resolvedTicket() {
    const number = await insertTicket({ groupId: 'workplace', assignee: 'camille.roux@example.org', status: 'resolved' });
    await testDb.db.client.ticket.update({ where: { number }, data: { resolvedAt: clock.now(), resolution: 'Dock firmware updated' } });
    return number;
  }

  it('closes a resolved ticket after three business days without confirmation, once, with a note, and tells the requester', async () => {
    const number = await resolvedTicket(); // Monday 10:00 Paris
    const [a, b] = [scheduler(testDb.db), scheduler(second)];
    // 3 business days = 3 × 510 minutes: Monday 420 + Tuesday 510 + Wednesday 510 + Thursday 90 → Thursday 10:00 Paris.
    clock.advance(3 * 86_400_000 - MINUTE);
    expect(sum(await Promise.all([a.tick(), b.tick()])).autoClosed).toBe(0);
    clock.advance(MINUTE);
    expect(sum(await Promise.all([a.tick(), b.tick()])).autoClosed).toBe(1);
    expect(sum(await Promise.all([a.tick(), b.tick()])).autoClosed).toBe(0);

    const t = await row(number);
    expect(t.status).toBe('closed');
    expect(t.closedAt?.toISOString()).toBe('2026-11-26T09:00:00.000Z');
    const events = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: { in: ['auto-closed', 'status'] } }, orderBy: { kind: 'asc' } });
    expect(events.map((e) => [e.kind, e.data])).toEqual([
      ['auto-closed', { businessDays: 3, note: 'no confirmation from the requester within 3 business days' }],
      ['status', { from: 'resolved', to: 'closed' }],
    ]);
    const alice = await person('alice.martin@example.org');
    expect(notifier.textsFor(alice)).toHaveLength(1);
    expect(notifier.textsFor(alice)[0]).toMatch(new RegExp(`Without an answer from you, ticket #${number} was closed`));
  });

  it('counts business days: a ticket resolved on Friday afternoon waits over the weekend', async () => {
    clock = new FakeClock(new Date('2026-11-27T15:00:00Z')); // Friday 16:00 Paris
    const number = await resolvedTicket();
    // Friday 60 + Monday 510 + Tuesday 510 + Wednesday 450 (08:30–12:30, 13:30–17:00) = 1,530 → Wednesday 17:00 Paris.
    clock.advance(5 * 86_400_000 + 59 * MINUTE); // Wednesday 16:59
    expect((await scheduler().tick()).autoClosed).toBe(0);
    clock.advance(MINUTE);
    expect((await scheduler().tick()).autoClosed).toBe(1);
    expect((await row(number)).status).toBe('closed');
  });

  it('leaves a ticket the requester confirmed or reopened meanwhile', async () => {
    const number = await resolvedTicket();
    await testDb.db.client.ticket.update({ where: { number }, data: { status: 'in-progress', resolvedAt: null } });
    clock.advance(10 * 86_400_000);
    expect((await scheduler().tick()).autoClosed).toBe(0);
    expect((await row(number)).status).not.toBe('closed');
    expect(await testDb.db.client.ticketEvent.count({ where: { ticket: { number }, kind: 'auto-closed' } })).toBe(0);
  });
});
