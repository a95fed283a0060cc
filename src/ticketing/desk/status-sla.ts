/**
 * Status moves and SLA due times inside a unit of work: every status change of a ticket goes
 * through `moveStatus` (the machine of status.ts, the SLA pause and resume, the dates it stamps,
 * its timeline line), and the targets of a priority through `dueDates`.
 */
import type { Priority, TicketStatus } from '../../core/tickets.ts';
import { addBusinessMinutes } from '../calendar.ts';
import type { SlaPolicyConfig } from '../config.ts';
import type { ActorKind, TicketChanges, TicketRecord, TicketUnit } from '../ports.ts';
import { dueDates as slaDueDates, resumeDueDates } from '../sla.ts';
import { nextSlaMoment, type MomentConfig } from '../sla-moment.ts';
import { assertRequeue, assertTransition } from '../status.ts';
import { DeskContext, type DeskDeps } from './context.ts';

export interface Actor {
  id: string | null;
  kind: ActorKind;
}

export interface MoveOptions {
  /** A functional escalation puts an open ticket back in the new group's queue ("new"), whatever its status. */
  requeue?: boolean;
  /** Only while the ticket still has the status read (false, nothing written, when another change came first). */
  guarded?: boolean;
}

/**
 * Moves a ticket's status: checks the move, stamps the dates, pauses or resumes the SLA clock,
 * records the event. False when `guarded` and the ticket changed meanwhile; true otherwise
 * (also when it already had that status: nothing to do).
 */
export async function moveStatus(ctx: DeskContext, tx: TicketUnit, number: number, to: TicketStatus, actor: Actor, now: Date, options: MoveOptions = {}): Promise<boolean> {
  const row = await ctx.row(tx, number);
  const from = row.status;
  if (from === to) return true;
  if (options.requeue && to === 'new') assertRequeue(number, from);
  else assertTransition(number, from, to);
  const changes: TicketChanges = { status: to, ...pauseChanges(ctx, row, to, now) };
  if (to === 'closed') changes.closedAt = now;
  if (to === 'in-progress' && (from === 'resolved' || from === 'closed')) {
    changes.resolvedAt = null;
    changes.closedAt = null;
  }
  const moved = await tx.update(number, changes, options.guarded ? { status: from } : undefined);
  if (!moved) return false;
  await tx.appendEvent(number, { kind: 'status', actorId: actor.id, actorKind: actor.kind, data: { from, to }, at: now });
  return true;
}

/** Pending user pauses the clock (when the policy says so); leaving it moves the running targets later by the business time paused. */
function pauseChanges(ctx: DeskContext, row: TicketRecord, to: TicketStatus, now: Date): TicketChanges {
  const policy = ctx.deps.config.policies.find((p) => p.id === row.slaPolicyId);
  if (to === 'pending-user' && policy?.pauseOnPending) return { slaPausedAt: now };
  if (row.status !== 'pending-user' || !row.slaPausedAt || !policy) return {};
  const running = { responseDueAt: row.firstResponseAt ? null : row.responseDueAt, resolutionDueAt: row.resolutionDueAt };
  const resumed = resumeDueDates(ctx.calendar(policy.calendarId), running, row.slaPausedAt, now);
  return {
    slaPausedAt: null,
    slaPausedMinutes: row.slaPausedMinutes + resumed.pausedMinutes,
    ...(running.responseDueAt ? { responseDueAt: resumed.responseDueAt } : {}),
    ...(row.resolutionDueAt ? { resolutionDueAt: resumed.resolutionDueAt } : {}),
  };
}

/** Due times of a ticket of `priority` counted from `at`, pushed by `pausedMinutes` (business) already spent waiting. */
export function dueDates(ctx: DeskContext, policy: SlaPolicyConfig, priority: Priority, at: Date, pausedMinutes = 0): { responseDueAt: Date; resolutionDueAt: Date } {
  const cal = ctx.calendar(policy.calendarId);
  const due = slaDueDates(policy, cal, priority, at);
  if (pausedMinutes <= 0) return due;
  return { responseDueAt: addBusinessMinutes(cal, due.responseDueAt, pausedMinutes), resolutionDueAt: addBusinessMinutes(cal, due.resolutionDueAt, pausedMinutes) };
}

/**
 * What a new priority changes: new targets counted from the ticket's creation (paused time
 * excluded), watched afresh — a warning or breach of the old targets says nothing of the new ones
 * (the SLA clock keys its warnings and breaches by priority, so each fires once per priority).
 */
export function reprioritized(ctx: DeskContext, row: TicketRecord, priority: Priority, now: Date): TicketChanges {
  const policy = ctx.deps.config.policies.find((p) => p.id === row.slaPolicyId);
  const due = policy ? dueDates(ctx, policy, priority, row.createdAt, row.slaPausedMinutes) : undefined;
  if (priority === row.priority) return { ...due };
  return {
    ...due,
    responseWarnedAt: null,
    resolutionWarnedAt: null,
    responseBreached: Boolean(due && due.responseDueAt <= now && row.responseBreached),
    resolutionBreached: Boolean(due && due.resolutionDueAt <= now && row.resolutionBreached),
  };
}

/** The group a ticket goes to at `level`: up the escalation chain (5 steps at most), or the first group of that level. */
export async function escalationTarget(tx: TicketUnit, groupId: string | null, level: number): Promise<{ id: string; name: string; level: number } | undefined> {
  let current = groupId ? await tx.group(groupId) : undefined;
  for (let i = 0; current && i < 5; i += 1) {
    if (current.level >= level && current.id !== groupId) return current;
    current = current.escalatesToId ? await tx.group(current.escalatesToId) : undefined;
  }
  return tx.groupAtLevel(level);
}

/**
 * A functional escalation inside a unit of work: the ticket goes to `target` unassigned and back
 * to "new" (the new group picks it up afresh), with its timeline line.
 */
export async function moveToGroup(
  ctx: DeskContext,
  tx: TicketUnit,
  row: TicketRecord,
  target: { id: string; name: string; level: number },
  actor: Actor,
  now: Date,
  event: { visibility?: 'public'; dedupeKey?: string; data?: Record<string, unknown> } = {},
): Promise<void> {
  await tx.update(row.number, { groupId: target.id, level: target.level, assigneeId: null });
  await moveStatus(ctx, tx, row.number, 'new', actor, now, { requeue: true });
  await tx.appendEvent(row.number, {
    kind: 'escalated',
    actorId: actor.id,
    actorKind: actor.kind,
    at: now,
    data: { type: 'functional', from: row.groupId, to: target.id, level: target.level, groupName: target.name, ...event.data },
    ...(event.dedupeKey ? { dedupeKey: event.dedupeKey } : {}),
  });
}

/** A ticket's next SLA moment under the desk's configuration (read at each change: a config sync applies at once). */
export function deskMoment(deps: DeskDeps, t: TicketRecord): Date | null {
  const ctx = new DeskContext(deps);
  return nextSlaMoment(t, deps.config as MomentConfig, (id) => ctx.calendar(id));
}
