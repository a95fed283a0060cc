/**
 * Desks through the bot core on a real database, with a controlled clock and a real webhook
 * receiver: a user who asks for a person at 22:00 on Sunday is told honestly when the desk opens,
 * and the SLA clock waits for the opening; a P1 pages the on-call person (direct message and an
 * Events API v2 trigger over HTTP), the next one after 10 minutes without acknowledgement, and an
 * acknowledgement in chat stops it. In the day, waiting users see their position move.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

let testDb: TestDatabase;
let guichet: Guichet;
let hook: Server;
const received: unknown[] = [];
const clock = new FakeClock(new Date('2026-12-06T21:00:00Z')); // Sunday 22:00 in Paris
const notifier = new RecordingNotifier();
let sequence = 0;

const people = {
  alice: { externalId: 'U0ALICE', displayName: 'Alice Martin', email: 'alice.martin@example.org', locale: 'fr-FR' },
  emma: { externalId: 'U0EMMA', displayName: 'Emma Lefebvre', email: 'emma.lefebvre@example.org', locale: 'en-GB' },
  chloe: { externalId: 'U0CHLOE', displayName: 'Chloé Bernard', email: 'chloe.bernard@example.org', locale: 'en-GB' },
  ines: { externalId: 'U0INES', displayName: 'Inès Carpentier', email: 'ines.carpentier@example.org', locale: 'en-GB' },
  henri: { externalId: 'U0HENRI', displayName: 'Henri Blanc', email: 'henri.blanc@example.org', locale: 'fr-FR' },
  david: { externalId: 'U0DAVID', displayName: 'David Nguyen', email: 'david.nguyen@example.org', locale: 'en-GB' },
  thomas: { externalId: 'U0THOMAS', displayName: 'Thomas Leroy', email: 'thomas.leroy@example.org', locale: 'fr-FR' },
  marc: { externalId: 'U0MARC', displayName: 'Marc Dubois', email: 'marc.dubois@example.org', locale: 'fr-FR' },
  bruno: { externalId: 'U0BRUNO', displayName: 'Bruno Petit', email: 'bruno.petit@example.org', locale: 'fr-FR' },
} as const;
type Who = keyof typeof people;

function say(who: Who, text: string): Promise<TurnResult> {
  const user = people[who];
  return guichet.turn({ channel: 'slack', tenantId: 'T0ACME', deliveryId: `Ev${++sequence}`, user, conversation: { externalId: `D-${user.externalId}`, kind: 'personal' }, text });
}
const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');
const idOf = async (who: Who) => (await testDb.db.client.user.findFirstOrThrow({ where: { email: people[who].email } })).id;
const latest = async () => (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(body) as unknown });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  testDb = await createTestDatabase();
  guichet = await createGuichet({
    databaseUrl: testDb.url,
    defaultLang: 'fr',
    configDir: 'config',
    clock,
    notifier,
    paging: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/v2/enqueue`, routingKey: 'R0UTING' },
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });
  // Everyone talks to Guichet once, so that they exist and can be reached.
  for (const who of Object.keys(people) as Who[]) await say(who, 'bonjour');
}, 60_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
  await new Promise((resolve) => hook?.close(resolve));
});

describe('a desk closed at 22:00 on Sunday', () => {
  it('tells the user honestly when a person will look at it, and the SLA clock waits for the opening', async () => {
    expect(plain(await say('alice', 'ouvrir un ticket : mon imprimante ne répond plus'))).toMatch(/#\d+/);
    const number = await latest();
    const { ticket, availableAgents } = await guichet.handoff!.escalate(number, { live: true });
    const notice = guichet.handoff!.queuedNotice(ticket, availableAgents, 'fr', 'Europe/Paris');
    // Alice works in Finance: the Paris site's desk, on the Paris office calendar.
    expect(notice).toContain(`Le support ouvre lundi 7 décembre à 08:30 ; votre ticket est le #${number}.`);
    expect(notice).toContain('Vous serez en position 1 dans la file');
    expect(notice).not.toContain('Un technicien va le prendre en charge');
    // P4 standard: 240 business minutes counted from Monday 08:30 (lunch 12:30–13:30 excluded).
    expect(ticket.responseDueAt).toBe('2026-12-07T11:30:00.000Z'); // 12:30 in Paris
    expect(received).toHaveLength(0);
  });

  it('pages the on-call person for a P1, re-pages the next one, stops on acknowledgement', async () => {
    const { ticket } = await guichet.desk!.create({
      type: 'incident', title: 'Serveur de paie arrêté', description: 'Plus personne ne peut saisir la paie', category: 'incident', serviceId: 'business-apps',
      impact: 1, urgency: 1, requesterId: await idOf('henri'), createdBy: { id: null, kind: 'bot' }, origin: 'test:p1',
    });
    expect(ticket.priority).toBe(1);
    const thomas = await idOf('thomas');
    expect(notifier.textsFor(thomas).at(-1)).toContain(`🚨 Astreinte : ticket #${ticket.number} P1 Serveur de paie arrêté.`);
    expect(received).toEqual([
      {
        path: '/v2/enqueue',
        type: 'application/json',
        body: {
          routing_key: 'R0UTING',
          event_action: 'trigger',
          dedup_key: `guichet-ticket-${ticket.number}`,
          payload: {
            summary: `#${ticket.number} P1 Serveur de paie arrêté`,
            source: 'guichet',
            severity: 'critical',
            timestamp: '2026-12-06T21:00:00.000Z',
            custom_details: { category: 'incident', service: 'business-apps', requester: 'Henri Blanc', rota: 'infrastructure', ticket: ticket.number, desk: 'lyon', onCall: 'thomas.leroy@example.org' },
          },
        },
      },
    ]);

    clock.advance(10 * 60_000);
    expect(await guichet.desks!.pager.tick()).toBe(1);
    const marc = await idOf('marc');
    expect(notifier.textsFor(marc).at(-1)).toContain(`ticket #${ticket.number}`);
    expect(plain(await say('marc', `ack ${ticket.number}`))).toBe(`Alerte du ticket #${ticket.number} acquittée : plus personne d’autre ne sera appelé.`);
    expect((received.at(-1) as { body: unknown }).body).toEqual({ routing_key: 'R0UTING', event_action: 'acknowledge', dedup_key: `guichet-ticket-${ticket.number}` });
    clock.advance(60 * 60_000);
    expect(await guichet.desks!.pager.tick()).toBe(0);
  });

  it('an employee cannot acknowledge a page', async () => {
    expect(plain(await say('alice', 'ack 1001'))).not.toContain('acquittée');
  });
});

describe('in the day', () => {
  it('three users wait; positions move as agents take them; one who leaves is counted as abandoned', async () => {
    clock.advance(new Date('2026-12-08T09:00:00Z').getTime() - clock.now().getTime()); // Tuesday 10:00 in Paris
    const numbers: number[] = [];
    for (const who of ['emma', 'henri', 'david', 'ines'] as const) {
      await say(who, 'open a ticket: Teams crashes when I share my screen');
      numbers.push(await latest());
    }
    // Emma and Inès (HR, Marketing: the Paris site's desk), Henri (Logistics: Lyon), David (Engineering: the central desk).
    const placed = [];
    for (const n of numbers) {
      const { ticket, availableAgents } = await guichet.handoff!.escalate(n, { live: true });
      placed.push(guichet.handoff!.queuedNotice(ticket, availableAgents, 'en'));
    }
    // Alice, queued since Sunday evening, is first in the Paris desk's queue.
    expect(placed[0]).toMatch(/You are number 2 in the queue of the Paris desk/);
    // Henri's ticket moved to the Lyon desk's group, whose automatic assignment (least loaded) gave it to one of its agents.
    expect(placed[1]).toContain(`ticket #${numbers[1]}`);
    expect(placed[1]).not.toMatch(/in the queue/);
    expect(placed[2]).toMatch(/You are number 1 in the queue of the central service desk/);
    expect(placed[3]).toMatch(/You are number 3 in the queue of the Paris desk/);
    // Routed to the Lyon desk, whose one group is workplace: Henri's ticket moved there (assignment), audited.
    const henris = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: numbers[1]! } });
    expect(henris).toMatchObject({ groupId: 'workplace', relay: 'live' });
    const workplace = await testDb.db.client.groupMember.findMany({ where: { groupId: 'workplace' }, select: { userId: true } });
    expect(workplace.map((m) => m.userId)).toContain(henris.assigneeId);
    expect(await testDb.db.client.auditLog.findFirst({ where: { action: 'ticket.group', entityId: String(numbers[1]) } })).toMatchObject({ before: { groupId: 'service-desk' }, after: { groupId: 'workplace', reason: 'desk lyon' } });
    // The others stayed in the group their desk routed them to.
    for (const n of [numbers[0]!, numbers[2]!, numbers[3]!]) expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: n } })).groupId).toBe('service-desk');
    expect(await testDb.db.client.auditLog.count({ where: { action: 'ticket.group', entityId: { in: [numbers[0], numbers[2], numbers[3]].map(String) } } })).toBe(0);
    const queues = plain(await say('bruno', 'desk queues'));
    expect(queues).toContain(`#${numbers[0]} P4 — Emma Lefebvre`);

    notifier.clear();
    const alices = (await testDb.db.client.ticket.findFirstOrThrow({ where: { requester: { email: people.alice.email } }, orderBy: { number: 'asc' } })).number;
    const taken = plain(await say('bruno', `take #${alices}`));
    expect(taken).toContain(`Vous avez pris le ticket #${alices}`);
    expect(taken).toContain('Bureau : the Paris desk · site : Paris headquarters');
    // n = 3 agents of the service desk present, h = 10 (nothing measured yet): W = ⌈p × 10 / 3⌉.
    expect(notifier.textsFor(await idOf('emma'))).toEqual([`Ticket #${numbers[0]}: you are now number 1 in the queue; expected wait: about 4 min.`]);
    expect(notifier.textsFor(await idOf('ines'))).toEqual([`Ticket #${numbers[3]}: you are now number 2 in the queue; expected wait: about 7 min.`]);

    expect(plain(await say('david', 'back to bot'))).toContain('You left the queue');
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: numbers[2]! } })).relay).toBe('bot');
    const history = await guichet.desks!.queueStore.history(new Date(0));
    expect(history.filter((h) => h.outcome === 'abandoned').map((h) => h.number)).toEqual([numbers[2]]);
    const stats = await guichet.desks!.stats(new Date(0));
    expect(stats.find((s) => s.deskId === 'central')).toMatchObject({ volume: 1, abandoned: 1, abandonmentRate: 1, waitMedianMinutes: null });
    // Alice waited from Sunday 22:00 to Tuesday 10:00 (36 hours), taken by Bruno; her ticket is still open.
    expect(stats.find((s) => s.deskId === 'paris')).toMatchObject({ volume: 1, taken: 1, abandoned: 0, waitMedianMinutes: 36 * 60, firstContactResolutionRate: null });
    expect(stats.find((s) => s.deskId === 'paris')!.byHour[22]).toBe(1);
  });

  it('the international desk assigns automatically (round robin) to a present agent under capacity', async () => {
    await say('chloe', 'open a ticket: Teams crashes when I share my screen');
    const number = await latest();
    notifier.clear();
    const { ticket } = await guichet.handoff!.escalate(number, { live: true });
    const row = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number }, include: { assignee: true } });
    expect(row.relay).toBe('live');
    expect(['bruno.petit@example.org', 'sarah.haddad@example.org', 'julien.moreau@example.org']).toContain(row.assignee?.email);
    expect(ticket.assignee?.id).toBe(row.assigneeId);
    expect(notifier.textsFor(await idOf('chloe')).join('\n')).toMatch(new RegExp(`took your ticket #${number}`));
    expect(notifier.textsFor(row.assigneeId!).join('\n')).toContain(`#${number}`);
  });

  it('a reload of desks.yml is written to the audit log', async () => {
    await guichet.desks!.reload();
    const audit = await testDb.db.client.auditLog.findFirstOrThrow({ where: { action: 'desks.reloaded' } });
    expect(audit).toMatchObject({ actorKind: 'system', entity: 'desks', entityId: 'desks.yml', after: { desks: ['paris', 'lyon', 'virtual', 'central', 'self-service'] } });
  });
});
