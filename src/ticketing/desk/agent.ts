/**
 * Agents taking charge of tickets: take (exactly one owner when several take at once), assign,
 * escalate to a higher level's group, change the priority (new SLA targets, re-armed warnings).
 * Group membership is checked by the caller (src/handoff); being staff is checked here.
 */
import { GuichetError } from '../../core/errors.ts';
import type { Level, PersonRef, TicketView, Viewer } from '../../core/tickets.ts';
import { priorityOf } from '../priority.ts';
import { isOpen } from '../status.ts';
import { assertStaff, illegal, notNow, type DeskContext } from './context.ts';
import type { NewJob } from '../../core/jobs.ts';
import { sendTold, statusNotice, tellInUnit, type Told } from './outbox.ts';
import { escalationTarget, moveStatus, moveToGroup, reprioritized } from './status-sla.ts';

const auditOf = (number: number, actorId: string, action: string, before: unknown, after: unknown, at: Date) => ({
  actorId, actorKind: 'agent', action, entity: 'ticket', entityId: String(number), before, after, at,
});

/** `also`: the caller's jobs of the same change, written with it only when this agent wins (the handoff's word to the requester). */
export async function take(ctx: DeskContext, number: number, agent: Viewer, also: readonly NewJob[] = []): Promise<{ ticket: TicketView; taken: boolean; owner: PersonRef | null }> {
  assertStaff(agent);
  const now = ctx.now();
  const assigneeName = await ctx.nameOf(agent.id);
  const told = await ctx.repo.transaction(async (tx): Promise<Told | undefined> => {
    const row = await ctx.row(tx, number);
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: it cannot be taken`, notNow(number, row.status, 'tickets.refusedNotOpen'));
    // Only while nobody has it: the others see who won.
    if (!(await tx.update(number, { assigneeId: agent.id, firstResponseAt: row.firstResponseAt ?? now }, { assigneeId: null }))) return undefined;
    if (row.status === 'new') await moveStatus(ctx, tx, number, 'assigned', { id: agent.id, kind: 'agent' }, now);
    await tx.appendEvent(number, { kind: 'assigned', actorId: agent.id, actorKind: 'agent', data: { assigneeId: agent.id, assigneeName }, at: now });
    await tx.audit(auditOf(number, agent.id, 'ticket.take', null, { assigneeId: agent.id }, now));
    return tellInUnit(ctx, tx, { number, changed: 'assigned', notices: statusNotice(row.requesterId, agent.id, 'assigned') }, now, also);
  });
  await sendTold(ctx, told);
  const view = await ctx.mustView(number);
  return { ticket: view, taken: told !== undefined, owner: view.assignee };
}

export async function assign(ctx: DeskContext, number: number, actor: Viewer, assigneeId: string): Promise<TicketView> {
  assertStaff(actor);
  const now = ctx.now();
  const assigneeName = await ctx.nameOf(assigneeId);
  const told = await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: it cannot be assigned`, notNow(number, row.status, 'tickets.refusedNotOpen'));
    await tx.update(number, { assigneeId });
    if (row.status === 'new') await moveStatus(ctx, tx, number, 'assigned', { id: actor.id, kind: 'agent' }, now);
    await tx.appendEvent(number, { kind: 'assigned', actorId: actor.id, actorKind: 'agent', data: { assigneeId, assigneeName, from: row.assigneeId }, at: now });
    await tx.audit(auditOf(number, actor.id, 'ticket.assign', { assigneeId: row.assigneeId }, { assigneeId }, now));
    return tellInUnit(ctx, tx, { number, changed: 'assigned', notices: [{ to: 'requester', say: 'reassigned', data: { agent: assigneeName } }] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

/** Functional escalation: to the next group up the chain at `level`, unassigned and back in its queue. */
export async function escalateLevel(ctx: DeskContext, number: number, actor: Viewer, level: 2 | 3): Promise<TicketView> {
  assertStaff(actor);
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: it cannot be escalated`, notNow(number, row.status, 'tickets.refusedNotOpen'));
    if (row.level >= level) throw illegal(`ticket #${number} is already at level ${row.level}`, { key: 'tickets.refusedLevel', vars: { number, level: row.level } });
    const target = await escalationTarget(tx, row.groupId, level);
    if (!target) throw new GuichetError('ticketing.invalid', `ticket #${number}: no level-${level} group to escalate to`);
    await moveToGroup(ctx, tx, row, target, { id: actor.id, kind: 'agent' }, now);
    await tx.audit(auditOf(number, actor.id, 'ticket.escalate', { groupId: row.groupId, level: row.level }, { groupId: target.id, level: target.level }, now));
    return tellInUnit(ctx, tx, { number, changed: 'escalated', notices: [{ to: 'requester', say: 'escalated', data: { group: target.name, level: target.level } }] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

/** A new impact × urgency: the priority, its SLA targets (from creation, pauses excluded) and re-armed warnings. */
export async function setPriority(ctx: DeskContext, number: number, actor: Viewer, impact: Level, urgency: Level): Promise<TicketView> {
  assertStaff(actor);
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: its priority is final`, notNow(number, row.status, 'tickets.refusedNotOpen'));
    const priority = priorityOf(ctx.deps.config.matrix, impact, urgency);
    await tx.update(number, { impact, urgency, priority, ...reprioritized(ctx, row, priority, now) });
    await tx.appendEvent(number, { kind: 'priority', actorId: actor.id, actorKind: 'agent', data: { from: row.priority, to: priority }, at: now });
    await tx.audit(auditOf(number, actor.id, 'ticket.priority', { priority: row.priority }, { priority }, now));
    return tellInUnit(ctx, tx, { number, changed: 'priority', notices: [{ to: 'requester', say: 'priority', data: { priority } }] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}
