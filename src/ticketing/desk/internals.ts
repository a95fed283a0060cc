/**
 * The desk's internal API for the SLA clock (scheduler.ts) and major incidents: telling people,
 * status moves through the machine, functional escalation. Not part of `AgentDesk`: channels,
 * the portal and the handoff never use it.
 */
import type { Lang } from '../../core/lang.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { TicketStatus } from '../../core/tickets.ts';
import type { BusinessCalendar } from '../calendar.ts';
import type { TicketRecord, TicketRepository, TicketUnit } from '../ports.ts';
import type { DeskContext } from './context.ts';
import { deliverToUser, notifyUser, runChangedJob, ticketCard } from './notify.ts';
import { escalationTarget, moveStatus, moveToGroup, type Actor, type MoveOptions } from './status-sla.ts';

export interface DeskInternals {
  repository: TicketRepository;
  /** The configured time zone for cards and due times ({} when none). */
  zone(): { timeZone?: string };
  /** A calendar of the configuration (`ticketing.invalid-calendar` when unknown). */
  calendar(id: string): BusinessCalendar;
  /** Sends messages in the recipient's language; failures are reported, never thrown. */
  notifyUser(userId: string, build: (lang: Lang) => OutboundMessage[]): Promise<void>;
  /** The same for a job: a message no channel took is thrown, so the job retries it. */
  deliver(userId: string, build: (lang: Lang) => OutboundMessage[]): Promise<void>;
  /** The ticket's card as it is now, to send with a message. */
  ticketCard(number: number): Promise<(lang: Lang) => OutboundMessage[]>;
  /** The same for a job: a failure is thrown, so the job retries it. */
  changedOrThrow(number: number, kind: string): Promise<void>;
  groupManager(groupId: string | null | undefined): Promise<string | undefined>;
  userByEmail(email: string | undefined): Promise<string | undefined>;
  /** A status move through the machine, inside a unit of work (see status-sla.ts). */
  moveStatus(tx: TicketUnit, number: number, to: TicketStatus, actor: Actor, now: Date, options?: MoveOptions): Promise<boolean>;
  /** The next group up at `level`, or undefined when there is none. */
  escalationTarget(tx: TicketUnit, groupId: string | null, level: number): Promise<{ id: string; name: string; level: number } | undefined>;
  /** Moves a ticket to `target`'s queue (unassigned, status new) with its timeline line. */
  moveToGroup(tx: TicketUnit, row: TicketRecord, target: { id: string; name: string; level: number }, actor: Actor, now: Date, event?: { dedupeKey?: string; data?: Record<string, unknown> }): Promise<void>;
}

export function createInternals(ctx: DeskContext): DeskInternals {
  return {
    repository: ctx.repo,
    zone: () => ctx.zone(),
    calendar: (id) => ctx.calendar(id),
    notifyUser: (userId, build) => notifyUser(ctx, userId, build),
    deliver: (userId, build) => deliverToUser(ctx, userId, build),
    ticketCard: (number) => ticketCard(ctx, number),
    changedOrThrow: (number, kind) => runChangedJob(ctx, { number, kind }),
    groupManager: (groupId) => ctx.groupManager(groupId),
    userByEmail: (email) => ctx.userByEmail(email),
    moveStatus: (tx, number, to, actor, now, options) => moveStatus(ctx, tx, number, to, actor, now, options),
    escalationTarget: (tx, groupId, level) => escalationTarget(tx, groupId, level),
    moveToGroup: (tx, row, target, actor, now, event) => moveToGroup(ctx, tx, row, target, actor, now, event),
  };
}
