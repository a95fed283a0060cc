/**
 * Moving a ticket to another support group named by someone else than the escalation chain: the
 * desks' routing (the group of the desk an escalation was routed to) or the system of record
 * (an assignment group changed in GLPI). Like a functional escalation, the ticket goes to the
 * group unassigned and back to "new"; nothing changes when it is already there.
 */
import { GuichetError } from '../../core/errors.ts';
import type { TicketView, Viewer } from '../../core/tickets.ts';
import { isOpen } from '../status.ts';
import { assertStaff, illegal, type DeskContext } from './context.ts';
import { sendTold, tellInUnit } from './outbox.ts';
import { moveToGroup } from './status-sla.ts';

export async function setGroup(ctx: DeskContext, number: number, actor: Viewer, groupId: string, reason: string): Promise<TicketView> {
  assertStaff(actor);
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx) => {
    const row = await ctx.row(tx, number);
    if (row.groupId === groupId) return undefined;
    if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: its group is final`);
    const target = await tx.group(groupId);
    if (!target) throw new GuichetError('ticketing.invalid', `ticket #${number}: "groupId" names no support group (${groupId})`);
    await moveToGroup(ctx, tx, row, target, { id: actor.id, kind: 'agent' }, now, { data: { type: 'group', reason } });
    await tx.audit({ actorId: actor.id, actorKind: actor.role, action: 'ticket.group', entity: 'ticket', entityId: String(number), before: { groupId: row.groupId }, after: { groupId, reason }, at: now });
    return tellInUnit(ctx, tx, { number, changed: 'regrouped', notices: [] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}
