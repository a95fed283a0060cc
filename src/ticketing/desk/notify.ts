/**
 * Telling people outside the desk's own changes (the SLA clock's jobs, major incidents): messages
 * built in each recipient's language, and the desk's `onChange` hook. A failure here is reported
 * through `onError`, never thrown. The desk's changes tell through their outbox job (outbox.ts).
 */
import type { Lang } from '../../core/lang.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import { notifyOrThrow } from '../../core/notifier.ts';
import type { TicketView } from '../../core/tickets.ts';
import { say } from '../../texts/index.ts';
import type { DeskContext } from './context.ts';

/** Sends messages built in the recipient's language (their locale, else the desk's default language). */
export async function notifyUser(ctx: DeskContext, userId: string, build: (lang: Lang) => OutboundMessage[]): Promise<void> {
  try {
    const person = await ctx.repo.person(userId);
    await ctx.deps.notifier.notify(userId, build(person?.locale ?? ctx.deps.defaultLang));
  } catch (err) {
    ctx.deps.onError?.(err, `notification to ${userId}`);
  }
}

/** Sends like notifyUser, for a job: a message no channel took, or a failed lookup, is thrown (core/notifier.ts `notifyOrThrow`). */
export async function deliverToUser(ctx: DeskContext, userId: string, build: (lang: Lang) => OutboundMessage[], what = 'notification'): Promise<void> {
  const person = await ctx.repo.person(userId);
  await notifyOrThrow(ctx.deps.notifier, userId, build(person?.locale ?? ctx.deps.defaultLang), what);
}

/** Tells the desk's owner (the handoff refreshes the agents' card) that a ticket changed. */
export async function changed(ctx: DeskContext, number: number, kind: string): Promise<void> {
  try {
    await ctx.deps.onChange?.(number, kind);
  } catch (err) {
    ctx.deps.onError?.(err, `after change ${kind} of #${number}`);
  }
}

/** The queue of the jobs that tell the desk's owner of a change (`onChange`). */
export const CHANGED_QUEUE = 'ticket.changed';

/** The job telling the desk's owner of a change: one per ticket and `kind` (a ticket is created once). */
export const changedJob = (number: number, kind: string) => ({ queue: CHANGED_QUEUE, key: `${CHANGED_QUEUE}:${number}:${kind}`, payload: { number, kind } });

/** Runs a changed job: unlike `changed`, a failure is thrown, so the job is retried. */
export async function runChangedJob(ctx: DeskContext, payload: Record<string, unknown>): Promise<void> {
  await ctx.deps.onChange?.(Number(payload.number), String(payload.kind));
}

/** "Is it fixed?" after a resolution: the buttons' values are what the ticket chat module parses. */
export function resolvedMessages(view: TicketView, lang: Lang, zone: { timeZone?: string } = {}): OutboundMessage[] {
  return [
    { type: 'ticket', ticket: view, lang, ...zone },
    {
      type: 'choices',
      text: say(lang, 'tickets.resolvedAsk', { number: view.number, resolution: view.resolution ?? '' }),
      choices: [
        { label: say(lang, 'tickets.yesFixed'), value: say(lang, 'tickets.fixedYesValue', { number: view.number }) },
        { label: say(lang, 'tickets.notFixed'), value: say(lang, 'tickets.fixedNoValue', { number: view.number }) },
      ],
    },
  ];
}

/** A card of the ticket as it is now, for messages that come with it. */
export async function ticketCard(ctx: DeskContext, number: number): Promise<(lang: Lang) => OutboundMessage[]> {
  const view = await ctx.mustView(number);
  return (lang) => [{ type: 'ticket', ticket: view, lang, ...ctx.zone() }];
}
