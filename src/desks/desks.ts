/**
 * The desks in action, behind the handoff's escalation: an escalated ticket is routed to a desk and
 * group (routing.ts); a user who asked for a person joins that desk's live queue and is told their
 * position and expected wait, or honestly when the desk opens; an urgent ticket of a closed desk
 * pages the on-call person (pager.ts). Taking, finishing and leaving keep the queue and the wait
 * formula's handling times up to date.
 */
import { DateTime } from 'luxon';
import type { Lang } from '../core/lang.ts';
import type { Clock } from '../core/ports.ts';
import type { ContactView, TicketView } from '../core/tickets.ts';
import { pickAgent, type AgentLoad } from './assign.ts';
import { isOpen, timeZoneOf } from './hours.ts';
import { LiveQueue, type LiveQueueDeps, type Standing } from './live-queue.ts';
import { pages, pagingOrder, rotaFor } from './oncall.ts';
import type { Pager } from './pager.ts';
import { severityOf } from './pagerduty.ts';
import type { QueueStore } from './ports.ts';
import { route, type Route, type RoutingFacts } from './routing.ts';
import type { DeskOrganisation } from './schema.ts';
import { sayDesks, waitText, whenText } from './say.ts';

export interface DesksDeps extends Omit<LiveQueueDeps, 'store'> {
  queue: QueueStore;
  pager: Pager;
  clock: Clock;
  /** Language of a requester whose own is not known yet. */
  defaultLang: Lang;
  /** The group's agents with their presence and live conversations, for automatic assignment; absent: nobody is assigned automatically. */
  agentsOf?(groupId: string): Promise<AgentLoad[]>;
  /** Moves a ticket to the group its escalation was routed to (ticketing's assignment); absent: tickets keep their group. */
  moveToGroup?(number: number, groupId: string, deskId: string): Promise<void>;
}

/** What an escalation became: the route, and for a user waiting for a person, where they stand. */
export interface Placement {
  route: Route;
  standing?: Standing;
  paged: boolean;
  /** The agent chosen by the group's automatic assignment (round robin, least loaded), who should take it now. */
  assignTo?: string;
  /** What the user is told, in their language (only when they wait for a person): after the usual notice while open, instead of it while closed. */
  notice?: { open: boolean; text(lang: Lang): string };
}

/** A waiting user's words the desks answer: leaving the queue, or a call-back time. */
export interface WaitingReply {
  text: string;
  /** The user left the queue: the conversation goes back to the bot. */
  left: boolean;
}

const LEAVE = /^(retour au bot|retour bot|quitter la file|back to (the )?bot|leave (the )?queue)[.!]?$/i;
const CALLBACK = /^(?:rappel(?:ez[- ]moi)?|call me back)(?: à| at| vers| around)?\s+(\d{1,2})\s*[:h]\s*(\d{2})?$/i;

export class Desks {
  readonly queue: LiveQueue;
  /** Per group, the agent given the last conversation (round robin's turn). */
  private readonly lastAssigned = new Map<string, string>();

  constructor(private readonly deps: DesksDeps) {
    this.queue = new LiveQueue({ ...deps, store: deps.queue });
  }

  organisation(): DeskOrganisation {
    return this.deps.organisation();
  }

  /** Routes an escalated ticket; queues it when `live`; pages when urgent and the desk is closed. Safe to call again. */
  async escalated(ticket: TicketView, requester: ContactView, live: boolean): Promise<Placement> {
    const org = this.deps.organisation();
    const now = this.deps.clock.now();
    const lang = requester.user.locale ?? this.deps.defaultLang;
    const chosen = route(org, this.factsOf(ticket, requester), now);
    // A user who asks for a person: the ticket goes to the routed group (assignment), so the group
    // that answers the conversation is the one that can take it. A new ticket's card (not live)
    // stays with the group of its service, as ticketing chose.
    const moved = live ? await this.moveToRouted(ticket, chosen) : undefined;
    const groupId = moved ?? ticket.group?.id ?? chosen.group?.id ?? 'unassigned';
    const paged = await this.pageIfUrgent(ticket, chosen, now);
    if (!live) return { route: chosen, paged };
    await this.deps.queue.add({ number: ticket.number, deskId: chosen.desk.id, groupId, priority: ticket.priority, queuedAt: now, userId: ticket.requester.id, userName: ticket.requester.displayName, lang });
    const standing = await this.queue.standing(ticket.number);
    if (standing) await this.remember(ticket.number, standing.position);
    const timeZone = timeZoneOf(org, chosen.desk);
    const text = (l: Lang) => {
      if (!standing) return '';
      const vars = { number: ticket.number, desk: chosen.desk.name, position: standing.position, options: sayDesks(l, 'queueOptions') };
      const said = standing.open
        ? sayDesks(l, 'queuedOpen', { ...vars, wait: waitText(standing.waitMinutes, l) })
        : sayDesks(l, 'queuedClosed', { ...vars, opens: whenText(standing.opensAt, l, timeZone), answer: whenText(new Date(now.getTime() + standing.waitMinutes * 60_000), l, timeZone) });
      return paged ? `${said} ${sayDesks(l, 'onCallPaged')}` : said;
    };
    const notice = standing ? { open: standing.open, text } : undefined;
    const assignTo = standing?.open ? await this.autoAssign(chosen, groupId) : undefined;
    return { route: chosen, standing, paged, notice, ...(assignTo ? { assignTo } : {}) };
  }

  /** Where the requester's conversation was routed ("Desk: the Paris desk · site: Paris headquarters"), for the agent's screen. */
  whereFrom(ticket: TicketView, requester: ContactView, lang: Lang): string {
    const org = this.deps.organisation();
    const { desk, site } = route(org, this.factsOf(ticket, requester), this.deps.clock.now());
    return sayDesks(lang, 'whereFrom', { desk: desk.name, site: org.sites.find((s) => s.id === site)?.name ?? sayDesks(lang, 'noSite') });
  }

  /** An agent took the ticket: it leaves the queue (the others move up) and its handling time starts. */
  async taken(number: number): Promise<void> {
    const now = this.deps.clock.now();
    const entry = await this.deps.queue.end(number, 'taken', now);
    await this.deps.pager.resolve(number);
    if (!entry) return;
    await this.deps.queue.startHandling(number, entry.groupId, now);
    await this.queue.retell(entry.deskId, entry.groupId);
  }

  /** The ticket no longer waits (resolved or cancelled elsewhere): it leaves the queue as answered, the others move up. */
  async settled(number: number): Promise<void> {
    if (await this.deps.queue.get(number)) await this.taken(number);
  }

  /** The agent handed the conversation back or resolved it: its handling time feeds the wait formula. */
  async ended(number: number): Promise<void> {
    await this.deps.queue.endHandling(number, this.deps.clock.now());
  }

  /** The user left the queue (counted as abandoned); false when they were not waiting. */
  async abandon(number: number): Promise<boolean> {
    const entry = await this.deps.queue.end(number, 'abandoned', this.deps.clock.now());
    if (!entry) return false;
    await this.queue.retell(entry.deskId, entry.groupId);
    return true;
  }

  /** A waiting user's message: "back to bot" leaves the queue, "call me back 14:30" records a time; undefined otherwise. */
  async fromWaiting(number: number, text: string, lang: Lang): Promise<WaitingReply | undefined> {
    const said = text.trim();
    if (LEAVE.test(said)) {
      await this.abandon(number);
      return { text: sayDesks(lang, 'left', { number }), left: true };
    }
    const callback = CALLBACK.exec(said);
    const entry = callback ? await this.deps.queue.get(number) : undefined;
    if (!callback || !entry) return undefined;
    const org = this.deps.organisation();
    const desk = org.desks.find((d) => d.id === entry.deskId)!;
    const at = callbackInstant(this.deps.clock.now(), Number(callback[1]), Number(callback[2] ?? 0), timeZoneOf(org, desk));
    if (!at) return undefined;
    await this.deps.queue.update({ ...entry, callbackAt: at });
    return { text: sayDesks(lang, 'callbackSet', { number, when: whenText(at, lang, timeZoneOf(org, desk)) }), left: false };
  }

  /** Moves the ticket to the routed group when it is another one; the group it is in afterwards, or undefined when not moved. */
  private async moveToRouted(ticket: TicketView, chosen: Route): Promise<string | undefined> {
    const target = chosen.group?.id;
    if (!target || !this.deps.moveToGroup || ticket.group?.id === target) return undefined;
    try {
      await this.deps.moveToGroup(ticket.number, target, chosen.desk.id);
      return target;
    } catch (err) {
      this.deps.onError?.(err, `moving #${ticket.number} to the group ${target} of the desk ${chosen.desk.id}`);
      return undefined;
    }
  }

  private factsOf(ticket: TicketView, requester: ContactView): RoutingFacts {
    const { email, department, locale } = requester.user;
    return { email, department, lang: locale ?? this.deps.defaultLang, category: ticket.category, serviceId: ticket.serviceId, priority: ticket.priority, ticketGroupId: ticket.group?.id ?? null };
  }

  private async autoAssign(chosen: Route, groupId: string): Promise<string | undefined> {
    const mode = chosen.group?.assignment ?? 'manual';
    // Only the ticket's own group's agents may take it (handoff checks membership).
    if (mode === 'manual' || !this.deps.agentsOf || chosen.group?.id !== groupId) return undefined;
    const agent = pickAgent(mode, await this.deps.agentsOf(groupId), chosen.group!.capacity, this.lastAssigned.get(groupId));
    if (agent) this.lastAssigned.set(groupId, agent);
    return agent;
  }

  private async remember(number: number, position: number): Promise<void> {
    const entry = await this.deps.queue.get(number);
    if (entry) await this.deps.queue.update({ ...entry, toldPosition: position });
  }

  private async pageIfUrgent(ticket: TicketView, chosen: Route, now: Date): Promise<boolean> {
    const org = this.deps.organisation();
    if (!pages(org, ticket) || isOpen(org, chosen.desk, now)) return false;
    const rota = rotaFor(org.oncall, chosen.desk.id);
    if (!rota) return false;
    const page = await this.deps.pager.page(
      { number: ticket.number, summary: `#${ticket.number} P${ticket.priority} ${ticket.title}`, severity: severityOf(ticket.priority), deskId: chosen.desk.id, order: pagingOrder(org.oncall, rota, now) },
      { category: ticket.category, service: ticket.serviceId, requester: ticket.requester.displayName, rota: rota.id },
    );
    // Already paged (the ticket's creation paged, this is the user asking for a person): still true.
    return page !== undefined || this.deps.pager.isPaged(ticket.number);
  }
}

/** The next `hour:minute` in `timeZone` after `now` (today, else tomorrow); undefined for an impossible time. */
function callbackInstant(now: Date, hour: number, minute: number, timeZone: string): Date | undefined {
  if (hour > 23 || minute > 59) return undefined;
  const today = DateTime.fromJSDate(now, { zone: timeZone }).set({ hour, minute, second: 0, millisecond: 0 });
  return (today.toMillis() > now.getTime() ? today : today.plus({ days: 1 })).toJSDate();
}
