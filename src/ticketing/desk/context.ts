/**
 * What every part of the desk shares: its dependencies, the clock, the checks on who may do what
 * and on input, and loading a ticket or its view (not found when missing).
 */
import type { z } from 'zod';
import { allows, rolesOnTicket, type AuthzRole, type TicketAction } from '../../core/authorization.ts';
import { GuichetError, type UserText } from '../../core/errors.ts';
import { statusLabel } from '../../core/ticket-texts.ts';
import { say, type TextKey } from '../../texts/index.ts';
import type { JobQueue } from '../../core/jobs.ts';
import type { Lang } from '../../core/lang.ts';
import type { Clock, Notifier } from '../../core/ports.ts';
import type { TicketStatus, TicketView, Viewer } from '../../core/tickets.ts';
import { firstIssue } from '../../core/zod-issue.ts';
import type { BusinessCalendar } from '../calendar.ts';
import type { DeskConfig } from '../config.ts';
import type { TicketRecord, TicketRepository, TicketUnit } from '../ports.ts';

export interface DeskDeps {
  repository: TicketRepository;
  clock: Clock;
  notifier: Notifier;
  config: Pick<DeskConfig, 'calendars' | 'policies' | 'rules' | 'matrix' | 'groups' | 'serviceDeskLead'>;
  /** Zone due times are written in on the cards the desk sends (TIME_ZONE). */
  timeZone?: string;
  /** Language of people whose locale is unknown (DEFAULT_LOCALE). */
  defaultLang: Lang;
  /** Group of tickets whose service has none. */
  defaultGroupId?: string;
  /** Told after every committed change (the handoff refreshes the agents' card). */
  onChange?: (number: number, kind: string) => Promise<void>;
  /**
   * The job queue: with it, a new ticket's `onChange` ("created": its card) is a job written with
   * the ticket and run right after the commit — by another instance when this one dies meanwhile.
   */
  jobs?: JobQueue;
  onError?: (err: unknown, context: string) => void;
}

export class DeskContext {
  constructor(readonly deps: DeskDeps) {}

  get repo(): TicketRepository {
    return this.deps.repository;
  }

  /** The time zone to put on a card the desk sends, when configured. */
  zone(): { timeZone?: string } {
    return this.deps.timeZone ? { timeZone: this.deps.timeZone } : {};
  }

  now(): Date {
    return this.deps.clock.now();
  }

  /** A calendar of the configuration; a policy naming an unknown one is a ticketing error (told, not crashed). */
  calendar(id: string): BusinessCalendar {
    const cal = this.deps.config.calendars.find((c) => c.id === id);
    if (!cal) throw new GuichetError('ticketing.invalid-calendar', `sla: unknown calendar "${id}"`, { user: { key: 'core.refusedConfig', vars: { detail: `sla.yml: calendar "${id}"` } } });
    return cal;
  }

  async row(tx: TicketUnit, number: number): Promise<TicketRecord> {
    const row = await tx.find(number);
    if (!row) throw new GuichetError('ticketing.not-found', `no ticket #${number}`, { user: { key: 'tickets.noSuchTicket', vars: { number } } });
    return row;
  }

  async mustView(number: number): Promise<TicketView> {
    const view = await this.repo.view(number);
    if (!view) throw new GuichetError('ticketing.not-found', `no ticket #${number}`, { user: { key: 'tickets.noSuchTicket', vars: { number } } });
    return view;
  }

  /**
   * The ticket when `viewer` may do `action` on it (core/authorization.ts). One they may not even
   * read looks like an unknown number (not found); one they may read but not act on is forbidden.
   */
  async own(number: number, viewer: Viewer, action: TicketAction): Promise<TicketRecord> {
    const row = await this.repo.find(number);
    const roles = row ? await this.rolesOn(viewer, row) : [];
    if (!row || !allows(roles, 'ticket.read')) throw new GuichetError('ticketing.not-found', `no ticket #${number}`, { user: { key: 'tickets.noSuchTicket', vars: { number } } });
    if (!allows(roles, action)) {
      throw new GuichetError('ticketing.forbidden', `ticket #${number}: only its requester can do this (${action})`, { user: { key: 'security.requesterOnly', vars: { number } } });
    }
    return row;
  }

  /** What `viewer` is to the ticket, from the database: requester, member or manager of its group, service-desk lead. */
  async rolesOn(viewer: Viewer, ticket: { requesterId: string; groupId: string | null }): Promise<AuthzRole[]> {
    const person = viewer.role === 'employee' || !ticket.groupId ? undefined : await this.repo.person(viewer.id);
    const lead = await this.userByEmail(this.deps.config.serviceDeskLead);
    return rolesOnTicket(viewer, {
      requesterId: ticket.requesterId,
      memberOfGroup: Boolean(ticket.groupId && person?.groupIds.includes(ticket.groupId)),
      managerOfGroup: Boolean(ticket.groupId && (await this.groupManager(ticket.groupId)) === viewer.id),
      deskLead: lead !== undefined && lead === viewer.id,
    });
  }

  async nameOf(userId: string): Promise<string> {
    const person = await this.repo.person(userId);
    if (!person) throw new GuichetError('ticketing.invalid', `ticket: no user ${userId}`);
    return person.displayName;
  }

  /** A person's id by e-mail, when there is one. */
  async userByEmail(email: string | undefined): Promise<string | undefined> {
    return email ? this.repo.personByEmail(email) : undefined;
  }

  async groupManager(groupId: string | null | undefined): Promise<string | undefined> {
    if (!groupId) return undefined;
    return (await this.repo.group(groupId))?.managerId ?? undefined;
  }
}

export function canSee(viewer: Viewer, requesterId: string): boolean {
  return viewer.role !== 'employee' || viewer.id === requesterId;
}

export function assertStaff(viewer: Viewer): void {
  if (viewer.role === 'employee') throw new GuichetError('ticketing.forbidden', 'ticket: only service desk agents can do this', { user: { key: 'tickets.refusedAgentsOnly' } });
}

export function invalid(field: string, error: z.ZodError): GuichetError {
  const issue = firstIssue(error);
  const path = [field, issue.field].filter(Boolean).join('.');
  return new GuichetError('ticketing.invalid', `ticket: "${path}" ${issue.message}`);
}

export function illegal(message: string, user?: UserText): GuichetError {
  return new GuichetError('ticketing.illegal-transition', message, user ? { user } : undefined);
}

/** "Ticket #N is <status>: <what>" in the user's language. */
export function notNow(number: number, status: TicketStatus, what: TextKey): UserText {
  return { key: 'tickets.refusedClosedFor', vars: (lang) => ({ number, status: statusLabel(lang, status), what: say(lang, what) }) };
}
