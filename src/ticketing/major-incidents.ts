/**
 * Major incidents: an outage of a service, declared by an agent or admin,
 * with updates and a resolution broadcast to the people affected (requesters
 * of the linked tickets, or everyone who talks to Guichet). New reports on the
 * service are linked to it instead of becoming duplicates; resolving it
 * resolves the linked tickets (their requesters then confirm as usual).
 * Guichet suggests one to the service desk when several reports about one
 * service arrive within a configurable window.
 */
import { GuichetError } from '../core/errors.ts';
import { localize, type Lang, type Localized } from '../core/lang.ts';
import type { Clock } from '../core/ports.ts';
import type { MajorIncidentView, Viewer } from '../core/tickets.ts';
import type { Database } from '../persistence/database.ts';
import { toJson } from '../persistence/stores/json.ts';
import type { DeskConfig } from './config.ts';
import type { PrismaTicketDesk } from './desk.ts';
import { INCIDENT_INCLUDE, toIncidentView } from './incident-views.ts';
import { OPEN_STATUSES } from './status.ts';

export type Audience = 'affected' | 'everyone';

const TEXTS = {
  declared: { fr: '⚠️ Incident majeur en cours : {title}. Inutile d’ouvrir un ticket, je vous préviendrai de son évolution.', en: '⚠️ Major incident in progress: {title}. No need to open a ticket; I’ll keep you posted.' },
  updated: { fr: 'Incident majeur #{number} : {text}', en: 'Major incident #{number}: {text}' },
  resolved: { fr: '✅ Incident majeur #{number} résolu : {text}', en: '✅ Major incident #{number} resolved: {text}' },
  suggestion: {
    fr: '📈 {count} signalements sur « {service} » en {minutes} min : faut-il déclarer un incident majeur ? (« incident majeur {serviceId} : titre »)',
    en: '📈 {count} reports about “{service}” within {minutes} min: declare a major incident? (“major incident {serviceId}: title”)',
  },
} satisfies Record<string, Localized>;

const say = (lang: Lang, key: keyof typeof TEXTS, vars: Record<string, string | number>): string => localize(TEXTS, lang, key, vars);

export interface MajorIncidentDeps {
  db: Database;
  clock: Clock;
  desk: PrismaTicketDesk;
  config: Pick<DeskConfig, 'majorIncidentSuggestion' | 'serviceDeskLead' | 'services'>;
  onError?: (err: unknown, context: string) => void;
}

export class MajorIncidents {
  constructor(private readonly deps: MajorIncidentDeps) {}

  private get db() {
    return this.deps.db.client;
  }

  /** Declares an outage; open tickets on the service are linked; the affected (or everyone) are told. */
  async declare(actor: Viewer, input: { serviceId: string; title: Localized; impact: 'high' | 'medium' | 'low'; audience?: Audience }): Promise<MajorIncidentView> {
    staffOnly(actor);
    const title = { fr: input.title.fr.trim(), en: input.title.en.trim() };
    if (!title.fr || !title.en || title.fr.length > 200 || title.en.length > 200) throw new GuichetError('tickets.invalid', 'major incident: "title" must have 1 to 200 characters in each language');
    const service = await this.db.service.findUnique({ where: { id: input.serviceId }, select: { id: true } });
    if (!service) throw new GuichetError('tickets.invalid', `major incident: "serviceId" names no service (${input.serviceId})`);
    const now = this.deps.clock.now();
    const created = await this.db.$transaction(async (tx) => {
      const counter = await tx.counter.upsert({ where: { name: 'major-incident' }, create: { name: 'major-incident', value: 1 }, update: { value: { increment: 1 } } });
      const row = await tx.majorIncident.create({
        data: { number: counter.value, serviceId: service.id, title: toJson(title), impact: input.impact, declaredById: actor.id, startedAt: now },
      });
      await tx.auditLog.create({ data: { actorId: actor.id, actorKind: actor.role, action: 'major-incident.declare', entity: 'major-incident', entityId: String(row.number), after: toJson({ ...input, title }), at: now } });
      return row;
    });
    const linked = await this.db.ticket.findMany({ where: { serviceId: service.id, status: { in: [...OPEN_STATUSES] }, majorIncidentId: null }, select: { number: true } });
    for (const t of linked) await this.link(t.number, created.number);
    const view = await this.view(created.number);
    const audience = input.audience === 'everyone' ? await this.everyone() : await this.affected(created.id);
    for (const userId of audience) {
      await this.deps.desk.notifyUser(userId, (lang) => [
        { type: 'text', text: say(lang, 'declared', { title: view.title[lang] }) },
        { type: 'incident', incident: view, lang },
      ]);
    }
    return view;
  }

  /** A status update, told to the requesters of linked tickets. */
  async update(actor: Viewer, number: number, text: Localized): Promise<MajorIncidentView> {
    staffOnly(actor);
    const row = await this.open(number);
    const now = this.deps.clock.now();
    await this.db.majorIncidentUpdate.create({ data: { majorIncidentId: row.id, text: toJson(text), authorId: actor.id, createdAt: now } });
    const view = await this.view(number);
    for (const userId of await this.affected(row.id)) {
      await this.deps.desk.notifyUser(userId, (lang) => [{ type: 'text', text: say(lang, 'updated', { number, text: text[lang] }) }, { type: 'incident', incident: view, lang }]);
    }
    return view;
  }

  /** Ends the outage: linked open tickets are resolved with its resolution (their requesters confirm as usual). */
  async resolve(actor: Viewer, number: number, resolution: Localized): Promise<MajorIncidentView> {
    staffOnly(actor);
    const row = await this.open(number);
    const now = this.deps.clock.now();
    await this.db.$transaction(async (tx) => {
      await tx.majorIncident.update({ where: { id: row.id }, data: { status: 'resolved', resolvedAt: now } });
      await tx.majorIncidentUpdate.create({ data: { majorIncidentId: row.id, text: toJson(resolution), authorId: actor.id, createdAt: now } });
      await tx.auditLog.create({ data: { actorId: actor.id, actorKind: actor.role, action: 'major-incident.resolve', entity: 'major-incident', entityId: String(number), after: toJson(resolution), at: now } });
    });
    const view = await this.view(number);
    const affected = await this.affected(row.id);
    const open = await this.db.ticket.findMany({ where: { majorIncidentId: row.id, status: { in: [...OPEN_STATUSES] } }, select: { number: true }, orderBy: { number: 'asc' } });
    for (const t of open) {
      try {
        await this.deps.desk.resolve(t.number, actor, `${resolution.fr} / ${resolution.en}`);
      } catch (err) {
        this.deps.onError?.(err, `resolving #${t.number} with major incident #${number}`);
      }
    }
    for (const userId of affected) {
      await this.deps.desk.notifyUser(userId, (lang) => [{ type: 'text', text: say(lang, 'resolved', { number, text: resolution[lang] }) }, { type: 'incident', incident: view, lang }]);
    }
    return view;
  }

  /** Links a report to an open major incident (its requester will hear of the resolution). */
  async link(ticketNumber: number, incidentNumber: number): Promise<void> {
    const incident = await this.db.majorIncident.findUnique({ where: { number: incidentNumber }, select: { id: true, status: true } });
    if (!incident || incident.status !== 'open') throw new GuichetError('tickets.invalid', `major incident #${incidentNumber} is not open`);
    const now = this.deps.clock.now();
    await this.db.$transaction(async (tx) => {
      await tx.ticket.update({ where: { number: ticketNumber }, data: { majorIncidentId: incident.id } });
      await this.deps.desk.event(tx, ticketNumber, { kind: 'linked', actorId: null, actorKind: 'bot', data: { incident: incidentNumber }, dedupeKey: `linked:major-incident:${incidentNumber}` }, now);
    });
  }

  /**
   * After a new report on `serviceId`: when `threshold` reports arrived within
   * the window and no major incident is open there, the service desk lead and
   * the service's group manager are told — once per window.
   */
  async checkSuggestion(serviceId: string | null): Promise<boolean> {
    if (!serviceId) return false;
    const { windowMinutes, threshold } = this.deps.config.majorIncidentSuggestion;
    const now = this.deps.clock.now();
    const since = new Date(now.getTime() - windowMinutes * 60_000);
    if (await this.db.majorIncident.count({ where: { serviceId, status: 'open' } })) return false;
    const count = await this.db.ticket.count({ where: { serviceId, type: 'incident', createdAt: { gte: since }, majorIncidentId: null } });
    if (count < threshold) return false;
    const already = await this.db.auditLog.count({ where: { action: 'major-incident.suggested', entity: 'service', entityId: serviceId, at: { gte: since } } });
    if (already > 0) return false;
    await this.db.auditLog.create({ data: { actorKind: 'system', action: 'major-incident.suggested', entity: 'service', entityId: serviceId, after: toJson({ count, windowMinutes }), at: now } });
    const service = this.deps.config.services.find((s) => s.id === serviceId);
    const group = await this.db.service.findUnique({ where: { id: serviceId }, select: { groupId: true } });
    const recipients = new Set([await this.deps.desk.userByEmail(this.deps.config.serviceDeskLead), await this.deps.desk.groupManager(group?.groupId ?? undefined)].filter((x): x is string => Boolean(x)));
    for (const to of recipients) {
      await this.deps.desk.notifyUser(to, (lang) => [{ type: 'text', text: say(lang, 'suggestion', { count, service: service?.name[lang] ?? serviceId, minutes: windowMinutes, serviceId }) }]);
    }
    return true;
  }

  async view(number: number): Promise<MajorIncidentView> {
    const row = await this.db.majorIncident.findUnique({ where: { number }, include: INCIDENT_INCLUDE });
    if (!row) throw new GuichetError('tickets.not-found', `no major incident #${number}`);
    return toIncidentView(row);
  }

  async list(options: { status?: 'open' | 'resolved' } = {}): Promise<MajorIncidentView[]> {
    const rows = await this.db.majorIncident.findMany({ where: options.status ? { status: options.status } : {}, orderBy: { startedAt: 'desc' }, take: 50, include: INCIDENT_INCLUDE });
    return rows.map(toIncidentView);
  }

  private async open(number: number) {
    const row = await this.db.majorIncident.findUnique({ where: { number } });
    if (!row) throw new GuichetError('tickets.not-found', `no major incident #${number}`);
    if (row.status !== 'open') throw new GuichetError('tickets.illegal-transition', `major incident #${number} is already resolved`);
    return row;
  }

  /** Requesters of the tickets linked to the incident. */
  private async affected(incidentId: string): Promise<string[]> {
    const rows = await this.db.ticket.findMany({ where: { majorIncidentId: incidentId }, select: { requesterId: true }, distinct: ['requesterId'] });
    return rows.map((r) => r.requesterId);
  }

  /** Everyone who can be reached: people with a personal conversation. */
  private async everyone(): Promise<string[]> {
    const rows = await this.db.conversation.findMany({ where: { kind: 'personal', userId: { not: null } }, select: { userId: true }, distinct: ['userId'] });
    return rows.map((r) => r.userId!).filter(Boolean);
  }
}

function staffOnly(actor: Viewer): void {
  if (actor.role === 'employee') throw new GuichetError('tickets.forbidden', 'only service desk agents and admins manage major incidents');
}
