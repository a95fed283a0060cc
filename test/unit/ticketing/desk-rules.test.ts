/**
 * The ticket rules on the real desk over the in-memory repository: the status machine through the
 * desk, closure only on the requester's confirmation, reopening, idempotent creation per origin,
 * and employees seeing only their own tickets.
 */
import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../../src/core/tickets.ts';
import { alice, bob, DAY, deskFixture, nadia } from './desk-fixture.ts';

describe('status moves an agent makes', () => {
  const cases: [TicketStatus, TicketStatus, boolean][] = [
    ['new', 'assigned', true],
    ['new', 'pending-user', false],
    ['assigned', 'pending-user', true],
    ['pending-user', 'in-progress', true],
    ['in-progress', 'closed', false],
    ['in-progress', 'new', false],
    ['resolved', 'closed', true],
    ['resolved', 'cancelled', false],
    ['closed', 'new', false],
    ['cancelled', 'in-progress', false],
    ['new', 'cancelled', true],
  ];

  it.each(cases)('%s → %s: allowed %s', async (from, to, allowed) => {
    const { desk, repository, open } = deskFixture();
    const { number } = await open();
    await repository.update(number, { status: from });
    const attempt = desk.setStatus(number, nadia, to, 'note');
    if (allowed) {
      expect((await attempt).status).toBe(to);
      expect((await repository.events(number, { kinds: ['status'] })).at(-1)?.data).toEqual({ from, to });
    } else {
      await expect(attempt).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
      expect((await repository.find(number))?.status).toBe(from);
      expect(await repository.events(number, { kinds: ['status', 'reply'] })).toEqual([]);
    }
  });

  it('refuses employees', async () => {
    const { desk, open } = deskFixture();
    const { number } = await open();
    await expect(desk.setStatus(number, alice, 'in-progress')).rejects.toMatchObject({ code: 'ticketing.forbidden' });
    await expect(desk.take(number, alice)).rejects.toMatchObject({ code: 'ticketing.forbidden' });
  });
});

describe('closure', () => {
  it('happens only when the requester confirms the fix, once per origin', async () => {
    const { desk, repository, open } = deskFixture();
    const { number } = await open();
    await desk.take(number, nadia);
    expect((await desk.resolve(number, nadia, 'Profil VPN réinstallé')).status).toBe('resolved');
    // Someone else's confirmation does not count: their ticket is not found for them.
    await expect(desk.confirmResolution(number, bob, true, 'web:bob')).rejects.toMatchObject({ code: 'ticketing.not-found' });
    expect((await repository.find(number))?.status).toBe('resolved');
    expect((await desk.confirmResolution(number, alice, true, 'web:yes')).status).toBe('closed');
    expect((await desk.confirmResolution(number, alice, true, 'web:yes')).status).toBe('closed');
    expect(await repository.events(number, { kinds: ['confirmed'] })).toHaveLength(1);
    expect((await repository.find(number))?.closedAt).toBeInstanceOf(Date);
  });

  it('cannot be confirmed while the ticket is still open', async () => {
    const { desk, open } = deskFixture();
    const { number } = await open();
    await expect(desk.confirmResolution(number, alice, true, 'web:early')).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
  });

  it('"not fixed" reopens a resolved ticket and tells its agent', async () => {
    const { desk, repository, notifier, open } = deskFixture();
    const { number } = await open();
    await desk.take(number, nadia);
    await desk.resolve(number, nadia, 'Redémarrage');
    const reopened = await desk.confirmResolution(number, alice, false, 'web:no');
    expect(reopened).toMatchObject({ status: 'in-progress', resolvedAt: null });
    expect(await repository.events(number, { kinds: ['reopened'] })).toHaveLength(1);
    expect(notifier.textsFor('nadia').at(-1)).toBe(`Le ticket #${number} a été rouvert : le demandeur dit que ce n’est pas réglé.`);
  });

  it('"not fixed" reopens a closed ticket within 14 days, and refuses later', async () => {
    const { desk, clock, open } = deskFixture();
    const first = (await open('web:a')).number;
    const second = (await open('web:b')).number;
    for (const n of [first, second]) {
      await desk.resolve(n, nadia, 'Fait');
      await desk.confirmResolution(n, alice, true, `web:yes-${n}`);
    }
    clock.advance(10 * DAY);
    expect((await desk.confirmResolution(first, alice, false, 'web:no-a')).status).toBe('in-progress');
    clock.advance(5 * DAY);
    await expect(desk.confirmResolution(second, alice, false, 'web:no-b')).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
  });

  it('rates only a closed ticket, 1 to 5', async () => {
    const { desk, open } = deskFixture();
    const { number } = await open();
    await expect(desk.rate(number, alice, 5)).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
    await desk.resolve(number, nadia, 'Fait');
    await desk.confirmResolution(number, alice, true, 'web:yes');
    await expect(desk.rate(number, alice, 6)).rejects.toMatchObject({ code: 'ticketing.invalid' });
    await expect(desk.rate(number, alice, 4, 'rapide')).resolves.toMatchObject({ status: 'closed' });
  });
});

describe('creation', () => {
  it('is idempotent per origin, also when two deliveries race', async () => {
    const { desk, repository, open } = deskFixture();
    const [a, b] = await Promise.all([open('teams:retry'), open('teams:retry')]);
    expect(a.number).toBe(b.number);
    const again = await desk.create({ type: 'incident', title: 'Autre titre', description: 'x', category: 'vpn', impact: 1, urgency: 1, requesterId: 'alice', origin: 'teams:retry', createdBy: { id: 'alice', kind: 'user' } });
    expect(again).toMatchObject({ created: false, ticket: { number: a.number, title: 'Le VPN ne se connecte pas' } });
    expect(repository.tickets).toHaveLength(1);
    expect((await open('teams:other')).number).toBe(a.number + 1);
  });

  it('refuses bad input with ticketing.invalid and stores nothing', async () => {
    const { repository, open } = deskFixture();
    await expect(open('web:x', { title: 'x' })).rejects.toMatchObject({ code: 'ticketing.invalid', message: 'ticket: "title" is too short (3 characters at least)' });
    await expect(open('web:y', { requesterId: 'nobody' })).rejects.toMatchObject({ code: 'ticketing.invalid' });
    expect(repository.tickets).toHaveLength(0);
  });

  it('routes to the service’s group with the P4 targets on business hours', async () => {
    const { open } = deskFixture();
    const ticket = await open();
    expect(ticket).toMatchObject({ priority: 4, group: { id: 'support-l1' }, status: 'new' });
    // Monday 09:00 + 8 business hours (lunch 12:30–13:30) = Tuesday 09:00 in Paris.
    expect(ticket.responseDueAt).toBe('2026-11-24T08:00:00.000Z');
  });

  it('goes to the group named instead of the service’s (security tickets), and refuses an unknown group', async () => {
    const { repository, open } = deskFixture();
    expect(await open('web:sec', { groupId: 'network-l2' })).toMatchObject({ group: { id: 'network-l2', level: 2 } });
    await expect(open('web:bad', { groupId: 'nowhere' })).rejects.toMatchObject({ code: 'ticketing.invalid', message: 'ticket: "groupId" names no support group (nowhere)' });
    expect(repository.tickets).toHaveLength(1);
  });
});

describe('what employees see', () => {
  it('only their own tickets: a foreign number looks unknown', async () => {
    const { desk, open } = deskFixture();
    const { number } = await open();
    expect(await desk.view(number, bob)).toBeUndefined();
    expect(await desk.timeline(number, bob, 'en')).toEqual([]);
    expect(await desk.listForRequester('bob')).toEqual([]);
    await expect(desk.addInfo(number, bob, 'moi aussi', 'web:bob')).rejects.toMatchObject({ code: 'ticketing.not-found' });
    await expect(desk.escalateByRequester(number, bob, 'urgent', 'web:bob2')).rejects.toMatchObject({ code: 'ticketing.not-found' });
    expect(await desk.view(number, alice)).toMatchObject({ number });
    expect(await desk.view(number, nadia)).toMatchObject({ number });
  });

  it('no internal notes on the timeline', async () => {
    const { desk, open } = deskFixture();
    const { number } = await open();
    await desk.addNote(number, nadia, 'Probablement le certificat');
    expect((await desk.timeline(number, alice, 'fr')).map((e) => e.kind)).toEqual(['created']);
    expect((await desk.timeline(number, nadia, 'fr')).map((e) => e.text)).toEqual(['Ticket ouvert', 'Note interne : Probablement le certificat']);
  });
});

describe('taking a ticket', () => {
  it('gives it to exactly one of two agents racing', async () => {
    const { desk, repository, open } = deskFixture();
    const { number } = await open();
    const [first, second] = await Promise.all([desk.take(number, nadia), desk.take(number, { id: 'sami', role: 'agent' })]);
    expect([first.taken, second.taken].sort()).toEqual([false, true]);
    expect(second.owner).toEqual(first.owner);
    expect(await repository.events(number, { kinds: ['assigned'] })).toHaveLength(1);
  });
});
