/**
 * The desk's and the handoff's messages go through the outbox, on a real database (SQLite's
 * in-process runner, or pg-boss with DATABASE_URL=postgresql://…): every change writes its job in
 * its own unit of work, so
 * - a change rolled back leaves no job (and tells nobody);
 * - an instance that "dies" right after the commit (its runNow never runs) leaves the job, and
 *   another instance's runner delivers it — each kind of change, the requester's message relayed
 *   to the agents' thread, the agent's reply to the requester — once, in order;
 * - a job retried after some of its messages were sent does not send them twice.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openJobs } from '../../src/app/jobs.ts';
import { OutboundChannels } from '../../src/core/channel-contract.ts';
import type { JobQueue } from '../../src/core/jobs.ts';
import type { OutboundMessage } from '../../src/core/messages.ts';
import { systemClock } from '../../src/core/ports.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import type { NewTicket, Viewer } from '../../src/core/tickets.ts';
import { Handoff } from '../../src/handoff/handoff.ts';
import type { EscalationDesks } from '../../src/handoff/ports.ts';
import type { JobRunner } from '../../src/jobs/runner.ts';
import { syncDeskConfig } from '../../src/persistence/stores/desk-config.ts';
import { PrismaHandoffStore } from '../../src/persistence/stores/handoff.ts';
import { PrismaIncidentStore } from '../../src/persistence/stores/incidents.ts';
import { PrismaTicketRepository } from '../../src/persistence/stores/tickets-repository.ts';
import { loadDeskConfig, type DeskConfig } from '../../src/ticketing/config.ts';
import { TicketDeskService } from '../../src/ticketing/desk/ticket-desk.ts';
import type { TicketRepository } from '../../src/ticketing/ports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

const ON_PG = process.env.DATABASE_URL?.startsWith('postgres') ?? false;
let testDb: TestDatabase;
let config: DeskConfig;
const opened: JobRunner[] = [];
const errors: string[] = [];
let alice: Viewer;
let agent: Viewer;

/** One instance's job queue on the test database (no grace: another instance may take a job at once). */
function instance(): JobRunner {
  const jobs = openJobs(testDb.db, { url: testDb.url, clock: systemClock, settings: { pollMs: 200, leaseSeconds: 30, graceSeconds: 0, maxAttempts: 5, concurrency: 4, backoffSeconds: 1 }, onError: (_err, context) => void errors.push(context) });
  opened.push(jobs);
  return jobs;
}

/** A queue whose process dies right after each commit: the jobs are written, never run here. */
const dying = (jobs: JobQueue): JobQueue => ({ handle: jobs.handle, enqueue: jobs.enqueue, nudge: jobs.nudge, graceMs: jobs.graceMs, runNow: async () => {}, runAfterReply: () => {} });

function desk(jobs: JobQueue, notifier: RecordingNotifier, options: { onChange?: (n: number, kind: string) => Promise<void>; repository?: TicketRepository } = {}): TicketDeskService {
  return new TicketDeskService({
    repository: options.repository ?? new PrismaTicketRepository(testDb.db), incidents: new PrismaIncidentStore(testDb.db), clock: systemClock, notifier, config, defaultLang: 'en',
    defaultGroupId: 'service-desk', jobs, onChange: options.onChange, onError: (_err, context) => void errors.push(context),
  });
}

const input = (origin: string, conversationId: string | null = null): NewTicket => ({
  type: 'incident', title: 'VPN down', description: 'The VPN drops every minute.', category: 'network', serviceId: null, impact: 3, urgency: 2,
  requesterId: alice.id, origin, conversationId, createdBy: { id: alice.id, kind: 'user' }, groupId: 'service-desk',
});

const texts = (notifier: RecordingNotifier, userId: string) => notifier.textsFor(userId);
const tellJobs = () => testDb.db.client.job.count({ where: { queue: 'ticket.tell' } });

beforeAll(async () => {
  config = loadDeskConfig('config');
});

beforeEach(async () => {
  testDb = await createTestDatabase();
  errors.length = 0;
  await syncDeskConfig(testDb.db, config);
  const a = await testDb.db.client.user.create({ data: { displayName: 'Alice Martin', email: 'alice@example.org', locale: 'en' } });
  alice = { id: a.id, role: 'employee' };
  const member = await testDb.db.client.groupMember.findFirstOrThrow({ where: { groupId: 'service-desk' }, include: { user: true } });
  agent = { id: member.userId, role: 'agent' };
}, 60_000);

afterEach(async () => {
  for (const jobs of opened.splice(0)) await jobs.stop();
  await testDb.cleanup();
});

describe(`the desk's outbox on ${ON_PG ? 'PostgreSQL (pg-boss)' : 'SQLite (in process)'}`, () => {
  it('writes no job for a change rolled back, and tells nobody', { timeout: 60_000 }, async () => {
    const notifier = new RecordingNotifier();
    const queue = instance();
    const repository = new PrismaTicketRepository(testDb.db);
    // The same repository, whose units of work fail at their end (after the job was written): rolled back.
    const failing = Object.create(repository, {
      transaction: { value: (work: Parameters<TicketRepository['transaction']>[0]) => repository.transaction(async (tx) => {
        await work(tx);
        throw new Error('commit failed');
      }) },
    }) as TicketRepository;
    const { ticket } = await desk(queue, notifier).create(input('rollback'));
    const before = await tellJobs();
    await expect(desk(instance(), notifier, { repository: failing }).reply(ticket.number, agent, 'Try again now')).rejects.toThrow('commit failed');
    expect(await tellJobs()).toBe(before);
    await queue.drain();
    expect(texts(notifier, alice.id).join('\n')).not.toContain('Try again now');
    expect(await testDb.db.client.ticketEvent.count({ where: { kind: 'reply' } })).toBe(0);
  });

  it('leaves every kind of change to the next runner when its writer dies after the commit, told once', { timeout: 120_000 }, async () => {
    const dead = new RecordingNotifier();
    const a = desk(dying(instance()), dead);
    const { ticket } = await a.create(input('each-kind'));
    const n = ticket.number;
    const manager = (await testDb.db.client.supportGroup.findUniqueOrThrow({ where: { id: 'service-desk' } })).managerId;
    await a.take(n, agent);
    await a.setStatus(n, agent, 'pending-user', 'Which office are you in?');
    await a.addInfo(n, alice, 'Lyon, 3rd floor', 'slack:info-1');
    await a.reply(n, agent, 'Restart the VPN client please');
    await a.setPriority(n, agent, 2, 2);
    await a.addNote(n, agent, 'Checked the concentrator');
    await a.escalateByRequester(n, alice, 'still down', 'slack:esc-1');
    await a.resolve(n, agent, 'Concentrator rebooted');
    await a.confirmResolution(n, alice, false, 'slack:reopen-1');
    // Nothing was told by the instance that died; each change left its job.
    expect(dead.sent).toEqual([]);
    expect(await tellJobs()).toBe(9);

    const notifier = new RecordingNotifier();
    const changes: string[] = [];
    const b = instance();
    desk(b, notifier, { onChange: async (number, kind) => void changes.push(`${number}:${kind}`) });
    await b.drain();
    expect(changes).toContain(`${n}:created`);
    expect(changes.filter((c) => c !== `${n}:created`)).toEqual(['assigned', 'status', 'info', 'reply', 'priority', 'note', 'escalated', 'resolved', 'reopened'].map((k) => `${n}:${k}`));
    const requester = texts(notifier, alice.id);
    expect(requester.filter((t) => t.includes('Restart the VPN client please'))).toHaveLength(1);
    expect(requester.filter((t) => t.includes('Which office are you in?'))).toHaveLength(1);
    expect(requester.some((t) => t.includes('Concentrator rebooted'))).toBe(true);
    expect(texts(notifier, agent.id).filter((t) => t.includes('Lyon, 3rd floor'))).toHaveLength(1);
    if (manager) expect(texts(notifier, manager).some((t) => t.includes('still down'))).toBe(true);
    expect(await testDb.db.client.job.count({ where: { queue: 'ticket.tell', status: { not: 'done' } } })).toBe(0);
    // Run again: nothing is told twice.
    const told = notifier.sent.length;
    await b.drain();
    expect(notifier.sent).toHaveLength(told);
  });

  it('does not tell twice when a job is retried after some of its messages went out', { timeout: 60_000 }, async () => {
    const notifier = new RecordingNotifier();
    const queue = instance();
    let refreshes = 0;
    const d = desk(queue, notifier, {
      onChange: async (_n, kind) => {
        if (kind === 'reply' && ++refreshes === 1) throw new Error('card update failed');
      },
    });
    const { ticket } = await d.create(input('retried'));
    await d.reply(ticket.number, agent, 'Your new badge is ready');
    const job = await testDb.db.client.job.findFirstOrThrow({ where: { queue: 'ticket.tell', key: { contains: ':reply:' } } });
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    await vi.waitFor(async () => {
      await queue.drain();
      expect((await testDb.db.client.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('done');
    }, { timeout: 30_000, interval: 300 });
    expect(refreshes).toBe(2);
    expect(texts(notifier, alice.id).filter((t) => t.includes('Your new badge is ready'))).toHaveLength(1);
  });
});

describe(`the handoff's outbox on ${ON_PG ? 'PostgreSQL (pg-boss)' : 'SQLite (in process)'}`, () => {
  /** A desk and its handoff on `jobs`, with a Slack agents' channel. */
  function handoffOn(jobs: JobQueue, notifier: RecordingNotifier, poster: RecordingPoster, desks?: EscalationDesks): { desk: TicketDeskService; handoff: Handoff } {
    let handoff: Handoff | undefined;
    const d = desk(jobs, notifier, { onChange: async (n, kind) => (kind === 'created' ? void (await handoff?.escalate(n, { live: false })) : handoff?.refresh(n)) });
    handoff = new Handoff({
      desk: d, store: new PrismaHandoffStore(testDb.db), notifier, jobs, lang: 'en', onError: (_err, context) => void errors.push(context), desks,
      channels: new OutboundChannels([{ poster, threadKeyOf: (post) => `slack|T1|${(post as { ts: string }).ts}` }]),
    });
    return { desk: d, handoff };
  }
  const poster = () => new RecordingPoster('slack', (_address, i) => ({ channelId: 'C0DESK', ts: `1700000000.00000${i}` }));
  const replies = (p: RecordingPoster) => p.posted.filter((x) => x.kind === 'reply').map((x) => x.messages.map((m: OutboundMessage) => renderPlainText(m)).join('\n'));

  it("relays the requester's messages to the agents' thread and the agent's reply to the requester, after the writer died, once and in order", { timeout: 120_000 }, async () => {
    await testDb.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'slack', address: { teamId: 'T1', channelId: 'C0DESK' } } });
    const conversation = await testDb.db.client.conversation.create({ data: { channel: 'slack', externalId: 'D-ALICE', userId: alice.id, state: {} } });
    const up = instance();
    const livePoster = poster();
    const live = handoffOn(up, new RecordingNotifier(), livePoster);
    const { ticket } = await live.desk.create(input('relay', conversation.id));
    const n = ticket.number;
    await live.handoff.escalate(n, { live: true });
    const agentUser = await testDb.db.client.user.findUniqueOrThrow({ where: { id: agent.id } });
    await live.handoff.act({ user: { id: agent.id, displayName: agentUser.displayName, role: 'agent', locale: 'en' }, lang: 'en' }, { kind: 'take', number: n }, 'take-1');
    expect(await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: n } })).toMatchObject({ relay: 'live' });

    // This instance dies after each commit: the messages are written, not sent.
    const deadPoster = poster();
    const deadNotifier = new RecordingNotifier();
    const dead = handoffOn(dying(instance()), deadNotifier, deadPoster);
    const aliceUser = await testDb.db.client.user.findUniqueOrThrow({ where: { id: alice.id } });
    const requester = { user: { id: alice.id, displayName: aliceUser.displayName, role: 'employee' as const, locale: 'en' as const }, lang: 'en' as const };
    for (const [i, words] of ['first message', 'second message', 'third message'].entries()) {
      expect(await dead.handoff.fromRequester(requester, conversation.id, words, `slack:msg-${i}`)).toEqual([]);
    }
    // A retried delivery of the first message writes nothing more.
    await dead.handoff.fromRequester(requester, conversation.id, 'first message', 'slack:msg-0');
    await dead.desk.reply(n, agent, 'I am on it');
    expect(replies(deadPoster)).toEqual([]);
    expect(deadNotifier.sent).toEqual([]);

    const nextPoster = poster();
    const nextNotifier = new RecordingNotifier();
    const next = instance();
    handoffOn(next, nextNotifier, nextPoster);
    await next.drain();
    const relayed = replies(nextPoster).filter((t) => t.includes('message'));
    expect(relayed).toHaveLength(3);
    expect(relayed.map((t) => t.match(/(first|second|third) message/)?.[0])).toEqual(['first message', 'second message', 'third message']);
    expect(texts(nextNotifier, alice.id).filter((t) => t.includes('I am on it'))).toHaveLength(1);
    await next.drain();
    expect(replies(nextPoster).filter((t) => t.includes('message'))).toHaveLength(3);
  });

  it("tells the agent of an automatic assignment by a job written with the take, after the writer died", { timeout: 120_000 }, async () => {
    // The group's assignment always picks the agent (src/desks's round robin, reduced to its answer).
    const desks: EscalationDesks = {
      escalated: async (_ticket, _requester, live) => (live ? { assignTo: agent.id } : {}),
      taken: async () => {}, settled: async () => {}, ended: async () => {}, whereFrom: () => 'Desk: Paris', fromWaiting: async () => undefined,
    };
    const conversation = await testDb.db.client.conversation.create({ data: { channel: 'slack', externalId: 'D-ALICE', userId: alice.id, state: {} } });
    const up = handoffOn(instance(), new RecordingNotifier(), poster());
    const { ticket } = await up.desk.create(input('auto-assign', conversation.id));
    const n = ticket.number;
    await up.desk.addInfo(n, alice, 'The VPN client shows error 809', 'slack:info-auto');
    // This instance dies right after the take commits: nothing is run, nor written outside the take's unit of work.
    const dead = dying(instance());
    const deadNotifier = new RecordingNotifier();
    const gone = handoffOn({ ...dead, enqueue: async () => { throw new Error('process died'); } }, deadNotifier, poster(), desks);
    await gone.handoff.escalate(n, { live: true });
    expect(await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: n } })).toMatchObject({ relay: 'live', assigneeId: agent.id });
    expect(deadNotifier.sent).toEqual([]);

    const notifier = new RecordingNotifier();
    const next = instance();
    handoffOn(next, notifier, poster(), desks);
    await next.drain();
    const told = texts(notifier, agent.id).join('\n');
    expect(told.match(new RegExp(`You took ticket #${n}\\.`, 'g'))).toHaveLength(1);
    expect(told).toContain('Desk: Paris');
    expect(told).toContain('The VPN client shows error 809');
    expect(texts(notifier, alice.id).filter((t) => t.includes(`took your ticket #${n}`))).toHaveLength(1);
    await next.drain();
    expect(texts(notifier, agent.id).join('\n').match(new RegExp(`You took ticket #${n}\\.`, 'g'))).toHaveLength(1);
  });

  it('retries a thread post that failed, without posting twice where it went out', { timeout: 60_000 }, async () => {
    await testDb.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'slack', address: { teamId: 'T1', channelId: 'C0DESK' } } });
    const conversation = await testDb.db.client.conversation.create({ data: { channel: 'slack', externalId: 'D-ALICE', userId: alice.id, state: {} } });
    const jobs = instance();
    const flaky = poster();
    let down = false;
    const reply = flaky.reply.bind(flaky);
    flaky.reply = async (post, messages) => {
      if (down) {
        down = false;
        throw new Error('slack 500');
      }
      return reply(post, messages);
    };
    const notifier = new RecordingNotifier();
    const { desk: d, handoff } = handoffOn(jobs, notifier, flaky);
    const { ticket } = await d.create(input('flaky', conversation.id));
    await handoff.escalate(ticket.number, { live: true });
    const agentUser = await testDb.db.client.user.findUniqueOrThrow({ where: { id: agent.id } });
    await handoff.act({ user: { id: agent.id, displayName: agentUser.displayName, role: 'agent', locale: 'en' }, lang: 'en' }, { kind: 'take', number: ticket.number }, 'take-1');
    down = true;
    const aliceUser = await testDb.db.client.user.findUniqueOrThrow({ where: { id: alice.id } });
    await handoff.fromRequester({ user: { id: alice.id, displayName: aliceUser.displayName, role: 'employee', locale: 'en' }, lang: 'en' }, conversation.id, 'the screen is black', 'slack:m1');
    expect(replies(flaky).filter((t) => t.includes('the screen is black'))).toEqual([]);
    const job = await testDb.db.client.job.findFirstOrThrow({ where: { queue: 'handoff.relay', status: 'pending', attempts: 1 } });
    await vi.waitFor(async () => {
      await jobs.drain();
      expect((await testDb.db.client.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('done');
    }, { timeout: 30_000, interval: 300 });
    expect(replies(flaky).filter((t) => t.includes('the screen is black'))).toHaveLength(1);
  });
});
