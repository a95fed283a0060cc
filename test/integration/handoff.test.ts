/**
 * Human handoff through the bot core on a real database: the escalation card
 * (every field, posted once, updated in place), messages queued until an agent
 * takes the ticket, agents' commands and card buttons checked on the server
 * (an employee forging a button, an agent of another group, a stale card),
 * availability, hand-back to the bot, "add to FAQ", and hostile user text kept
 * inert on the card.
 */
import { OutboundChannels } from '../../src/core/channel-contract.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import type { InboundFile, OutboundMessage } from '../../src/core/messages.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

let testDb: TestDatabase;
let guichet: Guichet;
const clock = new FakeClock(new Date('2026-11-24T08:00:00Z')); // Tuesday 09:00 in Paris
const notifier = new RecordingNotifier();
const poster = new RecordingPoster('slack', (address, index) => ({ channelId: (address as { channelId: string }).channelId, ts: `1700000000.00000${index}` }));
const posted = poster.posted;
let sequence = 0;

const people = {
  alice: { externalId: 'U0ALICE', displayName: 'Alice Martin', email: 'alice.martin@example.org', locale: 'en-GB' },
  bruno: { externalId: 'U0BRUNO', displayName: 'Bruno Petit', email: 'bruno.petit@example.org', locale: 'en-GB' },
  sarah: { externalId: 'U0SARAH', displayName: 'Sarah Haddad', email: 'sarah.haddad@example.org', locale: 'en-GB' },
  julien: { externalId: 'U0JULIEN', displayName: 'Julien Moreau', email: 'julien.moreau@example.org', locale: 'en-GB' },
  nadia: { externalId: 'U0NADIA', displayName: 'Nadia Benali', email: 'nadia.benali@example.org', locale: 'en-GB' },
} as const;
type Who = keyof typeof people;

function say(who: Who, text: string, options: { action?: { verb: string; data: Record<string, unknown> }; files?: InboundFile[] } = {}): Promise<TurnResult> {
  const user = people[who];
  return guichet.turn({
    channel: 'slack',
    tenantId: 'T0ACME',
    deliveryId: `Ev${++sequence}`,
    user,
    conversation: { externalId: `D-${user.externalId}`, kind: 'personal' },
    text,
    ...(options.action ? { action: options.action } : {}),
    ...(options.files ? { files: options.files } : {}),
  });
}

const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');
const lastCard = () => posted.filter((p) => p.kind !== 'reply').at(-1)!.messages[0] as Extract<OutboundMessage, { type: 'escalation' }>;
const ticket = (number: number) => testDb.db.client.ticket.findUniqueOrThrow({ where: { number } });
const userId = async (who: Who) => (await testDb.db.client.user.findFirstOrThrow({ where: { email: people[who].email } })).id;
let number = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({
    databaseUrl: testDb.url,
    defaultLang: 'en',
    knowledgeDir: 'knowledge',
    configDir: 'config',
    clock,
    notifier,
    channels: new OutboundChannels([{ poster, threadKeyOf: (post) => `${poster.channel}|T0ACME|${(post as { channelId: string; ts: string }).channelId}:${(post as { ts: string }).ts}` }]),
    publicUrl: 'https://guichet.example.org',
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });
  await testDb.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'slack', address: { teamId: 'T0ACME', channelId: 'C0DESK' } } });
}, 60_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

describe('escalation to a person', () => {
  it('tells the user when nobody is available, with the response due time, and queues their messages', async () => {
    for (const agent of ['bruno', 'sarah', 'julien'] as const) expect(plain(await say(agent, 'away'))).toMatch(/You are away/);
    const opened = await say('alice', 'open a ticket: my Outlook keeps asking for my password [click here](http://evil.example) @channel <b>now</b>');
    number = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
    expect(plain(opened)).toMatch(new RegExp(`I opened ticket #${number}`));
    const { ticket: view, availableAgents } = await guichet.handoff!.escalate(number, { live: true });
    expect(availableAgents).toBe(0);
    expect(guichet.handoff!.queuedNotice(view, availableAgents, 'en', 'Europe/Paris')).toMatch(/No technician is available right now; your request will be picked up by Tue, 24 Nov 2026, 14:00/);
    expect((await ticket(number)).relay).toBe('queued');

    const queued = await say('alice', 'It started after the password change this morning');
    expect(plain(queued)).toMatch(new RegExp(`Added to ticket #${number}`));
  });

  it('posts one card with every field, and hostile text stays text', async () => {
    const posts = posted.filter((p) => p.kind === 'post');
    expect(posts).toHaveLength(1);
    const card = lastCard();
    expect(card.type).toBe('escalation');
    const { escalation } = card;
    expect(escalation.ticket).toMatchObject({ number, priority: 4, status: 'new', group: { id: 'service-desk' }, responseDueAt: '2026-11-24T13:00:00.000Z' });
    expect(escalation.contact.user).toMatchObject({ displayName: 'Alice Martin', department: 'Finance', vip: false });
    expect(escalation.contact.assets.map((a) => a.kind).sort()).toEqual(['dock', 'laptop', 'phone']);
    expect(escalation.contact.openTickets.map((t) => t.number)).toContain(number);
    expect(escalation.suggestedKnownErrors.map((k) => k.id)).toContain('KE-0004');
    expect(escalation.actions.map((a) => a.verb)).toEqual(['ticket.take', 'ticket.escalate', 'ticket.escalate', 'ticket.priority', 'ticket.resolve']);
    expect(escalation.relay).toBe('queued');
    // User text is escaped for the card's Markdown and platform-wide mentions are broken.
    expect(escalation.diagnosisMarkdown).toContain('\\[click here\\]\\(http://evil.example\\)');
    expect(escalation.diagnosisMarkdown).toContain('@\u200Bchannel');
    expect(escalation.diagnosisMarkdown).toContain('\\<b\\>now\\</b\\>');
  });

  it('refuses a forged button from an employee and an agent of another group, changing nothing', async () => {
    const forged = await say('alice', '', { action: { verb: 'ticket.take', data: { number } } });
    expect(plain(forged)).toMatch(/for service desk agents/);
    const outsider = await say('nadia', '', { action: { verb: 'ticket.resolve', data: { number, resolution: 'done' } } });
    expect(plain(outsider)).toMatch(/Only members of group Service desk \(N1\)/);
    expect(await ticket(number)).toMatchObject({ status: 'new', assigneeId: null });
    const bad = await say('bruno', '', { action: { verb: 'ticket.priority', data: { number, impact: 9, urgency: 1 } } });
    expect(plain(bad)).toMatch(/Action refused: ticket.priority: "impact"/);
  });

  it('shows the queue, takes the next ticket with the messages that waited, and updates the card in place', async () => {
    expect(plain(await say('bruno', 'available'))).toMatch(/You are available \(1 group/);
    expect(plain(await say('bruno', 'my queue'))).toMatch(new RegExp(`#${number} `));
    notifier.clear();
    const updatesBefore = posted.filter((p) => p.kind === 'update').length;
    const taken = await say('bruno', 'next');
    expect(plain(taken)).toMatch(new RegExp(`You took ticket #${number}`));
    expect(plain(taken)).toMatch(/Messages received while waiting:\n- Information added: It started after the password change this morning/);
    expect(notifier.textsFor(await userId('alice')).join('\n')).toMatch(/Bruno Petit \(IT service desk\) took your ticket/);
    expect(posted.filter((p) => p.kind === 'post')).toHaveLength(1);
    expect(posted.filter((p) => p.kind === 'update').length).toBeGreaterThan(updatesBefore);
    expect(lastCard().escalation).toMatchObject({ relay: 'live', ticket: { assignee: { displayName: 'Bruno Petit' } } });
    expect(lastCard().escalation.actions.map((a) => a.verb)).toContain('ticket.handback');
  });

  it('runs notes, reassignment, priority and escalation, each on the timeline and in the audit log, the requester told', async () => {
    notifier.clear();
    expect(plain(await say('bruno', `note #${number}: checked the Credential Manager, stale entry`))).toMatch(/Internal note added/);
    expect(plain(await say('bruno', `reassign #${number} to sarah.haddad@example.org`))).toMatch(/assigned to Sarah Haddad/);
    expect(plain(await say('sarah', `priority #${number} P2`))).toMatch(/is now P2/);
    const t = await ticket(number);
    expect(t).toMatchObject({ priority: 2, impact: 1, urgency: 2 });
    // P2 targets counted from creation: resolution in 480 business minutes.
    expect(t.resolutionDueAt?.toISOString()).toBe('2026-11-24T17:00:00.000Z');
    expect(plain(await say('julien', `escalate #${number} to L2`))).toMatch(/escalated to level 2 \(Workplace and devices \(N2\)\)/);
    const audit = await testDb.db.client.auditLog.findMany({ where: { entity: 'ticket', entityId: String(number) }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['ticket.take', 'ticket.note', 'ticket.assign', 'ticket.priority', 'ticket.escalate']));
    const told = notifier.textsFor(await userId('alice')).join('\n');
    expect(told).toMatch(new RegExp(`Your ticket #${number} is now handled by Sarah Haddad`));
    expect(told).toMatch(new RegExp(`Your ticket #${number} now has priority P2`));
    expect(told).toMatch(new RegExp(`Your ticket #${number} was passed to the “Workplace and devices \\(N2\\)” team \\(level 2\\)`));
    expect(told).not.toMatch(/Credential Manager/);
    const notes = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'note' } });
    expect(notes.map((n) => n.visibility)).toEqual(['internal']);
    const timeline = await guichet.desk!.timeline(number, { id: await userId('alice'), role: 'employee' }, 'en');
    expect(timeline.map((e) => e.text).join('\n')).not.toMatch(/Credential Manager/);
  });

  it('relays a screenshot the requester sends to the card’s thread as its link, and keeps it on the ticket', async () => {
    const file = { name: 'outlook-error.png', url: 'https://acme.slack.com/files/U0ALICE/F0SHOT/outlook-error.png', contentType: 'image/png' };
    const repliesBefore = posted.filter((p) => p.kind === 'reply').length;
    expect(plain(await say('alice', 'here is the error', { files: [file] }))).toBe('');
    const relayed = posted.filter((p) => p.kind === 'reply').slice(repliesBefore);
    expect(relayed).toHaveLength(1);
    expect(renderPlainText(relayed[0]!.messages[0]!)).toBe(`Alice Martin: here is the error\n📎 outlook-error.png — ${file.url}`);
    const info = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'info' }, orderBy: { createdAt: 'desc' }, take: 1 });
    expect(info[0]!.data).toEqual({ text: 'here is the error', files: [file] });
    // The card in the agents' channel lists it, updated in place.
    expect(lastCard().escalation.files).toEqual([file]);
  });

  it('hands the conversation back to the bot, and the user is told', async () => {
    await testDb.db.client.ticket.update({ where: { number }, data: { groupId: 'service-desk', level: 1 } });
    notifier.clear();
    expect(plain(await say('bruno', `hand back #${number}`))).toMatch(/handed back to the bot/);
    expect(notifier.textsFor(await userId('alice')).join('\n')).toMatch(/you are talking to Guichet, the automated assistant, again/);
    expect((await ticket(number)).relay).toBe('bot');
    const toBot = await say('alice', 'my tickets');
    expect(plain(toBot)).toMatch(/Your open tickets/);
  });

  it('answers a stale card with what happened and changes nothing; drafts an FAQ from the resolved ticket', async () => {
    await say('bruno', `resolve #${number}: removed the stale Outlook credential and signed in again`);
    await say('alice', `#${number} fixed`);
    expect((await ticket(number)).status).toBe('closed');
    const stale = await say('julien', '', { action: { verb: 'ticket.take', data: { number } } });
    expect(plain(stale)).toMatch(new RegExp(`Ticket #${number} is closed: nothing was changed`));
    expect((await ticket(number)).assigneeId).not.toBe(await userId('julien'));
    expect(lastCard().escalation.actions.map((a) => a.verb)).toEqual(['ticket.add-faq']);

    const faq = await say('bruno', '', { action: { verb: 'ticket.add-faq', data: { number } } });
    expect(plain(faq)).toMatch(/Draft FAQ-\d{4} made from ticket/);
    const draft = await testDb.db.client.article.findFirstOrThrow({ where: { status: 'draft', source: 'ticket' } });
    expect(draft.body).toContain('removed the stale Outlook credential');
  });

  it('cuts a long description on the card, pointing to the full record', async () => {
    await say('bruno', 'away');
    await say('alice', `open a ticket: ${'The shared drive S: shows a red cross. '.repeat(80)}`);
    await guichet.jobs.afterReplyDone(); // the card is posted right after the turn's reply
    const long = (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
    const card = posted.filter((p) => p.kind === 'post').at(-1)!.messages[0] as Extract<OutboundMessage, { type: 'escalation' }>;
    expect(card.escalation.ticket.number).toBe(long);
    expect(card.escalation.diagnosisMarkdown.length).toBeLessThan(1_700);
    expect(card.escalation.diagnosisMarkdown).toContain(`https://guichet.example.org/tickets/${long}`);
  });
});
