/**
 * Human handoff: the escalation card in each agents' channel (cards.ts: posted once per
 * platform, then updated in place), agents' actions on it (commands.ts: checked against the
 * ticket's group on the server, never trusted from the card), and the live relay between the
 * requester's chat and the card's thread (relay.ts).
 *
 * Relay states (HandoffStore): "queued" — the user asked for a person and
 * nobody has taken the ticket yet: their messages are added to the ticket and
 * shown to whoever takes it; "live" — an agent took it: the user's messages go
 * to the thread and the assignee's thread replies go to the user, until the
 * agent hands the conversation back ("bot") or resolves the ticket.
 */
import type { Lang } from '../core/lang.ts';
import type { InboundFile, OutboundMessage } from '../core/messages.ts';
import { isOpenStatus, type TicketView } from '../core/tickets.ts';
import type { AgentCommand } from './agent-commands.ts';
import { Cards, type EscalationCard } from './cards.ts';
import { AgentCommands } from './commands.ts';
import type { Actor, HandoffDeps } from './context.ts';
import type { QueueNotice } from './ports.ts';
import { handoffJob, HANDOFF_QUEUE, runHandoffJob, sendInProcess, type HandoffPayload } from './outbox.ts';
import { RelayDesk, type RelayedTicket, type RequesterOptions } from './relay.ts';

export { cardActions, escapeUserMarkdown, MAX_CARD_DIAGNOSIS } from './cards.ts';
export type { Actor, HandoffDeps } from './context.ts';
export { MAX_RELAYED_TEXT } from './relay.ts';

export class Handoff {
  private readonly cards: Cards;
  private readonly relay: RelayDesk;
  private readonly commands: AgentCommands;
  /** What the desks told about a ticket just queued, for `queuedNotice` (taken once). */
  private readonly notices = new Map<number, QueueNotice>();

  constructor(private readonly deps: HandoffDeps) {
    this.cards = new Cards(deps);
    this.relay = new RelayDesk(deps);
    this.commands = new AgentCommands(deps, this.cards, this.relay);
    deps.jobs?.handle(HANDOFF_QUEUE, (payload, job) => runHandoffJob(deps, payload, job));
  }

  /**
   * Posts the ticket's card in its group's agents' channels (once per platform;
   * safe to call again, e.g. for a replayed turn). With `live`, the user asked
   * for a person: their conversation is relayed from now on.
   */
  async escalate(number: number, options: { live: boolean }): Promise<{ ticket: TicketView; availableAgents: number }> {
    // A ticket opened in a chat turn gets its card (this method, not live) right after the reply: a person asked for
    // right after comes second, as when the card was posted before the reply (one card, placed in the desks' queue in order).
    if (options.live) await this.deps.desk.cardPosted(number);
    if (options.live && (await this.deps.store.relayOf(number)) === 'bot') await this.deps.store.setRelay(number, 'queued');
    const ticket = await this.cards.post(number);
    const availableAgents = ticket.group ? await this.deps.store.availableAgents(ticket.group.id) : 0;
    if (this.deps.desks) {
      const waits = options.live && (await this.deps.store.relayOf(number)) === 'queued';
      const placed = await this.deps.desks.escalated(ticket, await this.deps.desk.contact(ticket.requester.id), waits);
      if (placed.notice) this.notices.set(number, placed.notice);
      if (placed.assignTo && (await this.autoTake(number, placed.assignTo))) {
        this.notices.delete(number);
        return { ticket: (await this.deps.desk.view(number, { id: 'system', role: 'admin' })) ?? ticket, availableAgents };
      }
    }
    return { ticket, availableAgents };
  }

  /**
   * The group's automatic assignment chose `agentId`: they take the conversation as if they had said
   * `take`, and are told what a take tells them by a job written with the take (the outbox): an
   * instance that dies after the commit leaves it to the next runner.
   */
  private async autoTake(number: number, agentId: string): Promise<boolean> {
    const { user } = await this.deps.desk.contact(agentId);
    const lang = user.locale ?? this.deps.lang;
    const actor = { user: { id: user.id, displayName: user.displayName, role: 'agent' as const, locale: user.locale }, lang };
    const told: HandoffPayload = { number, taken: { agentId } };
    const { jobs } = this.deps;
    if (!jobs) {
      const replies = await this.commands.act(actor, { kind: 'take', number }, `auto-assign:${number}`);
      await sendInProcess(this.deps, { number, person: { id: agentId, messages: replies } });
    } else {
      const job = handoffJob(jobs, told, new Date());
      await this.commands.act(actor, { kind: 'take', number }, `auto-assign:${number}`, [job]);
      await jobs.runNow([job.key]);
    }
    return (await this.deps.store.relayOf(number)) === 'live';
  }

  /**
   * What the user is told when they asked for a person: the ticket, whether someone is around and the
   * SLA due time, then with desks their position and expected wait; or, the desk being closed, when it
   * opens and when to expect an answer.
   */
  queuedNotice(ticket: TicketView, availableAgents: number, lang: Lang, timeZone?: string): string {
    const notice = this.notices.get(ticket.number);
    this.notices.delete(ticket.number);
    const usual = () => this.relay.queuedNotice(ticket, availableAgents, lang, timeZone);
    if (!notice) return usual();
    // Closed: "a technician will pick it up" would be untrue; the desks say when it opens instead.
    return notice.open ? `${usual()} ${notice.text(lang)}` : notice.text(lang);
  }

  /** Re-renders the card everywhere it was posted (after any change of the ticket). */
  async refresh(number: number): Promise<void> {
    await this.cards.refresh(number);
    // Resolved, cancelled or no longer waiting (changed elsewhere than by a command here): out of the queue.
    if (!this.deps.desks) return;
    const relay = await this.deps.store.relayOf(number);
    if (relay === 'live') return;
    const ticket = await this.deps.desk.view(number, { id: 'system', role: 'admin' });
    if (ticket && (relay === 'bot' || !isOpenStatus(ticket.status))) await this.deps.desks.settled(number);
  }

  /** Whether `threadKey` (a platform's thread key of a post) is the thread of one of the escalation cards. */
  async isEscalationThread(threadKey: string): Promise<boolean> {
    return (await this.deps.store.ticketOfThread(threadKey)) !== undefined;
  }

  /** The escalation card of a ticket, in the agents' language. */
  card(ticket: TicketView, lang?: Lang): Promise<EscalationCard> {
    return this.cards.card(ticket, lang);
  }

  /** Runs an agent's command or card action after checking, on the server, that they may. */
  act(actor: Actor, command: AgentCommand, origin: string): Promise<OutboundMessage[]> {
    return this.commands.act(actor, command, origin);
  }

  /** A message in a card's thread: the assignee's words reach the user while live; others' become notes. Undefined when no card's thread. */
  fromThread(actor: Actor, conversationId: string, message: string, _origin: string): Promise<OutboundMessage[] | undefined> {
    return this.relay.fromThread(actor, conversationId, message);
  }

  /** A message from a relayed requester: queued on the ticket, or sent to the agents' thread. Undefined when not relayed. */
  fromRequester(actor: Actor, conversationId: string, message: string, origin: string, takeFiles?: () => InboundFile[], options: RequesterOptions = {}): Promise<OutboundMessage[] | undefined> {
    return this.relay.fromRequester(actor, conversationId, message, origin, takeFiles, options);
  }

  /** The conversation's open ticket whose relay is queued or live, if any (what fromRequester reads first). */
  relayedTicketOf(conversationId: string): Promise<RelayedTicket | undefined> {
    return this.deps.store.relayedTicketOf(conversationId);
  }

  /** A requester waiting for someone says "cancel" (stop waiting; the ticket stays open) or asks for a person again. Undefined when not waiting. */
  whileQueued(actor: Actor, conversationId: string, what: 'stop' | 'remind'): Promise<OutboundMessage[] | undefined> {
    return this.relay.whileQueued(actor, conversationId, what);
  }
}
