/**
 * The handoff's messages as outbox jobs (see src/ticketing/desk/outbox.ts): a requester's message
 * relayed to the agents' thread, the requester told that an agent joined or handed back, an agent
 * told what an automatic assignment gave them. Each job is written in the unit of work of the desk
 * change it goes with (`also` of addInfo, take, recordAction), so a message is never lost: an
 * instance that dies after the commit leaves the job to the next runner. Each post is one step
 * (a retry skips the posts made); jobs of a ticket share its lane (run in order, after the desk's
 * own job of the same change). Without a job queue the same messages are sent in process.
 */
import { randomUUID } from 'node:crypto';
import { inProcess, ownedJob, stepsOf, ticketLane, type JobContext, type JobQueue, type NewJob } from '../core/jobs.ts';
import type { Lang } from '../core/lang.ts';
import { fileLine, type OutboundMessage } from '../core/messages.ts';
import { personName } from '../core/ticket-texts.ts';
import type { TicketView, Viewer } from '../core/tickets.ts';
import { notifyOrThrow } from '../core/notifier.ts';
import { say, type TextKey } from '../texts/index.ts';
import { posterOf, type HandoffDeps } from './context.ts';

/** The queue of the handoff's messages. */
export const HANDOFF_QUEUE = 'handoff.relay';

/** What a handoff job carries: one of a thread post, a word to the requester, messages to a person. */
export interface HandoffPayload {
  number: number;
  /** Text posted in the thread of every card of the ticket. */
  thread?: string;
  /** A catalogue text for the requester, in their language. */
  requester?: { key: TextKey; vars: Record<string, string | number> };
  /** Messages as they are, to one person. */
  person?: { id: string; messages: OutboundMessage[] };
  /** The agent an automatic assignment gave the ticket to: told what a take tells (takenMessages), in their language. */
  taken?: { agentId: string };
}

/** The job of `payload`, in its ticket's lane (the desk's lane: ticket:N), left to its writer for the grace. */
export function handoffJob(jobs: Pick<JobQueue, 'graceMs'>, payload: HandoffPayload, now: Date): NewJob {
  const key = `${HANDOFF_QUEUE}:${payload.number}:${randomUUID()}`;
  return ownedJob(jobs, { queue: HANDOFF_QUEUE, key, payload: { ...payload, lane: ticketLane(payload.number) } as unknown as Record<string, unknown> }, now);
}

/**
 * Runs a handoff job: each post one step. With `strict` (a job), a post that failed fails the job
 * once the others are made, so it is retried (the posts made are skipped).
 */
export async function runHandoffJob(deps: HandoffDeps, raw: Record<string, unknown>, job: Pick<JobContext, 'step'>, strict = true): Promise<void> {
  const p = raw as unknown as HandoffPayload;
  const steps = stepsOf(job, `handoff of #${p.number}`, strict ? undefined : (err, step) => deps.onError?.(err, `handoff of #${p.number}: ${step}`));
  if (p.thread !== undefined) {
    const said = p.thread;
    for (const { platform, post } of await deps.store.posts(p.number)) {
      const poster = posterOf(deps, platform);
      if (poster) await steps.attempt(`thread:${platform}`, async () => void (await poster.reply(post, [{ type: 'text', text: said }])));
    }
  }
  if (p.requester) {
    const { key, vars } = p.requester;
    const requesterId = (await deps.desk.view(p.number, { id: 'system', role: 'admin' }))?.requester.id;
    if (requesterId) {
      const lang = (await deps.desk.contact(requesterId)).user.locale ?? deps.lang;
      await steps.attempt('requester', () => notifyOrThrow(deps.notifier, requesterId, [{ type: 'text', text: say(lang, key, vars) }], `handoff of #${p.number}: message`));
    }
  }
  if (p.taken) {
    const { agentId } = p.taken;
    await steps.attempt('taken', async () => {
      const ticket = await deps.desk.view(p.number, { id: 'system', role: 'admin' });
      // Erased since (privacy): nothing to tell.
      if (!ticket) return;
      const lang = (await deps.desk.contact(agentId)).user.locale ?? deps.lang;
      await notifyOrThrow(deps.notifier, agentId, await takenMessages(deps, ticket, { id: agentId, role: 'agent' }, lang), `handoff of #${p.number}: assignment`);
    });
  }
  if (p.person) {
    const { id, messages } = p.person;
    await steps.attempt('person', () => notifyOrThrow(deps.notifier, id, messages, `handoff of #${p.number}: message`));
  }
  steps.settle();
}

/**
 * What an agent who took a ticket is told: who asked; with desks, where the requester was routed
 * from (beside the card's record); what the requester wrote while nobody had it, files with their links.
 */
export async function takenMessages(deps: HandoffDeps, ticket: TicketView, viewer: Viewer, lang: Lang): Promise<OutboundMessage[]> {
  const number = ticket.number;
  const waiting = (await deps.desk.timeline(number, viewer, lang)).filter((e) => e.actorKind === 'user' && e.visibility === 'public' && e.kind !== 'created');
  const replies: OutboundMessage[] = [{ type: 'text', text: say(lang, 'handoff.taken', { number, user: personName(ticket.requester, lang) }) }];
  if (deps.desks) replies.push({ type: 'text', text: deps.desks.whereFrom(ticket, await deps.desk.contact(ticket.requester.id), lang) });
  const lines = waiting.flatMap((e) => [`- ${e.text}`, ...(e.files ?? []).map((f) => `  ${fileLine(f)}`)]);
  if (waiting.length > 0) replies.push({ type: 'text', text: [say(lang, 'handoff.queuedHeader'), ...lines].join('\n') });
  return replies;
}

/** Sends `payload`'s messages now, in process (no job queue): failures reported, never thrown. */
export function sendInProcess(deps: HandoffDeps, payload: HandoffPayload): Promise<void> {
  return runHandoffJob(deps, payload as unknown as Record<string, unknown>, inProcess, false);
}
