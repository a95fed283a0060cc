/**
 * An `IncidentStore` in memory, beside memory-repository.ts, for tests of major incidents and of
 * the desk without a database. When not to use it: anything that must prove storage behaviour
 * (numbering across processes, transactions) — use src/persistence/stores/incidents.ts.
 */
import type { Localized } from '../core/lang.ts';
import type { MajorIncidentView } from '../core/tickets.ts';
import { servicesNamed } from './incident-views.ts';
import type { ActiveConversation, AuditEntry, FollowReason, IncidentRecord, IncidentScopeRecord, IncidentStore } from './ports.ts';

interface StoredIncident extends IncidentRecord {
  title: Localized;
  impact: MajorIncidentView['impact'];
  startedAt: Date;
  resolvedAt: Date | null;
  scope?: IncidentScopeRecord;
  updates: { text: Localized; at: Date }[];
  followers: Map<string, FollowReason>;
}

export class MemoryIncidentStore implements IncidentStore {
  private readonly incidents: StoredIncident[] = [];
  readonly auditLog: AuditEntry[] = [];
  /** Conversations the tests say are active (userId, guide in progress, last activity). */
  readonly conversations: ActiveConversation[] = [];
  private counter = 0;

  /** Number and title of an incident by id (for the memory ticket repository's views). */
  titleOf = (id: string): { number: number; title: Localized } | undefined => {
    const found = this.incidents.find((i) => i.id === id);
    return found ? { number: found.number, title: found.title } : undefined;
  };

  async declare(
    input: { serviceId: string; title: Localized; impact: MajorIncidentView['impact']; declaredById: string | null; scope?: IncidentScopeRecord; at: Date },
    audit: Omit<AuditEntry, 'entityId' | 'entity'>,
  ): Promise<IncidentRecord> {
    this.counter += 1;
    const stored: StoredIncident = {
      id: `mi-${this.counter}`, number: this.counter, serviceId: input.serviceId, status: 'open', title: input.title, impact: input.impact,
      startedAt: input.at, resolvedAt: null, updates: [], followers: new Map(), ...(input.scope ? { scope: input.scope } : {}),
    };
    this.incidents.push(stored);
    this.auditLog.push({ ...audit, entity: 'major-incident', entityId: String(stored.number) });
    return this.record(stored);
  }

  private record(i: StoredIncident): IncidentRecord {
    return { id: i.id, number: i.number, serviceId: i.serviceId, status: i.status };
  }

  private toView(i: StoredIncident): MajorIncidentView {
    return {
      number: i.number,
      serviceId: i.serviceId,
      title: i.title,
      impact: i.impact,
      status: i.status,
      startedAt: i.startedAt.toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      updates: [...i.updates].reverse().slice(0, 5).map((u) => ({ text: u.text, at: u.at.toISOString() })),
      ...(i.scope ? { scope: i.scope } : {}),
    };
  }

  async find(number: number): Promise<IncidentRecord | undefined> {
    const found = this.incidents.find((i) => i.number === number);
    return found ? this.record(found) : undefined;
  }

  async view(number: number): Promise<MajorIncidentView | undefined> {
    const found = this.incidents.find((i) => i.number === number);
    return found ? this.toView(found) : undefined;
  }

  async list(status?: 'open' | 'resolved'): Promise<MajorIncidentView[]> {
    return this.incidents.filter((i) => !status || i.status === status).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()).slice(0, 50).map((i) => this.toView(i));
  }

  async openOn(serviceId: string): Promise<MajorIncidentView | undefined> {
    return (await this.list('open')).find((i) => servicesNamed(i).includes(serviceId));
  }

  async addUpdate(incidentId: string, text: Localized, _authorId: string | null, at: Date): Promise<void> {
    this.incidents.find((i) => i.id === incidentId)?.updates.push({ text, at });
  }

  async resolve(incident: IncidentRecord, resolution: Localized, actor: { id: string | null; role: string }, at: Date): Promise<void> {
    const found = this.incidents.find((i) => i.id === incident.id);
    if (!found) return;
    Object.assign(found, { status: 'resolved', resolvedAt: at });
    found.updates.push({ text: resolution, at });
    this.auditLog.push({ actorId: actor.id, actorKind: actor.role, action: 'major-incident.resolve', entity: 'major-incident', entityId: String(incident.number), after: resolution, at });
  }

  async recordSuggestion(serviceId: string, since: Date, detail: Record<string, unknown>, at: Date): Promise<boolean> {
    if (this.auditLog.some((a) => a.action === 'major-incident.suggested' && a.entityId === serviceId && a.at >= since)) return false;
    this.auditLog.push({ actorId: null, actorKind: 'system', action: 'major-incident.suggested', entity: 'service', entityId: serviceId, after: detail, at });
    return true;
  }

  async follow(incidentId: string, userId: string, reason: FollowReason): Promise<boolean> {
    const found = this.incidents.find((i) => i.id === incidentId);
    if (!found || found.followers.has(userId)) return false;
    found.followers.set(userId, reason);
    return true;
  }

  async unfollow(incidentId: string, userId: string): Promise<void> {
    this.incidents.find((i) => i.id === incidentId)?.followers.delete(userId);
  }

  async followers(incidentId: string): Promise<{ userId: string; reason: FollowReason }[]> {
    return [...(this.incidents.find((i) => i.id === incidentId)?.followers ?? [])].map(([userId, reason]) => ({ userId, reason }));
  }

  async followedBy(userId: string): Promise<number[]> {
    return this.incidents.filter((i) => i.followers.has(userId)).map((i) => i.number);
  }

  async activeSince(since: Date): Promise<ActiveConversation[]> {
    return this.conversations.filter((c) => c.lastActivityAt >= since);
  }
}
