/**
 * The ticket desk on its own (no bot core), on a real database with the
 * shipped configuration: creation idempotent per origin (also concurrently),
 * unique numbers under concurrency, requester-only visibility, the take race,
 * illegal transitions refused, the pending-user pause shifting the due times,
 * the requester told in their language, confirmation and rating.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewTicket, Viewer } from '../../src/core/tickets.ts';
import { loadDeskConfig } from '../../src/ticketing/config.ts';
import { canTransition } from '../../src/ticketing/status.ts';
import { prismaTicketDesk } from '../helpers/prisma-ticket-desk.ts';
import type { TicketDeskService } from '../../src/ticketing/desk/ticket-desk.ts';
import { syncDeskConfig } from '../../src/persistence/stores/desk-config.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

let testDb: TestDatabase;
let desk: TicketDeskService;
const clock = new FakeClock(new Date('2026-11-23T09:00:00Z')); // Monday 10:00 in Paris
const notifier = new RecordingNotifier();
let alice: Viewer;
let bob: Viewer;
let camille: Viewer;
let hugo: Viewer;

const ticketInput = (requesterId: string, origin?: string): NewTicket => ({
  type: 'incident',
  title: 'Imprimante bloquée',
  description: 'L’imprimante du 2e étage affiche une erreur.',
  category: 'printing',
  serviceId: 'printing',
  impact: 3,
  urgency: 2,
  requesterId,
  origin: origin ?? null,
  createdBy: { id: requesterId, kind: 'user' },
});

async function staff(email: string): Promise<Viewer> {
  const u = await testDb.db.client.user.findFirstOrThrow({ where: { email } });
  return { id: u.id, role: u.role as Viewer['role'] };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  const config = loadDeskConfig('config');
  await syncDeskConfig(testDb.db, config);
  desk = prismaTicketDesk({ db: testDb.db, clock, notifier, config, defaultGroupId: config.groups.find((g) => g.level === 1)?.id });
  const a = await testDb.db.client.user.create({ data: { displayName: 'Alice Martin', email: 'alice@example.org' } });
  const b = await testDb.db.client.user.create({ data: { displayName: 'Bob Smith', email: 'bob@example.org', locale: 'en' } });
  alice = { id: a.id, role: 'employee' };
  bob = { id: b.id, role: 'employee' };
  camille = await staff('camille.roux@example.org');
  hugo = await staff('hugo.lambert@example.org');
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('creation', () => {
  it('creates one ticket for one origin, also when two creates race', async () => {
    const results = await Promise.all([desk.create(ticketInput(alice.id, 'delivery-1')), desk.create(ticketInput(alice.id, 'delivery-1'))]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(results[0]!.ticket.number).toBe(results[1]!.ticket.number);
    const again = await desk.create(ticketInput(alice.id, 'delivery-1'));
    expect(again.created).toBe(false);
    expect(await testDb.db.client.ticket.count({ where: { originKey: 'delivery-1' } })).toBe(1);
  });

  it('gives unique numbers to concurrent creates', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => desk.create(ticketInput(bob.id, `burst-${i}`))));
    const numbers = results.map((r) => r.ticket.number);
    expect(new Set(numbers).size).toBe(8);
    for (const n of numbers) expect(n).toBeGreaterThan(1000);
  });

  it('refuses bad input with ticketing.invalid and stores nothing', async () => {
    const before = await testDb.db.client.ticket.count();
    await expect(desk.create({ ...ticketInput(alice.id), title: 'x' })).rejects.toMatchObject({ code: 'ticketing.invalid' });
    await expect(desk.create({ ...ticketInput(alice.id), impact: 4 as 1 })).rejects.toMatchObject({ code: 'ticketing.invalid' });
    expect(await testDb.db.client.ticket.count()).toBe(before);
  });
});

describe('visibility and ownership', () => {
  it('shows a ticket to its requester and to agents, never to another employee', async () => {
    const { ticket } = await desk.create(ticketInput(alice.id, 'vis-1'));
    expect((await desk.view(ticket.number, alice))?.number).toBe(ticket.number);
    expect(await desk.view(ticket.number, bob)).toBeUndefined();
    expect(await desk.view(999_999, bob)).toBeUndefined();
    expect((await desk.view(ticket.number, camille))?.number).toBe(ticket.number);
  });

  it('lets exactly one of two racing agents take a ticket', async () => {
    const { ticket } = await desk.create(ticketInput(alice.id, 'race-1'));
    const [a, b] = await Promise.all([desk.take(ticket.number, camille), desk.take(ticket.number, hugo)]);
    expect([a.taken, b.taken].filter(Boolean)).toHaveLength(1);
    const row = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticket.number } });
    expect([camille.id, hugo.id]).toContain(row.assigneeId);
    expect(a.owner?.id).toBe(row.assigneeId);
    expect(b.owner?.id).toBe(row.assigneeId);
  });
});

const STATUSES = ['new', 'assigned', 'in-progress', 'pending-user', 'resolved', 'closed', 'cancelled'] as const;

describe('status changes', () => {
  it('follows the status machine for every pair, through the desk', async () => {
    let legal = 0;
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        if (from === to) continue;
        const { ticket } = await desk.create(ticketInput(alice.id, `pair-${from}-${to}`));
        await testDb.db.client.ticket.update({
          where: { number: ticket.number },
          data: { status: from, assigneeId: camille.id, ...(from === 'closed' ? { closedAt: clock.now(), resolvedAt: clock.now() } : {}), ...(from === 'resolved' ? { resolvedAt: clock.now() } : {}) },
        });
        const attempt = desk.setStatus(ticket.number, camille, to, 'done');
        if (canTransition(from, to)) {
          legal++;
          expect((await attempt).status, `${from} → ${to}`).toBe(to);
        } else {
          await expect(attempt, `${from} → ${to}`).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
          expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticket.number } })).status).toBe(from);
        }
      }
    }
    expect(legal).toBe(19); // the machine of src/ticketing/status.ts: 19 legal moves, 23 refused
  });

  it('tells a French requester of a status change in French, keeps internal notes from them, and audits agent actions', async () => {
    const { ticket } = await desk.create(ticketInput(alice.id, 'fr-1'));
    await desk.take(ticket.number, camille);
    notifier.clear();
    await desk.setStatus(ticket.number, camille, 'pending-user', 'Quel étage ?');
    expect(notifier.textsFor(alice.id).join('\n')).toMatch(/#\d+/);
    expect(notifier.textsFor(alice.id).join('\n')).toMatch(/Quel étage/);
    expect(notifier.textsFor(alice.id).join('\n')).toMatch(/(votre|ticket|demande)/i);
    expect(notifier.textsFor(alice.id).join('\n')).not.toMatch(/\byour\b/i);
    await desk.addNote(ticket.number, camille, 'secret internal hint');
    const mine = await desk.timeline(ticket.number, alice, 'fr');
    expect(mine.some((e) => /secret internal hint/.test(e.text))).toBe(false);
    const theirs = await desk.timeline(ticket.number, camille, 'en');
    expect(theirs.some((e) => /secret internal hint/.test(e.text))).toBe(true);
    const audits = await testDb.db.client.auditLog.findMany({ where: { actorId: camille.id, action: { in: ['ticket.status', 'ticket.note'] } } });
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an illegal transition and changes nothing', async () => {
    const { ticket } = await desk.create(ticketInput(alice.id, 'illegal-1'));
    await expect(desk.setStatus(ticket.number, camille, 'closed')).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticket.number } })).status).toBe('new');
  });

  it('pauses the SLA clock while waiting for the requester and shifts the resolution due time', async () => {
    const { ticket } = await desk.create(ticketInput(alice.id, 'pause-1'));
    await desk.take(ticket.number, camille);
    const before = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticket.number } });
    expect(before.resolutionDueAt).not.toBeNull();
    await desk.setStatus(ticket.number, camille, 'pending-user', 'Which floor?');
    clock.advance(60 * 60_000); // one business hour (Monday 11:00 → 12:00 Paris)
    await desk.setStatus(ticket.number, camille, 'in-progress');
    const after = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticket.number } });
    expect(after.slaPausedMinutes).toBe(60);
    expect(after.resolutionDueAt!.getTime()).toBeGreaterThan(before.resolutionDueAt!.getTime());
  });
});

describe('keeping the requester informed, confirmation and rating', () => {
  it('tells an English requester of the resolution with the "is it fixed?" choices, reopens on no, closes on yes', async () => {
    const { ticket } = await desk.create(ticketInput(bob.id, 'confirm-1'));
    const n = ticket.number;
    await desk.take(n, camille);
    notifier.clear();
    await desk.resolve(n, camille, 'Paper jam cleared.');
    const sent = notifier.sent.filter((s) => s.userId === bob.id).flatMap((s) => s.messages);
    const choices = sent.find((m) => m.type === 'choices');
    expect(choices && 'choices' in choices ? choices.choices.map((c) => c.value) : []).toEqual([`#${n} fixed`, `#${n} not fixed`]);
    expect(notifier.textsFor(bob.id).join('\n')).toMatch(/Is the problem fixed\?[\s\S]*Yes, fixed[\s\S]*No, still broken/);
    expect((await desk.awaitingConfirmation(bob.id)).map((t) => t.number)).toContain(n);

    await desk.confirmResolution(n, bob, false, 'o-no');
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: n } })).status).toBe('in-progress');
    expect(notifier.sent.some((s) => s.userId === camille.id)).toBe(true);

    await desk.resolve(n, camille, 'Driver reinstalled.');
    await expect(desk.rate(n, bob, 5)).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
    const closed = await desk.confirmResolution(n, bob, true, 'o-yes');
    expect(closed.status).toBe('closed');
    await expect(desk.rate(n, alice, 5)).rejects.toBeDefined();
    await expect(desk.rate(n, bob, 6)).rejects.toMatchObject({ code: 'ticketing.invalid' });
    await desk.rate(n, bob, 2);
    await desk.rate(n, bob, 4, 'Quick');
    const row = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: n } });
    expect([row.csatScore, row.csatComment, row.closedAt !== null]).toEqual([4, 'Quick', true]);
  });
});

describe('reopening a closed ticket', () => {
  it('reopens within 14 days of closure, refuses after', async () => {
    const recent = (await desk.create(ticketInput(alice.id, 'reopen-recent'))).ticket.number;
    const old = (await desk.create(ticketInput(alice.id, 'reopen-old'))).ticket.number;
    for (const n of [recent, old]) {
      await desk.take(n, camille);
      await desk.resolve(n, camille, 'Toner replaced.');
      await desk.confirmResolution(n, alice, true, `close-${n}`);
    }
    const frChoices = notifier.sent.filter((x) => x.userId === alice.id).flatMap((x) => x.messages).filter((m) => m.type === 'choices');
    expect(frChoices.flatMap((m) => ('choices' in m ? m.choices.map((c) => c.value) : []))).toEqual([`#${recent} réglé`, `#${recent} pas réglé`, `#${old} réglé`, `#${old} pas réglé`]);
    await testDb.db.client.ticket.update({ where: { number: old }, data: { closedAt: new Date(clock.now().getTime() - 15 * 86_400_000) } });
    expect((await desk.confirmResolution(recent, alice, false, 'reopen-r')).status).toBe('in-progress');
    await expect(desk.confirmResolution(old, alice, false, 'reopen-o')).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: old } })).status).toBe('closed');
    await expect(desk.confirmResolution(recent, bob, true, 'foreign')).rejects.toBeDefined();
  });
});
