/**
 * Agents' commands and card actions: each checked on the server (agents only, and only on their
 * groups' tickets; admins on all), carried out through the agents' desk, answered in the agent's
 * language. What the desk refuses (an illegal move, bad input) becomes the reply, not a crash.
 */
import type { Lang } from '../core/lang.ts';
import type { NewJob } from '../core/jobs.ts';
import type { OutboundMessage } from '../core/messages.ts';
import { personName, statusLabel } from '../core/ticket-texts.ts';
import { isOpenStatus, type TicketView, type Viewer } from '../core/tickets.ts';
import { say } from '../texts/index.ts';
import type { AgentCommand } from './agent-commands.ts';
import type { Cards } from './cards.ts';
import { userMessage } from '../core/errors.ts';
import { AGENT_ACTION, isDeskRefusal, refusal, text, viewerOf, type Actor, type HandoffDeps } from './context.ts';
import { takenMessages } from './outbox.ts';
import type { RelayDesk } from './relay.ts';

/** Commands about one ticket, run once the agent may act on it. */
type TicketCommand = Exclude<AgentCommand, { kind: 'queue' | 'next' | 'availability' | 'show' | 'add-faq' | 'open-for' }>;

export class AgentCommands {
  constructor(
    private readonly deps: HandoffDeps,
    private readonly cards: Cards,
    private readonly relay: RelayDesk,
  ) {}

  /**
   * Runs an agent's command or card action after checking, on the server, that they may. `also`:
   * the caller's jobs written with a take when this agent wins it (an automatic assignment's word to the agent).
   */
  async act(actor: Actor, command: AgentCommand, origin: string, also: readonly NewJob[] = []): Promise<OutboundMessage[]> {
    try {
      return await this.dispatch(actor, command, origin, also);
    } catch (err) {
      if (isDeskRefusal(err)) return text(userMessage(err, actor.lang));
      throw err;
    }
  }

  private async dispatch(actor: Actor, command: AgentCommand, origin: string, also: readonly NewJob[]): Promise<OutboundMessage[]> {
    const { user, lang } = actor;
    if (user.role === 'employee') return text(say(lang, 'handoff.agentsOnly'));
    switch (command.kind) {
      case 'queue':
        return this.queue(user.id, lang);
      case 'next': {
        const next = (await this.deps.desk.queueFor(user.id)).find((t) => !t.assignee && isOpenStatus(t.status));
        return next ? this.act(actor, { kind: 'take', number: next.number }, origin) : text(say(lang, 'handoff.nextNone'));
      }
      case 'open-for':
        return this.openFor(actor, command, origin);
      case 'availability': {
        const groups = await this.deps.store.setAvailability(user.id, command.available);
        return text(command.available ? say(lang, 'handoff.available', { groups }) : say(lang, 'handoff.away'));
      }
      default:
        return this.onTicket(actor, command, also);
    }
  }

  private async queue(agentId: string, lang: Lang): Promise<OutboundMessage[]> {
    const queue = await this.deps.desk.queueFor(agentId);
    if (queue.length === 0) return text(say(lang, 'handoff.queueEmpty'));
    return [{ type: 'tickets', title: say(lang, 'handoff.queueTitle', { count: queue.length }), tickets: queue, lang }];
  }

  /** An agent opens a ticket for someone, by their e-mail; the title is the first sentence. */
  private async openFor(actor: Actor, command: Extract<AgentCommand, { kind: 'open-for' }>, origin: string): Promise<OutboundMessage[]> {
    const { user, lang } = actor;
    const requesterId = await this.deps.desk.userByEmail(command.requester.toLowerCase());
    if (!requesterId) return text(say(lang, 'handoff.unknownPerson', { who: command.requester }));
    const title = command.text.split(/(?<=[.!?])\s|\n/)[0]!.slice(0, 120);
    const { ticket } = await this.deps.desk.createByAgent(viewerOf(user), {
      type: 'incident',
      title: title.length >= 3 ? title : `${title} …`,
      description: command.text,
      category: 'other',
      serviceId: null,
      impact: 3,
      urgency: 2,
      requesterId,
      origin,
    });
    return [{ type: 'text', text: say(lang, 'handoff.openedFor', { number: ticket.number, who: ticket.requester.displayName }) }, { type: 'ticket', ticket, lang }];
  }

  /** A command on one ticket: the agent must see it and belong to its group; closed tickets take only notes (resolved ones). */
  private async onTicket(actor: Actor, command: Exclude<AgentCommand, { kind: 'queue' | 'next' | 'availability' | 'open-for' }>, also: readonly NewJob[]): Promise<OutboundMessage[]> {
    const { user, lang } = actor;
    const viewer = viewerOf(user);
    const ticket = await this.deps.desk.view(command.number, viewer);
    if (!ticket) return text(say(lang, 'handoff.unknownTicket', { number: command.number }));
    const refused = await refusal(this.deps.store, viewer, ticket, lang, AGENT_ACTION[command.kind]);
    if (refused) return refused;
    if (command.kind === 'show') return [await this.cards.card(ticket, lang)];
    if (command.kind === 'add-faq') return this.addFaq(ticket, user.id, lang);
    if (!isOpenStatus(ticket.status) && !(ticket.status === 'resolved' && command.kind === 'note')) {
      return text(say(lang, 'handoff.stale', { number: ticket.number, status: statusLabel(lang, ticket.status).toLowerCase() }));
    }
    return this.cards.changing(ticket.number, () => this.run(actor, viewer, ticket, command, also).catch((err: unknown) => {
      if (isDeskRefusal(err)) return text(userMessage(err, lang));
      throw err;
    }));
  }

  private async run(actor: Actor, viewer: Viewer, ticket: TicketView, command: TicketCommand, also: readonly NewJob[]): Promise<OutboundMessage[]> {
    const { lang } = actor;
    const number = ticket.number;
    const desk = this.deps.desk;
    switch (command.kind) {
      case 'take':
        return this.take(actor, viewer, number, also);
      case 'note':
        await desk.addNote(number, viewer, command.text);
        return text(say(lang, 'handoff.noteAdded', { number }));
      case 'ask':
        await desk.setStatus(number, viewer, 'pending-user', command.question);
        return text(say(lang, 'handoff.asked', { number, user: personName(ticket.requester, lang) }));
      case 'reassign': {
        const agent = await this.deps.store.findStaff(command.to);
        if (!agent) return text(say(lang, 'handoff.unknownAgent', { who: command.to }));
        await desk.assign(number, viewer, agent.id);
        return text(say(lang, 'handoff.reassigned', { number, agent: agent.displayName }));
      }
      case 'escalate': {
        const after = await desk.escalateLevel(number, viewer, command.level);
        return text(say(lang, 'handoff.escalated', { number, level: after.group?.level ?? command.level, group: after.group?.name ?? '—' }));
      }
      case 'priority': {
        const after = await desk.setPriority(number, viewer, command.impact, command.urgency);
        return text(say(lang, 'handoff.priorityChanged', { number, priority: after.priority }));
      }
      case 'resolve':
        if (!command.resolution) return text(say(lang, 'handoff.resolveHow', { number }));
        await desk.resolve(number, viewer, command.resolution);
        await this.deps.store.setRelay(number, 'bot');
        await this.deps.desks?.ended(number);
        return text(say(lang, 'handoff.resolved', { number }));
      case 'handback':
        return this.handBack(actor, viewer, ticket);
    }
  }

  /** Exactly one agent takes it; the relay goes live and the agent sees what the requester wrote while waiting. */
  private async take(actor: Actor, viewer: Viewer, number: number, also: readonly NewJob[]): Promise<OutboundMessage[]> {
    const { user, lang } = actor;
    // "An agent joined" is written with the winner's take (the outbox), sent once the relay is live.
    const joined = this.relay.requesterWord(number, 'handoff.agentJoined', { agent: user.displayName, number });
    const result = await this.deps.desk.take(number, viewer, [...joined.also, ...also]);
    if (!result.taken) return text(say(lang, 'handoff.alreadyTaken', { number, owner: result.owner?.displayName ?? '?' }));
    await this.deps.store.setRelay(number, 'live');
    await this.deps.desks?.taken(number);
    await joined.sent();
    return takenMessages(this.deps, result.ticket, viewer, lang);
  }

  private async handBack(actor: Actor, viewer: Viewer, ticket: TicketView): Promise<OutboundMessage[]> {
    const { user, lang } = actor;
    const number = ticket.number;
    if ((await this.deps.store.relayOf(number)) === 'bot') return text(say(lang, 'handoff.notLive', { number }));
    await this.deps.store.setRelay(number, 'bot');
    await this.deps.desks?.ended(number);
    const back = this.relay.requesterWord(number, 'handoff.backToBot', { agent: user.displayName, number });
    await this.deps.desk.recordAction(viewer, 'ticket.handback', number, {}, back.also);
    await back.sent();
    return text(say(lang, 'handoff.handedBack', { number }));
  }

  private async addFaq(ticket: TicketView, authorId: string, lang: Lang): Promise<OutboundMessage[]> {
    const id = ticket.status === 'resolved' || ticket.status === 'closed' ? await this.deps.draftFaq?.(ticket.number, authorId, lang) : undefined;
    if (id) await this.deps.desk.recordAction({ id: authorId, role: 'agent' }, 'ticket.add-faq', ticket.number, { articleId: id });
    return text(id ? say(lang, 'handoff.faqDrafted', { id, number: ticket.number }) : say(lang, 'handoff.faqNeedsResolution', { number: ticket.number }));
  }
}
