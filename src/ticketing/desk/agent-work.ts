/**
 * Agents working a ticket: status moves (waiting for the user, back in progress, cancel), the
 * resolution, public replies, internal notes, links to known errors and duplicates.
 */
import { GuichetError } from '../../core/errors.ts';
import type { TicketStatus, TicketView, Viewer } from '../../core/tickets.ts';
import { assertStaff, illegal, notNow, type DeskContext } from './context.ts';
import { sendTold, statusNotice, tellInUnit } from './outbox.ts';
import { checkedText } from './requester.ts';
import { moveStatus } from './status-sla.ts';

const auditOf = (number: number, actor: Viewer, action: string, after: unknown, at: Date) => ({
  actorId: actor.id, actorKind: 'agent', action, entity: 'ticket', entityId: String(number), after, at,
});

/** Any other status move an agent makes (in progress, waiting for the user, cancel), with an optional note to the requester. */
export async function setStatus(ctx: DeskContext, number: number, actor: Viewer, to: TicketStatus, note?: string): Promise<TicketView> {
  assertStaff(actor);
  if (to === 'resolved') return resolve(ctx, number, actor, note ?? '');
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx) => {
    await moveStatus(ctx, tx, number, to, { id: actor.id, kind: 'agent' }, now);
    if (note?.trim()) await tx.appendEvent(number, { kind: 'reply', actorId: actor.id, actorKind: 'agent', data: { text: note.trim() }, at: now });
    await tx.audit(auditOf(number, actor, 'ticket.status', { status: to }, now));
    const row = await ctx.row(tx, number);
    return tellInUnit(ctx, tx, { number, changed: 'status', notices: statusNotice(row.requesterId, actor.id, to, note?.trim() || undefined) }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

export async function resolve(ctx: DeskContext, number: number, actor: Viewer, resolution: string): Promise<TicketView> {
  assertStaff(actor);
  const text = checkedText('resolution', resolution);
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx) => {
    await moveStatus(ctx, tx, number, 'resolved', { id: actor.id, kind: 'agent' }, now);
    const row = await ctx.row(tx, number);
    await tx.update(number, { resolution: text, resolvedAt: now, assigneeId: row.assigneeId ?? actor.id });
    await tx.appendEvent(number, { kind: 'resolved', actorId: actor.id, actorKind: 'agent', data: { resolution: text }, at: now });
    await tx.audit(auditOf(number, actor, 'ticket.resolve', { resolution: text }, now));
    return tellInUnit(ctx, tx, { number, changed: 'resolved', notices: [{ to: 'requester', say: 'resolved' }] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

/** A public reply: recorded (the first one meets the response target) and sent to the requester. */
export async function reply(ctx: DeskContext, number: number, actor: Viewer, text: string): Promise<TicketView> {
  assertStaff(actor);
  const body = checkedText('text', text);
  const now = ctx.now();
  const agent = (await ctx.repo.person(actor.id))?.displayName ?? '?';
  // The reply and the job sending it to the requester commit together: never lost, sent once.
  const told = await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (row.status === 'cancelled') throw illegal(`ticket #${number} is cancelled`, notNow(number, 'cancelled', 'tickets.refusedNotOpen'));
    if (!row.firstResponseAt) await tx.update(number, { firstResponseAt: now });
    await tx.appendEvent(number, { kind: 'reply', actorId: actor.id, actorKind: 'agent', data: { text: body }, at: now });
    return tellInUnit(ctx, tx, { number, changed: 'reply', notices: [{ to: 'requester', say: 'reply', data: { agent, text: body } }] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

/** An internal note: never shown to the requester. */
export async function addNote(ctx: DeskContext, number: number, actor: Viewer, text: string): Promise<TicketView> {
  assertStaff(actor);
  const body = checkedText('text', text);
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx) => {
    await ctx.row(tx, number);
    await tx.appendEvent(number, { kind: 'note', actorId: actor.id, actorKind: 'agent', visibility: 'internal', data: { text: body }, at: now });
    await tx.audit(auditOf(number, actor, 'ticket.note', { length: body.length }, now));
    return tellInUnit(ctx, tx, { number, changed: 'note', notices: [] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

export async function linkKnownError(ctx: DeskContext, number: number, actor: Viewer, articleId: string): Promise<TicketView> {
  assertStaff(actor);
  await ctx.repo.transaction(async (tx) => {
    await ctx.row(tx, number);
    await tx.update(number, { knownErrorId: articleId });
    await tx.appendEvent(number, { kind: 'linked', actorId: actor.id, actorKind: 'agent', visibility: 'internal', data: { knownError: articleId }, at: ctx.now() });
  });
  return ctx.mustView(number);
}

/** Cancels a ticket as a duplicate of another one. */
export async function markDuplicate(ctx: DeskContext, number: number, actor: Viewer, of: number): Promise<TicketView> {
  assertStaff(actor);
  const original = await ctx.repo.find(of);
  if (!original || of === number) throw new GuichetError('ticketing.invalid', `ticket #${number}: #${of} is not a ticket it can duplicate`);
  const now = ctx.now();
  await ctx.repo.transaction(async (tx) => {
    await tx.update(number, { duplicateOfId: original.id });
    await moveStatus(ctx, tx, number, 'cancelled', { id: actor.id, kind: 'agent' }, now);
    await tx.appendEvent(number, { kind: 'linked', actorId: actor.id, actorKind: 'agent', data: { duplicateOf: of }, at: now });
  });
  return ctx.mustView(number);
}
