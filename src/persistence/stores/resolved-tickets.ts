/** Reads resolved tickets for "add to FAQ" (knowledge/ticket-draft.ts). */
import type { ResolvedTicket, ResolvedTicketSource } from '../../knowledge/ticket-draft.ts';
import type { Database } from '../database.ts';

export class PrismaResolvedTickets implements ResolvedTicketSource {
  constructor(private readonly db: Database) {}

  async resolved(number: number): Promise<ResolvedTicket | null> {
    const row = await this.db.client.ticket.findUnique({ where: { number } });
    if (!row || !['resolved', 'closed'].includes(row.status) || !row.resolution) return null;
    return {
      number: row.number,
      title: row.title,
      description: row.description,
      resolution: row.resolution,
      serviceId: row.serviceId,
      category: row.category,
    };
  }
}
