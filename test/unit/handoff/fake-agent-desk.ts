/**
 * The agents' desk for handoff's unit tests: MemoryTicketDesk (test/helpers) for creating tickets, plus the agents'
 * verbs handoff calls, each recording what it did. Not a desk: no status machine beyond what
 * these tests need, no SLA; replace with the in-memory desk of src/ when it exists.
 */
import { GuichetError } from '../../../src/core/errors.ts';
import type { InboundFile } from '../../../src/core/messages.ts';
import type { AgentDesk, Level, NewTicket, PersonRef, TicketEventView, TicketStatus, TicketView, Viewer } from '../../../src/core/tickets.ts';
import { MemoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';

export interface Recorded {
  verb: string;
  number: number;
  by: string;
  text?: string;
}

const unused = (name: string) => async (): Promise<never> => {
  throw new GuichetError('ticketing.unsupported', `fake desk: ${name} is not used by handoff`);
};

export class FakeAgentDesk implements AgentDesk {
  private readonly base = new MemoryTicketDesk(() => new Date());
  readonly tickets = this.base.tickets;
  readonly done: Recorded[] = [];
  readonly events = new Map<number, TicketEventView[]>();
  readonly people = new Map<string, PersonRef & { email?: string }>();

  /** A ticket in `group`, from `requester`. */
  async open(requester: PersonRef, group: { id: string; name: string; level: number }, title = 'VPN en panne'): Promise<TicketView> {
    this.people.set(requester.id, requester);
    const { ticket } = await this.base.create({ type: 'incident', title, description: title, category: 'vpn', impact: 2, urgency: 2, requesterId: requester.id, createdBy: { id: requester.id, kind: 'user' } });
    ticket.requester = requester;
    ticket.group = group;
    return ticket;
  }

  private get(number: number): TicketView {
    const found = this.tickets.find((t) => t.number === number);
    if (!found) throw new GuichetError('ticketing.not-found', `ticketing: no ticket #${number}`);
    return found;
  }

  private record(verb: string, number: number, actor: Viewer, text?: string): TicketView {
    this.done.push({ verb, number, by: actor.id, ...(text === undefined ? {} : { text }) });
    const ticket = this.get(number);
    ticket.updatedAt = new Date().toISOString();
    return ticket;
  }

  async view(number: number, viewer: Viewer): Promise<TicketView | undefined> {
    const ticket = this.tickets.find((t) => t.number === number);
    return ticket && (viewer.role !== 'employee' || ticket.requester.id === viewer.id) ? ticket : undefined;
  }

  async timeline(number: number): Promise<TicketEventView[]> {
    return this.events.get(number) ?? [];
  }

  async addInfo(number: number, viewer: Viewer, text: string): Promise<TicketView> {
    const at = new Date().toISOString();
    this.events.set(number, [...(this.events.get(number) ?? []), { kind: 'info', actorKind: 'user', actorName: viewer.id, visibility: 'public', text, at }]);
    return this.record('addInfo', number, viewer, text);
  }

  async queueFor(): Promise<TicketView[]> {
    return this.tickets.filter((t) => t.status !== 'closed' && t.status !== 'cancelled');
  }

  create = (input: NewTicket) => this.base.create(input);
  contact = (userId: string) => this.base.contact(userId);
  openMajorIncident = (serviceId: string) => this.base.openMajorIncident(serviceId);
  openMajorIncidents = () => this.base.openMajorIncidents();
  listForRequester = unused('listForRequester');
  escalateByRequester = unused('escalateByRequester');
  awaitingConfirmation = unused('awaitingConfirmation');
  confirmResolution = unused('confirmResolution');
  rate = unused('rate');

  async take(number: number, agent: Viewer): Promise<{ ticket: TicketView; taken: boolean; owner: PersonRef | null }> {
    const ticket = this.get(number);
    if (ticket.assignee && ticket.assignee.id !== agent.id) return { ticket, taken: false, owner: ticket.assignee };
    ticket.assignee = this.people.get(agent.id) ?? { id: agent.id, displayName: agent.id };
    ticket.status = 'assigned';
    return { ticket: this.record('take', number, agent), taken: true, owner: ticket.assignee };
  }

  async reply(number: number, actor: Viewer, text: string): Promise<TicketView> {
    return this.record('reply', number, actor, text);
  }

  async addNote(number: number, actor: Viewer, text: string): Promise<TicketView> {
    return this.record('note', number, actor, text);
  }

  async resolve(number: number, actor: Viewer, resolution: string): Promise<TicketView> {
    this.get(number).status = 'resolved';
    return this.record('resolve', number, actor, resolution);
  }

  async setStatus(number: number, actor: Viewer, to: TicketStatus, note?: string): Promise<TicketView> {
    this.get(number).status = to;
    return this.record(`status:${to}`, number, actor, note);
  }

  async assign(number: number, actor: Viewer, assigneeId: string): Promise<TicketView> {
    this.get(number).assignee = this.people.get(assigneeId) ?? { id: assigneeId, displayName: assigneeId };
    return this.record('assign', number, actor, assigneeId);
  }

  async escalateLevel(number: number, actor: Viewer, level: 2 | 3): Promise<TicketView> {
    return this.record(`escalate:${level}`, number, actor);
  }

  async setPriority(number: number, actor: Viewer, impact: Level, urgency: Level): Promise<TicketView> {
    return this.record(`priority:${impact}${urgency}`, number, actor);
  }

  async createByAgent(): Promise<never> {
    throw new GuichetError('ticketing.unsupported', 'fake desk: createByAgent is not used by these tests');
  }

  async userByEmail(email: string | undefined): Promise<string | undefined> {
    return [...this.people.values()].find((p) => p.email === email)?.id;
  }

  async attachedFiles(): Promise<InboundFile[]> {
    return [];
  }

  async recordAction(actor: Viewer, action: string, number: number): Promise<void> {
    this.done.push({ verb: action, number, by: actor.id });
  }
}
