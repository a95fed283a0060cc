/**
 * The live relay between a requester's chat and the escalation card's thread (relay states in
 * ports.ts): "queued", the requester's messages are added to the ticket for whoever takes it;
 * "live", they go to the card's thread and the assignee's thread replies go to the requester;
 * "bot", nobody relays (handed back, or resolved).
 */
import type { Lang } from '../core/lang.ts';
import { fileLine, type InboundFile, type OutboundMessage } from '../core/messages.ts';
import { formatWhen, personName, statusLabel } from '../core/ticket-texts.ts';
import { isOpenStatus, type TicketView } from '../core/tickets.ts';
import type { NewJob } from '../core/jobs.ts';
import { say, type TextKey } from '../texts/index.ts';
import { cut, refusal, text, viewerOf, type Actor, type HandoffDeps } from './context.ts';
import { handoffJob, sendInProcess, type HandoffPayload } from './outbox.ts';
import type { HandoffStore } from './ports.ts';

/** Longest user message echoed into an agents' thread. */
export const MAX_RELAYED_TEXT = 2_000;

/** How a requester's message is taken: only while live, and the conversation's relayed ticket when the caller read it already this turn. */
export interface RequesterOptions {
  only?: 'live';
  relayed?: Promise<RelayedTicket | undefined>;
}

export type RelayedTicket = NonNullable<Awaited<ReturnType<HandoffStore['relayedTicketOf']>>>;

export class RelayDesk {
  constructor(private readonly deps: HandoffDeps) {}

  /** What the user is told when they asked for a person: the ticket, whether someone is around, the SLA due time. */
  queuedNotice(ticket: TicketView, availableAgents: number, lang: Lang, timeZone = this.deps.timeZone): string {
    const dueAt = ticket.responseDueAt ?? ticket.resolutionDueAt;
    const due = dueAt ? say(lang, 'handoff.dueBefore', { when: formatWhen(dueAt, lang, timeZone) }) : '';
    const availability = say(lang, availableAgents > 0 ? 'handoff.agentsAvailable' : 'handoff.noAgentAvailable', { due });
    return say(lang, 'handoff.queued', { number: ticket.number, availability });
  }

  /**
   * A message in a conversation that is a card's thread: the assignee's words
   * go to the user while the relay is live; anyone else's become an internal
   * note. Undefined when the conversation is no card's thread.
   */
  async fromThread(actor: Actor, conversationId: string, message: string): Promise<OutboundMessage[] | undefined> {
    const key = await this.deps.store.threadKeyOfConversation(conversationId);
    const number = key ? await this.deps.store.ticketOfThread(key) : undefined;
    if (number === undefined) return undefined;
    const { user, lang } = actor;
    const viewer = viewerOf(user);
    const ticket = await this.deps.desk.view(number, viewer);
    if (!ticket) return text(say(lang, 'handoff.unknownTicket', { number }));
    if (user.role === 'employee') return text(say(lang, 'handoff.agentsOnly'));
    const refused = await refusal(this.deps.store, viewer, ticket, lang);
    if (refused) return refused;
    // A resolved ticket still takes notes; a closed or cancelled one takes nothing.
    if (!isOpenStatus(ticket.status) && ticket.status !== 'resolved') return text(say(lang, 'handoff.stale', { number, status: statusLabel(lang, ticket.status).toLowerCase() }));
    if ((await this.deps.store.relayOf(number)) === 'live' && ticket.assignee?.id === user.id) {
      await this.deps.desk.reply(number, viewer, message); // the desk sends it to the requester, attributed
      return [];
    }
    await this.deps.desk.addNote(number, viewer, message);
    return text(say(lang, 'handoff.takeFirst', { number }));
  }

  /**
   * A message from a requester whose conversation is relayed: queued on the
   * ticket while nobody has it, sent to the agents' thread once someone does.
   * Undefined when the conversation is not relayed.
   */
  async fromRequester(actor: Actor, conversationId: string, message: string, origin: string, takeFiles?: () => InboundFile[], options: RequesterOptions = {}): Promise<OutboundMessage[] | undefined> {
    const relayed = options.relayed ? await options.relayed : await this.deps.store.relayedTicketOf(conversationId);
    if (!relayed || (options.only && relayed.relay !== options.only)) return undefined;
    const { user, lang } = actor;
    const viewer = viewerOf(user);
    const ticket = await this.deps.desk.view(relayed.number, viewer);
    if (!ticket || ticket.requester.id !== user.id) return undefined;
    // A waiting user may leave the queue (back to the bot) or ask to be called back at a time.
    const waiting = relayed.relay === 'queued' && message ? await this.deps.desks?.fromWaiting(ticket.number, message, lang) : undefined;
    if (waiting?.left) {
      await this.deps.store.setRelay(ticket.number, 'bot');
      await this.deps.desk.recordAction(viewer, 'ticket.queue-left', ticket.number, {});
      return text(waiting.text);
    }
    const files = takeFiles?.() ?? [];
    if (relayed.relay === 'queued') {
      await this.deps.desk.addInfo(ticket.number, viewer, message, origin, files);
      return text(waiting?.text ?? say(lang, 'handoff.queuedMessage', { number: ticket.number }));
    }
    // Live: the message and its post in the agents' thread commit together (never lost, posted once).
    const said = [message ? cut(this.deps, message, ticket.number, MAX_RELAYED_TEXT, this.deps.lang) : '', ...files.map(fileLine)].filter(Boolean).join('\n');
    const name = personName((await this.deps.desk.contact(user.id)).user, this.deps.lang);
    const relay: HandoffPayload = { number: ticket.number, thread: say(this.deps.lang, 'handoff.userSays', { user: name, text: said }) };
    const { jobs } = this.deps;
    const job = jobs ? handoffJob(jobs, relay, new Date()) : undefined;
    await this.deps.desk.addInfo(ticket.number, viewer, message, origin, files, job ? [job] : []);
    // Run once, after the desk's job of the same message (a retried delivery wrote no second job).
    if (jobs && job) await jobs.runNow([job.key]);
    else await sendInProcess(this.deps, relay);
    return waiting ? text(waiting.text) : [];
  }

  /** "Cancel" while waiting for someone: nobody relays any more, the ticket stays open; "a person" again: still waiting. */
  async whileQueued(actor: Actor, conversationId: string, what: 'stop' | 'remind'): Promise<OutboundMessage[] | undefined> {
    const relayed = await this.deps.store.relayedTicketOf(conversationId);
    if (relayed?.relay !== 'queued') return undefined;
    const ticket = await this.deps.desk.view(relayed.number, viewerOf(actor.user));
    if (!ticket || ticket.requester.id !== actor.user.id) return undefined;
    if (what === 'remind') return text(say(actor.lang, 'handoff.stillWaiting', { number: ticket.number }));
    await this.deps.store.setRelay(ticket.number, 'bot');
    return text(say(actor.lang, 'handoff.waitCancelled', { number: ticket.number }));
  }

  /**
   * What tells the requester, in their language, what happened to their conversation: `write` gives
   * the job to put in the change's unit of work (none without a queue), `sent` runs it after the
   * commit (in process without a queue).
   */
  requesterWord(number: number, key: TextKey, vars: Record<string, string | number>): { also: NewJob[]; sent: () => Promise<void> } {
    const payload: HandoffPayload = { number, requester: { key, vars } };
    const { jobs } = this.deps;
    if (!jobs) return { also: [], sent: () => sendInProcess(this.deps, payload) };
    const job = handoffJob(jobs, payload, new Date());
    return { also: [job], sent: () => jobs.runNow([job.key]) };
  }
}
