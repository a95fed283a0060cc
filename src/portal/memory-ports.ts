/**
 * The portal's ports in memory (people, change stamps, the desk overview), for tests of the
 * portal's routers without a database and for demos. Not for a running portal: people and
 * identities vanish on restart, and nothing here sees the desk's tickets — the stamp moves only
 * when `touch` is called, and the overview shows only the rows it was given. Use
 * src/persistence/stores/{sessions,portal}.ts there.
 */
import { isOpenStatus } from '../core/tickets.ts';
import type { CalendarRow, DeskOverview, GroupRow, IssuerIdentity, PolicyRow, PortalActivity, PortalPeople, PortalPerson, PortalRole, PortalSessionStore, QueueRow, StoredSession } from './ports.ts';

export class MemoryPortalPeople implements PortalPeople {
  readonly people = new Map<string, PortalPerson & { email?: string }>();
  /** "tenant|externalId" → user id: the portal chat's and issuers' identities. */
  readonly identities = new Map<string, string>();
  private next = 1;

  add(person: PortalPerson & { email?: string }): void {
    this.people.set(person.id, person);
  }

  async person(id: string): Promise<PortalPerson | undefined> {
    const found = this.people.get(id);
    return found ? { id: found.id, displayName: found.displayName, role: found.role, locale: found.locale } : undefined;
  }

  async idByEmail(email: string): Promise<string | undefined> {
    return [...this.people.values()].find((p) => p.email === email)?.id;
  }

  async linkPortalChat(userId: string): Promise<void> {
    this.identities.set(`portal|${userId}`, userId);
  }

  async findOrCreateByIssuer(who: IssuerIdentity): Promise<PortalPerson> {
    const key = `${who.issuer}|${who.subject}`;
    let id = this.identities.get(key) ?? (who.email ? await this.idByEmail(who.email) : undefined);
    if (!id) {
      id = `user-${this.next++}`;
      this.add({ id, displayName: who.name ?? who.email ?? who.subject, role: 'employee', locale: who.locale ?? null, ...(who.email ? { email: who.email } : {}) });
    }
    this.identities.set(key, id);
    return (await this.person(id))!;
  }

  async setRole(userId: string, role: PortalRole): Promise<void> {
    const found = this.people.get(userId);
    if (found) found.role = role;
  }
}

export class MemoryPortalActivity implements PortalActivity {
  private readonly stamps = new Map<string, number>();
  private incidents = 0;

  /** Something changed for `requesterId`'s tickets, or (without one) for the major incidents. */
  touch(requesterId?: string): void {
    if (requesterId) this.stamps.set(requesterId, (this.stamps.get(requesterId) ?? 0) + 1);
    else this.incidents += 1;
  }

  async changeStamp(requesterId: string): Promise<string> {
    return `${this.stamps.get(requesterId) ?? 0}|${this.incidents}`;
  }
}

export class MemoryDeskOverview implements DeskOverview {
  constructor(private readonly rows: { tickets?: (QueueRow & { groupId?: string })[]; groups?: GroupRow[]; policies?: PolicyRow[]; calendars?: CalendarRow[] } = {}) {}

  async openTickets(groupId?: string): Promise<QueueRow[]> {
    const open = (this.rows.tickets ?? []).filter((t) => isOpenStatus(t.status) && (!groupId || t.groupId === groupId));
    return open.sort((a, b) => a.priority - b.priority || (a.resolutionDueAt?.getTime() ?? Infinity) - (b.resolutionDueAt?.getTime() ?? Infinity)).slice(0, 200);
  }
  async groups(): Promise<GroupRow[]> {
    return [...(this.rows.groups ?? [])].sort((a, b) => a.level - b.level);
  }
  async policies(): Promise<PolicyRow[]> {
    return this.rows.policies ?? [];
  }
  async calendars(): Promise<CalendarRow[]> {
    return this.rows.calendars ?? [];
  }
}

/** Portal sessions in memory (tests of the portal's routers; sessions vanish on restart). */
export class MemoryPortalSessions implements PortalSessionStore {
  readonly sessions = new Map<string, StoredSession>();

  async create(session: { id: string; userId: string; at: Date; expiresAt: Date }): Promise<void> {
    this.sessions.set(session.id, { id: session.id, userId: session.userId, createdAt: session.at, lastSeenAt: session.at, expiresAt: session.expiresAt, revokedAt: null });
  }

  async find(id: string): Promise<StoredSession | undefined> {
    const found = this.sessions.get(id);
    return found ? { ...found } : undefined;
  }

  async touch(id: string, at: Date): Promise<void> {
    const found = this.sessions.get(id);
    if (found && !found.revokedAt) found.lastSeenAt = at;
  }

  async revoke(id: string, at: Date): Promise<void> {
    const found = this.sessions.get(id);
    if (found && !found.revokedAt) found.revokedAt = at;
  }
}
