/**
 * The desks with a controlled clock: the honest out-of-hours notice, on-call paging with re-page
 * and acknowledgement (the Events API payloads checked), three users waiting whose positions move
 * as agents take them, the expected wait within the documented formula, and abandonment counted.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ContactView, TicketView } from '../../../src/core/tickets.ts';
import { openDesks, type OpenedDesks } from '../../../src/desks/open.ts';
import type { PagerDutyEvent } from '../../../src/desks/pagerduty.ts';
import { expectedWaitMinutes, handlingMinutes } from '../../../src/desks/wait.ts';
import { FakeClock } from '../../helpers/fake-channel.ts';
import { RecordingNotifier } from '../../helpers/recording-notifier.ts';
import { organisation } from './fixture.ts';

const SUNDAY_22H = new Date('2026-12-06T21:00:00Z'); // 22:00 in Paris
const TUESDAY_10H = new Date('2026-12-01T09:00:00Z');

function ticket(number: number, over: Partial<TicketView> = {}): TicketView {
  return {
    number, type: 'incident', title: 'VPN down', status: 'new', priority: 4, impact: 3, urgency: 2, category: 'incident', serviceId: null,
    requester: { id: `user-${number}`, displayName: `User ${number}` }, assignee: null, group: { id: 'service-desk', name: 'Service desk', level: 1 },
    responseDueAt: null, resolutionDueAt: null, slaPaused: false, responseBreached: false, resolutionBreached: false, majorIncident: null,
    createdAt: '', updatedAt: '', resolvedAt: null, resolution: null, ...over,
  };
}

function contact(number: number, department = 'Engineering', locale: 'fr' | 'en' = 'fr'): ContactView {
  return { user: { id: `user-${number}`, displayName: `User ${number}`, email: `user${number}@example.org`, department, jobTitle: null, vip: false, locale }, assets: [], services: [], openTickets: [], recentTickets: [] };
}

let clock: FakeClock;
let notifier: RecordingNotifier;
let events: PagerDutyEvent[];
let present: number;
let opened: OpenedDesks;

function open(at: Date) {
  clock = new FakeClock(at);
  notifier = new RecordingNotifier();
  events = [];
  present = 2;
  const { org } = organisation();
  opened = openDesks({
    organisation: () => org,
    clock,
    notifier,
    userByEmail: async (email) => `id:${email}`,
    presentAgents: async () => present,
    members: () => 3,
    lang: 'fr',
    webhook: { url: 'http://127.0.0.1/unused', routingKey: 'R0UTINGKEY', send: async (e) => void events.push(e) },
    onError: (err) => {
      throw err;
    },
  });
}

describe('a desk closed at 22:00 on Sunday', () => {
  beforeEach(() => open(SUNDAY_22H));

  it('tells the user honestly when a person will look at it, counting the wait from the opening', async () => {
    const placed = await opened.desks.escalated(ticket(1042), contact(1042), true);
    expect(placed.paged).toBe(false);
    expect(placed.standing).toMatchObject({ position: 1, open: false, agents: 3, handlingMinutes: 12 });
    expect(placed.standing!.opensAt.toISOString()).toBe('2026-12-07T07:00:00.000Z');
    // W = 600 min until Monday 08:00 + ⌈1 × 12 / 3⌉ = 604
    expect(placed.standing!.waitMinutes).toBe(604);
    const fr = placed.notice!.text('fr');
    expect(placed.notice!.open).toBe(false);
    expect(fr).toContain('Le support ouvre lundi 7 décembre à 08:00 ; votre ticket est le #1042.');
    expect(fr).toContain('réponse attendue vers lundi 7 décembre à 08:04');
    expect(placed.notice!.text('en')).toContain('The service desk opens Monday 7 December at 08:00; your ticket is #1042.');
    expect(notifier.sent).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('pages the on-call person for a P1, re-pages the next one without acknowledgement, stops once acknowledged', async () => {
    const placed = await opened.desks.escalated(ticket(1043, { priority: 1, title: 'Payroll server down' }), contact(1043), true);
    expect(placed.paged).toBe(true);
    expect(placed.notice!.text('fr')).toContain('la personne d’astreinte a été prévenue');
    expect(notifier.sent.map((s) => s.userId)).toEqual(['id:marc@example.org']);
    expect(notifier.textsFor('id:marc@example.org')[0]).toContain('« ack 1043 »');
    expect(events).toEqual([
      {
        routing_key: 'R0UTINGKEY',
        event_action: 'trigger',
        dedup_key: 'guichet-ticket-1043',
        payload: {
          summary: '#1043 P1 Payroll server down',
          source: 'guichet',
          severity: 'critical',
          timestamp: '2026-12-06T21:00:00.000Z',
          custom_details: { category: 'incident', service: null, requester: 'User 1043', rota: 'infra', ticket: 1043, desk: 'central', onCall: 'marc@example.org' },
        },
      },
    ]);
    // Replayed escalation: no second page, and the user is still told the on-call person was paged.
    const again = await opened.desks.escalated(ticket(1043, { priority: 1, title: 'Payroll server down' }), contact(1043), true);
    expect(notifier.sent).toHaveLength(1);
    expect(again.paged).toBe(true);

    clock.advance(9 * 60_000);
    expect(await opened.pager.tick()).toBe(0);
    clock.advance(60_000);
    expect(await opened.pager.tick()).toBe(1);
    expect(notifier.sent.map((s) => s.userId)).toEqual(['id:marc@example.org', 'id:nadia@example.org']);

    const ack = await opened.module.handle({ user: { id: 'id:nadia@example.org', displayName: 'Nadia', role: 'agent', locale: 'fr' }, lang: 'fr', text: 'ack 1043', state: {} } as never);
    expect(ack?.replies[0]).toEqual({ type: 'text', text: 'Alerte du ticket #1043 acquittée : plus personne d’autre ne sera appelé.' });
    expect(events.at(-1)).toEqual({ routing_key: 'R0UTINGKEY', event_action: 'acknowledge', dedup_key: 'guichet-ticket-1043' });
    clock.advance(30 * 60_000);
    expect(await opened.pager.tick()).toBe(0);
    expect(notifier.sent).toHaveLength(2);

    await opened.desks.taken(1043);
    expect(events.at(-1)).toEqual({ routing_key: 'R0UTINGKEY', event_action: 'resolve', dedup_key: 'guichet-ticket-1043' });
  });

  it('pages for a security ticket whatever its priority; follows an override', async () => {
    clock = new FakeClock(new Date('2026-12-25T21:00:00Z'));
    open(new Date('2026-12-25T21:00:00Z'));
    await opened.desks.escalated(ticket(1050, { priority: 3, category: 'security' }), contact(1050), false);
    expect(notifier.sent.map((s) => s.userId)).toEqual(['id:olivier@example.org']);
    expect(events[0]!.payload!.severity).toBe('warning');
  });

  it('does not page while the desk is open', async () => {
    open(TUESDAY_10H);
    expect((await opened.desks.escalated(ticket(1051, { priority: 1 }), contact(1051), true)).paged).toBe(false);
    expect(events).toHaveLength(0);
  });
});

describe('the live queue', () => {
  beforeEach(() => open(TUESDAY_10H));

  it('three users waiting: positions 1-2-3 move as agents take them, waits within the formula', async () => {
    const placed = [];
    for (const n of [2001, 2002, 2003]) {
      placed.push(await opened.desks.escalated(ticket(n), contact(n), true));
      clock.advance(60_000);
    }
    // n = 2 agents present, h = 12 (no handling measured yet): W = ⌈p × 12 / 2⌉
    expect(placed.map((p) => [p.standing!.position, p.standing!.waitMinutes])).toEqual([[1, 6], [2, 12], [3, 18]]);
    expect(placed[2]!.notice!.text('fr')).toBe('Vous êtes en position 3 dans la file de Central desk (ticket #2003) ; attente estimée : environ 18 min. Écrivez « rappel 14:30 » pour être rappelé à une heure, ou « retour au bot » pour quitter la file.');
    const agentView = await opened.desks.queue.describe('en');
    expect(agentView).toBe(['Central desk queue: 3 waiting', '1. #2001 P4 — User 2001, waiting 3 min', '2. #2002 P4 — User 2002, waiting 2 min', '3. #2003 P4 — User 2003, waiting 1 min'].join('\n'));

    await opened.desks.taken(2001);
    expect(notifier.textsFor('user-2002')).toEqual(['Ticket #2002 : vous êtes maintenant en position 1 dans la file ; attente estimée : environ 6 min.']);
    expect(notifier.textsFor('user-2003')).toEqual(['Ticket #2003 : vous êtes maintenant en position 2 dans la file ; attente estimée : environ 12 min.']);

    // The first conversation lasted 20 minutes: h becomes 20; one agent present now.
    clock.advance(20 * 60_000);
    await opened.desks.ended(2001);
    present = 1;
    const standing = await opened.desks.queue.standing(2003);
    expect(standing).toMatchObject({ position: 2, agents: 1, handlingMinutes: 20, open: true });
    expect(standing!.waitMinutes).toBe(expectedWaitMinutes({ position: 2, agents: 1, handlingMinutes: handlingMinutes([20], 12), minutesUntilOpen: 0 }));
    expect(standing!.waitMinutes).toBe(40);

    await opened.desks.taken(2002);
    expect(notifier.textsFor('user-2003').at(-1)).toBe('Ticket #2003 : vous êtes maintenant en position 1 dans la file ; attente estimée : environ 20 min.');
  });

  it('a P1 goes ahead of earlier P4s', async () => {
    await opened.desks.escalated(ticket(2101), contact(2101), true);
    const urgent = await opened.desks.escalated(ticket(2102, { priority: 1 }), contact(2102), true);
    expect(urgent.standing!.position).toBe(1);
    expect((await opened.desks.queue.standing(2101))!.position).toBe(2);
  });

  it('a user who goes back to the bot is counted as abandoned; the others move up', async () => {
    await opened.desks.escalated(ticket(2201), contact(2201), true);
    await opened.desks.escalated(ticket(2202), contact(2202), true);
    clock.advance(5 * 60_000);
    expect(await opened.desks.fromWaiting(2201, 'retour au bot', 'fr')).toEqual({ left: true, text: 'Vous avez quitté la file : vous parlez de nouveau à Guichet, l’assistant automatique. Le ticket #2201 reste ouvert et sera traité par un technicien.' });
    expect(notifier.textsFor('user-2202')).toEqual(['Ticket #2202 : vous êtes maintenant en position 1 dans la file ; attente estimée : environ 6 min.']);
    await opened.desks.taken(2202);
    const history = await opened.queueStore.history(new Date(0));
    expect(history.map((h) => [h.number, h.outcome])).toEqual([[2201, 'abandoned'], [2202, 'taken']]);
    expect(await opened.desks.abandon(2201)).toBe(false); // counted once
  });

  it('a ticket settled elsewhere (resolved, cancelled) leaves the queue once', async () => {
    await opened.desks.escalated(ticket(2401), contact(2401), true);
    await opened.desks.escalated(ticket(2402), contact(2402), true);
    await opened.desks.settled(2401);
    await opened.desks.settled(2401);
    expect(notifier.textsFor('user-2402')).toEqual(['Ticket #2402 : vous êtes maintenant en position 1 dans la file ; attente estimée : environ 6 min.']);
    expect((await opened.queueStore.history(new Date(0))).map((h) => h.number)).toEqual([2401]);
  });

  it('records a call-back time; other words are left to the relay', async () => {
    await opened.desks.escalated(ticket(2301), contact(2301), true);
    expect(await opened.desks.fromWaiting(2301, 'rappel 14:30', 'fr')).toEqual({ left: false, text: 'C’est noté : un technicien vous rappellera vers mardi 1 décembre à 14:30 (ticket #2301).' });
    expect((await opened.queueStore.get(2301))!.callbackAt!.toISOString()).toBe('2026-12-01T13:30:00.000Z');
    expect(await opened.desks.fromWaiting(2301, 'call me back at 8:15', 'en')).toMatchObject({ text: expect.stringContaining('Wednesday 2 December at 08:15') });
    expect(await opened.desks.fromWaiting(2301, 'my VPN still fails', 'en')).toBeUndefined();
  });
});
