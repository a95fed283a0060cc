/** The real ticket desk on a test database (Prisma repositories), as src/guichet.ts builds it. */
import { PrismaIncidentStore } from '../../src/persistence/stores/incidents.ts';
import { PrismaTicketRepository } from '../../src/persistence/stores/tickets-repository.ts';
import type { Database } from '../../src/persistence/database.ts';
import { TicketDeskService, type DeskDeps } from '../../src/ticketing/desk/ticket-desk.ts';

export function prismaTicketDesk(deps: Omit<DeskDeps, 'repository' | 'defaultLang'> & { db: Database; defaultLang?: DeskDeps['defaultLang'] }): TicketDeskService {
  const { db, ...rest } = deps;
  return new TicketDeskService({ defaultLang: 'fr', ...rest, repository: new PrismaTicketRepository(db), incidents: new PrismaIncidentStore(db) });
}
