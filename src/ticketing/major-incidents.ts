/**
 * Major incidents: an outage of a service (and of the items and sites it names), declared by an
 * agent, an admin or monitoring. The CMDB gives who is affected (incident-scope.ts): they are told
 * once when it is declared (or only those who talked to the desk lately), people in a guide of an
 * affected service are offered to join it without a ticket, every update reaches its followers, and
 * at the end "it is restored — is it working for you?". Only incident reports of the affected
 * services are linked (similar ones at once, the others confirmed by the agent); resolving it
 * resolves them, and each requester is asked to confirm as for any resolution. Every notice goes
 * through `Notices` (one short message per event, digests, quiet hours), from an outbox job written
 * with the change, which writes one job per person (incident-outbox.ts): a commit tells everyone
 * once, even if this instance dies; a report linked later tells its requester of the declaration once.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceDefinition } from '../catalog/services.ts';
import { GuichetError } from '../core/errors.ts';
import type { Lang, Localized } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { JobQueue } from '../core/jobs.ts';
import type { Clock } from '../core/ports.ts';
import type { MajorIncidentView, Viewer } from '../core/tickets.ts';
import type { DeskConfig } from './config.ts';
import type { DeskInternals } from './desk/internals.ts';
import { DEFAULT_INCIDENT_SETTINGS, type IncidentSettings } from './incident-config.ts';
import { incidentWords, similarity } from './incident-link.ts';
import { affectedBy, type Affected, type IncidentScope } from './incident-scope.ts';
import { servicesNamed } from './incident-views.ts';
import { IncidentMessages } from './incident-messages.ts';
import { incidentNoticeJob } from './incident-outbox.ts';
import type { Notices } from './notices.ts';
import type { IncidentRecord, IncidentStore } from './ports.ts';

export type Audience = 'affected' | 'recent' | 'everyone';

/** Who declares: a person of the desk, or monitoring (no person). */
export type Declarer = Viewer | { id: null; role: 'system' };

export interface DeclareInput {
  serviceId: string;
  title: Localized;
  impact: 'high' | 'medium' | 'low';
  /** Default: the configured audience. */
  audience?: Audience;
  /** Configuration items (tags) and other services it touches, and the only sites it touches. */
  items?: string[];
  services?: string[];
  sites?: string[];
}

export interface Declared extends MajorIncidentView {
  /** People told (each once). */
  reached: number;
  linked: number[];
  /** Reports of the affected services that look different: the agent links them or not. */
  toConfirm: number[];
}

export interface MajorIncidentDeps {
  store: IncidentStore;
  clock: Clock;
  /** The desk's internal API (tickets, notifications). */
  desk: DeskInternals;
  /** Resolves a linked ticket as the agent who resolved the incident (its requester is asked to confirm). */
  resolveTicket(number: number, actor: Viewer, resolution: string): Promise<unknown>;
  config: Pick<DeskConfig, 'majorIncidentSuggestion' | 'serviceDeskLead' | 'services' | 'cmdb'>;
  settings?: IncidentSettings;
  /** Posts to the service desk's agents' channels; false when there is none (the lead is told directly then). */
  postToAgents?(build: (lang: Lang) => OutboundMessage[]): Promise<boolean>;
  /** The outbox: notices are jobs written with their change (without it, unit tests on memory stores, they are sent in process after it). */
  jobs?: JobQueue;
  onError?: (err: unknown, context: string) => void;
}

export class MajorIncidents {
  readonly notices: Notices;
  readonly settings: IncidentSettings;
  /** The service of each guide (flow id → service id), set once the guides are loaded. */
  guideServices = new Map<string, string>();
  /** The CMDB is read once at start-up: who a scope reaches is computed once per scope (bench/incidents.ts). */
  private readonly reach = new Map<string, Affected & { who: Set<string> }>();

  /** The notices, the outbox jobs that carry them and `withTell` (incident-messages.ts). */
  private readonly messages: IncidentMessages;

  constructor(private readonly deps: MajorIncidentDeps) {
    this.settings = deps.settings ?? DEFAULT_INCIDENT_SETTINGS;
    this.messages = new IncidentMessages({ ...deps, settings: this.settings }, (serviceId, lang) => this.serviceName(serviceId, lang));
    this.notices = this.messages.notices;
  }

  private get tickets() {
    return this.deps.desk.repository;
  }

  /** Declares an outage: reports of the affected services linked, the affected told once, people in a guide offered to join. */
  async declare(actor: Declarer, input: DeclareInput): Promise<Declared> {
    if (actor.role === 'employee') staffOnly(actor);
    const title = { fr: input.title.fr.trim(), en: input.title.en.trim() };
    if (!title.fr || !title.en || title.fr.length > 200 || title.en.length > 200) throw new GuichetError('ticketing.invalid', 'major incident: "title" must have 1 to 200 characters in each language');
    const service = await this.tickets.service(input.serviceId);
    if (!service) throw new GuichetError('ticketing.invalid', `major incident: "serviceId" names no service (${input.serviceId})`);
    for (const s of input.services ?? []) if (!this.service(s)) throw new GuichetError('ticketing.invalid', `major incident: "services" names an unknown service (${s})`);
    for (const t of input.items ?? []) if (!this.deps.config.cmdb.items.some((i) => i.tag === t)) throw new GuichetError('ticketing.invalid', `major incident: "items" names an unknown item (${t})`);
    const scope = { services: [...new Set([service.id, ...(input.services ?? [])])], items: input.items ?? [], sites: input.sites ?? [] };
    const now = this.deps.clock.now();
    const affected = this.affected(scope);
    // People in a guide of an affected service hear of it at once, with the offer to join.
    const guideSince = new Date(now.getTime() - this.settings.guideMinutes * 60_000);
    const inGuide = new Set(
      (await this.deps.store.activeSince(guideSince)).filter((c) => c.flowId && affected.services.includes(this.guideServices.get(c.flowId) ?? '')).map((c) => c.userId),
    );
    const audience = new Set(await this.audience(input.audience ?? this.settings.audience, affected.people, now));
    const to = [...audience].filter((u) => !inGuide.has(u));
    let linking: { linked: number[]; toConfirm: number[] } = { linked: [], toConfirm: [] };
    const created = await this.messages.withTell<IncidentRecord>(
      (r) => ({ event: 'declared', number: r.number, to, guide: [...inGuide] }),
      (jobsFor) =>
        this.deps.store.declare(
          { serviceId: service.id, title, impact: input.impact, declaredById: actor.id, scope, at: now },
          { actorId: actor.id, actorKind: actor.role, action: 'major-incident.declare', after: { ...input, title }, at: now },
          jobsFor,
        ),
      // The reports are linked before the notices go: their requesters hear of it too (read when the job runs).
      async (r) => void (linking = await this.linkReports(r.number, title, affected.services)),
    );
    const { linked, toConfirm } = linking;
    const view = await this.view(created.number);
    const heard = new Set([...audience, ...inGuide]);
    for (const t of await this.tickets.linkedTo(created.id, { openOnly: true })) heard.add(t.requesterId);
    return { ...view, reached: heard.size, linked, toConfirm };
  }

  /** A status update, told once to everyone who follows the incident or has a report linked to it. */
  async update(actor: Declarer, number: number, text: Localized): Promise<MajorIncidentView> {
    if (actor.role === 'employee') staffOnly(actor);
    const row = await this.open(number);
    await this.messages.withTell(
      () => ({ event: 'update', number, text, id: randomUUID() }),
      async (jobsFor) => this.deps.store.addUpdate(row.id, text, actor.id, this.deps.clock.now(), jobsFor(undefined)),
    );
    return this.view(number);
  }

  /**
   * Ends the outage: linked open reports are resolved with its resolution and their requesters asked
   * to confirm (the desk's own "is it fixed?"); everyone else who heard of it is asked "is it working for you?".
   */
  async resolve(actor: Declarer, number: number, resolution: Localized): Promise<MajorIncidentView> {
    if (actor.role === 'employee') staffOnly(actor);
    const row = await this.open(number);
    const resolver: Viewer = actor.id ? (actor as Viewer) : { id: await this.systemAgent(), role: 'admin' };
    await this.messages.withTell(
      // Each person's notice decides when it goes: their linked reports still open are resolved (the desk's own "is it fixed?"), else "is it working for you?".
      () => ({ event: 'restored', number, text: resolution, resolver: { id: resolver.id, role: resolver.role } }),
      async (jobsFor) => this.deps.store.resolve(row, resolution, actor, this.deps.clock.now(), jobsFor(undefined)),
    );
    return this.view(number);
  }

  /**
   * Links a report to an open major incident (its requester will hear of the resolution). Its
   * requester hears of the declaration too, once (`tell`, the default): a notice job written with
   * the link, keyed as the declaration's own notice to them — whichever is written first, the other
   * writes nothing. Not when they know already: they joined it, or the chat's reply to the report
   * they just opened shows it (`tell: false`).
   */
  async link(ticketNumber: number, incidentNumber: number, options: { tell?: boolean } = {}): Promise<void> {
    const incident = await this.deps.store.find(incidentNumber);
    if (!incident || incident.status !== 'open') throw new GuichetError('ticketing.invalid', `major incident #${incidentNumber} is not open`);
    const ticket = await this.tickets.find(ticketNumber);
    if (!ticket) throw new GuichetError('ticketing.not-found', `no ticket #${ticketNumber}`);
    const tell = options.tell ?? true;
    const now = this.deps.clock.now();
    const { jobs } = this.deps;
    const notice = { event: 'declared' as const, number: incidentNumber, to: ticket.requesterId, guide: false };
    const linked = await this.tickets.transaction(async (tx) => {
      if ((await tx.find(ticketNumber))?.majorIncidentId === incident.id) return false;
      await tx.update(ticketNumber, { majorIncidentId: incident.id });
      await tx.appendEvent(ticketNumber, { kind: 'linked', actorId: null, actorKind: 'bot', data: { incident: incidentNumber }, dedupeKey: `linked:major-incident:${incidentNumber}`, at: now });
      if (tell && jobs) await tx.enqueue([incidentNoticeJob(notice, 'declared')], now);
      return true;
    });
    if (!linked || !tell) return;
    if (jobs) jobs.nudge();
    // Without a queue (memory stores): told in process, unless they follow it already (told at its declaration).
    else if (await this.deps.store.follow(incident.id, ticket.requesterId, 'notified', now)) await this.messages.tellNow(notice);
  }

  /**
   * The open incident of a new report's service that the report speaks of, if any (then `linkReport`); read beside
   * the new ticket's view (the report stored first: an incident declared after it links it itself).
   */
  async relatedOpen(ticket: { serviceId: string | null; type: string; title: string; description?: string }): Promise<MajorIncidentView | undefined> {
    if (!ticket.serviceId || ticket.type !== 'incident') return undefined;
    const open = await this.deps.store.openOn(ticket.serviceId);
    if (!open) return undefined;
    const words = incidentWords(open.title, servicesNamed(open).map((s) => this.service(s)).filter((s): s is ServiceDefinition => Boolean(s)));
    return similarity(`${ticket.title} ${ticket.description ?? ''}`, words) < this.settings.linkSimilarity ? undefined : open;
  }

  /** Links a new report to the incident relatedOpen found; the chat's reply says it (with the incident's card): no declaration notice besides. */
  async linkReport(ticketNumber: number, incident: MajorIncidentView): Promise<void> {
    await this.link(ticketNumber, incident.number, { tell: false });
  }

  /** An employee adds themself to an incident (no ticket): they follow it, and their open reports of its services are linked. */
  async join(userId: string, number: number): Promise<{ view: MajorIncidentView; linked: number[] }> {
    const row = await this.open(number);
    await this.deps.store.follow(row.id, userId, 'report', this.deps.clock.now());
    const view = await this.view(number);
    const services = this.affected(view.scope ?? { services: [view.serviceId], items: [], sites: [] }).services;
    const linked: number[] = [];
    for (const s of services) {
      for (const n of await this.tickets.unlinkedOpenOn(s)) {
        const t = await this.tickets.find(n);
        if (t?.requesterId !== userId || t.type !== 'incident') continue;
        await this.link(n, number, { tell: false });
        linked.push(n);
      }
    }
    return { view, linked };
  }

  /** Follow or stop following an incident from the status page. */
  async follow(userId: string, number: number, follow: boolean): Promise<void> {
    const row = await this.deps.store.find(number);
    if (!row) throw new GuichetError('ticketing.not-found', `no major incident #${number}`);
    if (follow) await this.deps.store.follow(row.id, userId, 'follow', this.deps.clock.now());
    else await this.deps.store.unfollow(row.id, userId);
  }

  followedBy(userId: string): Promise<number[]> {
    return this.deps.store.followedBy(userId);
  }

  /** Open incidents that reach this person (by the CMDB: their items, subscriptions, department, site), and the others. */
  async openFor(email: string | undefined): Promise<{ mine: MajorIncidentView[]; others: MajorIncidentView[]; site?: string }> {
    const open = await this.list({ status: 'open' });
    const person = email ? this.deps.config.cmdb.people.find((p) => p.email === email.toLowerCase()) : undefined;
    const mine = open.filter((i) => person && this.affected(i.scope ?? { services: [i.serviceId], items: [], sites: [] }).who.has(person.email));
    return { mine, others: open.filter((i) => !mine.includes(i)), ...(person?.site ? { site: person.site } : {}) };
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
    const group = await this.tickets.service(serviceId);
    const to = [...new Set([await this.deps.desk.userByEmail(this.deps.config.serviceDeskLead), await this.deps.desk.groupManager(group?.groupId)].filter((x): x is string => Boolean(x)))];
    return this.messages.withTell(
      (recorded) => (recorded ? { event: 'suggestion', serviceId, count, minutes: windowMinutes, to } : undefined),
      async (jobsFor) => {
        // The jobs are asked for before the unit knows whether it records anything: written only when it does.
        const jobs = jobsFor(true);
        return this.deps.store.recordSuggestion(serviceId, since, { count, windowMinutes }, now, jobs);
      },
    );
  }

  /** Tells the service desk: in the agents' channels, else the desk lead directly. */
  async tellDesk(build: (lang: Lang) => OutboundMessage[]): Promise<void> {
    if (this.deps.postToAgents && (await this.deps.postToAgents(build))) return;
    const lead = await this.deps.desk.userByEmail(this.deps.config.serviceDeskLead);
    if (lead) await this.deps.desk.notifyUser(lead, build);
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

  openOn(serviceId: string): Promise<MajorIncidentView | undefined> {
    return this.deps.store.openOn(serviceId);
  }

  /** Every service an incident reaches (its own first), by the CMDB's dependencies. */
  affectedServices(view: MajorIncidentView): string[] {
    return this.affected(view.scope ?? { services: [view.serviceId], items: [], sites: [] }).services;
  }

  serviceName(serviceId: string, lang: Lang): string {
    return this.service(serviceId)?.name[lang] ?? serviceId;
  }

  private affected(scope: IncidentScope): Affected & { who: Set<string> } {
    const key = JSON.stringify([scope.services, scope.items, scope.sites]);
    let found = this.reach.get(key);
    if (!found) {
      const computed = affectedBy(this.deps.config.cmdb, scope);
      found = { ...computed, who: new Set(computed.people) };
      if (this.reach.size > 200) this.reach.clear();
      this.reach.set(key, found);
    }
    return found;
  }

  private service(id: string): ServiceDefinition | undefined {
    return this.deps.config.services.find((s) => s.id === id);
  }

  private async open(number: number): Promise<IncidentRecord> {
    const row = await this.deps.store.find(number);
    if (!row) throw new GuichetError('ticketing.not-found', `no major incident #${number}`);
    if (row.status !== 'open') throw new GuichetError('ticketing.illegal-transition', `major incident #${number} is already resolved`, { user: { key: 'incidents.refusedAlreadyResolved', vars: { number } } });
    return row;
  }

  /** Incident reports of the affected services: the similar ones linked, the others to confirm. */
  private async linkReports(number: number, title: Localized, services: string[]): Promise<{ linked: number[]; toConfirm: number[] }> {
    const words = incidentWords(title, services.map((s) => this.service(s)).filter((s): s is ServiceDefinition => Boolean(s)));
    const linked: number[] = [];
    const toConfirm: number[] = [];
    for (const s of services) {
      for (const n of await this.tickets.unlinkedOpenOn(s)) {
        const t = await this.tickets.find(n);
        if (!t || t.type !== 'incident') continue;
        if (similarity(t.title, words) >= this.settings.linkSimilarity) {
          // With a queue, each link writes its requester's notice (the declaration's job, run before, may not have seen it); in process, the declaration tells them.
          await this.link(n, number, { tell: Boolean(this.deps.jobs) });
          linked.push(n);
        } else toConfirm.push(n);
      }
    }
    return { linked, toConfirm };
  }

  /** Who hears of a declaration: the affected, those of them active lately, or everyone reachable. */
  private async audience(audience: Audience, emails: string[], now: Date): Promise<string[]> {
    if (audience === 'everyone') return this.tickets.reachable();
    const ids = (await Promise.all(emails.map((e) => this.deps.desk.userByEmail(e)))).filter((x): x is string => Boolean(x));
    if (audience === 'affected') return ids;
    const since = new Date(now.getTime() - this.settings.recentHours * 3_600_000);
    const active = new Set((await this.deps.store.activeSince(since)).map((c) => c.userId));
    return ids.filter((id) => active.has(id));
  }

  /** Monitoring resolves as the desk lead (a person the timeline can name). */
  private async systemAgent(): Promise<string> {
    const lead = await this.deps.desk.userByEmail(this.deps.config.serviceDeskLead);
    if (!lead) throw new GuichetError('ticketing.invalid', 'major incident: resolving linked tickets for monitoring needs serviceDeskLead in groups.yml');
    return lead;
  }
}

function staffOnly(actor: { role: string }): void {
  if (actor.role === 'employee') throw new GuichetError('ticketing.forbidden', 'only service desk agents and admins manage major incidents');
}
