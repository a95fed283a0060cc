/**
 * What the desk tells after a change, as a job of the change's own unit of work (the outbox): the
 * messages to the people concerned and the desk owner's `onChange` (the agents' card). No commit,
 * no job; a commit, a job — run by the writer right after the commit (`runNow`), or by the next
 * runner (another instance, or this one restarted) when the writer died in between.
 *
 * A job carries what to say as data (a notice name and its values), never text: the messages are
 * built when it runs, in each recipient's language, with the ticket's card as it is then. Each
 * recipient is one step (JobContext.step): a retry skips those already told, so a retried job does
 * not tell anyone twice (the platforms take no idempotency key: a crash between a post and its
 * step being recorded is the only way to a double). Jobs of one ticket share a lane, run in the
 * order they were written (src/jobs/runner.ts).
 *
 * Without a job queue (unit tests on memory stores), the same job runs in process after the commit,
 * its failures reported, never thrown, as before the outbox.
 */
import { randomUUID } from 'node:crypto';
import { GuichetError } from '../../core/errors.ts';
import { inProcess, ownedJob, personStep, stepsOf, ticketLane, type JobContext, type NewJob } from '../../core/jobs.ts';
import type { Lang } from '../../core/lang.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import { personName, statusLabel } from '../../core/ticket-texts.ts';
import type { TicketStatus, TicketView } from '../../core/tickets.ts';
import { say } from '../../texts/index.ts';
import type { TicketUnit } from '../ports.ts';
import type { DeskContext } from './context.ts';
import { deliverToUser, resolvedMessages } from './notify.ts';

/** The queue of the desk's messages and `onChange` after a change. */
export const DESK_TELL_QUEUE = 'ticket.tell';

/**
 * Who hears it, resolved when the job runs from the ticket as it is then: its requester, whoever
 * handles it (the assignee, else the group's manager), the people an escalation concerns (group
 * manager, service desk lead, assignee), or one person.
 */
export type Recipient = 'requester' | 'handler' | 'escalation' | { id: string };

/** One message to one recipient: a notice name (NOTICES) and its values. */
export interface Notice {
  to: Recipient;
  say: NoticeName;
  data?: Record<string, string | number | null>;
}

/** What a desk job carries. */
export interface TellPayload {
  number: number;
  /** The `onChange` kind, when the owner hears of it. */
  changed?: string;
  notices: Notice[];
}

type Build = (ctx: DeskContext, view: TicketView, lang: Lang, data: Record<string, string | number | null>) => OutboundMessage[];

const card = (ctx: DeskContext, view: TicketView, lang: Lang): OutboundMessage => ({ type: 'ticket', ticket: view, lang, ...ctx.zone() });
const line = (value: string): OutboundMessage => ({ type: 'text', text: value });

/** The messages of each notice, in the recipient's language. */
const NOTICES = {
  status: (ctx, view, lang, d) => {
    const to = d.status as TicketStatus;
    const text = to === 'pending-user' ? say(lang, 'tickets.needInfo', { number: view.number }) : say(lang, 'tickets.statusChanged', { number: view.number, status: statusLabel(lang, to) });
    return [line(d.note && to === 'pending-user' ? `${text}\n${d.note}` : text), card(ctx, view, lang)];
  },
  reassigned: (ctx, view, lang, d) => [line(say(lang, 'tickets.reassigned', { number: view.number, agent: String(d.agent) })), card(ctx, view, lang)],
  escalated: (_ctx, view, lang, d) => [line(say(lang, 'tickets.escalatedForUser', { number: view.number, group: String(d.group ?? '—'), level: Number(d.level) }))],
  priority: (ctx, view, lang, d) => [line(say(lang, 'tickets.priorityForUser', { number: view.number, priority: String(d.priority) })), card(ctx, view, lang)],
  resolved: (ctx, view, lang) => resolvedMessages(view, lang, ctx.zone()),
  reply: (_ctx, _view, lang, d) => [line(say(lang, 'tickets.agentReplied', { agent: String(d.agent), text: String(d.text) }))],
  info: (_ctx, view, lang, d) => [line(say(lang, 'tickets.infoForAgent', { user: personName(view.requester, lang), number: view.number, text: String(d.text) }))],
  userEscalated: (_ctx, view, lang, d) => [line(say(lang, 'tickets.userEscalated', { user: personName(view.requester, lang), number: view.number, title: view.title, reason: String(d.reason) }))],
  reopened: (_ctx, view, lang) => [line(say(lang, 'tickets.reopenedForAgent', { number: view.number }))],
  approvalAsk: (ctx, view, lang, d) => [
    card(ctx, view, lang),
    {
      type: 'choices',
      text: say(lang, 'tickets.approvalAsk', { requester: String(d.requester ?? '?'), number: view.number, title: view.title }),
      choices: [
        { label: say(lang, 'tickets.approve'), value: say(lang, 'tickets.approveValue', { number: view.number }) },
        { label: say(lang, 'tickets.reject'), value: say(lang, 'tickets.rejectValue', { number: view.number }) },
      ],
    },
  ],
  decided: (ctx, view, lang, d) => [line(say(lang, d.approved ? 'tickets.approvedForUser' : 'tickets.rejectedForUser', { number: view.number })), card(ctx, view, lang)],
} satisfies Record<string, Build>;

export type NoticeName = keyof typeof NOTICES;

/** The requester hears of a status change someone else made (with the agent's note when waiting for them). */
export function statusNotice(requesterId: string, actorId: string | null, status: string, note?: string): Notice[] {
  return requesterId === actorId ? [] : [{ to: 'requester', say: 'status', data: { status, note: note ?? null } }];
}

/** A change's telling, written (or not, without a queue) in its unit of work; `sendTold` after the commit. */
export interface Told {
  payload: TellPayload;
  /** The key of the desk's job written in the outbox (the caller runs its own `also` jobs). */
  keys: string[];
}

/**
 * Writes what to tell about a change in its unit of work `tx`: a job when the desk has a queue,
 * with the caller's own jobs of the same change (`also`: the handoff's relay to an agents' thread,
 * which the caller runs itself). Call `sendTold` once the unit of work committed.
 */
export async function tellInUnit(ctx: DeskContext, tx: Pick<TicketUnit, 'enqueue'>, payload: TellPayload, now: Date, also: readonly NewJob[] = []): Promise<Told> {
  const { jobs } = ctx.deps;
  if (!jobs) {
    if (also.length > 0) throw new GuichetError('jobs.invalid-option', `ticket #${payload.number}: jobs of a change need the desk's job queue`);
    return { payload, keys: [] };
  }
  const job = deskTellJob(jobs, payload, now);
  await tx.enqueue([job, ...also], now);
  return { payload, keys: [job.key] };
}

/** The desk job of `payload`: left to its writer for the queue's grace, in its ticket's lane. */
export function deskTellJob(jobs: { graceMs: number }, payload: TellPayload, now: Date): NewJob {
  const key = `${DESK_TELL_QUEUE}:${payload.number}:${payload.changed ?? 'tell'}:${randomUUID()}`;
  return ownedJob(jobs, { queue: DESK_TELL_QUEUE, key, payload: { ...payload, lane: ticketLane(payload.number) } as unknown as Record<string, unknown> }, now);
}


/** After the commit: runs the written jobs now (another instance runs them if this one dies), or tells in process without a queue. */
export async function sendTold(ctx: DeskContext, told: Told | undefined): Promise<void> {
  if (!told) return;
  if (told.keys.length > 0 && ctx.deps.jobs) return ctx.deps.jobs.runNow(told.keys);
  // No outbox: each recipient told at once, a failure reported and never thrown (the change is done).
  await runTell(ctx, told.payload as unknown as Record<string, unknown>, inProcess, false).catch((err: unknown) => ctx.deps.onError?.(err, `telling after change of #${told.payload.number}`));
}

/** The recipients of `to` for the ticket as it is now. */
async function recipients(ctx: DeskContext, view: TicketView, to: Recipient): Promise<string[]> {
  if (typeof to === 'object') return [to.id];
  if (to === 'requester') return [view.requester.id];
  const manager = await ctx.groupManager(view.group?.id);
  if (to === 'handler') return [view.assignee?.id ?? manager].filter((x): x is string => Boolean(x));
  const lead = await ctx.userByEmail(ctx.deps.config.serviceDeskLead);
  return [...new Set([manager, lead, view.assignee?.id].filter((x): x is string => Boolean(x)))];
}

/**
 * Runs a desk job: every recipient told (one step each), then `onChange`. With `strict` (a job), a
 * recipient no channel took fails the job once the others are told, so it is retried; the steps
 * done are skipped by the retry.
 */
export async function runTell(ctx: DeskContext, raw: Record<string, unknown>, job: Pick<JobContext, 'step'>, strict = true): Promise<void> {
  const payload = raw as unknown as TellPayload;
  const view = await ctx.repo.view(payload.number);
  // Erased since (privacy): nobody to tell about it.
  if (!view) return;
  const steps = stepsOf(job, `ticket #${payload.number}`, strict ? undefined : (err, step) => ctx.deps.onError?.(err, `ticket #${payload.number}: ${step}`));
  for (const [i, notice] of payload.notices.entries()) {
    const build = NOTICES[notice.say] as Build;
    for (const userId of await recipients(ctx, view, notice.to)) {
      await steps.attempt(`notice:${i}:${personStep(userId)}`, () => deliverToUser(ctx, userId, (lang) => build(ctx, view, lang, notice.data ?? {}), `ticket #${payload.number}: ${notice.say}`));
    }
  }
  const kind = payload.changed;
  if (kind) await steps.attempt('changed', async () => ctx.deps.onChange?.(payload.number, kind));
  steps.settle();
}
