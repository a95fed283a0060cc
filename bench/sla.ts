/**
 * SLA clock benchmark: one tick over 2,000 / 20,000 / 100,000 open tickets, quiet (nothing due)
 * and firing (100 warnings due), then a mass breach of 20,000 tickets, on SQLite and (with --pg URL,
 * or DATABASE_URL a postgresql:// URL) PostgreSQL. The clock of this branch (sla-moment.ts: only
 * `nextSlaAt <= now`, in batches) against the previous full scan kept as a peer (every open
 * ticket read, each one's warning and due instants derived through the business calendar).
 *
 *   npm run bench:sla -- [--sizes 2000,20000,100000] [--mass 20000] [--pg <postgresql url>] [--no-sqlite]
 *
 * Tickets are seeded by raw multi-row INSERTs (not through the desk), with their real due times
 * and next moment. "max block" is the longest the event loop was held at once during the tick (a
 * 1 ms timer probe: the largest lateness of its beats; "cpu" that lateness bounded by the CPU time
 * this process used meanwhile — on a loaded machine a beat is also late while the OS runs other
 * processes —, and how many of those CPU-bounded blocks exceeded the target; "eld"
 * perf_hooks.monitorEventLoopDelay's maximum). Notifications go to a notifier that only counts them
 * (and the tickets each one tells of, and the messages per person). The tick commits the firings and
 * their "sla.tell" jobs (one per batch of firings), then its digests: one "sla.digest" job per person
 * for the whole tick (src/ticketing/sla-digest.ts); "told" is the time the job runner then takes to
 * send them all (drained here, as the server runs it: one job
 * at a time on SQLite, 4 on PostgreSQL). "fired and told" is the mass breach end to end — from the
 * tick's start to the last message delivered, every breached ticket told to someone — against the
 * issue's 60 s.
 */
import './quiet-env.ts';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Notifier } from '../src/core/ports.ts';
import { isPostgresUrl } from '../src/persistence/database-url.ts';
import { freshDatabase } from './lib/fresh-database.ts';
import { openDatabase, type Database } from '../src/persistence/database.ts';
import { applyMigrations } from '../src/persistence/migrate/index.ts';
import { PrismaIncidentStore } from '../src/persistence/stores/incidents.ts';
import { PrismaJobStore } from '../src/persistence/stores/jobs.ts';
import { createJobRunner } from '../src/jobs/runner.ts';
import { PrismaTicketRepository } from '../src/persistence/stores/tickets-repository.ts';
import { rawSql } from '../src/persistence/stores/raw-sql.ts';
import { loadDeskConfig, type DeskConfig } from '../src/ticketing/config.ts';
import { TicketDeskService } from '../src/ticketing/desk/ticket-desk.ts';
import type { TicketRecord } from '../src/ticketing/ports.ts';
import { createSlaScheduler } from '../src/ticketing/scheduler.ts';
import { autoCloseDue, dueFirings } from '../src/ticketing/sla-decide.ts';
import { nextSlaMoment } from '../src/ticketing/sla-moment.ts';
import { dueDates } from '../src/ticketing/sla.ts';
import { syncDeskConfig } from '../src/persistence/stores/desk-config.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '2000,20000,100000' }, mass: { type: 'string', default: '20000' }, pg: { type: 'string' }, 'no-sqlite': { type: 'boolean' } } });
const SIZES = values.sizes.split(',').map(Number);
const MASS = Number(values.mass);
const PG = values.pg ?? (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined);
const FIRING = 100;
/** How long the bench lets the runner tell a mass breach's people before extrapolating, ms. */
const TELL_WINDOW_MS = 60_000;
/** The longest the event loop may be held at once, ms (issue #20). */
const BLOCK_TARGET_MS = 20;
const NOW = new Date('2026-11-25T10:00:00Z'); // a Wednesday, 11:00 in Paris
const MINUTE = 60_000;

const config: DeskConfig = loadDeskConfig('config');
const policy = config.policies.find((p) => p.id === 'standard') ?? config.policies[0]!;
const cal = config.calendars.find((c) => c.id === policy.calendarId)!;
let notified = 0;
/** The tickets the notifications told of ("#N (title)": a ticket's message, or a line of a digest). */
const toldOf = new Set<number>();
/** Messages per person, and the most tickets one message told of (a digest's "N tickets", its lines capped). */
const perPerson = new Map<string, number>();
let widest = 0;
const notifier: Notifier = {
  notify: async (userId, messages) => {
    notified += 1;
    perPerson.set(userId, (perPerson.get(userId) ?? 0) + 1);
    for (const m of messages) {
      if (m.type !== 'text') continue;
      for (const [, n] of m.text.matchAll(/#(\d+) \(/g)) toldOf.add(Number(n));
      widest = Math.max(widest, Number(/ (\d+) tickets /.exec(m.text)?.[1] ?? 1));
    }
    return { delivered: [] };
  },
};

/**
 * Runs `work`, returning its wall time and the longest the event loop was held meanwhile (ms): the
 * largest lateness of a 1 ms timer's beats ("block"), and that lateness bounded by the CPU time this
 * process used meanwhile ("cpu"): on a loaded machine, a beat is also late when the OS runs others.
 */
async function probe<T>(work: () => Promise<T>): Promise<{ ms: number; block: number; cpu: number; over: number; eld: number; result: T }> {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let block = 0;
  let cpu = 0;
  let over = 0;
  const beat = () => {
    const t = performance.now();
    const used = process.cpuUsage(lastCpu);
    const late = t - last - 1;
    block = Math.max(block, late);
    const held = Math.min(late, (used.user + used.system) / 1000);
    cpu = Math.max(cpu, held);
    if (held > BLOCK_TARGET_MS) over += 1;
    last = t;
    lastCpu = process.cpuUsage();
  };
  const timer = setInterval(beat, 1);
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  clearInterval(timer);
  beat();
  eld.disable();
  return { ms, block, cpu, over, eld: eld.max / 1e6, result };
}

function desk(db: Database) {
  const clock = { now: () => NOW };
  const service = new TicketDeskService({ defaultLang: 'fr', repository: new PrismaTicketRepository(db), incidents: new PrismaIncidentStore(db), clock, notifier, config });
  // As the server wires it (src/app/jobs.ts): one job at a time on SQLite (a synchronous driver), 4 on PostgreSQL.
  // The jobs' clock is the real one (they are due at NOW, long past); not started: drained by the bench.
  const jobs = createJobRunner({ store: new PrismaJobStore(db), concurrency: db.provider === 'sqlite' ? 1 : 4, onError: (err) => console.error(String(err)) });
  return { internals: service.internals, jobs, scheduler: createSlaScheduler({ clock, desk: service.internals, config, jobs, onError: (err) => console.error(String(err)) }) };
}

/** The previous clock: every watched and resolved ticket read, each one derived; firing through the same carry code. */
async function fullScanTick(db: Database): Promise<number> {
  const { internals } = desk(db);
  const calendar = (id: string) => internals.calendar(id);
  let due = 0;
  for (const t of await internals.repository.watched()) due += dueFirings(t, NOW, config, calendar).length;
  for (const t of await internals.repository.resolved()) if (autoCloseDue(t, NOW, config, calendar)) due += 1;
  return due;
}

/** The seeded tickets' columns, in the order of `seed`'s rows. */
const COLUMNS = ['id', 'number', 'type', 'title', 'description', 'category', 'impact', 'urgency', 'priority', 'status', 'requesterId', 'groupId', 'level', 'slaPolicyId', 'createdAt', 'updatedAt', 'responseDueAt', 'resolutionDueAt', 'firstResponseAt', 'responseBreached', 'resolutionBreached', 'slaPausedMinutes', 'nextSlaAt', 'diagnosis'] as const;
/** The PostgreSQL type of each column (raw placeholders need them). */
const CASTS: Partial<Record<(typeof COLUMNS)[number], string>> = { number: 'int', impact: 'int', urgency: 'int', priority: 'int', level: 'int', slaPausedMinutes: 'int', createdAt: 'timestamp(3)', updatedAt: 'timestamp(3)', responseDueAt: 'timestamp(3)', resolutionDueAt: 'timestamp(3)', firstResponseAt: 'timestamp(3)', nextSlaAt: 'timestamp(3)', responseBreached: 'boolean', resolutionBreached: 'boolean', diagnosis: 'jsonb' };

/**
 * `count` open P4/P5 tickets numbered from `from`, answered, created over the last hour: nothing due for hours.
 * Written by raw multi-row INSERTs (src/persistence/stores/raw-sql.ts): Prisma's createMany compiles
 * its query per call, which made seeding 100,000 tickets take minutes.
 */
async function seed(db: Database, from: number, count: number, requesterId: string, shape: 'quiet' | 'warn' | 'breach' = 'quiet'): Promise<void> {
  // 120 shapes (minute of creation × priority): their due times and next moment are derived once each.
  const shapes = new Map<number, { due: ReturnType<typeof dueDates>; next: Date | null }>();
  const answered = shape === 'quiet';
  const rowOf = (i: number) => {
    const priority = 4 + (i % 2);
    const createdAt = new Date(NOW.getTime() - (1 + (i % 60)) * MINUTE);
    const key = createdAt.getTime() + priority;
    if (!shapes.has(key)) {
      const due = dueDates(policy, cal, priority as 4, createdAt);
      const record = { status: 'assigned', priority, slaPolicyId: policy.id, createdAt, firstResponseAt: answered ? createdAt : null, responseBreached: false, resolutionBreached: false, responseWarnedAt: null, resolutionWarnedAt: null, slaPausedAt: null, slaPausedMinutes: 0, ...due };
      shapes.set(key, { due, next: nextSlaMoment(record as unknown as TicketRecord, config, () => cal) });
    }
    const { due, next } = shapes.get(key)!;
    const row: Record<(typeof COLUMNS)[number], unknown> = {
      id: `bench-${from + i}`, number: from + i, type: 'incident', title: `Seeded ${from + i}`, description: 'seeded', category: 'bench', impact: 2, urgency: 3, priority, status: 'assigned',
      requesterId, groupId: 'network', level: 1, slaPolicyId: policy.id, createdAt, updatedAt: createdAt, ...due, firstResponseAt: answered ? createdAt : null,
      responseBreached: false, resolutionBreached: false, slaPausedMinutes: 0, nextSlaAt: shape === 'quiet' ? next : new Date(NOW.getTime() - MINUTE), diagnosis: '{}',
    };
    if (shape === 'warn') row.responseDueAt = new Date(NOW.getTime() + 5 * MINUTE);
    if (shape === 'breach') row.responseDueAt = new Date(NOW.getTime() - MINUTE);
    return row;
  };
  const CHUNK = 1_000;
  for (let i = 0; i < count; i += CHUNK) {
    const sql = rawSql(db.provider);
    const rows = [];
    for (let j = i; j < Math.min(count, i + CHUNK); j += 1) {
      const row = rowOf(j);
      const value = (c: (typeof COLUMNS)[number]) => (typeof row[c] === 'boolean' && db.provider === 'sqlite' ? Number(row[c]) : row[c]);
      rows.push(`(${COLUMNS.map((c) => sql.p(value(c), CASTS[c])).join(', ')})`);
    }
    await db.client.$executeRawUnsafe(`INSERT INTO "Ticket" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${rows.join(', ')}`, ...sql.args);
  }
}

/**
 * Empties the tickets, their timelines and the jobs (a tell job's key names its ticket's id, which
 * the next seeding reuses). Not deleteMany: each deleted ticket's self-reference (duplicateOfId,
 * not indexed) is then checked by a scan of the whole table, some minutes for 100,000 tickets.
 */
async function clear(db: Database): Promise<void> {
  if (db.provider === 'postgres') {
    await db.client.$executeRawUnsafe('TRUNCATE "Ticket", "Job" CASCADE');
    return;
  }
  const [pragma] = await db.client.$queryRawUnsafe<{ foreign_keys: number }[]>('PRAGMA foreign_keys');
  await db.client.$executeRawUnsafe('PRAGMA foreign_keys = OFF');
  for (const table of ['TicketEvent', 'Job', 'Ticket']) await db.client.$executeRawUnsafe(`DELETE FROM "${table}"`);
  await db.client.$executeRawUnsafe(`PRAGMA foreign_keys = ${pragma?.foreign_keys ? 'ON' : 'OFF'}`);
}

/** Makes these seeded quiet tickets due for a response warning now (75 % of 65 minutes passed). */
async function makeDue(db: Database, numbers: number[]): Promise<void> {
  await db.client.ticket.updateMany({ where: { number: { in: numbers } }, data: { firstResponseAt: null, createdAt: new Date(NOW.getTime() - 60 * MINUTE), responseDueAt: new Date(NOW.getTime() + 5 * MINUTE), nextSlaAt: new Date(NOW.getTime() - MINUTE) } });
}

const row = (label: string, target: string, measured: string) => console.log(`  ${label.padEnd(44)} ${target.padStart(12)}   ${measured}`);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const blocks = (p: { block: number; cpu: number; over: number; eld: number }) => `max block ${ms(p.block)} (cpu ${ms(p.cpu)}, eld ${ms(p.eld)}; target < ${BLOCK_TARGET_MS} ms; ${p.over} cpu blocks over it)`;

async function run(db: Database): Promise<void> {
  await syncDeskConfig(db, config);
  const requesterId = (await db.client.user.findFirstOrThrow({ select: { id: true } })).id;
  console.log(`\n${db.provider}`);
  row('', 'target', 'measured');
  for (const size of SIZES) {
    await clear(db);
    const seeding = performance.now();
    await seed(db, 10_000, size, requesterId);
    console.log(` ${size.toLocaleString('en')} open tickets (seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`);
    const { scheduler, jobs } = desk(db);
    await scheduler.tick(); // warm-up (connections, prepared plans)
    const quiet = await probe(() => scheduler.tick());
    row('quiet tick (due only)', '< 200 ms', `${ms(quiet.ms)}, ${blocks(quiet)}`);
    const scan = await probe(() => fullScanTick(db));
    row('quiet tick, previous full scan', '', `${ms(scan.ms)}, ${blocks(scan)}`);
    // A first firing tick on other tickets compiles the firing path's queries (as any running server has).
    await makeDue(db, Array.from({ length: FIRING }, (_, i) => 10_001 + i * Math.floor(size / FIRING)));
    await scheduler.tick();
    await jobs.drain();
    await makeDue(db, Array.from({ length: FIRING }, (_, i) => 10_000 + i * Math.floor(size / FIRING)));
    notified = 0;
    const firing = await probe(() => scheduler.tick());
    row(`firing tick (${firing.result.warnings} warnings due)`, '< 200 ms', `${ms(firing.ms)}, ${blocks(firing)}`);
    const told = await probe(() => jobs.drain());
    row(`  then told by ${told.result} jobs`, '', `${ms(told.ms)} (${notified} notifications), ${blocks(told)}`);
  }
  await clear(db);
  await seed(db, 10_000, MASS, requesterId, 'breach');
  notified = 0;
  toldOf.clear();
  perPerson.clear();
  widest = 0;
  const { scheduler, jobs } = desk(db);
  const mass = await probe(() => scheduler.tick());
  row(`mass breach of ${MASS.toLocaleString('en')}: fired (tick)`, '< 60 s', `${(mass.ms / 1000).toFixed(1)} s (${mass.result.breaches} breaches), ${blocks(mass)}`);
  // Telling is the job runner's, after the commit: measured for TELL_WINDOW_MS at most, its rate extrapolated.
  const drainStart = performance.now();
  const told = await probe(() => jobs.drain({ until: () => performance.now() - drainStart > TELL_WINDOW_MS }));
  // Every job of the tick done (its tell jobs run too: the bench's job clock is past their wait), and one person (the manager) told of every breach.
  const left = await db.client.job.count({ where: { queue: { startsWith: 'sla.' }, status: { not: 'done' } } });
  const rate = widest / (told.ms / 1000);
  const all = left === 0 && widest >= mass.result.breaches;
  const counts = [...perPerson.values()];
  row(`  then told by ${told.result.toLocaleString('en')} jobs${left === 0 ? '' : ` (${left} left)`}`, '', `${(told.ms / 1000).toFixed(1)} s, ${notified} notifications to ${perPerson.size} people (${Math.min(...counts)}–${Math.max(...counts)} each; the widest told of ${widest.toLocaleString('en')} tickets), ${blocks(told)}`);
  row(`  fired and told, end to end`, '< 60 s', `${all ? '' : '≈ '}${((mass.ms + (all ? told.ms : (mass.result.breaches / rate) * 1000)) / 1000).toFixed(1)} s`);
}

const warnings: string[] = [];
process.on('warning', (w) => warnings.push(w.message));
for (const server of [...(values['no-sqlite'] ? [] : [undefined]), ...(PG ? [PG] : [])]) {
  const target = await freshDatabase(server);
  await applyMigrations(target.url);
  const db = await openDatabase(target.url);
  try {
    await run(db);
  } finally {
    await db.close();
    await target.done();
  }
}
console.log(`\nload average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
console.log(`process warnings: ${warnings.length === 0 ? 'none' : [...new Set(warnings)].join(' | ')}`);
process.exit(0);
