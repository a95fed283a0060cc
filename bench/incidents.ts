/**
 * Major incidents benchmark (in memory, no database): who a declaration reaches in a synthetic CMDB
 * of 1,000 / 10,000 / 50,000 people (three devices each, 40 shared applications, two sites,
 * dependencies), and a burst of notices through the digest (one person, 200 events in a minute).
 *
 * With --outbox 2000,5000: a declaration told through the outbox (see `outbox` below).
 *
 *   npm run bench:incidents -- [--sizes 1000,10000,50000] [--outbox 2000] [--latency 5] [--lease 5] [--pg <postgresql url>]
 */
import './quiet-env.ts';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Notifier } from '../src/core/ports.ts';
import { createJobRunner } from '../src/jobs/runner.ts';
import { isPostgresUrl } from '../src/persistence/database-url.ts';
import { freshDatabase } from './lib/fresh-database.ts';
import { openDatabase } from '../src/persistence/database.ts';
import { applyMigrations } from '../src/persistence/migrate/index.ts';
import { syncDeskConfig } from '../src/persistence/stores/desk-config.ts';
import { PrismaIncidentStore } from '../src/persistence/stores/incidents.ts';
import { PrismaJobStore } from '../src/persistence/stores/jobs.ts';
import { PrismaTicketRepository } from '../src/persistence/stores/tickets-repository.ts';
import { loadDeskConfig } from '../src/ticketing/config.ts';
import { TicketDeskService } from '../src/ticketing/desk/ticket-desk.ts';
import { DEFAULT_INCIDENT_SETTINGS } from '../src/ticketing/incident-config.ts';
import { MajorIncidents } from '../src/ticketing/major-incidents.ts';
import type { CmdbFile } from '../src/ticketing/config.ts';
import { affectedBy } from '../src/ticketing/incident-scope.ts';
import { Notices } from '../src/ticketing/notices.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,50000' }, outbox: { type: 'string', default: '' }, latency: { type: 'string', default: '5' }, lease: { type: 'string', default: '5' }, pg: { type: 'string' } } });
const sizes = values.sizes.split(',').filter(Boolean).map(Number);
const OUTBOX = values.outbox.split(',').filter(Boolean).map(Number);
const LATENCY = Number(values.latency);
const LEASE = Number(values.lease);
const PG = values.pg ?? (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined);

function cmdb(people: number): CmdbFile {
  const departments = ['Finance', 'Sales', 'HR', 'Logistics', 'Engineering', 'Marketing'];
  const apps = Array.from({ length: 40 }, (_, i) => ({
    tag: `APP-${i}`, kind: 'application', name: `App ${i}`, status: 'in-use' as const, services: [i % 2 ? 'business-apps' : 'collaboration'],
    departments: [departments[i % departments.length]!], dependsOn: i > 0 && i % 5 === 0 ? ['NET-AAD'] : [],
  }));
  const items: CmdbFile['items'] = [{ tag: 'NET-AAD', kind: 'application', name: 'SSO', status: 'in-use', services: ['identity'], departments: [], dependsOn: [] }, ...apps];
  const persons: CmdbFile['people'] = [];
  for (let p = 0; p < people; p += 1) {
    const email = `p${p}@example.org`;
    persons.push({ email, name: `P ${p}`, department: departments[p % departments.length], vip: false, site: p % 3 ? 'Paris' : 'Lyon', subscriptions: p % 50 === 0 ? ['business-apps'] : [] });
    items.push({ tag: `LT-${p}`, kind: 'laptop', name: 'Laptop', owner: email, status: 'in-use', services: ['workstation', p % 4 ? 'vpn' : 'network'], departments: [], dependsOn: [] });
    items.push({ tag: `PH-${p}`, kind: 'phone', name: 'Phone', owner: email, status: 'in-use', services: ['telephony', 'identity'], departments: [], dependsOn: [] });
    items.push({ tag: `DK-${p}`, kind: 'dock', name: 'Dock', owner: email, status: 'in-use', services: ['workstation'], departments: [], dependsOn: [] });
  }
  return { people: persons, items, dependencies: [{ service: 'business-apps', dependsOn: ['identity'] }] };
}

const time = <T>(work: () => T): [T, number] => {
  const start = performance.now();
  const out = work();
  return [out, performance.now() - start];
};

console.log('who is affected (affectedBy), median of 5 runs');
console.log('people  items    scope                   reached  ms');
for (const size of sizes) {
  const data = cmdb(size);
  for (const [name, scope] of [
    ['vpn', { services: ['vpn'], items: [], sites: [] }],
    ['vpn, Lyon only', { services: ['vpn'], items: [], sites: ['Lyon'] }],
    ['one application', { services: ['business-apps'], items: ['APP-1'], sites: [] }],
    ['identity (cascades)', { services: ['identity'], items: [], sites: [] }],
  ] as const) {
    const runs = Array.from({ length: 5 }, () => time(() => affectedBy(data, { services: [...scope.services], items: [...scope.items], sites: [...scope.sites] })));
    const ms = runs.map((r) => r[1]).sort((a, b) => a - b)[2]!;
    console.log(`${String(size).padEnd(7)} ${String(data.items.length).padEnd(8)} ${name.padEnd(23)} ${String(runs[0]![0].people.length).padEnd(8)} ${ms.toFixed(1)}`);
  }
}

let now = Date.parse('2026-11-23T09:00:00Z');
let sent = 0;
const notices = new Notices({ clock: { now: () => new Date(now) }, send: async () => void (sent += 1), digestSeconds: 120, timeZone: () => 'Europe/Paris' });
const [, burstMs] = time(() => undefined);
const start = performance.now();
for (let i = 0; i < 200; i += 1) {
  await notices.post('alice', { urgent: i % 10 === 0, build: () => ({ text: `event ${i}` }) });
  now += 300;
}
now += 120_000;
await notices.flushDue();
console.log(`\nnotices: 200 events to one person within ${(200 * 0.3).toFixed(0)} s → ${sent} messages sent (digest window 120 s), ${(performance.now() - start + burstMs).toFixed(1)} ms`);

/*
 * The outbox (--outbox 2000,5000): a declaration to N people on a real database (SQLite, and
 * PostgreSQL's table with --pg or DATABASE_URL), told through the in-process runner by two
 * instances on one table: the writer (its runNow) and another polling. The platform is slow
 * (--latency ms per message) and the lease short (--lease s): a job that outlives its lease is
 * taken by the other instance too. Reported: the writer's declare(), the time until everyone was
 * told, the messages, the people told twice, and the jobs written.
 */
async function outbox(size: number, server: string | undefined): Promise<void> {
  const target = await freshDatabase(server);
  await applyMigrations(target.url);
  const db = await openDatabase(target.url);
  try {
    const config = loadDeskConfig('config');
    await syncDeskConfig(db, config);
    const member = await db.client.groupMember.findFirstOrThrow({ where: { groupId: 'service-desk' } });
    const ids = Array.from({ length: size }, (_, i) => `bench-user-${i}`);
    for (let i = 0; i < size; i += 500) {
      const part = ids.slice(i, i + 500);
      await db.client.user.createMany({ data: part.map((id) => ({ id, displayName: id, email: `${id}@example.org`, locale: 'en' })) });
      await db.client.conversation.createMany({ data: part.map((id) => ({ channel: 'web', externalId: `c-${id}`, kind: 'personal', userId: id, state: {}, reference: { externalId: `c-${id}` } })) });
    }
    const told = new Map<string, number>();
    const notifier: Notifier = {
      notify: async (userId) => {
        await new Promise((r) => setTimeout(r, LATENCY));
        told.set(userId, (told.get(userId) ?? 0) + 1);
        return { delivered: ['web'] };
      },
    };
    const runners = ['writer', 'other'].map((owner) => createJobRunner({ store: new PrismaJobStore(db), owner, leaseMs: LEASE * 1000, graceMs: 0, pollMs: 100, concurrency: db.provider === 'sqlite' ? 1 : 4, onError: () => {} }));
    const clock = { now: () => new Date() };
    const [writer, other] = runners.map((jobs) => {
      const store = new PrismaIncidentStore(db);
      const desk = new TicketDeskService({ repository: new PrismaTicketRepository(db), incidents: store, clock, notifier, config, defaultLang: 'en', defaultGroupId: 'service-desk', jobs });
      return new MajorIncidents({ store, clock, desk: desk.internals, resolveTicket: (n, actor, text) => desk.resolve(n, actor, text), config, jobs, settings: { ...DEFAULT_INCIDENT_SETTINGS, notices: { digestSeconds: 0 } } });
    });
    void other;
    runners[1]!.start();
    const start = performance.now();
    await writer!.declare({ id: member.userId, role: 'agent' }, { serviceId: 'vpn', title: { fr: 'Panne du VPN', en: 'VPN outage' }, impact: 'high', audience: 'everyone' });
    const declareMs = performance.now() - start;
    while (told.size < size || (await db.client.job.count({ where: { queue: { startsWith: 'incident.' }, status: { notIn: ['done', 'dead'] } } })) > 0) await new Promise((r) => setTimeout(r, 50));
    const allMs = performance.now() - start;
    await runners[1]!.stop();
    const twice = [...told.values()].filter((n) => n > 1).length;
    const messages = [...told.values()].reduce((a, b) => a + b, 0);
    const jobs = await db.client.job.count({ where: { queue: { startsWith: 'incident.' } } });
    console.log(`${db.provider.padEnd(9)} ${String(size).padEnd(7)} ${(declareMs / 1000).toFixed(1).padStart(8)} s ${(allMs / 1000).toFixed(1).padStart(8)} s ${String(messages).padStart(9)} ${String(twice).padStart(11)} ${String(jobs).padStart(6)}   (load ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  } finally {
    await db.close();
    await target.done();
  }
}

if (OUTBOX.length > 0) {
  console.log(`\noutbox: a declaration to N people, two instances on one table, ${LATENCY} ms a message, lease ${LEASE} s`);
  console.log('database  people   declare()  all told  messages  told twice  jobs');
  for (const server of [undefined, ...(PG ? [PG] : [])]) for (const size of OUTBOX) await outbox(size, server);
}
process.exit(0);
