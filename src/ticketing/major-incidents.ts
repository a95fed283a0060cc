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
import type { Lang, Localized } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { Clock } from '../core/ports.ts';
import type { MajorIncidentView, Viewer } from '../core/tickets.ts';
import { say } from '../texts/index.ts';
import type { DeskConfig } from './config.ts';
import type { DeskInternals } from './desk/internals.ts';
import type { IncidentRecord, IncidentStore } from './ports.ts';

export type Audience = 'affected' | 'everyone';

export interface MajorIncidentDeps {
  store: IncidentStore;
  clock: Clock;
  /** The desk's internal API (tickets, notifications). */
  desk: DeskInternals;
  /** Resolves a linked ticket as the agent who resolved the incident. */
  resolveTicket(number: number, actor: Viewer, resolution: string): Promise<unknown>;
  config: Pick<DeskConfig, 'majorIncidentSuggestion' | 'serviceDeskLead' | 'services'>;
  onError?: (err: unknown, context: string) => void;
}

export class MajorIncidents {
  constructor(private readonly deps: MajorIncidentDeps) {}

  private get tickets() {
    return this.deps.desk.repository;
  }

  /** Declares an outage; open tickets on the service are linked; the affected (or everyone) are told. */
  async declare(actor: Viewer, input: { serviceId: string; title: Localized; impact: 'high' | 'medium' | 'low'; audience?: Audience }): Promise<MajorIncidentView> {
    staffOnly(actor);
    const title = { fr: input.title.fr.trim(), en: input.title.en.trim() };
    if (!title.fr || !title.en || title.fr.length > 200 || title.en.length > 200) throw new GuichetError('ticketing.invalid', 'major incident: "title" must have 1 to 200 characters in each language');
    const service = await this.tickets.service(input.serviceId);
    if (!service) throw new GuichetError('ticketing.invalid', `major incident: "serviceId" names no service (${input.serviceId})`);
    const now = this.deps.clock.now();
    const created = await this.deps.store.declare(
      { serviceId: service.id, title, impact: input.impact, declaredById: actor.id, at: now },
      { actorId: actor.id, actorKind: actor.role, action: 'major-incident.declare', after: { ...input, title }, at: now },
    );
    for (const number of await this.tickets.unlinkedOpenOn(service.id)) await this.link(number, created.number);
    const view = await this.view(created.number);
    const audience = input.audience === 'everyone' ? await this.tickets.reachable() : await this.affected(created.id);
    for (const userId of audience) {
      await this.deps.desk.notifyUser(userId, (lang) => [
        { type: 'text', text: say(lang, 'incidents.broadcastDeclared', { title: view.title[lang] }) },
        this.card(view, lang),
      ]);
    }
    return view;
  }

  /** A status update, told to the requesters of linked tickets. */
  async update(actor: Viewer, number: number, text: Localized): Promise<MajorIncidentView> {
    staffOnly(actor);
    const row = await this.open(number);
    await this.deps.store.addUpdate(row.id, text, actor.id, this.deps.clock.now());
    const view = await this.view(number);
    for (const userId of await this.affected(row.id)) {
      await this.deps.desk.notifyUser(userId, (lang) => [{ type: 'text', text: say(lang, 'incidents.broadcastUpdated', { number, text: text[lang] }) }, this.card(view, lang)]);
    }
    return view;
  }

  /** Ends the outage: linked open tickets are resolved with its resolution (their requesters confirm as usual). */
  async resolve(actor: Viewer, number: number, resolution: Localized): Promise<MajorIncidentView> {
    staffOnly(actor);
    const row = await this.open(number);
    await this.deps.store.resolve(row, resolution, actor, this.deps.clock.now());
    const view = await this.view(number);
    const affected = await this.affected(row.id);
    for (const t of await this.tickets.linkedTo(row.id, { openOnly: true })) {
      try {
        await this.deps.resolveTicket(t.number, actor, `${resolution.fr} / ${resolution.en}`);
      } catch (err) {
        this.deps.onError?.(err, `resolving #${t.number} with major incident #${number}`);
      }
    }
    for (const userId of affected) {
      await this.deps.desk.notifyUser(userId, (lang) => [{ type: 'text', text: say(lang, 'incidents.broadcastResolved', { number, text: resolution[lang] }) }, this.card(view, lang)]);
    }
    return view;
  }

  /** Links a report to an open major incident (its requester will hear of the resolution). */
  async link(ticketNumber: number, incidentNumber: number): Promise<void> {
    const incident = await this.deps.store.find(incidentNumber);
    if (!incident || incident.status !== 'open') throw new GuichetError('ticketing.invalid', `major incident #${incidentNumber} is not open`);
    const now = this.deps.clock.now();
    await this.tickets.transaction(async (tx) => {
      await tx.update(ticketNumber, { majorIncidentId: incident.id });
      await tx.appendEvent(ticketNumber, { kind: 'linked', actorId: null, actorKind: 'bot', data: { incident: incidentNumber }, dedupeKey: `linked:major-incident:${incidentNumber}`, at: now });
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
    if (await this.deps.store.openOn(serviceId)) return false;
    const count = await this.tickets.countRecentReports(serviceId, since);
    if (count < threshold) return false;
    if (!(await this.deps.store.recordSuggestion(serviceId, since, { count, windowMinutes }, now))) return false;
    const service = this.deps.config.services.find((s) => s.id === serviceId);
    const group = await this.tickets.service(serviceId);
    const recipients = new Set([await this.deps.desk.userByEmail(this.deps.config.serviceDeskLead), await this.deps.desk.groupManager(group?.groupId)].filter((x): x is string => Boolean(x)));
    for (const to of recipients) {
      await this.deps.desk.notifyUser(to, (lang) => [{ type: 'text', text: say(lang, 'incidents.suggestion', { count, service: service?.name[lang] ?? serviceId, minutes: windowMinutes, serviceId }) }]);
    }
    return true;
  }

  /** The incident's card, with the configured time zone. */
  card(incident: MajorIncidentView, lang: Lang): OutboundMessage {
    return { type: 'incident', incident, lang, ...this.deps.desk.zone() };
  }

  async view(number: number): Promise<MajorIncidentView> {
    const view = await this.deps.store.view(number);
    if (!view) throw new GuichetError('ticketing.not-found', `no major incident #${number}`);
    return view;
  }

  async list(options: { status?: 'open' | 'resolved' } = {}): Promise<MajorIncidentView[]> {
    return this.deps.store.list(options.status);
  }

  private async open(number: number): Promise<IncidentRecord> {
    const row = await this.deps.store.find(number);
    if (!row) throw new GuichetError('ticketing.not-found', `no major incident #${number}`);
    if (row.status !== 'open') throw new GuichetError('ticketing.illegal-transition', `major incident #${number} is already resolved`, { user: { key: 'incidents.refusedAlreadyResolved', vars: { number } } });
    return row;
  }

  /** Requesters of the tickets linked to the incident, each once. */
  private async affected(incidentId: string): Promise<string[]> {
    return [...new Set((await this.tickets.linkedTo(incidentId, { openOnly: false })).map((t) => t.requesterId))];
  }
}

function staffOnly(actor: Viewer): void {
  if (actor.role === 'employee') throw new GuichetError('ticketing.forbidden', 'only service desk agents and admins manage major incidents');
}
