/**
 * Tickets through the bot core, on a real database with the shipped
 * configuration (groups, SLA policies on the Paris calendar, CMDB): opening a
 * ticket from chat (once per delivery), "my tickets" and "status" for the
 * requester only, an agent taking it (one owner when two race) and the live
 * relay through the card's thread, resolution → "is it fixed?" → closure and
 * survey, a contradicted "yes" that reopens, auto-close, and the SLA clock
 * firing its warning and breach once each, also after a restart.
 */
import { OutboundChannels } from '../../src/core/channel-contract.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import type { InboundFile } from '../../src/core/messages.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { createSlaScheduler } from '../../src/ticketing/scheduler.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

let testDb: TestDatabase;
let guichet: Guichet;
const clock = new FakeClock(new Date('2026-11-23T09:00:00Z')); // Monday 10:00 in Paris
const notifier = new RecordingNotifier();
const poster = new RecordingPoster('teams', (_address, index) => ({ thread: `thread-${index}` }));
const posted = poster.posted;
let sequence = 0;

const people = {
  alice: { externalId: 'u-alice', displayName: 'Alice Martin', email: 'alice.martin@example.org' },
  chloe: { externalId: 'u-chloe', displayName: 'Chloé Bernard', email: 'chloe.bernard@example.org' },
  camille: { externalId: 'u-camille', displayName: 'Camille Roux', email: 'camille.roux@example.org' },
  hugo: { externalId: 'u-hugo', displayName: 'Hugo Lambert', email: 'hugo.lambert@example.org' },
  bruno: { externalId: 'u-bruno', displayName: 'Bruno Petit', email: 'bruno.petit@example.org' },
} as const;
type Who = keyof typeof people;

/** One turn, and what runs right after its reply (a new ticket's card: its job is not awaited by the turn). */
async function say(who: Who, text: string, options: { deliveryId?: string; thread?: string; files?: InboundFile[] } = {}): Promise<TurnResult> {
  const user = people[who];
  const result = await guichet.turn({
    channel: options.thread ? 'teams' : 'web',
    deliveryId: options.deliveryId ?? `d-${++sequence}`,
    user,
    conversation: options.thread ? { externalId: options.thread, kind: 'channel' } : { externalId: `c-${user.externalId}`, kind: 'personal' },
    text,
    ...(options.files ? { files: options.files } : {}),
  });
  await guichet.jobs.afterReplyDone();
  return result;
}

const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');
const userId = async (who: Who) => (await testDb.db.client.user.findFirstOrThrow({ where: { email: people[who].email } })).id;
const ticket = (number: number) => testDb.db.client.ticket.findUniqueOrThrow({ where: { number } });

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({
    databaseUrl: testDb.url,
    defaultLang: 'fr',
    configDir: 'config',
    clock,
    notifier,
    channels: new OutboundChannels([{ poster, threadKeyOf: (post) => `${poster.channel}||${(post as { thread: string }).thread}` }]),
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });
  // Agents work in English; the employees have no preference yet.
  await testDb.db.client.user.updateMany({ where: { email: { in: [people.camille.email, people.hugo.email, people.bruno.email] } }, data: { locale: 'en' } });
}, 60_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

describe('the configuration', () => {
  it('synced groups, people with their roles, SLA policies and the CMDB, and a second sync changes nothing', async () => {
    expect(guichet.deskSync).toMatchObject({ groups: 5, services: 12, items: 36, retiredItems: 0 });
    const camille = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'camille.roux@example.org' }, include: { memberships: true } });
    expect(camille.role).toBe('agent');
    expect(camille.memberships.map((m) => m.groupId)).toEqual(['workplace']);
    const claire = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'claire.fontaine@example.org' } });
    expect(claire.role).toBe('admin');
    const before = await testDb.db.client.user.count();
    const { syncDeskConfig } = await import('../../src/persistence/stores/desk-config.ts');
    await syncDeskConfig(testDb.db, guichet.deskConfig!);
    expect(await testDb.db.client.user.count()).toBe(before);
    expect(await testDb.db.client.groupMember.count()).toBe(9);
  });
});

describe('a ticket from chat to closure', () => {
  it('opens a ticket from free text once per delivery, routed, prioritised and timed on business hours', async () => {
    // The workplace group's agents' channel in Teams (the shipped groups.yml names none).
    await testDb.db.client.groupChannel.create({ data: { groupId: 'workplace', platform: 'teams', address: { channelId: '19:workplace@thread.tacv2' } } });
    const first = await say('alice', 'open a ticket: my second screen flickers on the dock', { deliveryId: 'open-1' });
    expect(plain(first)).toMatch(/I opened ticket #1001/);
    const again = await say('alice', 'open a ticket: my second screen flickers on the dock', { deliveryId: 'open-1' });
    expect(again.duplicate).toBe(true);
    expect(await testDb.db.client.ticket.count()).toBe(1);

    const t = await ticket(1001);
    expect(t).toMatchObject({ type: 'incident', serviceId: 'workstation', groupId: 'workplace', impact: 3, urgency: 2, priority: 4, status: 'new', slaPolicyId: 'standard' });
    // P4: response in 240 business minutes → Monday 15:00 Paris; resolution in 2,700 → next Monday 14:30 Paris.
    expect(t.responseDueAt?.toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(t.resolutionDueAt?.toISOString()).toBe('2026-11-30T13:30:00.000Z');
    // The card went to the workplace group's channel once.
    expect(posted.filter((p) => p.kind === 'post')).toHaveLength(1);
    expect(posted[0]!.messages[0]).toMatchObject({ type: 'escalation', escalation: { ticket: { number: 1001 }, contact: { user: { department: 'Finance' } } } });
  });

  it('shows "my tickets" and the status to the requester only, in their language', async () => {
    expect(plain(await say('alice', 'my tickets'))).toMatch(/#1001 my second screen flickers on the dock — New — P4/);
    const fr = plain(await say('alice', 'statut du ticket 1001'));
    expect(fr).toMatch(/Statut : Nouveau/);
    expect(fr).toMatch(/Prise en charge avant : lun\. 23 nov\. 2026, 15:00/);
    expect(plain(await say('chloe', 'status #1001'))).toMatch(/can’t find a ticket #1001 of yours/);
    expect(plain(await say('chloe', 'mes tickets'))).toMatch(/aucun ticket en cours/);
  });

  it('lets exactly one of two agents racing to take it, and refuses an agent of another group', async () => {
    expect(plain(await say('bruno', 'take #1001'))).toMatch(/Only members of group Workplace and devices \(N2\)/);
    const [a, b] = await Promise.all([say('camille', 'take #1001'), say('hugo', 'take #1001')]);
    const texts = [plain(a), plain(b)];
    expect(texts.filter((t) => /You took ticket #1001/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /already taken by (Camille Roux|Hugo Lambert)/.test(t))).toHaveLength(1);
    const t = await ticket(1001);
    expect(t.status).toBe('assigned');
    expect(t.relay).toBe('live');
    expect(t.firstResponseAt?.toISOString()).toBe(clock.now().toISOString());
    expect(notifier.textsFor(await userId('alice')).join('\n')).toMatch(/(Camille Roux|Hugo Lambert) \(support informatique\) a pris votre ticket #1001/);
    // The card was updated in place, not posted again.
    expect(posted.filter((p) => p.kind === 'post')).toHaveLength(1);
    expect(posted.filter((p) => p.kind === 'update').length).toBeGreaterThan(0);
  });

  it('relays the requester’s words to the card’s thread and the assignee’s thread replies to the requester', async () => {
    const owner = (await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: 1001 }, include: { assignee: true } })).assignee!;
    const agent: Who = owner.email === people.camille.email ? 'camille' : 'hugo';
    const other: Who = agent === 'camille' ? 'hugo' : 'camille';
    const relayed = await say('alice', 'It also flickers with the other cable <!channel>');
    expect(relayed.replies).toEqual([]);
    const reply = posted.filter((p) => p.kind === 'reply').at(-1)!;
    expect(reply.messages).toEqual([{ type: 'text', text: 'Alice Martin : It also flickers with the other cable <!channel>' }]);

    notifier.clear();
    const fromThread = await say(agent, 'Could you try the left USB-C port of the dock?', { thread: 'thread-1' });
    expect(fromThread.replies).toEqual([]);
    expect(notifier.textsFor(await userId('alice'))).toEqual([`👤 ${owner.displayName} (support) : Could you try the left USB-C port of the dock?`]);
    // Someone else in the thread writes an internal note, never seen by the requester.
    const aside = await say(other, 'I had the same with a WD19S last week', { thread: 'thread-1' });
    expect(plain(aside)).toMatch(/Take ticket #1001/);
    expect(notifier.textsFor(await userId('alice'))).toHaveLength(1);
    const events = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number: 1001 } }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.kind, e.visibility])).toEqual(expect.arrayContaining([['info', 'public'], ['reply', 'public'], ['note', 'internal']]));
  });

  it('resolves, asks the requester, closes on "fixed", and records the survey with its comment', async () => {
    const owner = (await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: 1001 }, include: { assignee: true } })).assignee!;
    const agent: Who = owner.email === people.camille.email ? 'camille' : 'hugo';
    notifier.clear();
    expect(plain(await say(agent, 'resolve #1001: replaced the DisplayPort cable'))).toMatch(/Ticket #1001 resolved/);
    const told = notifier.sent.find((s) => s.userId === owner.id) ?? notifier.sent.at(-1)!;
    expect(told.messages.at(-1)).toMatchObject({ type: 'choices', choices: [{ value: '#1001 réglé' }, { value: '#1001 pas réglé' }] });
    expect((await ticket(1001)).relay).toBe('bot');

    expect(plain(await say('alice', 'merci'))).not.toMatch(/#1001/);
    expect((await ticket(1001)).status).toBe('resolved');

    const closed = await say('alice', '#1001 réglé');
    expect(plain(closed)).toMatch(/le ticket #1001 est clos/);
    expect(closed.replies.at(-1)).toMatchObject({ type: 'survey', ticketNumber: 1001 });
    expect(plain(await say('alice', '4'))).toMatch(/commentaire/);
    await say('alice', 'Rapide et sympa');
    expect(await ticket(1001)).toMatchObject({ status: 'closed', csatScore: 4, csatComment: 'Rapide et sympa' });
  });

  it('reopens on a "yes… but it still crashes" and tells the agent', async () => {
    await say('alice', 'open a ticket: Outlook crashes when I open the shared calendar');
    const number = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
    expect((await ticket(number)).groupId).toBe('service-desk');
    await say('bruno', `take #${number}`);
    await say('bruno', `resolve #${number}: repaired the Office installation`);
    notifier.clear();
    const answer = await say('alice', 'yes but it still crashes when I open it');
    expect(plain(answer)).toMatch(new RegExp(`reopened ticket #${number}`));
    expect((await ticket(number)).status).toBe('in-progress');
    expect(notifier.textsFor(await userId('bruno')).join('\n')).toMatch(new RegExp(`Ticket #${number} was reopened`));
  });

  it('closes a resolved ticket nobody confirmed after three business days, once, with a note', async () => {
    await say('alice', 'open a ticket: the badge reader of the printer on floor 2 is broken');
    const number = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
    await say('bruno', `take #${number}`);
    await say('bruno', `resolve #${number}: badge reader replaced`);
    const scheduler = guichet.scheduler!;
    clock.advance(2 * 86_400_000); // Wednesday: two business days
    expect((await scheduler.tick()).autoClosed).toBe(0);
    clock.advance(2 * 86_400_000); // Friday: four business days
    expect((await scheduler.tick()).autoClosed).toBe(1);
    expect((await scheduler.tick()).autoClosed).toBe(0);
    expect(await ticket(number)).toMatchObject({ status: 'closed' });
    const events = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'auto-closed' } });
    expect(events).toHaveLength(1);
  });
});

describe('the SLA clock', () => {
  it('warns at 75 % and breaches at 100 % once each, escalating, also across a restart', async () => {
    clock.advance(3 * 86_400_000); // Monday 30 Nov, 10:00 Paris
    await say('chloe', 'open a ticket: the VPN drops every ten minutes at home');
    const number = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
    const t = await ticket(number);
    expect(t.groupId).toBe('network');
    // Response target 240 business minutes: 75 % is 180 → 14:00 Paris; due 15:00 Paris.
    expect(t.responseDueAt?.toISOString()).toBe('2026-11-30T14:00:00.000Z');
    const scheduler = guichet.scheduler!;
    clock.advance(3.5 * 3_600_000); // 13:30 Paris: 150 minutes used
    expect(await scheduler.tick()).toMatchObject({ warnings: 0, breaches: 0 });
    clock.advance(45 * 60_000); // 14:15 Paris: 195 minutes
    expect(await scheduler.tick()).toMatchObject({ warnings: 1, breaches: 0 });
    expect(await scheduler.tick()).toMatchObject({ warnings: 0, breaches: 0 });
    // Same connection as the server: two better-sqlite3 connections in one process block each other (SQLite serves one process).
    const restarted = createSlaScheduler({ clock, desk: guichet.desk!.internals, config: guichet.deskConfig!, onError: (err) => { throw err; } });
    expect(await restarted.tick()).toMatchObject({ warnings: 0 });

    notifier.clear();
    clock.advance(60 * 60_000); // 15:15 Paris: response breached
    await Promise.all([scheduler.tick(), restarted.tick()]);
    // The server's clock tells people through jobs (the restarted one, without a queue, itself): run them.
    await guichet.jobs.drain();
    expect((await ticket(number)).responseBreached).toBe(true);
    const lead = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'claire.fontaine@example.org' } });
    expect(notifier.textsFor(lead.id).join('\n')).toMatch(new RegExp(`Ticket #${number} .*délai de prise en charge dépassé`));
    const events = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: { in: ['sla-warning', 'sla-breach', 'escalated'] } } });
    expect(events.map((e) => e.dedupeKey).sort()).toEqual(['escalated:hierarchical:sla-response:P4', 'sla-breach:response:P4', 'sla-warning:response:P4']);

    // The resolution target (2,700 business minutes for P4) passes a week later: functional escalation to level 3.
    clock.advance(8 * 86_400_000);
    await scheduler.tick();
    const breached = await ticket(number);
    expect(breached).toMatchObject({ resolutionBreached: true, groupId: 'infrastructure', level: 3 });
    await restarted.tick();
    const escalations = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'escalated' } });
    expect(escalations.map((e) => e.dedupeKey).sort()).toEqual(['escalated:functional:sla:P4', 'escalated:hierarchical:sla-resolution:P4', 'escalated:hierarchical:sla-response:P4']);
  });
});

describe('major incidents', () => {
  it('declares an outage from chat, links open tickets and new reports, broadcasts updates and resolves the linked tickets', async () => {
    expect(plain(await say('chloe', 'major incident email: Outlook is down'))).toMatch(/Only agents and admins/);
    const open = await testDb.db.client.ticket.findMany({ where: { serviceId: 'email', type: 'incident', status: { in: ['new', 'assigned', 'in-progress', 'pending-user'] } } });
    expect(open.length).toBeGreaterThan(0);
    notifier.clear();
    const declared = await say('bruno', 'major incident email: Exchange Online unavailable');
    expect(plain(declared)).toMatch(/Major incident #1 declared/);
    const incident = await testDb.db.client.majorIncident.findUniqueOrThrow({ where: { number: 1 }, include: { tickets: true } });
    // Incident reports of the service that speak of it are linked; the others are listed to the agent (docs/incidents.md).
    const linked = incident.tickets.map((t) => t.number).sort();
    expect(linked.length).toBeGreaterThan(0);
    for (const n of linked) expect(open.map((t) => t.number)).toContain(n);
    const rest = open.filter((t) => !linked.includes(t.number)).map((t) => `#${t.number}`);
    if (rest.length > 0) expect(plain(declared)).toContain(rest.join(', '));
    expect(notifier.textsFor(await userId('alice')).join('\n')).toMatch(/⚠️ Messagerie et calendrier : Exchange Online unavailable\./);

    // A new report on the service is linked instead of becoming a duplicate.
    const report = await say('chloe', 'open a ticket: outlook does not open my mailbox');
    expect(plain(report)).toMatch(/known outage \(major incident #1\)/);
    const chloeTicket = await testDb.db.client.ticket.findFirstOrThrow({ where: { requester: { email: people.chloe.email } }, orderBy: { number: 'desc' } });
    expect(chloeTicket.majorIncidentId).toBe(incident.id);

    notifier.clear();
    await say('bruno', 'update incident #1: Microsoft is rolling back a change');
    // Chloé heard nothing yet from the incident (her report was answered in her turn): the update comes at once.
    expect(notifier.textsFor(await userId('chloe')).join('\n')).toMatch(/ℹ️ Messagerie et calendrier \(incident #1\) : Microsoft is rolling back a change/);
    notifier.clear();
    expect(plain(await say('bruno', 'resolve incident #1: service restored by Microsoft'))).toMatch(/Major incident #1 resolved/);
    const after = await testDb.db.client.ticket.findMany({ where: { majorIncidentId: incident.id } });
    expect(after.every((t) => t.status === 'resolved')).toBe(true);
    // Each requester is asked to confirm their ticket, once; no second "resolved" broadcast.
    const chloeTold = notifier.textsFor(await userId('chloe'));
    expect(chloeTold).toHaveLength(1);
    expect(chloeTold[0]).toMatch(new RegExp(`#${chloeTicket.number} a été résolu : « service restored by Microsoft / service restored by Microsoft »`));
    expect(plain(await say('bruno', 'resolve incident #1: again'))).toMatch(/already resolved|déjà résolu/);
  });

  it('suggests a major incident once when three reports on one service arrive within 30 minutes', async () => {
    const lead = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'claire.fontaine@example.org' } })).id;
    notifier.clear();
    await say('alice', 'open a ticket: the printer on floor 3 prints blank pages');
    clock.advance(5 * 60_000);
    await say('chloe', 'open a ticket: printer shows error E000 on floor 3');
    expect(notifier.textsFor(lead).join('\n')).not.toMatch(/déclarer un incident majeur/);
    clock.advance(5 * 60_000);
    await say('alice', 'open a ticket: nothing comes out of the printer');
    clock.advance(5 * 60_000);
    await say('chloe', 'open a ticket: printer jammed again');
    expect(notifier.textsFor(lead).filter((t) => /signalements sur « Impression et numérisation »/.test(t))).toHaveLength(1);
  });
});

describe('waiting for the requester', () => {
  it('opens a ticket for someone, pauses the SLA clock while the requester is asked, and shifts the due times by the paused business time', async () => {
    clock.advance(7 * 86_400_000);
    while ([0, 6].includes(clock.now().getUTCDay())) clock.advance(86_400_000);
    const opened = await say('bruno', 'open a ticket for alice.martin@example.org: Her webcam shows a black image in Teams');
    expect(plain(opened)).toMatch(/Ticket #\d+ opened for Alice Martin/);
    const number = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
    const created = await ticket(number);
    expect(created.groupId).toBe('service-desk');
    await say('bruno', `take #${number}`);
    notifier.clear();
    expect(plain(await say('bruno', `ask #${number}: Which Teams version do you see in Settings › About?`))).toMatch(/Question sent to Alice Martin/);
    const paused = await ticket(number);
    expect(paused.status).toBe('pending-user');
    expect(paused.slaPausedAt?.toISOString()).toBe(clock.now().toISOString());
    expect(notifier.textsFor(await userId('alice')).join('\n')).toMatch(/Which Teams version do you see/);

    clock.advance(2 * 3_600_000); // two hours later, still business hours
    await guichet.scheduler!.tick(); // the clock is paused: nothing fires for this ticket
    expect(await testDb.db.client.ticketEvent.count({ where: { ticket: { number }, kind: { in: ['sla-warning', 'sla-breach'] } } })).toBe(0);
    const answered = await say('alice', 'Version 24295.605');
    expect(plain(answered)).toMatch(new RegExp(`ticket #${number}`));
    const resumed = await ticket(number);
    expect(resumed.status).toBe('in-progress');
    expect(resumed.slaPausedAt).toBeNull();
    const shift = resumed.slaPausedMinutes;
    expect(shift).toBeGreaterThan(0);
    const { businessMinutesBetween } = await import('../../src/ticketing/calendar.ts');
    const paris = guichet.deskConfig!.calendars.find((c) => c.id === 'paris')!;
    expect(businessMinutesBetween(paris, created.resolutionDueAt!, resumed.resolutionDueAt!)).toBe(shift);
    const events = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'info' } });
    expect(events.map((e) => (e.data as { text: string }).text)).toEqual(['Version 24295.605']);
  });
});

describe('approvals of service requests', () => {
  const claire = { externalId: 'u-claire', displayName: 'Claire Fontaine', email: 'claire.fontaine@example.org' };
  const asClaire = (text: string) =>
    guichet.turn({ channel: 'web', deliveryId: `claire-${++sequence}`, user: claire, conversation: { externalId: 'c-claire', kind: 'personal' }, text });

  it('asks the requester’s manager, who approves or rejects from chat; nobody else can', async () => {
    await asClaire('bonjour'); // Claire (Alice's manager in cmdb.yml) talks to Guichet once
    const aliceId = await userId('alice');
    const request = (title: string) =>
      guichet.desk!.create({ type: 'request', title, description: `${title} for the Q1 budget`, category: 'software', serviceId: 'software', impact: 3, urgency: 3, requesterId: aliceId, origin: `test:${title}`, createdBy: { id: aliceId, kind: 'user' }, approval: 'manager' });
    notifier.clear();
    const visio = (await request('Visio Plan 2 licence')).ticket.number;
    const manager = await testDb.db.client.user.findFirstOrThrow({ where: { email: claire.email } });
    const asked = notifier.sent.find((s) => s.userId === manager.id)!;
    expect(asked.messages.at(-1)).toMatchObject({ type: 'choices', choices: [{ value: `#${visio} approuver` }, { value: `#${visio} refuser` }] });

    expect(plain(await say('bruno', `#${visio} approve`))).toMatch(/can’t find|waiting for your approval/);
    notifier.clear();
    expect(plain(await asClaire(`#${visio} approuver`))).toMatch(new RegExp(`demande #${visio} approuvée`));
    expect(notifier.textsFor(aliceId).join('\n')).toMatch(new RegExp(`Your request #${visio} was approved|Votre demande #${visio} a été approuvée`));
    expect(plain(await asClaire(`#${visio} refuser`))).toMatch(/déjà été approuvée/);

    const acrobat = (await request('Acrobat Pro licence')).ticket.number;
    await asClaire(`#${acrobat} refuser`);
    expect((await ticket(acrobat)).status).toBe('cancelled');
    const kinds = (await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number: acrobat } }, orderBy: { createdAt: 'asc' } })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['approval-requested', 'approval-rejected']));
  });
});

describe('opening a ticket in the middle of something else', () => {
  const hugoTickets = async () => testDb.db.client.ticket.count({ where: { requester: { email: people.hugo.email } } });

  it('cancels a ticket whose description was asked for when the user says "annuler", opening nothing', async () => {
    const before = await hugoTickets();
    expect(plain(await say('hugo', 'ouvrir un ticket'))).toMatch(/Décrivez le problème|Describe the problem/);
    expect(plain(await say('hugo', 'annuler'))).toBe('D’accord, je n’ouvre pas de ticket.');
    expect(await hugoTickets()).toBe(before);
    // The next message is not taken as a description either.
    expect(plain(await say('hugo', 'merci'))).not.toMatch(/ticket #\d{4}/);
    expect(await hugoTickets()).toBe(before);
  });

  it('does not escalate with "cancel" as the reason', async () => {
    const opened = plain(await say('alice', 'open a ticket: Excel crashes when I open the budget file', { deliveryId: 'excel-1' }));
    const number = Number(/#(\d{4})/.exec(opened)![1]);
    expect(plain(await say('alice', `escalate #${number}`))).toMatch(/Why does ticket/);
    expect(plain(await say('alice', 'cancel'))).toBe(`All right, I won’t escalate ticket #${number}.`);
    const events = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number } } });
    expect(events.map((e) => e.kind)).not.toContain('escalated');
  });
});

describe('files sent in chat', () => {
  const shot = (name: string): InboundFile => ({ name, url: `https://acme.slack.com/files/ULEA/F${name.length}/${name}`, contentType: 'image/png' });
  // Léa has no ticket yet.
  const lea = { externalId: 'u-lea', displayName: 'Léa Moreau', email: 'lea.moreau@example.org' };
  const asLea = (text: string, options: { deliveryId?: string; files?: InboundFile[] } = {}) =>
    guichet.turn({ channel: 'web', deliveryId: options.deliveryId ?? `lea-${++sequence}`, user: lea, conversation: { externalId: 'c-lea', kind: 'personal' }, text, ...(options.files ? { files: options.files } : {}) });
  const leaId = async () => (await testDb.db.client.user.findFirstOrThrow({ where: { email: lea.email } })).id;
  const events = async (number: number) => testDb.db.client.ticketEvent.findMany({ where: { ticket: { number } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  let first = 0;
  let second = 0;

  it('asks for a description when no ticket is open, then opens one with the file', async () => {
    expect(plain(await asLea('', { files: [shot('imprimante.png')] }))).toMatch(/Describe the problem in a sentence or two, and I’ll open a ticket with this file|Décrivez le problème en une ou deux phrases, et j’ouvre un ticket avec ce fichier/);
    const opened = plain(await asLea('the printer on the 3rd floor jams on every page'));
    first = Number(/ticket #(\d{4})/.exec(opened)![1]);
    const timeline = await guichet.desk!.timeline(first, { id: await leaId(), role: 'employee' }, 'en');
    expect(timeline.map((e) => e.kind)).toEqual(['created', 'files']);
    expect(timeline[1]).toMatchObject({ text: 'Files attached: imprimante.png', files: [shot('imprimante.png')] });
  });

  it('attaches a file alone to the only open ticket, once per delivery, and tells the technician with the link', async () => {
    notifier.clear();
    const reply = plain(await asLea('', { files: [shot('erreur.png')], deliveryId: 'file-1' }));
    expect(reply).toMatch(new RegExp(`(Attached to ticket|C’est joint au ticket) #${first}`));
    await asLea('', { files: [shot('erreur.png')], deliveryId: 'file-1' });
    const infos = (await events(first)).filter((e) => e.kind === 'info');
    expect(infos).toHaveLength(1);
    expect(infos[0]!.data).toEqual({ text: '', files: [shot('erreur.png')] });
    // What an escalation card lists: the latest files, oldest first, from creation and later messages.
    expect(await guichet.desk!.attachedFiles(first, 5)).toEqual([shot('imprimante.png'), shot('erreur.png')]);
    expect(await guichet.desk!.attachedFiles(first, 1)).toEqual([shot('erreur.png')]);
    // Nobody has the ticket yet: the workplace group's manager is told, with the link.
    expect(notifier.sent.flatMap((s) => s.messages).map((m) => renderPlainText(m)).join('\n')).toContain(`📎 erreur.png — ${shot('erreur.png').url}`);
  });

  it('asks which ticket when several are open, and attaches to the one picked', async () => {
    second = Number(/ticket #(\d{4})/.exec(plain(await asLea('open a ticket: Outlook crashes when it starts')))![1]);
    const asked = await asLea('', { files: [shot('outlook.png')] });
    expect(asked.replies.at(-1)).toMatchObject({ type: 'choices', choices: expect.arrayContaining([expect.objectContaining({ value: `#${first}` }), expect.objectContaining({ value: `#${second}` })]) });
    expect(plain(await asLea(`#${second}`))).toMatch(new RegExp(`#${second}`));
    expect((await events(second)).filter((e) => e.kind === 'info').map((e) => e.data)).toEqual([{ text: '', files: [shot('outlook.png')] }]);
    expect((await events(first)).filter((e) => e.kind === 'info')).toHaveLength(1);
  });

  it('drops the files when the user cancels, so that the next ticket does not carry them', async () => {
    await asLea('', { files: [shot('oops.png')] });
    expect(plain(await asLea('annuler'))).toBe('D’accord, je ne joins rien.');
    const third = Number(/ticket #(\d{4})/.exec(plain(await asLea('open a ticket: the dock does not charge my laptop')))![1]);
    expect((await events(third)).map((e) => e.kind)).toEqual(['created']);
  });

  it('keeps a file sent with a question for the ticket that follows, and says so', async () => {
    const answered = plain(await say('hugo', 'how do I share my screen?', { files: [shot('teams.png')] }));
    expect(answered).toMatch(/Got it: “teams\.png”\. I’ll attach it to the ticket if we open one\.|Bien reçu : « teams\.png »/);
    const opened = plain(await say('hugo', 'open a ticket: screen sharing is greyed out in Teams'));
    const number = Number(/ticket #(\d{4})/.exec(opened)![1]);
    expect((await events(number)).map((e) => e.kind)).toEqual(['created', 'files']);
  });

  it('keeps the files held when the ticket picked for them is closed meanwhile', async () => {
    const zoe = { externalId: 'u-zoe', displayName: 'Zoé Girard', email: 'zoe.girard@example.org' };
    const asZoe = (text: string, files?: InboundFile[]) =>
      guichet.turn({ channel: 'web', deliveryId: `zoe-${++sequence}`, user: zoe, conversation: { externalId: 'c-zoe', kind: 'personal' }, text, ...(files ? { files } : {}) });
    const numberIn = (r: TurnResult) => Number(/ticket #(\d{4})/.exec(plain(r))![1]);
    const scanner = numberIn(await asZoe('open a ticket: the scanner on the 2nd floor jams'));
    const badge = numberIn(await asZoe('open a ticket: my badge does not open the car park'));
    await asZoe('', [shot('scan.png')]);
    await guichet.desk!.cancel(badge, { id: await userId('camille'), role: 'agent' }, 'duplicate of another request');
    expect(plain(await asZoe(`#${badge}`))).not.toMatch(/Attached|C’est joint/);
    expect((await events(badge)).filter((e) => e.kind === 'info')).toEqual([]);
    await asZoe(`add to #${scanner}: the scan of the error page`);
    expect((await events(scanner)).filter((e) => e.kind === 'info').map((e) => e.data)).toEqual([{ text: 'the scan of the error page', files: [shot('scan.png')] }]);
  });
});

describe('the card of a ticket opened in chat', () => {
  it('is posted right after the reply: the reply does not wait for the agents\' channel, and the card follows once', async () => {
    const cards = () => posted.filter((p) => p.kind === 'post');
    const before = cards().length;
    const release = poster.hold(); // the agents' platform does not answer yet
    const opened = await guichet.turn({ channel: 'web', deliveryId: `d-${++sequence}`, user: people.alice, conversation: { externalId: `c-${people.alice.externalId}`, kind: 'personal' }, text: 'open a ticket: the second screen flickers on my dock again' });
    const number = Number(/ticket #(\d{4})/.exec(plain(opened))![1]);
    expect((await ticket(number)).groupId).toBe('workplace');
    expect(cards()).toHaveLength(before);
    release();
    await guichet.jobs.afterReplyDone();
    expect(cards()).toHaveLength(before + 1);
    expect(cards().at(-1)!.messages[0]).toMatchObject({ type: 'escalation', escalation: { ticket: { number } } });
    expect(await testDb.db.client.job.findUniqueOrThrow({ where: { key: `ticket.changed:${number}:created` } })).toMatchObject({ status: 'done' });
  });
});
