/**
 * The ticket repository on Prisma (SQLite or PostgreSQL): units of work on the store of tickets.ts,
 * tickets numbered by `ticketNumbers` (a sequence on PostgreSQL, the "ticket" counter row on SQLite),
 * a ticket's opening in direct statements (ticket-opening.ts), and the reads of every turn in direct
 * statements outside units of work (tickets-direct.ts).
 */
import type { ContactView, TicketStatus, TicketView } from '../../core/tickets.ts';
import { conflict, isConflict, type OpeningWrites, type Person, type TicketEvent, type TicketRepository, type TicketUnit } from '../../ticketing/ports.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import { drawTicketNumber, openTicketDirect, type OpeningTicket } from './ticket-opening.ts';
import { PrismaTicketUnit, type EventWrittenHook } from './tickets.ts';
import { assetsOfDirect, countRecentReportsDirect, eventsDirect, numberByOriginDirect, personDirect, requesterViewsDirect, serviceDirect, ticketViewDirect } from './tickets-direct.ts';
import type { Client } from './tickets-directory.ts';

/** Longest a unit of work may stay open, in ms. */
const UNIT_TIMEOUT_MS = 60_000;

/** The repository: the database's client outside units of work, a transaction's inside. */
export class PrismaTicketRepository extends PrismaTicketUnit implements TicketRepository {
  constructor(
    private readonly db: Database,
    options: { onEvent?: EventWrittenHook } = {},
  ) {
    super(db.client, ticketNumbers(db), db.provider, options.onEvent);
  }

  /*
   * Outside units of work, what every turn reads goes through direct statements (../direct-sql.ts), a
   * few microseconds each on SQLite instead of a Prisma query plan (about a millisecond). Inside a
   * unit the inherited Prisma queries run on the transaction (a direct statement would wait for its lock).
   */

  override async ofRequester(requesterId: string, options: { statuses?: readonly TicketStatus[]; limit: number }): Promise<TicketView[]> {
    return requesterViewsDirect(this.db, requesterId, options.statuses, options.limit);
  }

  override async view(number: number): Promise<TicketView | undefined> {
    return ticketViewDirect(this.db, number);
  }

  override numberByOrigin(origin: string): Promise<number | undefined> {
    return numberByOriginDirect(this.db, origin);
  }

  override service(id: string): Promise<{ id: string; groupId: string | null; criticality: string | null } | undefined> {
    return serviceDirect(this.db, id);
  }

  override countRecentReports(serviceId: string, since: Date): Promise<number> {
    return countRecentReportsDirect(this.db, serviceId, since);
  }

  override events(number: number, filter: { publicOnly?: boolean; kinds?: readonly string[] } = {}): Promise<TicketEvent[]> {
    return eventsDirect(this.db, number, filter);
  }

  override person(id: string): Promise<Person | undefined> {
    return personDirect(this.db, id);
  }

  override assetsOf(userId: string): Promise<(ContactView['assets'][number] & { serviceIds: string[] })[]> {
    return assetsOfDirect(this.db, userId);
  }

  /** PostgreSQL, direct openings: the sequence's next value (ticket-opening.ts). */
  drawNumber(): Promise<number> | undefined {
    return this.onEvent || this.db.provider !== 'postgres' ? undefined : drawTicketNumber(this.db);
  }

  /**
   * In direct statements (ticket-opening.ts): two on PostgreSQL, where the Prisma unit of work sent
   * eleven. With an event hook (GLPI mode: its outbox is written per event on Prisma's client), a
   * Prisma unit of work as any other change.
   */
  async open(ticket: OpeningTicket, writes: (number: number) => OpeningWrites, drawn?: number): Promise<number | undefined> {
    if (!this.onEvent) return openTicketDirect(this.db, ticket, writes, drawn);
    try {
      return await this.transaction(async (tx) => {
        const number = await tx.insert(ticket);
        const { events, audit, jobs } = writes(number);
        for (const event of events) await tx.appendEvent(number, event);
        if (audit) await tx.audit(audit);
        if (jobs.length > 0) await tx.enqueue(jobs, ticket.createdAt);
        return number;
      });
    } catch (err) {
      if (isConflict(err)) return undefined;
      throw err;
    }
  }

  async transaction<T>(work: (tx: TicketUnit) => Promise<T>): Promise<T> {
    try {
      // Prisma's default 5 s would expire a unit the SLA clock fills with a batch of firings on a busy machine.
      return await this.db.client.$transaction((tx) => work(new PrismaTicketUnit(tx as unknown as Client, ticketNumbers(this.db), this.db.provider, this.onEvent)), { timeout: UNIT_TIMEOUT_MS });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('a unique ticket origin or timeline event', err);
      throw err;
    }
  }
}

/**
 * Ticket numbers, unique and increasing. PostgreSQL: the "ticket_number_seq" sequence (made by the
 * sla_next_moment migration), drawn on the database's pool, outside the unit of work: nextval
 * takes no row lock, so concurrent creations do not queue behind one counter row (a rolled-back
 * creation leaves a gap). SQLite has one writer at a time anyway: the "ticket" counter row, inside
 * the unit of work (no gaps).
 */
function ticketNumbers(db: Database): (client: Client) => Promise<number> {
  if (db.provider === 'postgres') {
    return async () => {
      const [row] = await db.client.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT nextval('"ticket_number_seq"') AS n`);
      return Number(row!.n);
    };
  }
  return async (client) => (await client.counter.upsert({ where: { name: 'ticket' }, create: { name: 'ticket', value: 1001 }, update: { value: { increment: 1 } } })).value;
}
