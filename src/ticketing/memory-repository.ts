/**
 * A `TicketRepository` in memory, complete enough that the real desk, the SLA clock and major
 * incidents run on it: fast tests of the ticket rules without a database.
 *
 * When not to use it: anything that must prove storage behaviour (SQL uniqueness across
 * processes, PostgreSQL transactions, migrations) — use src/persistence/stores/tickets.ts on a test
 * database. Units of work here are serialized and rolled back by copying the whole state: fine
 * for tests, useless for production volumes. It keeps nothing across restarts.
 */
import type { ContactView, TicketStatus, TicketView } from '../core/tickets.ts';
import type { NewJob } from '../core/jobs.ts';
import { conflict, isConflict } from './ports.ts';
import type {
  AuditEntry,
  DeskDirectory,
  GroupRecord,
  NewTicketEvent,
  NewTicketRecord,
  OpeningWrites,
  Person,
  SlaClaim,
  SlaCursor,
  TicketChanges,
  TicketEvent,
  TicketRecord,
  TicketRepository,
  TicketUnit,
} from './ports.ts';
import { OPEN_STATUSES } from './status.ts';
import { toTicketView } from './views.ts';
import { GuichetError } from '../core/errors.ts';

/** A stored ticket: the record plus what only views and reports read. */
export type StoredTicket = TicketRecord &
  Omit<NewTicketRecord, keyof TicketRecord | 'slaPolicyId'> &
  Omit<TicketChanges, 'resolution'> & { description: string; category: string; resolution: string | null; updatedAt: Date };

interface StoredEvent extends TicketEvent {
  number: number;
  dedupeKey: string | null;
}

interface State {
  counter: number;
  tickets: StoredTicket[];
  events: StoredEvent[];
  audits: AuditEntry[];
  jobs: NewJob[];
}

interface Asset extends Omit<ContactView['assets'][number], never> {
  ownerId: string | undefined;
  serviceIds: string[];
}

export interface MemoryRepositoryOptions {
  /** Clock for `updatedAt`. */
  now?: () => Date;
  /** People not added are taken as employees named by their id (for conversation tests whose people live elsewhere). */
  anyoneIsKnown?: boolean;
  /** Titles of major incidents, for ticket views (the memory incident store gives them). */
  incidentOf?: (id: string) => { number: number; title: unknown } | undefined;
}

export class MemoryTicketRepository implements TicketRepository {
  private state: State = { counter: 1000, tickets: [], events: [], audits: [], jobs: [] };
  private readonly people = new Map<string, Person>();
  private readonly groups = new Map<string, GroupRecord & { members: { userId: string; available: boolean }[] }>();
  private readonly services = new Map<string, { id: string; groupId: string | null; criticality: string | null }>();
  private readonly assets: Asset[] = [];
  /** People with a personal conversation. */
  readonly reachablePeople = new Set<string>();
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MemoryRepositoryOptions = {}) {}

  // ——— Seeding (tests) ———

  addPerson(person: Partial<Person> & { id: string; displayName: string }): Person {
    const full: Person = { email: null, department: null, jobTitle: null, vip: false, locale: null, managerId: null, role: 'employee', groupIds: [], ...person };
    this.people.set(full.id, full);
    return full;
  }

  addGroup(group: Partial<GroupRecord> & { id: string; level: number }, members: { userId: string; available?: boolean }[] = []): void {
    this.groups.set(group.id, { name: group.id, managerId: null, escalatesToId: null, ...group, members: members.map((m) => ({ userId: m.userId, available: m.available ?? true })) });
    for (const m of members) this.people.get(m.userId)?.groupIds.push(group.id);
  }

  addService(service: { id: string; groupId?: string | null; criticality?: string | null }): void {
    this.services.set(service.id, { groupId: null, criticality: null, ...service });
  }

  /** A configuration item; without an owner, it is everyone's (people with random ids in conversation tests). */
  addAsset(ownerId: string | undefined, asset: ContactView['assets'][number], serviceIds: string[] = []): void {
    this.assets.push({ ...asset, ownerId, serviceIds });
  }

  /** The stored tickets, by number (read-only use in tests). */
  get tickets(): readonly StoredTicket[] {
    return this.state.tickets;
  }

  get auditLog(): readonly AuditEntry[] {
    return this.state.audits;
  }

  // ——— Units of work ———

  async transaction<T>(work: (tx: TicketUnit) => Promise<T>): Promise<T> {
    const run = this.lock.then(async () => {
      const before = structuredClone(this.state);
      try {
        return await work(this);
      } catch (err) {
        this.state = before;
        throw err;
      }
    });
    this.lock = run.catch(() => undefined);
    return run;
  }

  async open(ticket: NewTicketRecord & Pick<TicketRecord, 'nextSlaAt'>, writes: (number: number) => OpeningWrites): Promise<number | undefined> {
    try {
      return await this.transaction(async () => {
        const { nextSlaAt, ...fields } = ticket;
        const number = await this.insert(fields);
        this.stored(number)!.nextSlaAt = nextSlaAt;
        const { events, audit, jobs } = writes(number);
        for (const event of events) await this.appendEvent(number, event);
        if (audit) await this.audit(audit);
        if (jobs.length > 0) await this.enqueue(jobs);
        return number;
      });
    } catch (err) {
      if (isConflict(err)) return undefined;
      throw err;
    }
  }

  // ——— Tickets ———

  private stored(number: number): StoredTicket | undefined {
    return this.state.tickets.find((t) => t.number === number);
  }

  async find(number: number): Promise<TicketRecord | undefined> {
    const t = this.stored(number);
    return t ? structuredClone(t) : undefined;
  }

  async view(number: number): Promise<TicketView | undefined> {
    const t = this.stored(number);
    return t ? this.toView(t) : undefined;
  }

  private toView(t: StoredTicket): TicketView {
    const ref = (id: string | null) => (id ? { id, displayName: this.person_(id)?.displayName ?? id } : null);
    const group = t.groupId ? this.groups.get(t.groupId) : undefined;
    const incident = t.majorIncidentId ? this.options.incidentOf?.(t.majorIncidentId) : undefined;
    return toTicketView({
      ...t,
      resolution: t.resolution ?? null,
      requester: ref(t.requesterId)!,
      assignee: ref(t.assigneeId),
      group: group ? { id: group.id, name: group.name, level: group.level } : null,
      majorIncident: incident ?? null,
    });
  }

  async numberByOrigin(origin: string): Promise<number | undefined> {
    return this.state.tickets.find((t) => t.originKey === origin)?.number;
  }

  async insert(t: NewTicketRecord): Promise<number> {
    if (t.originKey && this.state.tickets.some((o) => o.originKey === t.originKey)) throw conflict(`ticket origin "${t.originKey}"`);
    this.state.counter += 1;
    const number = this.state.counter;
    this.state.tickets.push({
      ...structuredClone(t),
      id: `t-${number}`, number, status: 'new', assigneeId: null, firstResponseAt: null, slaPausedAt: null, slaPausedMinutes: 0,
      responseBreached: false, resolutionBreached: false, responseWarnedAt: null, resolutionWarnedAt: null, nextSlaAt: null, majorIncidentId: null, resolvedAt: null, closedAt: null, resolution: null, updatedAt: t.createdAt,
    });
    return number;
  }

  async update(number: number, changes: TicketChanges, guard?: Partial<Pick<TicketRecord, 'status' | 'assigneeId'>>): Promise<boolean> {
    const t = this.stored(number);
    if (!t) throw new GuichetError('ticketing.not-found', `ticketing: memory repository: no ticket #${number}`);
    if (guard && Object.entries(guard).some(([k, v]) => t[k as keyof typeof guard] !== v)) return false;
    Object.assign(t, structuredClone(changes), { updatedAt: this.options.now?.() ?? new Date() });
    return true;
  }

  async appendEvent(number: number, event: NewTicketEvent): Promise<boolean> {
    if (!this.stored(number)) throw new GuichetError('ticketing.not-found', `ticketing: memory repository: no ticket #${number}`);
    const key = event.dedupeKey ?? null;
    if (key && this.state.events.some((e) => e.number === number && e.dedupeKey === key)) return false;
    this.state.events.push({ number, kind: event.kind, actorId: event.actorId, actorKind: event.actorKind, visibility: event.visibility ?? 'public', data: structuredClone(event.data ?? {}), at: event.at, dedupeKey: key });
    return true;
  }

  async appendEvents(events: readonly (NewTicketEvent & { number: number; ticketId: string })[]): Promise<boolean[]> {
    const written: boolean[] = [];
    for (const { number, ticketId: _id, ...event } of events) written.push(await this.appendEvent(number, event));
    return written;
  }

  async updateMany(numbers: readonly number[], changes: TicketChanges): Promise<number> {
    for (const n of numbers) await this.update(n, changes);
    return numbers.length;
  }

  async claimSlaMoments(claims: readonly SlaClaim[]): Promise<number[]> {
    const claimed: number[] = [];
    for (const { number, was, next } of claims) {
      const t = this.stored(number);
      if (!t || t.nextSlaAt?.getTime() !== was.nextSlaAt?.getTime() || t.status !== was.status || t.priority !== was.priority) continue;
      await this.update(number, { nextSlaAt: next });
      claimed.push(number);
    }
    return claimed;
  }

  async enqueue(jobs: readonly NewJob[]): Promise<number> {
    const fresh = jobs.filter((j) => !this.state.jobs.some((k) => k.key === j.key));
    this.state.jobs.push(...structuredClone(fresh));
    return fresh.length;
  }

  /** Jobs written in the outbox (read-only use in tests). */
  get jobs(): readonly NewJob[] {
    return this.state.jobs;
  }

  async events(number: number, filter: { publicOnly?: boolean; kinds?: readonly string[] } = {}): Promise<TicketEvent[]> {
    return this.state.events
      .filter((e) => e.number === number && (!filter.publicOnly || e.visibility === 'public') && (!filter.kinds || filter.kinds.includes(e.kind)))
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map(({ number: _n, dedupeKey: _k, ...e }) => structuredClone(e));
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.state.audits.push(structuredClone(entry));
  }

  private views(tickets: StoredTicket[]): TicketView[] {
    return tickets.map((t) => this.toView(t));
  }

  async ofRequester(requesterId: string, options: { statuses?: readonly TicketStatus[]; limit: number }): Promise<TicketView[]> {
    const mine = this.state.tickets.filter((t) => t.requesterId === requesterId && (!options.statuses || options.statuses.includes(t.status)));
    return this.views(mine.sort((a, b) => b.number - a.number).slice(0, options.limit));
  }

  async awaitingConfirmation(requesterId: string): Promise<TicketView[]> {
    const resolved = this.state.tickets.filter((t) => t.requesterId === requesterId && t.status === 'resolved');
    return this.views(resolved.sort((a, b) => (b.resolvedAt?.getTime() ?? 0) - (a.resolvedAt?.getTime() ?? 0)));
  }

  async queue(groupIds: readonly string[] | undefined, assigneeId: string): Promise<TicketView[]> {
    const open = this.state.tickets.filter((t) => OPEN_STATUSES.includes(t.status) && (!groupIds || (t.groupId !== null && groupIds.includes(t.groupId)) || t.assigneeId === assigneeId));
    return this.views(open.slice(0, 200));
  }

  async watched(): Promise<TicketRecord[]> {
    const watched = this.state.tickets.filter((t) => OPEN_STATUSES.includes(t.status) && (!t.resolutionBreached || (!t.responseBreached && !t.firstResponseAt)));
    return structuredClone(watched.sort((a, b) => a.number - b.number));
  }

  async slaDue(now: Date, limit: number, cursor?: SlaCursor): Promise<TicketRecord[]> {
    const key = (t: { nextSlaAt: Date | null; number: number }) => [t.nextSlaAt!.getTime(), t.number] as const;
    const after = (t: StoredTicket) => !cursor || key(t)[0] > cursor.at.getTime() || (key(t)[0] === cursor.at.getTime() && t.number > cursor.number);
    const due = this.state.tickets.filter((t) => t.nextSlaAt && t.nextSlaAt <= now && after(t));
    due.sort((a, b) => key(a)[0] - key(b)[0] || a.number - b.number);
    return structuredClone(due.slice(0, limit));
  }

  async slaTracked(afterNumber: number, limit: number): Promise<TicketRecord[]> {
    const tracked = this.state.tickets.filter((t) => t.number > afterNumber && (OPEN_STATUSES.includes(t.status) || t.status === 'resolved'));
    return structuredClone(tracked.sort((a, b) => a.number - b.number).slice(0, limit));
  }

  async resolved(): Promise<TicketRecord[]> {
    return structuredClone(this.state.tickets.filter((t) => t.status === 'resolved' && t.resolvedAt));
  }

  async unlinkedOpenOn(serviceId: string): Promise<number[]> {
    return this.state.tickets.filter((t) => t.serviceId === serviceId && OPEN_STATUSES.includes(t.status) && !t.majorIncidentId).map((t) => t.number);
  }

  async countRecentReports(serviceId: string, since: Date): Promise<number> {
    return this.state.tickets.filter((t) => t.serviceId === serviceId && t.type === 'incident' && t.createdAt >= since && !t.majorIncidentId).length;
  }

  async linkedTo(incidentId: string, options: { openOnly: boolean; requesterId?: string }): Promise<{ number: number; requesterId: string }[]> {
    return this.state.tickets
      .filter((t) => t.majorIncidentId === incidentId && (!options.openOnly || OPEN_STATUSES.includes(t.status)) && (!options.requesterId || t.requesterId === options.requesterId))
      .sort((a, b) => a.number - b.number)
      .map((t) => ({ number: t.number, requesterId: t.requesterId }));
  }

  // ——— Directory ———

  private person_(id: string): Person | undefined {
    return this.people.get(id) ?? (this.options.anyoneIsKnown ? this.addPerson({ id, displayName: id }) : undefined);
  }

  async person(id: string): Promise<Person | undefined> {
    const found = this.person_(id);
    return found ? structuredClone(found) : undefined;
  }

  async personByEmail(email: string): Promise<string | undefined> {
    return [...this.people.values()].find((p) => p.email === email)?.id;
  }

  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    return new Map(ids.flatMap((id) => (this.people.has(id) ? [[id, this.people.get(id)!.displayName] as const] : [])));
  }

  async group(id: string): Promise<GroupRecord | undefined> {
    const g = this.groups.get(id);
    return g ? { id: g.id, name: g.name, level: g.level, managerId: g.managerId, escalatesToId: g.escalatesToId } : undefined;
  }

  async groupAtLevel(level: number): Promise<GroupRecord | undefined> {
    const [first] = [...this.groups.keys()].filter((id) => this.groups.get(id)!.level === level).sort();
    return first ? this.group(first) : undefined;
  }

  async availableMembers(groupId: string): Promise<string[]> {
    return (this.groups.get(groupId)?.members ?? []).filter((m) => m.available).map((m) => m.userId).sort();
  }

  async service(id: string): ReturnType<DeskDirectory['service']> {
    return this.services.get(id);
  }

  async assetsOf(userId: string): ReturnType<DeskDirectory['assetsOf']> {
    return this.assets
      .filter((a) => (a.ownerId === undefined || a.ownerId === userId) && a.status !== 'retired')
      .sort((a, b) => a.tag.localeCompare(b.tag))
      .map(({ ownerId: _o, ...a }) => a);
  }

  async reachable(): Promise<string[]> {
    return [...this.reachablePeople];
  }
}
