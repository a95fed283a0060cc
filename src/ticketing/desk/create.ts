/**
 * Opening a ticket (idempotent per origin: a retried delivery returns the first ticket), and the
 * approval of service requests that need one.
 */
import { z } from 'zod';
import type { Created, CreateOptions, NewTicket, TicketView, Viewer } from '../../core/tickets.ts';
import { GuichetError } from '../../core/errors.ts';
import { say } from '../../texts/index.ts';
import { policyFor } from '../config.ts';
import type { NewTicketRecord, TicketRecord } from '../ports.ts';
import { priorityOf } from '../priority.ts';
import { isOpen } from '../status.ts';
import { invalid, type DeskContext } from './context.ts';
import { filesSchema } from './describe-event.ts';
import { changed, changedJob } from './notify.ts';
import { sendTold, tellInUnit } from './outbox.ts';
import { ownedJob } from '../../core/jobs.ts';
import { deskMoment, dueDates, moveStatus } from './status-sla.ts';

const newTicketSchema = z.object({
  type: z.enum(['incident', 'request']),
  title: z.string().trim().min(3, 'is too short (3 characters at least)').max(200, 'is too long (200 characters at most)'),
  description: z.string().trim().min(1, 'is empty').max(20_000, 'is too long (20,000 characters at most)'),
  category: z.string().trim().min(1).max(100),
  serviceId: z.string().nullish(),
  groupId: z.string().nullish(),
  impact: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  urgency: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  requesterId: z.string().min(1),
  diagnosis: z.unknown().optional(),
  conversationId: z.string().nullish(),
  origin: z.string().max(300).nullish(),
  createdBy: z.object({ id: z.string().nullable(), kind: z.enum(['user', 'agent', 'bot']) }),
  approval: z.enum(['manager', 'owner']).optional(),
  approver: z.string().max(320).optional(),
  files: filesSchema.optional(),
});

export async function create(ctx: DeskContext, input: NewTicket, options: CreateOptions = {}): Promise<Created> {
  const parsed = newTicketSchema.safeParse(input);
  if (!parsed.success) throw invalid('', parsed.error);
  const t = parsed.data;
  // Three independent reads at once, and the number where it comes from a sequence (one round trip's wait on
  // PostgreSQL's pool instead of four; a refused opening then leaves a gap in the numbers, as a retried origin does).
  const [requester, service, named, drawn] = await Promise.all([
    ctx.repo.person(t.requesterId),
    t.serviceId ? ctx.repo.service(t.serviceId) : undefined,
    t.groupId ? ctx.repo.group(t.groupId) : undefined,
    ctx.repo.drawNumber?.(),
  ]);
  if (!requester) throw new GuichetError('ticketing.invalid', `ticket: "requesterId" names no user (${t.requesterId})`);
  if (t.groupId && !named) throw new GuichetError('ticketing.invalid', `ticket: "groupId" names no support group (${t.groupId})`);
  const { config } = ctx.deps;
  const priority = priorityOf(config.matrix, t.impact, t.urgency);
  const policy = policyFor(config, { vip: requester.vip, priority, criticality: service?.criticality ?? null });
  const now = ctx.now();
  const groupId = named?.id ?? service?.groupId ?? ctx.deps.defaultGroupId ?? null;
  const approval = t.approval ? `\n\n(${t.approval === 'manager' ? 'Approval: manager' : 'Approval: owner'}${t.approver ? ` — ${t.approver}` : ''})` : '';
  const record: NewTicketRecord = {
    type: t.type, title: t.title, description: `${t.description}${approval}`, category: t.category, serviceId: service?.id ?? null,
    impact: t.impact, urgency: t.urgency, priority, requesterId: t.requesterId, groupId,
    level: named?.level ?? (groupId ? (config.groups.find((g) => g.id === groupId)?.level ?? 1) : 1),
    slaPolicyId: policy.id, ...dueDates(ctx, policy, priority, now),
    diagnosis: t.diagnosis ?? {}, conversationId: t.conversationId ?? null, originKey: t.origin ?? null, createdAt: now,
  };
  // One unit of work with its first events, the audit of an agent's creation and the card's job
  // (the rest of onChange too): never lost, run once. A retried delivery finds its first ticket.
  const number = await ctx.repo.open({ ...record, nextSlaAt: newTicketMoment(ctx, record) }, (n) => ({
    events: [
      { kind: 'created', actorId: t.createdBy.id, actorKind: t.createdBy.kind, data: { type: t.type, priority, policy: policy.id }, at: now },
      ...(t.files?.length ? [{ kind: 'files', actorId: t.requesterId, actorKind: 'user' as const, data: { files: t.files }, at: now }] : []),
    ],
    audit: t.createdBy.kind === 'agent' ? { actorId: t.createdBy.id, actorKind: 'agent', action: 'ticket.create', entity: 'ticket', entityId: String(n), after: { priority }, at: now } : undefined,
    jobs: ctx.deps.jobs ? [ownedJob(ctx.deps.jobs, changedJob(n, 'created'), now)] : [],
  }), drawn);
  if (number === undefined) {
    // The same origin created before (a retried delivery) or concurrently: it is the same ticket.
    const first = t.origin ? await ctx.repo.numberByOrigin(t.origin) : undefined;
    if (first === undefined) throw new GuichetError('ticketing.conflict', `ticket: origin "${t.origin}" is taken, yet no ticket has it`);
    // Its card too, when the first attempt's caller did not get to run it (a turn retried after a conflict): a no-op once done.
    return { ticket: await ctx.mustView(first), created: false, ...cardAfterReply(ctx, first, options) };
  }
  const { jobs } = ctx.deps;
  const { afterReply } = cardAfterReply(ctx, number, options);
  if (jobs && !afterReply) await jobs.runNow([changedJob(number, 'created').key]);
  else if (!jobs) await changed(ctx, number, 'created');
  if (t.approval) await requestApproval(ctx, number, t.requesterId, t.approval, t.approver);
  const [ticket] = await Promise.all([
    ctx.mustView(number),
    options.alongView?.({ number, type: record.type, title: record.title, description: record.description, serviceId: record.serviceId }),
  ]);
  return { ticket, created: true, ...(afterReply ? { afterReply } : {}) };
}

/** With `cardAfterReply` and a job queue: the run of the ticket's card job, for the caller to start after its reply. */
function cardAfterReply(ctx: DeskContext, number: number, options: CreateOptions): Pick<Created, 'afterReply'> {
  const { jobs } = ctx.deps;
  if (!jobs || !options.cardAfterReply) return {};
  return { afterReply: () => jobs.runAfterReply([changedJob(number, 'created').key]) };
}

/**
 * A new ticket's next SLA moment, stored with it (the repository's `open` does not re-read it); a
 * misconfigured calendar makes it "due now", reported, as sla-rearm.ts does on a change.
 */
function newTicketMoment(ctx: DeskContext, t: NewTicketRecord): Date | null {
  const record: TicketRecord = {
    ...t, id: '', number: 0, status: 'new', assigneeId: null, firstResponseAt: null, slaPausedAt: null, slaPausedMinutes: 0, responseBreached: false, resolutionBreached: false,
    responseWarnedAt: null, resolutionWarnedAt: null, nextSlaAt: null, majorIncidentId: null, resolvedAt: null, closedAt: null,
  };
  try {
    return deskMoment(ctx.deps, record);
  } catch (err) {
    ctx.deps.onError?.(err, 'SLA moment');
    return new Date(0);
  }
}

/**
 * Asks the approver of a service request (the requester's manager, or the owner named in the
 * request) to approve or reject it, with two buttons whose values the ticket chat module reads
 * ("#1042 approve" / "#1042 reject"). Without a known approver, the service desk decides.
 */
async function requestApproval(ctx: DeskContext, number: number, requesterId: string, kind: 'manager' | 'owner', approverEmail?: string): Promise<void> {
  const requester = await ctx.repo.person(requesterId);
  const approverId = kind === 'manager' ? (requester?.managerId ?? undefined) : await ctx.userByEmail(approverEmail?.trim().toLowerCase());
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx) => {
    const fresh = await tx.appendEvent(number, { kind: 'approval-requested', actorId: null, actorKind: 'bot', data: { approval: kind, approverId: approverId ?? null }, dedupeKey: 'approval-requested', at: now });
    if (!fresh || !approverId) return undefined;
    return tellInUnit(ctx, tx, { number, notices: [{ to: { id: approverId }, say: 'approvalAsk', data: { requester: requester?.displayName ?? '?' } }] }, now);
  });
  await sendTold(ctx, told);
}

/** The approver's answer: approved → work can start; rejected → the request is cancelled. The requester is told either way. */
export async function decideApproval(ctx: DeskContext, number: number, viewer: Viewer, approved: boolean, origin: string): Promise<TicketView> {
  const ticket = await ctx.repo.find(number);
  const approvals = ticket ? await ctx.repo.events(number, { kinds: ['approval-requested', 'approval-granted', 'approval-rejected'] }) : [];
  const asked = approvals.filter((e) => e.kind === 'approval-requested').at(-1);
  const approverId = asked?.data.approverId as string | null | undefined;
  if (!ticket || !asked || (approverId !== viewer.id && viewer.role !== 'admin')) throw new GuichetError('ticketing.not-found', `no request #${number} waiting for your approval`);
  const decided = approvals.find((e) => e.kind !== 'approval-requested');
  if (decided) {
    const key = decided.kind === 'approval-granted' ? 'tickets.decisionApproved' : 'tickets.decisionRejected';
    throw new GuichetError('ticketing.illegal-transition', `request #${number} was already ${decided.kind === 'approval-granted' ? 'approved' : 'rejected'}`, {
      user: { key: 'tickets.refusedAlreadyDecided', vars: (lang) => ({ number, decision: say(lang, key) }) },
    });
  }
  const now = ctx.now();
  const told = await ctx.repo.transaction(async (tx) => {
    await tx.appendEvent(number, { kind: approved ? 'approval-granted' : 'approval-rejected', actorId: viewer.id, actorKind: 'user', data: {}, dedupeKey: `approval:${origin}`, at: now });
    if (!approved && isOpen(ticket.status)) await moveStatus(ctx, tx, number, 'cancelled', { id: viewer.id, kind: 'user' }, now);
    await tx.audit({ actorId: viewer.id, actorKind: viewer.role, action: approved ? 'ticket.approve' : 'ticket.reject', entity: 'ticket', entityId: String(number), after: {}, at: now });
    return tellInUnit(ctx, tx, { number, changed: approved ? 'approved' : 'rejected', notices: [{ to: 'requester', say: 'decided', data: { approved: approved ? 1 : 0 } }] }, now);
  });
  await sendTold(ctx, told);
  return ctx.mustView(number);
}
