/**
 * Issue 20's "done when": Guichet processes (src/main.ts, as `npm start` runs it) on one database,
 * with Slack's Web API replaced by a local fake. On PostgreSQL, TWO instances:
 * - the same web and Slack deliveries sent to both at once (a retry crossing instances) create each
 *   ticket once and post each escalation card once;
 * - one instance killed (SIGKILL) in the middle of a burst of web tickets: every acknowledged one
 *   exists and gets its card exactly once — the jobs the dead instance left are run by the other;
 * - the SLA clock, ticking every second in both, fires each breach once and tells the assignee once.
 * On SQLite (one instance at a time), a single instance: the outbox delivers every card once, and
 * a job a dead instance left (its lease ended) is run by the live one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgresUrl } from '../../src/persistence/database-url.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeSlackApi } from '../helpers/fake-slack-api.ts';
import { finished, freePort, ROOT, runTs } from '../helpers/process.ts';
import { dmEvent, prepareEvent, send, SIGNING_SECRET, TEAM } from '../helpers/slack-signing.ts';

const AGENTS = 'C0AGENTS';
const onPostgres = isPostgresUrl(process.env.DATABASE_URL);

let testDb: TestDatabase;
let fake: FakeSlackApi;
let configDir: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeSlackApi.start();
  // The shipped configuration, every group's cards in one Slack channel.
  configDir = await mkdtemp(join(tmpdir(), 'guichet-two-'));
  await cp(join(ROOT, 'config'), configDir, { recursive: true });
  const groups = await readFile(join(configDir, 'groups.yml'), 'utf8');
  await writeFile(join(configDir, 'groups.yml'), groups.replaceAll('channels: []', `channels: [{ platform: slack, address: { teamId: ${TEAM}, channelId: ${AGENTS} } }]`));
});

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await fake?.stop();
  await testDb?.cleanup();
  await rm(configDir, { recursive: true, force: true });
});

interface Instance {
  url: string;
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `npm start`'s entry point on the test database and waits for /healthz. */
async function startInstance(): Promise<Instance> {
  const port = await freePort();
  const child = runTs('src/main.ts', [], {
    DATABASE_URL: testDb.url,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    CHANNELS: 'web,slack',
    CONFIG_DIR: configDir,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_TEAM_IDS: TEAM,
    SLA_TICK_SECONDS: '1',
    JOBS_POLL_MS: '200',
    JOBS_GRACE_SECONDS: '2',
    JOBS_LEASE_SECONDS: '5',
  });
  running.push(child);
  const done = finished(child);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    if ((await fetch(`${url}/healthz`).then((r) => r.status, () => 0)) === 200) return { url, child, done };
    if (child.exitCode !== null) break;
    await sleep(200);
  }
  child.kill('SIGKILL');
  const { stderr, stdout } = await done;
  throw new Error(`instance did not start:\n${stderr}\n${stdout.slice(-2_000)}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A web chat message as the page sends it: the visitor's cookie and a client id (a retry resends both). */
function webSay(url: string, visitor: string, id: string, text: string): Promise<Response> {
  return fetch(`${url}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `guichet_visitor=${visitor}` }, body: JSON.stringify({ id, text, locale: 'en' }) });
}

const visitorId = () => randomBytes(18).toString('base64url');

/** Every escalation card posted in the agents' channel, by ticket number (from its header block). */
function cardsByTicket(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const call of fake.ok('chat.postMessage').filter((c) => c.args.channel === AGENTS && !c.args.thread_ts)) {
    const number = Number(/#(\d+)/.exec(String(call.args.blocks?.[0]?.text?.text ?? call.args.text))?.[1]);
    counts.set(number, (counts.get(number) ?? 0) + 1);
  }
  return counts;
}

/** Waits until every ticket of the database has a card (or the time is up), then returns the cards by ticket. */
async function everyCard(timeoutMs = 30_000): Promise<{ tickets: number[]; cards: Map<number, number> }> {
  const started = Date.now();
  for (;;) {
    const tickets = (await testDb.db.client.ticket.findMany({ select: { number: true }, orderBy: { number: 'asc' } })).map((t) => t.number);
    const cards = cardsByTicket();
    if (tickets.every((n) => cards.has(n)) || Date.now() - started > timeoutMs) return { tickets, cards };
    await sleep(200);
  }
}

describe.runIf(onPostgres)('two Guichet instances on one PostgreSQL database', () => {
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    a = await startInstance(); // applies the migrations first
    b = await startInstance();
  }, 240_000);

  it('create each ticket and post each card once when the same deliveries reach both', { timeout: 120_000 }, async () => {
    // Web: the page retried on the other instance (same visitor, same client id), four tickets at once.
    const web = Array.from({ length: 4 }, (_, i) => ({ visitor: visitorId(), id: randomUUID(), text: `open a ticket: the printer on floor ${i + 2} jams on every page` }));
    // Slack: the same event delivered to both (Slack retries on another instance behind the proxy).
    const users = Array.from({ length: 3 }, (_, i) => {
      const id = `U${randomBytes(5).toString('hex').toUpperCase()}`;
      fake.addUser({ id, team_id: TEAM, name: `user${i}`, real_name: `User ${i}`, tz: 'Europe/Paris', locale: 'en-GB', profile: { real_name: `User ${i}`, email: `${id.toLowerCase()}@acme.test` } });
      return id;
    });
    const events = users.map((u, i) => dmEvent(u, `open a ticket: the VPN drops every ${i + 5} minutes at home`));
    const answers = await Promise.all([
      ...web.flatMap((m) => [webSay(a.url, m.visitor, m.id, m.text), webSay(b.url, m.visitor, m.id, m.text)]),
      ...events.flatMap((e) => [send(a.url, prepareEvent(e)), send(b.url, prepareEvent(e))]),
    ]);
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    // Both instances answered each web message with the same ticket.
    const bodies = await Promise.all(answers.slice(0, web.length * 2).map((r) => r.json() as Promise<{ replies: unknown[] }>));
    for (let i = 0; i < web.length; i += 1) expect(JSON.stringify(bodies[2 * i + 1]!.replies)).toBe(JSON.stringify(bodies[2 * i]!.replies));

    const started = Date.now();
    while ((await testDb.db.client.ticket.count()) < web.length + users.length && Date.now() - started < 60_000) await sleep(200);
    const { tickets, cards } = await everyCard();
    expect(tickets).toHaveLength(web.length + users.length);
    await sleep(2_500); // past the jobs' grace: a second card would have come by now
    expect([...cardsByTicket().entries()].sort()).toEqual(tickets.map((n) => [n, 1]));
    expect(cards.size).toBe(tickets.length);
    expect(await testDb.db.client.escalationPost.count()).toBe(tickets.length);
  });

  it('loses nothing acknowledged when an instance is killed in the middle of a burst: the other finishes its jobs', { timeout: 120_000 }, async () => {
    const before = await testDb.db.client.ticket.count();
    const burst = Array.from({ length: 12 }, (_, i) => webSay(a.url, visitorId(), randomUUID(), `open a ticket: the screen of meeting room ${i + 1} stays black`).then(
      async (r) => (r.status === 200 ? ((await r.json()) as { replies: { text?: string }[] }) : undefined),
      () => undefined, // cut by the kill: never acknowledged
    ));
    // Killed once the first tickets are committed, while others are in flight.
    const started = Date.now();
    while ((await testDb.db.client.ticket.count()) < before + 3 && Date.now() - started < 60_000) await sleep(20);
    a.child.kill('SIGKILL');
    // The card jobs a held (claimed, lease running) when it died: a card a posted before it could record the post is
    // posted again by b once the lease ends (a platform post and its recorded step are not one transaction: at least
    // once). Read before that lease ends.
    const held = new Set(
      (await testDb.db.client.job.findMany({ where: { queue: 'ticket.changed', status: 'pending', lockedBy: { not: null } }, select: { key: true } })).map((j) => Number(/^ticket\.changed:(\d+):/.exec(j.key)?.[1])),
    );
    const acknowledged = (await Promise.all(burst)).filter((r) => r !== undefined);
    expect((await a.done).code).toBe(null); // killed, not exited

    // Every acknowledged reply names a ticket that exists; every committed ticket gets its card: once, or twice only when
    // its job was in a's hands at the kill.
    const numbers = acknowledged.map((r) => Number(/#(\d+)/.exec(JSON.stringify(r.replies))?.[1]));
    const stored = new Set((await testDb.db.client.ticket.findMany({ select: { number: true } })).map((t) => t.number));
    for (const n of numbers) expect(stored.has(n)).toBe(true);
    const { tickets } = await everyCard(40_000);
    await sleep(2_500);
    const cards = cardsByTicket();
    expect([...cards.keys()].sort()).toEqual([...tickets].sort());
    for (const [n, count] of cards) expect(count, `ticket #${n}: ${count} cards (its job held by the killed instance: ${held.has(n)})`).toBe(held.has(n) ? Math.min(count, 2) : 1);
    const left = await testDb.db.client.job.count({ where: { queue: 'ticket.changed', status: { not: 'done' } } });
    expect(left).toBe(0);
    // a is gone: everything after it is done by b.
    a = await startInstance();
  });

  it('fires each SLA breach once across both instances and tells the assignee once', { timeout: 90_000 }, async () => {
    const slackUser = (name: string) => {
      const id = `U${randomBytes(5).toString('hex').toUpperCase()}`;
      fake.addUser({ id, team_id: TEAM, name, real_name: name, tz: 'Europe/Paris', locale: 'en-GB', profile: { real_name: name, email: `${id.toLowerCase()}@acme.test` } });
      return id;
    };
    const requester = slackUser('Sla Requester');
    // The agent has talked to Guichet on Slack: their DM is where the desk reaches them.
    const agentSlack = slackUser('Sla Agent');
    expect((await send(b.url, prepareEvent(dmEvent(agentSlack, 'hello')))).status).toBe(200);
    const numbers: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const count = await testDb.db.client.ticket.count();
      expect((await send(i % 2 ? a.url : b.url, prepareEvent(dmEvent(requester, `open a ticket: the badge reader ${i} refuses my card`)))).status).toBe(200);
      const started = Date.now();
      while ((await testDb.db.client.ticket.count()) === count && Date.now() - started < 30_000) await sleep(100);
      numbers.push((await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number);
    }
    const agent = await testDb.db.client.user.findFirstOrThrow({ where: { email: `${agentSlack.toLowerCase()}@acme.test` } });
    // Assigned to the agent, their response target passed a minute ago: the breach is due now (whatever the day: no business-hours arithmetic).
    const now = Date.now();
    await testDb.db.client.ticket.updateMany({ where: { number: { in: numbers } }, data: { assigneeId: agent.id, responseDueAt: new Date(now - 60_000), firstResponseAt: null, responseBreached: false, nextSlaAt: new Date(now - 60_000) } });
    const told = (n: number) => fake.ok('chat.postMessage').filter((c) => c.args.channel !== AGENTS && String(c.args.text).includes(`#${n} `) && /breached|dépassé/.test(String(c.args.text)));
    const started = Date.now();
    while (numbers.some((n) => told(n).length === 0) && Date.now() - started < 30_000) await sleep(200);
    await sleep(3_000); // three more ticks
    const breaches = await testDb.db.client.ticketEvent.findMany({ where: { kind: 'sla-breach', ticket: { number: { in: numbers } } }, select: { ticket: { select: { number: true } } } });
    expect(breaches.map((w) => w.ticket.number).sort()).toEqual([...numbers].sort());
    for (const n of numbers) expect(told(n)).toHaveLength(1);
    // One tell job per batch fired (src/ticketing/sla-tell.ts), covering each ticket once; the tick's digests claimed each (its cards job done), so it waits with nothing to tell.
    const tellJobs = await testDb.db.client.job.findMany({ where: { queue: 'sla.tell' } });
    expect(await testDb.db.client.job.count({ where: { queue: 'sla.changed', status: 'done' } })).toBe(tellJobs.length);
    expect(tellJobs.flatMap((j) => (j.payload as { tickets?: { number: number }[]; number?: number }).tickets?.map((t) => t.number) ?? [(j.payload as { number: number }).number]).sort()).toEqual([...numbers].sort());
    // One tick per second across both instances (one pg-boss job per period, whichever instance sent it first), run by either.
    const ticks = await testDb.db.client.$queryRawUnsafe<{ period: string }[]>(
      `SELECT data->>'period' AS period FROM pgboss.job WHERE name = 'sla.tick' AND state = 'completed'
       UNION ALL SELECT data->>'period' FROM pgboss.archive WHERE name = 'sla.tick' AND state = 'completed'`,
    );
    expect(ticks.length).toBeGreaterThan(3);
    expect(new Set(ticks.map((t) => t.period)).size).toBe(ticks.length);
  });
});

describe.runIf(!onPostgres)('one Guichet instance on SQLite', () => {
  it('posts each card through the outbox once, and runs a job a dead instance left', { timeout: 240_000 }, async () => {
    const one = await startInstance();
    const sent = Array.from({ length: 4 }, (_, i) => ({ visitor: visitorId(), id: randomUUID(), text: `open a ticket: the printer on floor ${i + 2} jams on every page` }));
    // Each message twice (the page retried): one ticket each.
    const answers = await Promise.all(sent.flatMap((m) => [webSay(one.url, m.visitor, m.id, m.text), webSay(one.url, m.visitor, m.id, m.text)]));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    let { tickets } = await everyCard();
    expect(tickets).toHaveLength(sent.length);
    expect([...cardsByTicket().entries()].sort()).toEqual(tickets.map((n) => [n, 1]));
    expect(await testDb.db.client.job.count({ where: { queue: 'ticket.changed', status: 'done' } })).toBe(sent.length);

    // The card job of an instance that died while running it (its lease has ended): the running instance takes it over, once.
    const last = tickets.at(-1)!;
    await testDb.db.client.escalationPost.deleteMany({ where: { ticket: { number: last } } });
    await testDb.db.client.job.update({ where: { key: `ticket.changed:${last}:created` }, data: { status: 'pending', lockedBy: 'a-dead-instance', runAt: new Date() } });
    fake.reset();
    ({ tickets } = await everyCard());
    await sleep(1_000);
    expect([...cardsByTicket().entries()]).toEqual([[last, 1]]);
    expect(await testDb.db.client.job.count({ where: { status: { not: 'done' }, queue: 'ticket.changed' } })).toBe(0);
    one.child.kill('SIGTERM');
    expect((await one.done).code).toBe(0);
  });
});
