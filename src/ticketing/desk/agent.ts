/**
 * Agents taking charge of tickets: take (exactly one owner when several take at once), assign,
 * escalate to a higher level's group, change the priority (new SLA targets, re-armed warnings).
 * Group membership is checked by the caller (src/handoff); being staff is checked here.
 */
import { GuichetError } from '../../core/errors.ts';
import type { Level, PersonRef, TicketView, Viewer } from '../../core/tickets.ts';
import { say } from '../../texts/index.ts';
import { priorityOf } from '../priority.ts';
import { isOpen } from '../status.ts';
import { assertStaff, illegal, notNow, type DeskContext } from './context.ts';
import { changed, notifyStatus, notifyUser } from './notify.ts';
import { escalationTarget, moveStatus, moveToGroup, reprioritized } from './status-sla.ts';

const auditOf = (number: number, actorId: string, action: string, before: unknown, after: unknown, at: Date) => ({
  actorId, actorKind: 'agent', action, entity: 'ticket', entityId: String(number), before, after, at,
});

export async function take(ctx: DeskContext, number: number, agent: Viewer): Promise<{ ticket: TicketView; taken: boolean; owner: PersonRef | null }> {
  assertStaff(agent);
  const now = ctx.now();
  const assigneeName = await ctx.nameOf(agent.id);
  const won = await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: it cannot be taken`, notNow(number, row.status, 'tickets.refusedNotOpen'));
    // Only while nobody has it: the others see who won.
    if (!(await tx.update(number, { assigneeId: agent.id, firstResponseAt: row.firstResponseAt ?? now }, { assigneeId: null }))) return false;
    if (row.status === 'new') await moveStatus(ctx, tx, number, 'assigned', { id: agent.id, kind: 'agent' }, now);
    await tx.appendEvent(number, { kind: 'assigned', actorId: agent.id, actorKind: 'agent', data: { assigneeId: agent.id, assigneeName }, at: now });
    await tx.audit(auditOf(number, agent.id, 'ticket.take', null, { assigneeId: agent.id }, now));
    return true;
  });
  const view = await ctx.mustView(number);
  if (won) {
    await changed(ctx, number, 'assigned');
    await notifyStatus(ctx, view, 'assigned', agent.id);
  }
  return { ticket: view, taken: won, owner: view.assignee };
}

export async function assign(ctx: DeskContext, number: number, actor: Viewer, assigneeId: string): Promise<TicketView> {
  assertStaff(actor);
  const now = ctx.now();
  const assigneeName = await ctx.nameOf(assigneeId);
  await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: it cannot be assigned`, notNow(number, row.status, 'tickets.refusedNotOpen'));
    await tx.update(number, { assigneeId });
    if (row.status === 'new') await moveStatus(ctx, tx, number, 'assigned', { id: actor.id, kind: 'agent' }, now);
    await tx.appendEvent(number, { kind: 'assigned', actorId: actor.id, actorKind: 'agent', data: { assigneeId, assigneeName, from: row.assigneeId }, at: now });
    await tx.audit(auditOf(number, actor.id, 'ticket.assign', { assigneeId: row.assigneeId }, { assigneeId }, now));
  });
  await changed(ctx, number, 'assigned');
  const view = await ctx.mustView(number);
  await notifyUser(ctx, view.requester.id, (lang) => [{ type: 'text', text: say(lang, 'tickets.reassigned', { number, agent: assigneeName }) }, { type: 'ticket', ticket: view, lang, ...ctx.zone() }]);
  return view;
}

/** Functional escalation: to the next group up the chain at `level`, unassigned and back in its queue. */
export async function escalateLevel(ctx: DeskContext, number: number, actor: Viewer, level: 2 | 3): Promise<TicketView> {
  assertStaff(actor);
  const now = ctx.now();
  await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: it cannot be escalated`, notNow(number, row.status, 'tickets.refusedNotOpen'));
    if (row.level >= level) throw illegal(`ticket #${number} is already at level ${row.level}`, { key: 'tickets.refusedLevel', vars: { number, level: row.level } });
    const target = await escalationTarget(tx, row.groupId, level);
    if (!target) throw new GuichetError('ticketing.invalid', `ticket #${number}: no level-${level} group to escalate to`);
    await moveToGroup(ctx, tx, row, target, { id: actor.id, kind: 'agent' }, now);
    await tx.audit(auditOf(number, actor.id, 'ticket.escalate', { groupId: row.groupId, level: row.level }, { groupId: target.id, level: target.level }, now));
  });
  await changed(ctx, number, 'escalated');
  const view = await ctx.mustView(number);
  await notifyUser(ctx, view.requester.id, (lang) => [{ type: 'text', text: say(lang, 'tickets.escalatedForUser', { number, group: view.group?.name ?? '—', level: view.group?.level ?? level }) }]);
  return view;
}

/** A new impact × urgency: the priority, its SLA targets (from creation, pauses excluded) and re-armed warnings. */
export async function setPriority(ctx: DeskContext, number: number, actor: Viewer, impact: Level, urgency: Level): Promise<TicketView> {
  assertStaff(actor);
  const now = ctx.now();
  await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: its priority is final`, notNow(number, row.status, 'tickets.refusedNotOpen'));
    const priority = priorityOf(ctx.deps.config.matrix, impact, urgency);
    await tx.update(number, { impact, urgency, priority, ...reprioritized(ctx, row, priority, now) });
    await tx.appendEvent(number, { kind: 'priority', actorId: actor.id, actorKind: 'agent', data: { from: row.priority, to: priority }, at: now });
    await tx.audit(auditOf(number, actor.id, 'ticket.priority', { priority: row.priority }, { priority }, now));
  });
  await changed(ctx, number, 'priority');
  const view = await ctx.mustView(number);
  await notifyUser(ctx, view.requester.id, (lang) => [{ type: 'text', text: say(lang, 'tickets.priorityForUser', { number, priority: view.priority }) }, { type: 'ticket', ticket: view, lang, ...ctx.zone() }]);
  return view;
}
