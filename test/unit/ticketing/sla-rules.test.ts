/**
 * The SLA rules on the real desk and clock over the in-memory repository: warnings re-armed by a
 * new priority, the pause while waiting for the requester, escalation on breach, auto-close.
 */
import { describe, expect, it } from 'vitest';
import { addBusinessMinutes } from '../../../src/ticketing/calendar.ts';
import { autoCloseDue, dueFirings, workingMinutesPerDay } from '../../../src/ticketing/sla-decide.ts';
import { PARIS } from '../../helpers/memory-ticket-desk.ts';
import { alice, DAY, deskFixture, HOUR, MINUTE, nadia } from './desk-fixture.ts';

const warningsOf = async (repository: ReturnType<typeof deskFixture>['repository'], number: number) =>
  (await repository.events(number, { kinds: ['sla-warning'] })).map((e) => e.data.target);

describe('warnings', () => {
  it('fire once at 75 % of a target, and again after a priority change (P4 warned → P5 → warned again)', async () => {
    const { desk, repository, scheduler, clock, notifier, open } = deskFixture();
    const { number } = await open();
    // 75 % of 8 business hours = 6 h: Monday 09:00 → 16:00 in Paris (lunch excluded).
    clock.advance(6 * HOUR + 59 * MINUTE); // 15:59 Paris
    expect(await scheduler.tick()).toMatchObject({ warnings: 0 });
    clock.advance(2 * MINUTE);
    expect(await scheduler.tick()).toMatchObject({ warnings: 1, breaches: 0 });
    expect(await scheduler.tick()).toMatchObject({ warnings: 0 });
    expect(await warningsOf(repository, number)).toEqual(['response']);
    expect(notifier.textsFor('marc').at(-1)).toContain(`⏰ Ticket #${number} (Le VPN ne se connecte pas) : 75 % du délai de prise en charge écoulé`);
    expect(notifier.textsFor('alice').at(-1)).toContain('prend plus de temps que prévu');

    expect((await desk.setPriority(number, nadia, 3, 3)).priority).toBe(5);
    expect(await scheduler.tick()).toMatchObject({ warnings: 1 });
    expect(await warningsOf(repository, number)).toEqual(['response', 'response']);
  });

  it('are not due on a ticket without a policy, or paused', () => {
    const { config } = deskFixture();
    const base = { status: 'new', priority: 4, createdAt: new Date('2026-11-23T08:00:00Z'), responseDueAt: new Date('2026-11-24T08:00:00Z'), resolutionDueAt: new Date('2026-11-30T08:00:00Z'), firstResponseAt: null, responseBreached: false, resolutionBreached: false, slaPausedMinutes: 0, slaPausedAt: null, slaPolicyId: 'standard' } as never;
    const late = new Date('2026-12-01T08:00:00Z');
    const calendar = () => PARIS;
    expect(dueFirings(base, late, config, calendar).map((f) => f.dedupeKey)).toEqual(['sla-breach:response:P4', 'sla-breach:resolution:P4']);
    expect(dueFirings({ ...(base as object), slaPolicyId: null } as never, late, config, calendar)).toEqual([]);
    expect(dueFirings({ ...(base as object), slaPausedAt: new Date() } as never, late, config, calendar)).toEqual([]);
  });
});

describe('waiting for the requester', () => {
  it('pauses the clock and shifts the due times by the business minutes paused', async () => {
    const { desk, repository, scheduler, clock, open } = deskFixture();
    const { number } = await open();
    await desk.take(number, nadia);
    const before = (await repository.find(number))!;
    clock.advance(HOUR); // Monday 10:00 Paris
    expect((await desk.setStatus(number, nadia, 'pending-user', 'Quel message exactement ?')).slaPaused).toBe(true);
    clock.advance(DAY); // Tuesday 10:00 Paris: 6.5 h + 1.5 h = 480 business minutes paused
    expect(await scheduler.tick()).toMatchObject({ warnings: 0, breaches: 0 });
    const resumed = await desk.addInfo(number, alice, 'Erreur 809', 'web:info');
    expect(resumed).toMatchObject({ status: 'in-progress', slaPaused: false });
    const after = (await repository.find(number))!;
    expect(after.slaPausedMinutes).toBe(480);
    expect(after.resolutionDueAt).toEqual(addBusinessMinutes(PARIS, before.resolutionDueAt!, 480));
    // The response target was met when Nadia took it: it does not move.
    expect(after.responseDueAt).toEqual(before.responseDueAt);
  });
});

describe('a breach', () => {
  it('of the resolution target moves the ticket to the next level’s group and tells managers and the new group', async () => {
    const { repository, scheduler, clock, notifier, open } = deskFixture();
    const { number } = await open();
    clock.advance(8 * DAY); // well past 40 business hours
    expect(await scheduler.tick()).toMatchObject({ breaches: 2, escalations: 3 });
    const moved = (await repository.find(number))!;
    expect(moved).toMatchObject({ groupId: 'network-l2', level: 2, status: 'new', assigneeId: null, responseBreached: true, resolutionBreached: true });
    const escalations = await repository.events(number, { kinds: ['escalated'] });
    expect(escalations.map((e) => e.data.type)).toEqual(['hierarchical', 'functional', 'hierarchical']);
    for (const who of ['marc', 'lea', 'sami']) expect(notifier.textsFor(who).join('\n')).toContain('Escaladé au groupe Réseau N2.');
    expect(await scheduler.tick()).toMatchObject({ breaches: 0, escalations: 0 });
  });
});

describe('auto-close', () => {
  it('closes a resolved ticket after 3 business days without confirmation, through the status machine', async () => {
    const { desk, repository, scheduler, clock, notifier, open } = deskFixture();
    const { number } = await open();
    await desk.resolve(number, nadia, 'Profil réinstallé'); // Monday 09:00
    clock.advance(2 * DAY); // Wednesday 09:00: 2 business days
    expect(await scheduler.tick()).toMatchObject({ autoClosed: 0 });
    clock.advance(DAY);
    expect(await scheduler.tick()).toMatchObject({ autoClosed: 1 });
    expect((await repository.find(number))?.status).toBe('closed');
    expect((await repository.events(number, { kinds: ['status'] })).at(-1)).toMatchObject({ actorKind: 'system', data: { from: 'resolved', to: 'closed' } });
    expect(await repository.events(number, { kinds: ['auto-closed'] })).toHaveLength(1);
    expect(notifier.textsFor('alice').at(-1)).toContain(`le ticket #${number} a été clos`);
    expect(await scheduler.tick()).toMatchObject({ autoClosed: 0 });
  });

  it('is due after N business days of the policy’s calendar', () => {
    const { config } = deskFixture();
    const resolved = { status: 'resolved', resolvedAt: new Date('2026-11-27T15:00:00Z'), slaPolicyId: 'standard' } as never; // Friday 16:00 Paris
    expect(workingMinutesPerDay(PARIS)).toBe(480);
    expect(autoCloseDue(resolved, new Date('2026-12-02T14:00:00Z'), config, () => PARIS)).toBe(false); // Wednesday 15:00: 2 days 7 h
    expect(autoCloseDue(resolved, new Date('2026-12-02T15:00:00Z'), config, () => PARIS)).toBe(true);
  });
});
