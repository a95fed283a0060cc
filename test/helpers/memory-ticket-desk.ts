/**
 * An in-memory TicketDesk with only what the flows module uses (create,
 * contact, open major incidents), for unit tests of conversations without a
 * database. Not a desk: no SLA calendar (due times are fixed offsets), no
 * status machine, no notifications. Integration tests use PrismaTicketDesk.
 */
import type { ContactView, MajorIncidentView, NewTicket, TicketDesk, TicketView } from '../../src/core/tickets.ts';

const HOUR = 3_600_000;

export class MemoryTicketDesk implements TicketDesk {
  readonly tickets: (TicketView & { input: NewTicket })[] = [];
  readonly incidents: MajorIncidentView[] = [];
  /** Everyone's devices (the memory user directory makes random ids). */
  assets: ContactView['assets'] = [];
  private next = 1001;

  constructor(private readonly now: () => Date = () => new Date('2026-11-23T09:00:00Z')) {}

  async create(input: NewTicket): Promise<{ ticket: TicketView; created: boolean }> {
    const existing = input.origin ? this.tickets.find((t) => t.input.origin === input.origin) : undefined;
    if (existing) return { ticket: existing, created: false };
    const at = this.now();
    const ticket: TicketView & { input: NewTicket } = {
      number: this.next++,
      type: input.type,
      title: input.title,
      description: input.description,
      status: 'new',
      priority: 4,
      impact: input.impact,
      urgency: input.urgency,
      category: input.category,
      serviceId: input.serviceId ?? null,
      requester: { id: input.requesterId, displayName: input.requesterId },
      assignee: null,
      group: null,
      responseDueAt: new Date(at.getTime() + 4 * HOUR).toISOString(),
      resolutionDueAt: new Date(at.getTime() + 48 * HOUR).toISOString(),
      slaPaused: false,
      responseBreached: false,
      resolutionBreached: false,
      majorIncident: null,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      resolvedAt: null,
      resolution: null,
      input,
    };
    this.tickets.push(ticket);
    return { ticket, created: true };
  }

  async contact(userId: string): Promise<ContactView> {
    return {
      user: { id: userId, displayName: userId, email: null, department: null, jobTitle: null, vip: false, locale: null },
      assets: this.assets,
      services: [],
      openTickets: [],
      recentTickets: [],
    };
  }

  async openMajorIncidents(): Promise<MajorIncidentView[]> {
    return this.incidents.filter((i) => i.status === 'open');
  }

  async openMajorIncident(serviceId: string): Promise<MajorIncidentView | undefined> {
    return this.incidents.find((i) => i.status === 'open' && i.serviceId === serviceId);
  }

  listForRequester = unused('listForRequester');
  view = unused('view');
  timeline = unused('timeline');
  addInfo = unused('addInfo');
  escalateByRequester = unused('escalateByRequester');
  awaitingConfirmation = unused('awaitingConfirmation');
  confirmResolution = unused('confirmResolution');
  rate = unused('rate');
  queueFor = unused('queueFor');
}

function unused(name: string): () => never {
  return () => {
    throw new Error(`MemoryTicketDesk: ${name} is not implemented (the flows module does not use it)`);
  };
}
