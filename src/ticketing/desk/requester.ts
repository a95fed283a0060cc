/**
 * What requesters do with their tickets: add information (or files), escalate with a reason,
 * answer "is it fixed?" (closure only on their confirmation; "not fixed" reopens), rate.
 * Each is idempotent per origin ("channel:deliveryId"): a retried delivery changes nothing twice.
 */
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { fileLine, type InboundFile } from '../../core/files.ts';
import type { Level, TicketView, Viewer } from '../../core/tickets.ts';
import { priorityOf } from '../priority.ts';
import { assertTransition, isOpen, REOPEN_DAYS } from '../status.ts';
import { illegal, invalid, notNow, type DeskContext } from './context.ts';
import { filesSchema } from './describe-event.ts';
import type { NewJob } from '../../core/jobs.ts';
import { sendTold, statusNotice, tellInUnit, type Notice, type Told } from './outbox.ts';
import { moveStatus, reprioritized } from './status-sla.ts';

const textSchema = z.string().trim().min(1, 'is empty').max(8_000, 'is too long (8,000 characters at most)');

/** A person's text, checked (trimmed, 1 to 8,000 characters). */
export function checkedText(field: string, value: string): string {
  const parsed = textSchema.safeParse(value);
  if (!parsed.success) throw invalid(field, parsed.error);
  return parsed.data;
}

/** `also`: the caller's jobs of the same message, written with it only when it is new (the handoff's relay to the agents' thread). */
export async function addInfo(ctx: DeskContext, number: number, viewer: Viewer, text: string, origin: string, files: InboundFile[] = [], also: readonly NewJob[] = []): Promise<TicketView> {
  const attached = filesSchema.safeParse(files);
  if (!attached.success) throw invalid('files', attached.error);
  // A file alone is information too (a screenshot says what words would not).
  const body = attached.data.length > 0 && !text.trim() ? '' : checkedText('text', text);
  const row = await ctx.own(number, viewer, 'ticket.add-info');
  if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: information can only be added to an open ticket`, notNow(number, row.status, 'tickets.refusedOnlyOpenInfo'));
  const now = ctx.now();
  const said = [body, ...attached.data.map(fileLine)].filter(Boolean).join('\n');
  const told = await ctx.repo.transaction(async (tx): Promise<Told | undefined> => {
    const data = attached.data.length > 0 ? { text: body, files: attached.data } : { text: body };
    const fresh = await tx.appendEvent(number, { kind: 'info', actorId: viewer.id, actorKind: 'user', data, dedupeKey: `info:${origin}`, at: now });
    if (!fresh) return undefined;
    // The requester answered what the desk waited for: work goes on, and so does the SLA clock.
    if (row.status === 'pending-user') await moveStatus(ctx, tx, number, 'in-progress', { id: viewer.id, kind: 'user' }, now);
    const notices: Notice[] = [{ to: 'handler', say: 'info', data: { text: said } }, ...(row.status === 'pending-user' ? statusNotice(row.requesterId, viewer.id, 'in-progress') : [])];
    return tellInUnit(ctx, tx, { number, changed: 'info', notices }, now, also);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

/**
 * A reason that says time is short or work is stopped: a deadline ("client demain 9h", "avant midi",
 * "by 5pm", "in 10 minutes"), blocking words ("c'est bloquant", "I'm blocked", "je ne peux plus travailler"),
 * an urgent word. Matched on the folded reason (lower case, no accents).
 */
const PRESSING = [
  /\b(?:urgent|urgence|urgently|asap|au plus vite|tout de suite|immediately|emergency)\b|!!!/,
  /\b(?:demain|aujourd'hui|ce soir|ce matin|cet apres-midi|avant midi|avant ce soir|tomorrow|today|tonight|this (?:morning|afternoon|evening)|deadline|echeance)\b/,
  /\b(?:a|avant|vers|by|at|before) \d{1,2} ?(?:h|heures?|am|pm)\b|\b\d{1,2} ?h(?:\d{2})?\b|\b\d{1,2} ?(?:am|pm)\b|\b(?:dans|in) (?:\d+|quelques|a few) ?(?:min|mins|minutes?|heures?|hours?)\b/,
  /\b(?:bloquant|bloquee?s?|bloque|blocked|blocking|blocker|stuck|coince|je ne peux (?:plus|pas) travailler|can'?t work|cannot work|unable to work|a l'arret|a l'arret total|work stopped)\b/,
];

/** The urgency a requester's escalation reason asks for: high when it names a deadline or blocking words. */
export function reasonUrgency(reason: string): Level | undefined {
  const folded = reason.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[’`]/g, "'");
  return PRESSING.some((pattern) => pattern.test(folded)) ? 1 : undefined;
}

/**
 * A hierarchical escalation on the timeline; the group's manager, the service desk lead and the assignee are told.
 * A reason with a deadline or blocking words raises the urgency (the priority follows the impact × urgency matrix,
 * its SLA targets with it); the status and the assignee never change.
 */
export async function escalateByRequester(ctx: DeskContext, number: number, viewer: Viewer, reason: string, origin: string): Promise<TicketView> {
  const body = checkedText('reason', reason);
  const row = await ctx.own(number, viewer, 'ticket.escalate');
  if (!isOpen(row.status)) throw illegal(`ticket #${number} is ${row.status}: only an open ticket can be escalated`, notNow(number, row.status, 'tickets.refusedOnlyOpenEscalate'));
  const urgency = reasonUrgency(body);
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx): Promise<Told | undefined> => {
    const added = await tx.appendEvent(number, { kind: 'escalated', actorId: viewer.id, actorKind: 'user', data: { type: 'hierarchical', by: 'requester', reason: body }, dedupeKey: `escalated:${origin}`, at: now });
    if (!added) return undefined;
    const current = await ctx.row(tx, number);
    if (urgency !== undefined && current.urgency > urgency) {
      const priority = priorityOf(ctx.deps.config.matrix, current.impact as Level, urgency);
      await tx.update(number, { urgency, priority, ...reprioritized(ctx, current, priority, now) });
      if (priority !== current.priority) await tx.appendEvent(number, { kind: 'priority', actorId: viewer.id, actorKind: 'user', data: { from: current.priority, to: priority }, at: now });
    }
    return tellInUnit(ctx, tx, { number, changed: 'escalated', notices: [{ to: 'escalation', say: 'userEscalated', data: { reason: body } }] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

/** "Is it fixed?" answered: yes → closed (the only way a ticket closes, besides the SLA clock's auto-close); no → reopened. */
export async function confirmResolution(ctx: DeskContext, number: number, viewer: Viewer, fixed: boolean, origin: string, comment?: string): Promise<TicketView> {
  const row = await ctx.own(number, viewer, 'ticket.confirm');
  const status = row.status;
  const now = ctx.now();
  const actor = { id: viewer.id, kind: 'user' as const };
  const data = comment ? { comment } : {};
  if (fixed) {
    if (status === 'closed') return ctx.mustView(number);
    assertTransition(number, status, 'closed');
    const closed = await ctx.repo.transaction(async (tx) => {
      await moveStatus(ctx, tx, number, 'closed', actor, now);
      await tx.appendEvent(number, { kind: 'confirmed', actorId: viewer.id, actorKind: 'user', data, dedupeKey: `confirmed:${origin}`, at: now });
      return tellInUnit(ctx, tx, { number, changed: 'closed', notices: [] }, now);
    });
    await sendTold(ctx, closed);
    return ctx.mustView(number);
  }
  if (status === 'closed' && row.closedAt && now.getTime() - row.closedAt.getTime() > REOPEN_DAYS * 86_400_000) {
    throw illegal(`ticket #${number} was closed more than ${REOPEN_DAYS} days ago: open a new ticket`, { key: 'tickets.refusedReopenTooLate', vars: { number, days: REOPEN_DAYS } });
  }
  if (isOpen(status)) return ctx.mustView(number);
  assertTransition(number, status, 'in-progress');
  const told = await ctx.repo.transaction(async (tx) => {
    await moveStatus(ctx, tx, number, 'in-progress', actor, now);
    await tx.appendEvent(number, { kind: 'reopened', actorId: viewer.id, actorKind: 'user', data, dedupeKey: `reopened:${origin}`, at: now });
    return tellInUnit(ctx, tx, { number, changed: 'reopened', notices: [{ to: 'handler', say: 'reopened' }] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}

/** Satisfaction (1–5, optional comment) on a closed ticket; a second answer replaces the first, the timeline keeps both. */
export async function rate(ctx: DeskContext, number: number, viewer: Viewer, score: number, comment?: string): Promise<TicketView> {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw new GuichetError('ticketing.invalid', `ticket #${number}: a rating is a whole number from 1 to 5 (got ${score})`, { user: { key: 'tickets.refusedRating' } });
  const row = await ctx.own(number, viewer, 'ticket.rate');
  if (row.status !== 'closed') throw illegal(`ticket #${number} is ${row.status}: only a closed ticket can be rated`, notNow(number, row.status, 'tickets.refusedOnlyClosedRate'));
  const note = comment?.trim() ? comment.trim().slice(0, 2_000) : null;
  await ctx.repo.transaction(async (tx) => {
    await tx.update(number, { csatScore: score, ...(note !== null ? { csatComment: note } : {}) });
    await tx.appendEvent(number, { kind: 'rated', actorId: viewer.id, actorKind: 'user', visibility: 'internal', data: { score, ...(note ? { comment: note } : {}) }, at: ctx.now() });
  });
  return ctx.mustView(number);
}
