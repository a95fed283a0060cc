/**
 * Major incidents' notices go through the outbox, on a real database (SQLite's in-process runner,
 * or pg-boss with DATABASE_URL=postgresql://…): the declaration, an update and the restoration each
 * write their "incident.tell" job in the change's own unit of work, so
 * - an instance that "dies" right after each commit (its runNow never runs) tells nobody, and
 *   another instance's runner tells everyone once, in order;
 * - a change rolled back leaves no job;
 * - a job retried after some people were told tells only the others;
 * - a notice held for the digest window is stored with its delayed digest job: a restarted
 *   instance sends each person ONE digest of what was held, once;
 * - monitoring's posts to the desk (a suggestion, a declaration, a close proposal) are jobs written
 *   with the alert's change: posted once by another instance, never again on Alertmanager's resend.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openJobs } from '../../src/app/jobs.ts';
import type { JobQueue } from '../../src/core/jobs.ts';
import { systemClock } from '../../src/core/ports.ts';
import type { Viewer } from '../../src/core/tickets.ts';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.ts';
import { PrismaJobStore } from '../../src/persistence/stores/jobs.ts';
import { syncDeskConfig } from '../../src/persistence/stores/desk-config.ts';
import { PrismaIncidentStore } from '../../src/persistence/stores/incidents.ts';
import { PrismaTicketRepository } from '../../src/persistence/stores/tickets-repository.ts';
import { loadDeskConfig, type DeskConfig } from '../../src/ticketing/config.ts';
import { TicketDeskService } from '../../src/ticketing/desk/ticket-desk.ts';
import { DEFAULT_INCIDENT_SETTINGS } from '../../src/ticketing/incident-config.ts';
import { MajorIncidents, type MajorIncidentDeps } from '../../src/ticketing/major-incidents.ts';
import { Alerts, type IncomingAlert } from '../../src/ticketing/alerts.ts';
import { PrismaAlertStore } from '../../src/persistence/stores/alerts.ts';
import type { IncidentStore } from '../../src/ticketing/ports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

const ON_PG = process.env.DATABASE_URL?.startsWith('postgres') ?? false;
let testDb: TestDatabase;
let config: DeskConfig;
const opened: JobRunner[] = [];
const errors: string[] = [];
let agent: Viewer;
let people: string[];

function instance(): JobRunner {
  const jobs = openJobs(testDb.db, { url: testDb.url, clock: systemClock, settings: { pollMs: 200, leaseSeconds: 30, graceSeconds: 0, maxAttempts: 5, concurrency: 4, backoffSeconds: 1 }, onError: (_err, context) => void errors.push(context) });
  opened.push(jobs);
  return jobs;
}

/** A queue whose process dies right after each commit: the jobs are written, never run here. */
const dying = (jobs: JobQueue): JobQueue => ({ handle: jobs.handle, enqueue: jobs.enqueue, nudge: jobs.nudge, graceMs: jobs.graceMs, runNow: async () => {}, runAfterReply: () => {} });

/** The desk and its major incidents on one queue (no digest window: every notice goes at once). */
function incidents(jobs: JobQueue, notifier: RecordingNotifier, store: IncidentStore = new PrismaIncidentStore(testDb.db)): MajorIncidents {
  const desk = new TicketDeskService({ repository: new PrismaTicketRepository(testDb.db), incidents: store, clock: systemClock, notifier, config, defaultLang: 'en', defaultGroupId: 'service-desk', jobs });
  return new MajorIncidents({
    store, clock: systemClock, desk: desk.internals, resolveTicket: (n, actor, text) => desk.resolve(n, actor, text), config, jobs,
    settings: { ...DEFAULT_INCIDENT_SETTINGS, notices: { digestSeconds: 0 } },
    onError: (_err, context) => void errors.push(context),
  });
}

const incidentJobs = () => testDb.db.client.job.count({ where: { queue: 'incident.tell' } });
const title = { fr: 'Panne du VPN', en: 'VPN outage' };

beforeAll(() => {
  config = loadDeskConfig('config');
});

beforeEach(async () => {
  testDb = await createTestDatabase();
  errors.length = 0;
  await syncDeskConfig(testDb.db, config);
  const member = await testDb.db.client.groupMember.findFirstOrThrow({ where: { groupId: 'service-desk' } });
  agent = { id: member.userId, role: 'agent' };
  people = [];
  // Three people who talked to Guichet: "everyone" reaches them.
  for (const name of ['Ana', 'Ben', 'Cyd']) {
    const user = await testDb.db.client.user.create({ data: { displayName: name, email: `${name.toLowerCase()}@example.org`, locale: 'en' } });
    await testDb.db.client.conversation.create({ data: { channel: 'web', externalId: `c-${name}`, kind: 'personal', userId: user.id, state: {}, reference: { externalId: `c-${name}` } } });
    people.push(user.id);
  }
}, 60_000);

afterEach(async () => {
  for (const jobs of opened.splice(0)) await jobs.stop();
  await testDb.cleanup();
});


/** Each of `people` got ONE message from `notifier`: the digest of the two updates ("Gateway restarted", "Traffic back"). */
function expectOneDigestOfBoth(notifier: RecordingNotifier): void {
  for (const id of people) {
    const told = notifier.textsFor(id);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^📬 2 updates:/);
    expect(told[0]).toContain('Gateway restarted');
    expect(told[0]).toContain('Traffic back');
  }
}
describe(`major incidents' outbox on ${ON_PG ? 'PostgreSQL (pg-boss)' : 'SQLite (in process)'}`, () => {
  it('leaves the declaration, an update and the restoration to the next runner when the writer dies after each commit; everyone told once, in order', { timeout: 120_000 }, async () => {
    const dead = new RecordingNotifier();
    const a = incidents(dying(instance()), dead);
    const declared = await a.declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'everyone' });
    await a.update(agent, declared.number, { fr: 'Passerelle redémarrée', en: 'Gateway restarted' });
    await a.resolve(agent, declared.number, { fr: 'Rétabli', en: 'Restored' });
    expect(declared.reached).toBe(3);
    // Nothing was told by the instance that died; each change left its job.
    expect(dead.sent).toEqual([]);
    expect(await incidentJobs()).toBe(3);

    const notifier = new RecordingNotifier();
    const b = instance();
    incidents(b, notifier);
    await b.drain();
    for (const id of people) {
      const told = notifier.textsFor(id);
      expect(told).toHaveLength(3);
      expect(told[0]).toContain('VPN outage');
      expect(told[1]).toContain('Gateway restarted');
      expect(told[2]).toContain('Restored');
    }
    // They follow it (written by the declaration's job).
    expect(await testDb.db.client.majorIncidentFollower.count()).toBe(3);
    expect(await testDb.db.client.job.count({ where: { queue: 'incident.tell', status: { not: 'done' } } })).toBe(0);
    // Run again: nothing is told twice.
    const told = notifier.sent.length;
    await b.drain();
    expect(notifier.sent.length).toBe(told);
  });

  it('writes no job for a declaration rolled back, and tells nobody', { timeout: 60_000 }, async () => {
    const notifier = new RecordingNotifier();
    const real = new PrismaIncidentStore(testDb.db);
    // The same store, whose declaration fails once its unit of work wrote everything: rolled back.
    const failing = Object.create(real, {
      declare: { value: (input: never, audit: never, jobsFor: IncidentStore['declare'] extends (a: never, b: never, c: infer J) => unknown ? J : never) => real.declare(input, audit, (r) => {
        jobsFor?.(r);
        throw new Error('commit failed');
      }) },
    }) as IncidentStore;
    const queue = instance();
    await expect(incidents(queue, notifier, failing).declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'everyone' })).rejects.toThrow('commit failed');
    await queue.drain();
    expect(await incidentJobs()).toBe(0);
    expect(await testDb.db.client.majorIncident.count()).toBe(0);
    expect(notifier.sent).toEqual([]);
  });

  it('retries only the people who were not told', { timeout: 120_000 }, async () => {
    const a = incidents(dying(instance()), new RecordingNotifier());
    await a.declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'everyone' });
    // Ben's channel fails once: his notice job fails (Ana's and Cyd's are done), and its retry tells Ben.
    const notifier = new RecordingNotifier();
    let failures = 1;
    const flaky = Object.assign(Object.create(notifier) as RecordingNotifier, {
      notify: async (userId: string, messages: Parameters<RecordingNotifier['notify']>[1]) => {
        if (userId === people[1] && failures-- > 0) return { delivered: [], failed: ['web' as const] };
        return notifier.notify(userId, messages);
      },
    });
    const b = instance();
    incidents(b, flaky);
    await b.drain();
    const job = await testDb.db.client.job.findFirstOrThrow({ where: { queue: 'incident.notice', status: 'pending' } });
    expect(job.attempts).toBe(1);
    expect(await testDb.db.client.job.count({ where: { queue: 'incident.notice', status: 'done' } })).toBe(2);
    await testDb.db.client.job.updateMany({ where: { id: job.id, status: 'pending' }, data: { runAt: new Date() } });
    await b.drain();
    for (const id of people) expect(notifier.textsFor(id)).toHaveLength(1);
    expect((await testDb.db.client.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('done');
  });
});

describe(`monitoring's posts to the desk on ${ON_PG ? 'PostgreSQL (pg-boss)' : 'SQLite (in process)'}`, () => {
  const alerts = (majors: MajorIncidents, jobs: JobQueue) => new Alerts({ store: new PrismaAlertStore(testDb.db), incidents: majors, clock: systemClock, settings: majors.settings.alerts, services: ['vpn', 'email'], jobs });
  const alert = (fingerprint: string, serviceId: string, severity: IncomingAlert['severity'], summary: string, status: IncomingAlert['status'] = 'firing'): IncomingAlert => ({
    fingerprint, source: 'alertmanager', serviceId, severity, summary, status, startsAt: new Date(Date.now() - 60_000), endsAt: status === 'resolved' ? new Date() : null,
  });

  it('writes each post with the alert\'s change: the writer dies after each commit, another instance posts each once, and a resent delivery posts nothing again', { timeout: 120_000 }, async () => {
    const dead = new RecordingNotifier();
    const queue = dying(instance());
    const a = alerts(incidents(queue, dead), queue);
    const slow = alert('alertmanager:vpn-slow', 'vpn', 'warning', 'VPN gateway slow');
    const down = alert('alertmanager:mail-down', 'email', 'critical', 'Mail relay down');
    const outcomes = async (batch: IncomingAlert[]) => (await a.receive(batch)).map((r) => r.outcome);
    expect(await outcomes([slow, down])).toEqual(['suggested', 'declared']);
    expect(await outcomes([{ ...down, status: 'resolved', endsAt: new Date() }])).toEqual(['close-proposed']);
    // The instance died after each commit: nothing was posted, each post left its job.
    expect(dead.sent).toEqual([]);
    expect(await testDb.db.client.job.count({ where: { queue: 'alerts.post' } })).toBe(3);

    const notifier = new RecordingNotifier();
    const b = instance();
    alerts(incidents(b, notifier), b);
    await b.drain();
    const lead = (await testDb.db.client.user.findFirstOrThrow({ where: { email: config.serviceDeskLead } })).id;
    // No agents' channel here: the desk lead is told, each post once.
    const posts = () => notifier.textsFor(lead).filter((t) => t.startsWith('🚨 Monitoring') || t.startsWith('✅ Monitoring'));
    const posted = posts();
    expect(posted).toHaveLength(3);
    expect(posted.find((t) => t.includes('VPN gateway slow'))).toMatch(/^🚨 Monitoring: VPN gateway slow on .+ \(warning\)\. Declare a major incident\?/);
    expect(posted.find((t) => t.includes('Mail relay down'))).toMatch(/^🚨 Monitoring: major incident #\d+ declared on .+: Mail relay down\./);
    expect(posted.filter((t) => /^✅ Monitoring: the alerts of major incident #\d+ are resolved/.test(t))).toHaveLength(1);
    expect(await testDb.db.client.job.count({ where: { queue: 'alerts.post', status: { not: 'done' } } })).toBe(0);

    // Alertmanager resends the same states: counters only, no job, nothing posted again.
    expect(await outcomes([slow, { ...down, status: 'resolved', endsAt: new Date() }])).toEqual(['repeat', 'repeat']);
    expect(await testDb.db.client.job.count({ where: { queue: 'alerts.post' } })).toBe(3);
    await b.drain();
    expect(posts()).toEqual(posted);
    expect(errors).toEqual([]);
  });
});

describe(`held notices on ${ON_PG ? 'PostgreSQL (pg-boss)' : 'SQLite (in process)'}`, () => {
  /** A job queue per instance on the test database, and the desk with its incidents on one, with the default digest window (120 s). */
  const heldWorld = (clock: FakeClock) => ({
    queue: (): JobRunner => {
      const jobs = openJobs(testDb.db, { url: testDb.url, clock, settings: { pollMs: 200, leaseSeconds: 30, graceSeconds: 0, maxAttempts: 5, concurrency: 4, backoffSeconds: 1 }, onError: (_err, context) => void errors.push(context) });
      opened.push(jobs);
      return jobs;
    },
    withWindow: (jobs: JobQueue, notifier: RecordingNotifier) => {
      const store = new PrismaIncidentStore(testDb.db);
      const desk = new TicketDeskService({ repository: new PrismaTicketRepository(testDb.db), incidents: store, clock, notifier, config, defaultLang: 'en', defaultGroupId: 'service-desk', jobs });
      return new MajorIncidents({
        store, clock, desk: desk.internals, resolveTicket: (n, actor, text) => desk.resolve(n, actor, text), config, jobs,
        settings: { ...DEFAULT_INCIDENT_SETTINGS, notices: { digestSeconds: 120 } },
        onError: (_err, context) => void errors.push(context),
      });
    },
  });

  it('stores a notice held for the digest window with its delayed digest job: after a restart, another instance sends each person one digest of both updates, once', { timeout: 120_000 }, async () => {
    const clock = new FakeClock(new Date());
    const { queue, withWindow } = heldWorld(clock);
    const first = new RecordingNotifier();
    const a = withWindow(queue(), first);
    const declared = await a.declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'everyone' });
    clock.advance(10_000);
    await a.update(agent, declared.number, { fr: 'Passerelle redémarrée', en: 'Gateway restarted' });
    clock.advance(10_000);
    await a.update(agent, declared.number, { fr: 'Trafic revenu', en: 'Traffic back' });
    // The declaration went at once; both updates are held (within 120 s of it), stored with their digest jobs.
    for (const id of people) expect(first.textsFor(id)).toHaveLength(1);
    expect(await testDb.db.client.incidentNotice.count()).toBe(2 * people.length);
    expect(await testDb.db.client.job.count({ where: { queue: 'incident.digest' } })).toBe(2 * people.length);

    // The instance restarts (its memory gone) before the window ends; another one runs the jobs once they are due.
    a.notices.stop();
    const notifier = new RecordingNotifier();
    const b = queue();
    withWindow(b, notifier);
    await b.drain();
    expect(notifier.sent).toEqual([]); // not due yet
    clock.advance(121_000);
    await b.drain();
    expectOneDigestOfBoth(notifier);
    expect(await testDb.db.client.incidentNotice.count()).toBe(0);
    clock.advance(300_000);
    await b.drain();
    expect(notifier.sent).toHaveLength(people.length);
    expect(first.sent).toHaveLength(people.length);
    expect(errors).toEqual([]);
  });

  it('stores when each person was last told: after a restart, and on another instance, a notice within the window is held for the digest, not sent at once', { timeout: 120_000 }, async () => {
    const clock = new FakeClock(new Date());
    const { queue, withWindow } = heldWorld(clock);
    const first = new RecordingNotifier();
    const a = withWindow(queue(), first);
    const declared = await a.declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'everyone' });
    for (const id of people) expect(first.textsFor(id)).toHaveLength(1);

    // The instance restarts 30 s later (its memory gone): the next update, within 120 s of the declaration, is held.
    a.notices.stop();
    clock.advance(30_000);
    const restarted = new RecordingNotifier();
    const bq = queue();
    const b = withWindow(bq, restarted);
    await b.update(agent, declared.number, { fr: 'Passerelle redémarrée', en: 'Gateway restarted' });
    expect(restarted.sent).toEqual([]);
    expect(await testDb.db.client.incidentNotice.count()).toBe(people.length);
    // Another instance beside it holds the next one the same way: it joins the notices waiting.
    clock.advance(10_000);
    const other = new RecordingNotifier();
    await withWindow(queue(), other).update(agent, declared.number, { fr: 'Trafic revenu', en: 'Traffic back' });
    expect(other.sent).toEqual([]);
    await bq.drain();
    expect(restarted.sent).toEqual([]); // not due yet

    // The window ends: each person gets ONE digest of both updates, once.
    clock.advance(81_000);
    await bq.drain();
    expectOneDigestOfBoth(restarted);
    expect(other.sent).toEqual([]);
    expect(await testDb.db.client.incidentNotice.count()).toBe(0);
    // Told by that digest: a notice 60 s later is held again, until 120 s after it.
    clock.advance(60_000);
    await withWindow(queue(), other).resolve(agent, declared.number, { fr: 'Rétabli', en: 'Restored' });
    expect(other.sent).toEqual([]);
    clock.advance(61_000);
    await bq.drain();
    for (const id of people) expect(restarted.textsFor(id)).toHaveLength(2);
    expect(errors).toEqual([]);
  });
});

describe(`one notice job per person on ${ON_PG ? 'PostgreSQL' : 'SQLite'} (two runners on one table)`, () => {
  const LEASE_MS = 30_000;
  /** An in-process runner on the test database's outbox table, on `clock` (its leases too). */
  const runner = (clock: FakeClock): JobRunner => {
    const jobs = createJobRunner({ store: new PrismaJobStore(testDb.db), now: () => clock.now(), leaseMs: LEASE_MS, graceMs: 0, pollMs: 200, concurrency: 1, maxAttempts: 5, backoffMs: 1_000, onError: (_err, context) => void errors.push(context) });
    opened.push(jobs);
    return jobs;
  };
  /** The desk (its `desk` for tickets) and its major incidents on one queue, notices at once. */
  const world = (jobs: JobQueue, notifier: RecordingNotifier, clock: FakeClock, resolveTicket?: MajorIncidentDeps['resolveTicket']) => {
    const store = new PrismaIncidentStore(testDb.db);
    const desk = new TicketDeskService({ repository: new PrismaTicketRepository(testDb.db), incidents: store, clock, notifier, config, defaultLang: 'en', defaultGroupId: 'service-desk', jobs });
    const incidents = new MajorIncidents({
      store, clock, desk: desk.internals, resolveTicket: resolveTicket ?? ((n, actor, text) => desk.resolve(n, actor, text)), config, jobs,
      settings: { ...DEFAULT_INCIDENT_SETTINGS, notices: { digestSeconds: 0 } },
      onError: (_err, context) => void errors.push(context),
    });
    return { desk, incidents };
  };
  const report = (desk: TicketDeskService, requesterId: string, what: string) =>
    desk.create({ type: 'incident', title: `VPN ${what}`, description: 'VPN outage', category: 'vpn', serviceId: 'vpn', impact: 3, urgency: 2, requesterId, origin: `test:${requesterId}:${what}`, createdBy: { id: null, kind: 'bot' } });
  const noticeJobs = (status?: string) => testDb.db.client.job.count({ where: { queue: 'incident.notice', ...(status ? { status } : {}) } });

  it('a slow platform: the instance telling a large audience never outlives a lease, so another instance beside it tells nobody twice', { timeout: 120_000 }, async () => {
    const clock = new FakeClock(new Date());
    const a = runner(clock);
    const b = runner(clock);
    // Each message takes 40 % of a lease on A's platform; after its third, the other instance polls the table.
    const onB = new RecordingNotifier();
    world(b, onB, clock);
    const onA = new RecordingNotifier();
    let sentByA = 0;
    const slow = Object.assign(Object.create(onA) as RecordingNotifier, {
      notify: async (userId: string, messages: Parameters<RecordingNotifier['notify']>[1]) => {
        clock.advance(LEASE_MS * 0.4);
        const result = await onA.notify(userId, messages);
        if ((sentByA += 1) === 3) await b.drain();
        return result;
      },
    });
    // A writes the declaration and dies before running it; restarted, it runs its job.
    await world(dying(a), slow, clock).incidents.declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'everyone' });
    await a.drain();
    await b.drain();
    for (const id of people) expect([...onA.textsFor(id), ...onB.textsFor(id)]).toHaveLength(1);
    // One job per person, each done; the change's own job run again (say its lease ended) writes none twice.
    expect(await noticeJobs('done')).toBe(people.length);
    await testDb.db.client.job.updateMany({ where: { queue: 'incident.tell' }, data: { status: 'pending', runAt: clock.now() } });
    await b.drain();
    expect(await noticeJobs()).toBe(people.length);
    expect(onA.sent.length + onB.sent.length).toBe(people.length);
    expect(errors).toEqual([]);
  });

  it('a person who cannot be told retries their own job; the others are done', { timeout: 120_000 }, async () => {
    const clock = new FakeClock(new Date());
    const a = runner(clock);
    await world(dying(a), new RecordingNotifier(), clock).incidents.declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'everyone' });
    const notifier = new RecordingNotifier();
    let failures = 1;
    const flaky = Object.assign(Object.create(notifier) as RecordingNotifier, {
      notify: async (userId: string, messages: Parameters<RecordingNotifier['notify']>[1]) => {
        if (userId === people[1] && failures-- > 0) return { delivered: [], failed: ['web' as const] };
        return notifier.notify(userId, messages);
      },
    });
    const b = runner(clock);
    world(b, flaky, clock);
    await b.drain();
    const jobs = await testDb.db.client.job.findMany({ where: { queue: { in: ['incident.tell', 'incident.notice'] } }, orderBy: { id: 'asc' } });
    expect(jobs.map((j) => [j.queue, j.status, j.attempts])).toEqual([['incident.tell', 'done', 0], ['incident.notice', 'done', 0], ['incident.notice', 'pending', 1], ['incident.notice', 'done', 0]]);
    clock.advance(2_000);
    await b.drain();
    for (const id of people) expect(notifier.textsFor(id)).toHaveLength(1);
    expect(await noticeJobs('done')).toBe(people.length);
  });

  it('the restoration is decided when each notice goes: a linked report still open is resolved with it, one resolved since the commit gets "is it working?"', { timeout: 120_000 }, async () => {
    const clock = new FakeClock(new Date());
    const b = runner(clock);
    const onB = new RecordingNotifier();
    const other = world(b, onB, clock);
    const [ana, ben, cyd] = people as [string, string, string];
    const declared = await other.incidents.declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'everyone' });
    const anaReport = (await report(other.desk, ana, 'down at home')).ticket.number;
    const benReport = (await report(other.desk, ben, 'down at the office')).ticket.number;
    for (const n of [anaReport, benReport]) await other.incidents.link(n, declared.number);
    await b.drain();
    onB.clear();

    // A commits the restoration and dies at once: it resolves no report, runs no job.
    const a = runner(clock);
    const died = () => Promise.reject(new Error('the instance died'));
    await world(dying(a), new RecordingNotifier(), clock, died).incidents.resolve(agent, declared.number, { fr: 'Rétabli', en: 'Restored' });
    // Before the notices go, an agent resolves Ben's report on their own.
    await other.desk.resolve(benReport, agent, 'Profile reset');
    await b.drain();

    // Ana's report, still open when her notice went: resolved with the incident, the desk asks her (once).
    expect((await testDb.db.client.ticket.findFirstOrThrow({ where: { number: anaReport } })).status).toBe('resolved');
    expect(onB.textsFor(ana).filter((t) => t.includes(`#${anaReport} was resolved: “Rétabli / Restored”`))).toHaveLength(1);
    expect(onB.textsFor(ana).some((t) => t.includes('is restored'))).toBe(false);
    // Ben's was resolved since the commit: he hears the service is back; Cyd, without a report, too.
    for (const id of [ben, cyd]) expect(onB.textsFor(id).filter((t) => t.includes('is restored: Restored. Is it working for you?'))).toHaveLength(1);
    expect(await testDb.db.client.job.count({ where: { queue: { startsWith: 'incident.' }, status: { not: 'done' } } })).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a report linked after the declaration: its requester hears of the declaration once, through the outbox, whichever instance links it', { timeout: 120_000 }, async () => {
    const clock = new FakeClock(new Date());
    const [ana, ben] = people as [string, string];
    // Declared for the CMDB's affected people (none of these three): Ana's report, open before, is linked at once.
    const b = runner(clock);
    const onB = new RecordingNotifier();
    const other = world(b, onB, clock);
    const before = (await report(other.desk, ana, 'down since this morning')).ticket.number;
    const declared = await other.incidents.declare(agent, { serviceId: 'vpn', title, impact: 'high', audience: 'affected' });
    expect(declared.linked).toEqual([before]);
    await b.drain();
    expect(onB.textsFor(ana).filter((t) => t.includes('VPN outage'))).toHaveLength(1);

    // Later, on another instance that dies after its commit, an agent links Ben's report, and another of Ana's.
    const a = runner(clock);
    const writer = world(dying(a), new RecordingNotifier(), clock);
    const benReport = (await report(other.desk, ben, 'cannot connect')).ticket.number;
    const anaAgain = (await report(other.desk, ana, 'still cannot connect')).ticket.number;
    await writer.incidents.link(benReport, declared.number);
    await writer.incidents.link(anaAgain, declared.number);
    await writer.incidents.link(benReport, declared.number);
    await b.drain();
    expect(onB.textsFor(ben).filter((t) => t.includes('VPN outage'))).toHaveLength(1);
    expect(onB.textsFor(ana).filter((t) => t.includes('VPN outage'))).toHaveLength(1);
    // He follows it from then on: an update reaches him.
    await other.incidents.update(agent, declared.number, { fr: 'Passerelle redémarrée', en: 'Gateway restarted' });
    await b.drain();
    expect(onB.textsFor(ben).filter((t) => t.includes('Gateway restarted'))).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
