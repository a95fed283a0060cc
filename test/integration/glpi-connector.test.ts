/**
 * GLPI as the system of record, through the real core (createGuichet, SQLite or PostgreSQL) and a
 * fake GLPI answering as apirest.md describes: a ticket opened in chat appears in GLPI with its
 * requester, category and description; a technician's public follow-up reaches the user; the
 * user's messages become follow-ups; solutions approved and refused from chat; assets on the
 * contact card; GLPI down, answers lost and refusals: nothing lost, nothing created twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { assertKnownGroups, parseMapping } from '../../src/connectors/glpi/mapping.ts';
import { GuichetError } from '../../src/core/errors.ts';
import { glpiOutboxHook } from '../../src/app/glpi.ts';
import { PrismaTicketRepository } from '../../src/persistence/stores/tickets-repository.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { FakeGlpi } from '../helpers/fake-glpi.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

const glpi = new FakeGlpi();
let testDb: TestDatabase;
let guichet: Guichet;
const clock = new FakeClock(new Date('2026-11-23T09:00:00Z'));
const notifier = new RecordingNotifier();
const errors: string[] = [];
let sequence = 0;

const people = {
  alice: { externalId: 'u-alice', displayName: 'Alice Martin', email: 'alice.martin@example.org' },
  chloe: { externalId: 'u-chloe', displayName: 'Chloé Bernard', email: 'chloe.bernard@example.org' },
} as const;
type Who = keyof typeof people;

function say(who: Who, text: string, deliveryId = `d-${++sequence}`): Promise<TurnResult> {
  const user = people[who];
  return guichet.turn({ channel: 'web', deliveryId, user, conversation: { externalId: `c-${user.externalId}`, kind: 'personal' }, text });
}
const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');
const userId = async (who: Who) => (await testDb.db.client.user.findFirstOrThrow({ where: { email: people[who].email } })).id;
const told = async (who: Who) => notifier.textsFor(await userId(who)).join('\n');
const link = (number: number) => testDb.db.client.glpiTicketLink.findUniqueOrThrow({ where: { ticketNumber: number } });
/** What the turns started after their replies (a new ticket's onChange: its GLPI ticket), then the connector's deliveries. */
const settle = async () => {
  await guichet.jobs.afterReplyDone();
  await guichet.glpi!.idle();
};

/** Opens a ticket from chat; returns its local number. */
async function open(who: Who, text: string, deliveryId?: string): Promise<number> {
  const reply = plain(await say(who, `open a ticket: ${text}`, deliveryId));
  const number = Number(/#(\d+)/.exec(reply)?.[1]);
  expect(number).toBeGreaterThan(1000);
  await settle();
  return number;
}

let aliceGlpiUser: number;

beforeAll(async () => {
  await glpi.start();
  aliceGlpiUser = glpi.seed('User', { name: 'amartin', email: people.alice.email }).id;
  testDb = await createTestDatabase();
  guichet = await createGuichet({
    databaseUrl: testDb.url,
    defaultLang: 'fr',
    configDir: 'config',
    clock,
    notifier,
    onError: (err, context) => errors.push(`${context}: ${String(err)}`),
    glpi: {
      url: glpi.url,
      appToken: 'app-token-1',
      userToken: 'user-token-1',
      timeoutMs: 1_000,
      pollIntervalMs: 0,
      webhookSecret: 'hook-secret',
      retry: { baseMs: 60_000, maxMs: 600_000, maxAttempts: 3 },
      mapping: parseMapping(
        { entity: 0, categories: { workstation: 12, default: 0 }, groups: { workplace: 5, network: 7 }, levels: { 1: 4, 2: 3, 3: 2 }, statuses: { 1: 'new', 2: 'assigned', 3: 'in-progress', 4: 'pending-user', 5: 'resolved', 6: 'closed' } },
        'test mapping',
      ),
    },
  });
}, 60_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
  await glpi.stop();
});

describe('a ticket opened in chat', () => {
  let number: number;
  let glpiId: number;

  it('appears in GLPI with its requester, category, group, urgency and impact, and the user sees GLPI’s number', async () => {
    number = await open('alice', 'my second screen flickers on the dock', 'open-1');
    const ticket = glpi.all('Ticket').at(-1)!;
    glpiId = ticket.id;
    const post = glpi.requests.find((r) => r.method === 'POST' && r.path === 'Ticket')!;
    const marker = (await link(number)).marker;
    expect(marker).toMatch(/^\[guichet:[0-9a-f]{12}\]$/);
    // The exact request GLPI receives (contract).
    expect(post.body).toEqual({
      input: {
        name: 'my second screen flickers on the dock',
        content: expect.stringContaining('my second screen flickers on the dock'),
        type: 1,
        urgency: 3,
        impact: 2,
        itilcategories_id: 12,
        entities_id: 0,
        _groups_id_assign: 5,
      },
    });
    expect(String((post.body as { input: { content: string } }).input.content)).toContain(`<p>${marker}</p>`);
    const requester = glpi.requests.find((r) => r.method === 'POST' && r.path === 'Ticket_User')!;
    expect(requester.body).toEqual({ input: { tickets_id: glpiId, users_id: aliceGlpiUser, type: 1 } });
    expect((await link(number)).glpiId).toBe(glpiId);
    expect(await told('alice')).toContain(`enregistré dans GLPI sous le numéro ${glpiId}`);
    // The card she sees from now on is headed by GLPI's number (ours beside it, for chat commands).
    const status = await say('alice', `status #${number}`);
    const card = status.replies.find((r) => r.type === 'ticket');
    expect(card).toMatchObject({ ticket: { number, reference: `GLPI ${glpiId}` } });
    expect(plain(status)).toContain(`GLPI ${glpiId} (#${number}) my second screen flickers on the dock`);
    expect(plain(await say('alice', 'my tickets'))).toContain(`GLPI ${glpiId} (#${number})`);
  });

  it('is created once when the same delivery is retried', async () => {
    const before = glpi.all('Ticket').length;
    const again = await say('alice', 'open a ticket: my second screen flickers on the dock', 'open-1');
    expect(again.duplicate).toBe(true);
    await settle();
    expect(glpi.all('Ticket')).toHaveLength(before);
  });

  it("brings a technician's public follow-up to the user, once, and never a private one", async () => {
    glpi.technicianFollowup(glpiId, '&lt;p&gt;Pouvez-vous essayer un autre câble ?&lt;/p&gt;');
    glpi.technicianFollowup(glpiId, 'note interne', true);
    await guichet.glpi!.poll();
    const poll = glpi.requests.find((r) => r.path === 'search/Ticket')!;
    expect(poll.query).toMatchObject({ 'criteria[0][field]': '19', 'criteria[0][searchtype]': 'morethan', 'forcedisplay[0]': '2', 'forcedisplay[1]': '19', sort: '19', order: 'ASC' });
    expect(await told('alice')).toContain('Pouvez-vous essayer un autre câble ?');
    expect(await told('alice')).not.toContain('note interne');
    const count = notifier.sent.length;
    await guichet.glpi!.poll();
    expect(notifier.sent.length).toBe(count);
  });

  it("sends the user's chat messages as public follow-ups, not echoed back", async () => {
    await say('alice', `add info to #${number}: même chose avec un autre câble`);
    await settle();
    const post = glpi.requests.filter((r) => r.method === 'POST' && r.path === 'ITILFollowup').at(-1)!;
    expect(post.body).toEqual({ input: { itemtype: 'Ticket', items_id: glpiId, content: '<p>même chose avec un autre câble</p>', is_private: 0 } });
    const count = notifier.textsFor(await userId('alice')).length;
    await guichet.glpi!.poll();
    expect(notifier.textsFor(await userId('alice')).length).toBe(count);
  });

  it('attaches the links of files the user sends as GLPI Documents, once', async () => {
    const user = people.alice;
    await guichet.turn({
      channel: 'web',
      deliveryId: `d-${++sequence}`,
      user,
      conversation: { externalId: `c-${user.externalId}`, kind: 'personal' },
      text: `add info to #${number}: la capture`,
      files: [{ name: 'ecran.png', url: 'https://files.example.org/ecran.png' }],
    });
    await settle();
    const document = glpi.requests.find((r) => r.method === 'POST' && r.path === 'Document')!;
    expect(document.body).toEqual({ input: { name: 'ecran.png', link: 'https://files.example.org/ecran.png', entities_id: 0 } });
    const documentId = glpi.all('Document').at(-1)!.id;
    expect(glpi.requests.filter((r) => r.method === 'POST' && r.path === 'Document_Item').map((r) => r.body)).toEqual([{ input: { documents_id: documentId, itemtype: 'Ticket', items_id: glpiId } }]);
  });

  it('asks the user to confirm a solution entered in GLPI; their "fixed" accepts it and closes the ticket', async () => {
    const solution = glpi.technicianSolution(glpiId, 'Câble DisplayPort remplacé.');
    await guichet.glpi!.poll();
    expect(await told('alice')).toContain('Câble DisplayPort remplacé.');
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('resolved');
    await say('alice', `#${number} fixed`);
    await settle();
    const puts = glpi.requests.filter((r) => r.method === 'PUT').slice(-2);
    expect(puts.map((r) => [r.path, r.body])).toEqual([
      [`ITILSolution/${solution.id}`, { input: { id: solution.id, status: 3 } }],
      [`Ticket/${glpiId}`, { input: { id: glpiId, status: 6 } }],
    ]);
    expect(glpi.all('Ticket').find((t) => t.id === glpiId)).toMatchObject({ status: 6 });
  });
});

describe('a solution refused from chat', () => {
  it('asks the user why, then refuses the solution and reopens the GLPI ticket with their reason as a follow-up', async () => {
    const number = await open('alice', 'Outlook crashes when I open the shared calendar');
    const glpiId = (await link(number)).glpiId!;
    const solution = glpi.technicianSolution(glpiId, 'Profil Outlook recréé.');
    await guichet.glpi!.poll();
    const calls = glpi.requests.length;
    const asked = plain(await say('alice', `#${number} not fixed`));
    expect(asked).toContain('What is still not working?');
    await settle();
    // Nothing refused yet: the ticket waits for the reason.
    expect(glpi.requests.slice(calls).filter((r) => r.method !== 'GET')).toEqual([]);
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('resolved');
    expect(plain(await say('alice', 'Outlook plante toujours dès que j’ouvre le calendrier partagé'))).toContain(`#${number}`);
    await settle();
    const after = glpi.requests.slice(calls).filter((r) => r.method !== 'GET');
    expect(after.map((r) => [r.method, r.path, r.body])).toEqual([
      ['PUT', `ITILSolution/${solution.id}`, { input: { id: solution.id, status: 4 } }],
      [
        'POST',
        'ITILFollowup',
        { input: { itemtype: 'Ticket', items_id: glpiId, content: '<p>Solution refusée par le demandeur depuis le chat : Outlook plante toujours dès que j’ouvre le calendrier partagé</p>', is_private: 0 } },
      ],
      ['PUT', `Ticket/${glpiId}`, { input: { id: glpiId, status: 2 } }],
    ]);
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('in-progress');
  });

  it('keeps the ticket resolved, and GLPI untouched, when the user cancels instead of giving a reason', async () => {
    const number = await open('alice', 'Excel is slow with the budget workbook');
    const glpiId = (await link(number)).glpiId!;
    glpi.technicianSolution(glpiId, 'Compléments désactivés.');
    await guichet.glpi!.poll();
    const calls = glpi.requests.length;
    await say('alice', `#${number} not fixed`);
    expect(plain(await say('alice', 'annuler'))).toContain(`le ticket #${number} reste résolu`);
    await settle();
    expect(glpi.requests.slice(calls).filter((r) => r.method !== 'GET')).toEqual([]);
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('resolved');
  });
});

describe('changes made in GLPI by the technician', () => {
  it('a ticket closed without a solution to approve is resolved and closed here, and the user told', async () => {
    const number = await open('alice', 'the dock station does not charge my laptop');
    const glpiId = (await link(number)).glpiId!;
    glpi.technicianClose(glpiId, 6);
    await guichet.glpi!.poll();
    const row = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } });
    expect(row.status).toBe('closed');
    expect(row.resolution).toBe(`Ticket clos dans GLPI (n° ${glpiId}) par le technicien.`);
    expect(await told('alice')).toContain(`Ticket clos dans GLPI (n° ${glpiId}) par le technicien.`);
    // Closed by GLPI itself: nothing goes back.
    await settle();
    expect(glpi.requests.filter((r) => r.method === 'PUT' && r.path === `Ticket/${glpiId}`)).toEqual([]);
  });

  it('a ticket solved without approval asks the user; their "fixed" closes it in GLPI (no solution to accept)', async () => {
    const number = await open('alice', 'the meeting room screen shows no signal');
    const glpiId = (await link(number)).glpiId!;
    glpi.technicianClose(glpiId, 5);
    await guichet.glpi!.poll();
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('resolved');
    const calls = glpi.requests.length;
    await say('alice', `#${number} fixed`);
    await settle();
    expect(glpi.requests.slice(calls).filter((r) => r.method !== 'GET').map((r) => [r.method, r.path, r.body])).toEqual([['PUT', `Ticket/${glpiId}`, { input: { id: glpiId, status: 6 } }]]);
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('closed');
  });

  it("follows GLPI's assignment group through the mapping, each assignment once; an unmapped group changes nothing", async () => {
    const number = await open('alice', 'the VPN drops every ten minutes');
    const glpiId = (await link(number)).glpiId!;
    // Created in GLPI with the group of its service (network, 7): no change of GLPI's. Moved here
    // meanwhile (an agent's move to service-desk): GLPI's unchanged assignment does not move it back.
    expect(glpi.requests.find((r) => r.method === 'POST' && r.path === 'Ticket' && JSON.stringify(r.body).includes('VPN drops'))!.body).toMatchObject({ input: { _groups_id_assign: 7 } });
    await guichet.desk!.setGroup(number, { id: 'glpi', role: 'agent' }, 'service-desk', 'desk paris');
    await guichet.glpi!.poll();
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).groupId).toBe('service-desk');
    glpi.technicianAssignGroup(glpiId, 5);
    await guichet.glpi!.poll();
    expect(glpi.requests.some((r) => r.method === 'GET' && r.path === `Ticket/${glpiId}/Group_Ticket`)).toBe(true);
    const moved = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } });
    expect(moved).toMatchObject({ groupId: 'workplace', assigneeId: null });
    // Moved to service-desk here first; then GLPI's technician moved it to workplace.
    const audits = await testDb.db.client.auditLog.findMany({ where: { action: 'ticket.group', entityId: String(number) }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.before, a.after])).toEqual([
      [{ groupId: 'network' }, { groupId: 'service-desk', reason: 'desk paris' }],
      [{ groupId: 'service-desk' }, { groupId: 'workplace', reason: 'GLPI group 5' }],
    ]);
    // Moved here by an agent afterwards: GLPI's older assignment is not applied again.
    await guichet.desk!.setGroup(number, { id: 'glpi', role: 'agent' }, 'network', 'test');
    await guichet.glpi!.poll();
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).groupId).toBe('network');
    glpi.technicianAssignGroup(glpiId, 99);
    await guichet.glpi!.poll();
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).groupId).toBe('network');
  });
});

describe('the outbox and the change that causes it', () => {
  it('are committed together: a unit of work that fails leaves no outbox row and no job; one that commits has both, keyed by its event', async () => {
    const number = await open('alice', 'the scanner saves blank pages');
    const repository = new PrismaTicketRepository(testDb.db, { onEvent: glpiOutboxHook(testDb.db, () => guichet.glpi) });
    const before = await testDb.db.client.glpiOutbox.count();
    const jobsBefore = await testDb.db.client.job.count({ where: { queue: 'glpi.deliver' } });
    await expect(
      repository.transaction(async (tx) => {
        await tx.appendEvent(number, { kind: 'info', actorId: null, actorKind: 'user', data: { text: 'rolled back' }, at: clock.now() });
        throw new GuichetError('ticketing.invalid', 'the change fails after its event');
      }),
    ).rejects.toThrow('the change fails');
    expect(await testDb.db.client.glpiOutbox.count()).toBe(before);
    expect(await testDb.db.client.job.count({ where: { queue: 'glpi.deliver' } })).toBe(jobsBefore);
    expect(await testDb.db.client.ticketEvent.count({ where: { kind: 'info', ticket: { number } } })).toBe(0);
    await repository.transaction((tx) => tx.appendEvent(number, { kind: 'info', actorId: null, actorKind: 'user', data: { text: 'committed' }, at: clock.now() }));
    const event = await testDb.db.client.ticketEvent.findFirstOrThrow({ where: { kind: 'info', ticket: { number } } });
    expect(await testDb.db.client.glpiOutbox.findUniqueOrThrow({ where: { key: `info:${event.id}` } })).toMatchObject({ ticketNumber: number, kind: 'followup', payload: { text: 'committed' }, status: 'pending' });
    expect(await testDb.db.client.job.findUniqueOrThrow({ where: { key: `glpi:info:${event.id}` } })).toMatchObject({ queue: 'glpi.deliver', payload: { item: `info:${event.id}` }, status: 'pending' });
    // Its job delivers it once its writer's grace is over (the job queue's run: this repository did not run it).
    clock.advance(60_000);
    await guichet.jobs.drain();
    expect(await testDb.db.client.glpiOutbox.findUniqueOrThrow({ where: { key: `info:${event.id}` } })).toMatchObject({ status: 'done' });
    const glpiId = (await link(number)).glpiId!;
    expect(glpi.all('ITILFollowup').filter((f) => f.items_id === glpiId).map((f) => f.content)).toEqual(['<p>committed</p>']);
  });
});

describe('the GLPI mapping', () => {
  it('refuses a GLPI group mapped from two Guichet groups, and a Guichet group groups.yml does not have, naming the field', () => {
    const base = { levels: { 1: 4, 2: 3, 3: 2 }, statuses: { 1: 'new', 2: 'assigned', 3: 'in-progress', 4: 'pending-user', 5: 'resolved', 6: 'closed' } };
    expect(() => parseMapping({ ...base, groups: { workplace: 5, network: 5 } }, 'config/glpi-mapping.yml')).toThrow(
      'connectors: config/glpi-mapping.yml: "groups.network" maps to GLPI group 5, already mapped from "workplace"',
    );
    const mapping = parseMapping({ ...base, groups: { wrokplace: 5 } }, 'config/glpi-mapping.yml');
    expect(() => assertKnownGroups(mapping, ['workplace', 'network'], 'config/glpi-mapping.yml')).toThrow('connectors: config/glpi-mapping.yml: "groups.wrokplace" names no support group of groups.yml');
  });
});

describe('the contact record', () => {
  it("shows the user's computers and phones from GLPI", async () => {
    glpi.seed('Computer', { name: 'PC-ALICE', otherserial: 'INV-0042', users_id: aliceGlpiUser, is_deleted: 0 });
    glpi.seed('Computer', { name: 'PC-OTHER', otherserial: 'INV-0099', users_id: aliceGlpiUser + 100, is_deleted: 0 });
    glpi.seed('Phone', { name: 'iPhone Alice', otherserial: 'TEL-7', users_id: aliceGlpiUser, is_deleted: 0 });
    const contact = await guichet.desk!.contact(await userId('alice'));
    expect(contact.assets).toEqual(expect.arrayContaining([expect.objectContaining({ tag: 'INV-0042', kind: 'computer', name: 'PC-ALICE' }), expect.objectContaining({ tag: 'TEL-7', kind: 'phone', name: 'iPhone Alice' })]));
    expect(contact.assets.map((a) => a.tag)).not.toContain('INV-0099');
  });
});

describe('GLPI unreachable, slow or refusing', () => {
  it('keeps a ticket and the messages sent while GLPI is down, tells the user it is delayed, and delivers them once, in order, when GLPI is back', async () => {
    glpi.down = true;
    const tickets = glpi.all('Ticket').length;
    const number = await open('chloe', 'the badge reader of the printer on floor 2 is broken');
    expect(await told('chloe')).toContain(`Votre ticket #${number} est bien enregistré ; il apparaîtra dans GLPI sous peu`);
    await say('chloe', `add info to #${number}: c’est l’imprimante HP du couloir`);
    await settle();
    clock.advance(60_000);
    await guichet.jobs.drain(); // still down: a second attempt, still queued
    expect(await testDb.db.client.glpiOutbox.count({ where: { ticketNumber: number, status: 'pending' } })).toBe(2);
    glpi.down = false;
    clock.advance(120_000);
    await guichet.jobs.drain();
    expect(glpi.all('Ticket')).toHaveLength(tickets + 1);
    const glpiId = (await link(number)).glpiId!;
    expect(glpi.all('ITILFollowup').filter((f) => f.items_id === glpiId).map((f) => f.content)).toEqual(['<p>c’est l’imprimante HP du couloir</p>']);
    expect(await told('chloe')).toContain(`enregistré dans GLPI sous le numéro ${glpiId}`);
    // Chloé has no GLPI account: she is the requester by e-mail.
    expect(glpi.requests.filter((r) => r.path === 'Ticket_User').at(-1)!.body).toEqual({ input: { tickets_id: glpiId, users_id: 0, type: 1, alternative_email: people.chloe.email, use_notification: 1 } });
  });

  it('does not create a ticket twice when GLPI created it but its answer was lost', async () => {
    glpi.loseAnswers.push('POST Ticket');
    const tickets = glpi.all('Ticket').length;
    const number = await open('alice', 'the projector in room B stays blue');
    expect(glpi.all('Ticket')).toHaveLength(tickets + 1); // made, answer lost
    expect((await link(number)).glpiId).toBeNull();
    clock.advance(60_000);
    await guichet.jobs.drain();
    expect(glpi.all('Ticket')).toHaveLength(tickets + 1);
    const marker = (await link(number)).marker;
    const search = glpi.requests.filter((r) => r.method === 'GET' && r.path === 'Ticket').at(-1)!;
    expect(search.query).toMatchObject({ 'searchText[content]': marker });
    expect((await link(number)).glpiId).toBe(glpi.all('Ticket').at(-1)!.id);
  });

  it('renews an expired session without losing the call', async () => {
    glpi.expireSessions();
    const number = await open('alice', 'my keyboard types double letters');
    expect((await link(number)).glpiId).toBeGreaterThan(0);
  });

  it('gives up on a call GLPI refuses (rights), tells admins clearly, and delivers it after an admin retry', async () => {
    const admin = await testDb.db.client.user.create({ data: { displayName: 'Ada Admin', email: 'ada@example.org', role: 'admin' } });
    glpi.refuse('POST Ticket', 401, 'ERROR_RIGHT_MISSING', "You don't have permission to perform this action.");
    const number = await open('alice', 'I need the Visio licence');
    expect(await told('alice')).toContain(`Votre ticket #${number} est bien enregistré`);
    expect(notifier.textsFor(admin.id).join('\n')).toMatch(new RegExp(`ticket #${number} a échoué après 1 essai\\(s\\) : .*ERROR_RIGHT_MISSING`));
    const status = await guichet.glpi!.status('fr');
    expect(renderPlainText(status[0]!)).toMatch(/1 abandonné/);
    glpi.clearRefusals();
    await guichet.glpi!.status('fr', true);
    await settle();
    expect((await link(number)).glpiId).toBeGreaterThan(0);
  });
});

describe("GLPI's webhook", () => {
  it('refuses a call without the shared secret and applies the named ticket with it', async () => {
    const number = await open('alice', 'the wifi drops in the meeting room');
    const glpiId = (await link(number)).glpiId!;
    expect((await guichet.glpi!.webhook({ item: { id: glpiId } }, undefined)).status).toBe(401);
    glpi.technicianFollowup(glpiId, 'Borne redémarrée.');
    expect(await guichet.glpi!.webhook({ itemtype: 'ITILFollowup', items_id: glpiId }, 'hook-secret')).toEqual({ status: 202, body: { accepted: glpiId } });
    await settle();
    expect(await told('alice')).toContain('Borne redémarrée.');
  });
});
