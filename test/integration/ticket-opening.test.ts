/**
 * A ticket's opening in direct statements (src/persistence/stores/ticket-opening.ts), on a real
 * database (SQLite, or PostgreSQL with DATABASE_URL): what it writes reads back through Prisma as
 * Prisma would have written it, a used origin writes nothing at all, and racing openings of one
 * origin store one ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewJob } from '../../src/core/jobs.ts';
import { loadDeskConfig } from '../../src/ticketing/config.ts';
import type { OpeningWrites } from '../../src/ticketing/ports.ts';
import { syncDeskConfig } from '../../src/persistence/stores/desk-config.ts';
import { PrismaTicketRepository } from '../../src/persistence/stores/tickets-repository.ts';
import type { OpeningTicket } from '../../src/persistence/stores/ticket-opening.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;
let repo: PrismaTicketRepository;
let requesterId: string;
let agentId: string;
const at = new Date('2026-11-23T09:00:00.123Z');

beforeAll(async () => {
  testDb = await createTestDatabase();
  await syncDeskConfig(testDb.db, loadDeskConfig('config'));
  repo = new PrismaTicketRepository(testDb.db);
  requesterId = (await testDb.db.client.user.create({ data: { displayName: 'Alice Martin', email: 'alice@example.org' } })).id;
  agentId = (await testDb.db.client.user.findFirstOrThrow({ where: { email: 'camille.roux@example.org' } })).id;
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

const ticket = (origin: string | null): OpeningTicket => ({
  type: 'incident', title: 'Écran noir', description: 'Le poste de la salle B ne s’allume plus', category: 'workstation', serviceId: null,
  impact: 2, urgency: 2, priority: 3, requesterId, groupId: 'service-desk', level: 1, slaPolicyId: 'standard',
  responseDueAt: new Date('2026-11-23T13:00:00Z'), resolutionDueAt: new Date('2026-11-25T09:00:00Z'), nextSlaAt: new Date('2026-11-23T12:00:00Z'),
  diagnosis: { steps: ['reboot'], answers: { power: 'yes' } }, conversationId: null, originKey: origin, createdAt: at,
});

const writes = (n: number): OpeningWrites => ({
  events: [
    { kind: 'created', actorId: agentId, actorKind: 'agent', data: { type: 'incident', priority: 3 }, at },
    { kind: 'files', actorId: requesterId, actorKind: 'user', data: { files: [{ name: 'ecran.png' }] }, at },
  ],
  audit: { actorId: agentId, actorKind: 'agent', action: 'ticket.create', entity: 'ticket', entityId: String(n), after: { priority: 3 }, at },
  jobs: [{ queue: 'ticket.changed', key: `ticket.changed:${n}:created`, payload: { number: n, kind: 'created' }, runAt: new Date(at.getTime() + 30_000) } satisfies NewJob],
});

const counts = async () => ({
  tickets: await testDb.db.client.ticket.count(),
  events: await testDb.db.client.ticketEvent.count(),
  audits: await testDb.db.client.auditLog.count({ where: { action: 'ticket.create' } }),
  jobs: await testDb.db.client.job.count(),
});

describe('a ticket opening in direct statements', () => {
  it('writes the ticket, its events in order, the audit entry and the job, as Prisma reads them', async () => {
    const number = await repo.open(ticket('web:opening-1'), writes);
    expect(number).toBeGreaterThan(1000);
    const row = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: number! } });
    expect(row).toMatchObject({
      number, status: 'new', relay: 'bot', priority: 3, level: 1, groupId: 'service-desk', slaPolicyId: 'standard', requesterId, originKey: 'web:opening-1',
      responseBreached: false, resolutionBreached: false, slaPausedMinutes: 0, assigneeId: null, firstResponseAt: null,
      diagnosis: { steps: ['reboot'], answers: { power: 'yes' } },
      createdAt: at, responseDueAt: new Date('2026-11-23T13:00:00Z'), resolutionDueAt: new Date('2026-11-25T09:00:00Z'), nextSlaAt: new Date('2026-11-23T12:00:00Z'),
    });
    expect(row.updatedAt).toBeInstanceOf(Date);
    expect((await repo.view(number!))?.requester.displayName).toBe('Alice Martin');
    expect((await repo.events(number!)).map((e) => [e.kind, e.actorKind, e.data, e.at])).toEqual([
      ['created', 'agent', { type: 'incident', priority: 3 }, at],
      ['files', 'user', { files: [{ name: 'ecran.png' }] }, at],
    ]);
    // An event appended later at the same instant comes after them (a timeline orders one instant's events by id).
    await repo.appendEvent(number!, { kind: 'comment', actorId: requesterId, actorKind: 'user', data: { text: 'toujours noir' }, at });
    expect((await repo.events(number!)).map((e) => e.kind)).toEqual(['created', 'files', 'comment']);
    expect(await testDb.db.client.auditLog.findFirstOrThrow({ where: { entityId: String(number) } })).toMatchObject({ actorId: agentId, actorKind: 'agent', at, before: null, after: { priority: 3 } });
    expect(await testDb.db.client.job.findUniqueOrThrow({ where: { key: `ticket.changed:${number}:created` } })).toMatchObject({
      queue: 'ticket.changed', status: 'pending', attempts: 0, payload: { number, kind: 'created' }, runAt: new Date(at.getTime() + 30_000), createdAt: at,
    });
  });

  it('stores no policy that storage lacks, and a null next moment', async () => {
    const number = await repo.open({ ...ticket(null), slaPolicyId: 'no-such-policy', nextSlaAt: null }, () => ({ events: [], jobs: [] }));
    expect(await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: number! } })).toMatchObject({ slaPolicyId: null, nextSlaAt: null, originKey: null });
  });

  it('writes nothing for an origin already used: no ticket, event, audit entry or job', async () => {
    const before = await counts();
    expect(await repo.open(ticket('web:opening-1'), writes)).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('stores one ticket when openings of one origin race', async () => {
    const before = await counts();
    const numbers = await Promise.all(Array.from({ length: 4 }, () => repo.open(ticket('web:opening-race'), writes)));
    expect(numbers.filter((n) => n !== undefined)).toHaveLength(1);
    expect(await counts()).toEqual({ tickets: before.tickets + 1, events: before.events + 2, audits: before.audits + 1, jobs: before.jobs + 1 });
  });
});
