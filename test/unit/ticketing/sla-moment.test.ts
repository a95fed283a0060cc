/**
 * Each ticket's stored next SLA moment (Ticket.nextSlaAt), kept by the desk on every change, on the
 * in-memory repository: creation, priority, pause and resume, escalation, resolution, reopening,
 * closure; and the clock reading only the tickets whose moment has come.
 */
import { describe, expect, it } from 'vitest';
import { addBusinessMinutes } from '../../../src/ticketing/calendar.ts';
import { warningAt } from '../../../src/ticketing/sla.ts';
import { PARIS } from '../../helpers/memory-ticket-desk.ts';
import { alice, deskFixture, HOUR, MINUTE, nadia } from './desk-fixture.ts';


describe('the next SLA moment', () => {
  it('is the response warning after creation, and the new one after a priority change', async () => {
    const { desk, repository, open } = deskFixture();
    const { number } = await open(); // P4, Monday 09:00 Paris: 75 % of 480 business minutes → 16:00 Paris
    expect((await repository.find(number))!.nextSlaAt?.toISOString()).toBe('2026-11-23T15:00:00.000Z');

    await desk.setPriority(number, nadia, 1, 1); // P1: response 60 business minutes
    const t = (await repository.find(number))!;
    expect(t.priority).toBe(1);
    expect(t.nextSlaAt).toEqual(warningAt(PARIS, t.createdAt, t.responseDueAt!, 0));
    expect(t.nextSlaAt!.getTime()).toBeLessThan(Date.parse('2026-11-23T15:00:00.000Z'));
  });

  it('moves to the resolution warning once answered, is cleared while paused and re-armed, shifted, on resume', async () => {
    const { desk, repository, clock, open } = deskFixture();
    const { number } = await open();
    await desk.take(number, nadia); // the response target is met
    let t = (await repository.find(number))!;
    expect(t.nextSlaAt).toEqual(warningAt(PARIS, t.createdAt, t.resolutionDueAt!, 0));

    clock.advance(HOUR);
    await desk.setStatus(number, nadia, 'pending-user', 'Quel message exactement ?');
    expect((await repository.find(number))!.nextSlaAt).toBeNull();

    clock.advance(2 * HOUR);
    await desk.addInfo(number, alice, 'Erreur 809', 'web:info');
    t = (await repository.find(number))!;
    expect(t.slaPausedMinutes).toBeGreaterThan(0);
    expect(t.nextSlaAt).toEqual(warningAt(PARIS, t.createdAt, t.resolutionDueAt!, t.slaPausedMinutes));
  });

  it('after a warning fired, is the due time; an escalation keeps it', async () => {
    const { desk, repository, scheduler, clock, open } = deskFixture();
    const { number } = await open();
    clock.advance(7 * HOUR + MINUTE); // 16:01 Paris: the response warning is due
    expect(await scheduler.tick()).toMatchObject({ warnings: 1 });
    const warned = (await repository.find(number))!;
    expect(warned.responseWarnedAt).not.toBeNull();
    expect(warned.nextSlaAt).toEqual(warned.responseDueAt);

    await desk.escalateLevel(number, nadia, 2);
    const escalated = (await repository.find(number))!;
    expect(escalated).toMatchObject({ groupId: 'network-l2', status: 'new' });
    expect(escalated.nextSlaAt).toEqual(warned.responseDueAt);
  });

  it('is the auto-close once resolved, the SLA targets again on reopening, and none once closed', async () => {
    const { desk, repository, open } = deskFixture();
    const { number } = await open();
    await desk.take(number, nadia);
    const running = (await repository.find(number))!.nextSlaAt;
    await desk.resolve(number, nadia, 'Profil VPN réinstallé');
    const resolved = (await repository.find(number))!;
    expect(resolved.nextSlaAt).toEqual(addBusinessMinutes(PARIS, resolved.resolvedAt!, 3 * 480));

    await desk.confirmResolution(number, alice, false, 'web:confirm-1');
    const reopened = (await repository.find(number))!;
    expect(reopened.status).toBe('in-progress');
    expect(reopened.nextSlaAt).toEqual(running);

    await desk.resolve(number, nadia, 'Certificat renouvelé');
    await desk.confirmResolution(number, alice, true, 'web:confirm-2');
    expect((await repository.find(number))!).toMatchObject({ status: 'closed', nextSlaAt: null });
  });

  it('is cleared by a cancellation', async () => {
    const { desk, repository, open } = deskFixture();
    const { number } = await open();
    await desk.cancel(number, nadia, 'Doublon');
    expect((await repository.find(number))!.nextSlaAt).toBeNull();
  });
});

describe('the clock', () => {
  it('reads only the tickets whose moment has come, and stores the following one', async () => {
    const { repository, scheduler, clock, open } = deskFixture();
    const first = await open('web:1');
    clock.advance(3 * HOUR); // 12:00 Paris
    const second = await open('web:2');
    const read: number[] = [];
    const slaDue = repository.slaDue.bind(repository);
    repository.slaDue = async (...args) => {
      const due = await slaDue(...args);
      read.push(...due.map((t) => t.number));
      return due;
    };
    expect(await scheduler.tick()).toMatchObject({ warnings: 0 });
    expect(read).toEqual([]);

    clock.advance(4 * HOUR + MINUTE); // 16:01 Paris: only the first ticket's warning is due
    expect(await scheduler.tick()).toMatchObject({ warnings: 1 });
    expect(read).toEqual([first.number]);
    expect((await repository.find(first.number))!.nextSlaAt).toEqual((await repository.find(first.number))!.responseDueAt);
    expect((await repository.find(second.number))!.responseWarnedAt).toBeNull();
  });

  it('moves on from a warning another instance already fired (its event is there) without telling anyone again', async () => {
    const { repository, scheduler, clock, notifier, open } = deskFixture();
    const { number } = await open();
    clock.advance(7 * HOUR + MINUTE);
    await repository.appendEvent(number, { kind: 'sla-warning', actorId: null, actorKind: 'system', dedupeKey: 'sla-warning:response:P4', at: clock.now() });
    notifier.clear();
    expect(await scheduler.tick()).toMatchObject({ warnings: 0 });
    const t = (await repository.find(number))!;
    expect(t.responseWarnedAt).not.toBeNull();
    expect(t.nextSlaAt).toEqual(t.responseDueAt);
    expect(notifier.textsFor('marc')).toEqual([]);
  });
});

describe('re-arming every ticket', () => {
  it('stores the moments of a changed calendar (config sync), and only for open and resolved tickets', async () => {
    const { desk, repository, scheduler, open, config } = deskFixture();
    const first = await open('web:1');
    const closed = await open('web:2');
    await desk.cancel(closed.number, nadia, 'Doublon');
    const before = (await repository.find(first.number))!.nextSlaAt!;
    // No lunch break any more: the warning, six business hours after 09:00, comes earlier.
    const early: [string, string][] = [['08:30', '17:30']];
    const calendar = config.calendars[0]!;
    const original = calendar.hours;
    config.calendars[0] = { ...calendar, hours: { ...calendar.hours, mon: early, tue: early, wed: early, thu: early, fri: early } };
    try {
      expect(await scheduler.rearmAll()).toBe(1);
      const after = (await repository.find(first.number))!.nextSlaAt!;
      expect(after.getTime()).toBeLessThan(before.getTime());
      expect((await repository.find(closed.number))!.nextSlaAt).toBeNull();
    } finally {
      config.calendars[0] = { ...calendar, hours: original };
    }
  });
});

describe('starting the SLA clock', () => {
  it('re-derives every stored moment first (the calendars or policies may have changed since they were stored)', async () => {
    const { repository, scheduler, open } = deskFixture();
    const { number } = await open();
    const right = (await repository.find(number))!.nextSlaAt;
    await repository.update(number, { nextSlaAt: new Date('2030-01-01T00:00:00Z') }); // stored under another configuration
    scheduler.start(3_600_000);
    await scheduler.stop(); // waits for the re-derivation start() began
    expect((await repository.find(number))!.nextSlaAt).toEqual(right);
  });
});
