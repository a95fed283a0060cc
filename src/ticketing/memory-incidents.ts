/**
 * An `IncidentStore` in memory, beside memory-repository.ts, for tests of major incidents and of
 * the desk without a database. When not to use it: anything that must prove storage behaviour
 * (numbering across processes, transactions) — use src/persistence/stores/incidents.ts.
 */
import type { Localized } from '../core/lang.ts';
import type { MajorIncidentView } from '../core/tickets.ts';
import type { AuditEntry, IncidentRecord, IncidentStore } from './ports.ts';

interface StoredIncident extends IncidentRecord {
  title: Localized;
  impact: MajorIncidentView['impact'];
  startedAt: Date;
  resolvedAt: Date | null;
  updates: { text: Localized; at: Date }[];
}

export class MemoryIncidentStore implements IncidentStore {
  private readonly incidents: StoredIncident[] = [];
  readonly auditLog: AuditEntry[] = [];
  private counter = 0;

  /** Number and title of an incident by id (for the memory ticket repository's views). */
  titleOf = (id: string): { number: number; title: Localized } | undefined => {
    const found = this.incidents.find((i) => i.id === id);
    return found ? { number: found.number, title: found.title } : undefined;
  };

  async declare(input: { serviceId: string; title: Localized; impact: MajorIncidentView['impact']; declaredById: string; at: Date }, audit: Omit<AuditEntry, 'entityId' | 'entity'>): Promise<IncidentRecord> {
    this.counter += 1;
    const stored: StoredIncident = { id: `mi-${this.counter}`, number: this.counter, serviceId: input.serviceId, status: 'open', title: input.title, impact: input.impact, startedAt: input.at, resolvedAt: null, updates: [] };
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
    return (await this.list('open')).find((i) => i.serviceId === serviceId);
  }

  async addUpdate(incidentId: string, text: Localized, _authorId: string, at: Date): Promise<void> {
    this.incidents.find((i) => i.id === incidentId)?.updates.push({ text, at });
  }

  async resolve(incident: IncidentRecord, resolution: Localized, actor: { id: string; role: string }, at: Date): Promise<void> {
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
}
