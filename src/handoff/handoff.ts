/**
 * Human handoff: the escalation card in each agents' channel (posted once per
 * platform, then updated in place), agents' actions on it (checked against the
 * ticket's group on the server, never trusted from the card), and the live
 * relay between the requester's chat and the card's thread.
 *
 * Relay states (HandoffStore): "queued" — the user asked for a person and
 * nobody has taken the ticket yet: their messages are added to the ticket and
 * shown to whoever takes it; "live" — an agent took it: the user's messages go
 * to the thread and the assignee's thread replies go to the user, until the
 * agent hands the conversation back ("bot") or resolves the ticket.
 */
import { isGuichetError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import { fileLine, type Channel, type InboundFile, type OutboundMessage } from '../core/messages.ts';
import type { AgentChannelPoster, Notifier, UserRecord } from '../core/ports.ts';
import { formatWhen, statusLabel } from '../core/ticket-texts.ts';
import type { CardAction, EscalationView, Level, TicketView, Viewer } from '../core/tickets.ts';
import type { AgentCommand } from './agent-commands.ts';
import type { AgentDesk } from '../core/tickets.ts';
import type { HandoffStore, Relay } from './ports.ts';
import { say } from './texts.ts';

/** Longest diagnosis shown on a card; the rest is in the full record. */
export const MAX_CARD_DIAGNOSIS = 1_500;
/** Longest user message echoed into an agents' thread. */
export const MAX_RELAYED_TEXT = 2_000;

const SYSTEM: Viewer = { id: 'system', role: 'admin' };
/** Files listed on a card (the latest ones; the ticket's timeline has them all). */
const MAX_CARD_FILES = 5;
const CLOSED = new Set(['closed', 'cancelled']);

export interface HandoffDeps {
  desk: AgentDesk;
  store: HandoffStore;
  posters: AgentChannelPoster[];
  notifier: Notifier;
  /** How a platform's post reference is named by the inbound messages of its thread ("channel|tenantId|externalId"). */
  threadKeyOf(platform: Channel, post: unknown): string | null;
  /** Known errors that may explain a ticket, best first. */
  suggestKnownErrors?: (text: string, lang: Lang) => { id: string; title: string }[];
  /** Drafts an FAQ article from a resolved ticket for review; resolves with its id, or undefined when not resolved. */
  draftFaq?: (number: number, authorId: string, lang: Lang) => Promise<string | undefined>;
  /** Language of the cards in agents' channels. */
  lang: Lang;
  timeZone?: string;
  /** Base URL of the web console, for "the rest is in the full record". */
  publicUrl?: string;
  onError?: (err: unknown, context: string) => void;
}

export interface Actor {
  user: UserRecord;
  lang: Lang;
}

export class Handoff {
  /** Tickets an action is changing now: their card is refreshed once, when the action is done. */
  private readonly acting = new Set<number>();

  constructor(private readonly deps: HandoffDeps) {}

  /**
   * Posts the ticket's card in its group's agents' channels (once per platform;
   * safe to call again, e.g. for a replayed turn). With `live`, the user asked
   * for a person: their conversation is relayed from now on.
   */
  async escalate(number: number, options: { live: boolean }): Promise<{ ticket: TicketView; availableAgents: number }> {
    const ticket = await this.ticket(number);
    if (options.live && (await this.deps.store.relayOf(number)) === 'bot') await this.deps.store.setRelay(number, 'queued');
    const card = await this.card(ticket);
    const posted = new Set((await this.deps.store.posts(number)).map((p) => p.platform));
    if (ticket.group) {
      for (const { platform, address } of await this.deps.store.channelsOf(ticket.group.id)) {
        const poster = this.poster(platform);
        if (!poster || posted.has(platform)) continue;
        try {
          const post = await poster.post(address, card);
          await this.deps.store.savePost(number, platform, post, this.deps.threadKeyOf(platform, post));
        } catch (err) {
          this.deps.onError?.(err, `escalation card of #${number} on ${platform}`);
        }
      }
    }
    const availableAgents = ticket.group ? await this.deps.store.availableAgents(ticket.group.id) : 0;
    return { ticket, availableAgents };
  }

  /** What the user is told when they asked for a person: the ticket, whether someone is around, the SLA due time. */
  queuedNotice(ticket: TicketView, availableAgents: number, lang: Lang, timeZone = this.deps.timeZone): string {
    const dueAt = ticket.responseDueAt ?? ticket.resolutionDueAt;
    const due = dueAt ? say(lang, 'dueBefore', { when: formatWhen(dueAt, lang, timeZone) }) : '';
    const availability = say(lang, availableAgents > 0 ? 'agentsAvailable' : 'noAgentAvailable', { due });
    return say(lang, 'queued', { number: ticket.number, availability });
  }

  /** Re-renders the card everywhere it was posted (after any change of the ticket). */
  async refresh(number: number): Promise<void> {
    if (this.acting.has(number)) return;
    const posts = await this.deps.store.posts(number);
    if (posts.length === 0) return;
    const card = await this.card(await this.ticket(number));
    for (const { platform, post } of posts) {
      try {
        await this.poster(platform)?.update(post, card);
      } catch (err) {
        this.deps.onError?.(err, `update of #${number}'s card on ${platform}`);
      }
    }
  }

  /** Whether `threadKey` (a platform's thread key of a post) is the thread of one of the escalation cards. */
  async isEscalationThread(threadKey: string): Promise<boolean> {
    return (await this.deps.store.ticketOfThread(threadKey)) !== undefined;
  }

  /** The escalation card of a ticket, in the agents' language. */
  async card(ticket: TicketView, lang: Lang = this.deps.lang): Promise<Extract<OutboundMessage, { type: 'escalation' }>> {
    const relay = await this.deps.store.relayOf(ticket.number);
    const escalation: EscalationView = {
      ticket,
      contact: await this.deps.desk.contact(ticket.requester.id),
      diagnosisMarkdown: this.diagnosis(ticket, lang),
      suggestedKnownErrors: this.deps.suggestKnownErrors?.(`${ticket.title}\n${ticket.description ?? ''}`, lang).slice(0, 3) ?? [],
      files: await this.deps.desk.attachedFiles(ticket.number, MAX_CARD_FILES),
      relay: relay === 'bot' ? 'bot' : relay,
      actions: cardActions(ticket, relay, lang),
    };
    return { type: 'escalation', escalation, lang, ...(this.deps.timeZone ? { timeZone: this.deps.timeZone } : {}) };
  }

  /** Runs an agent's command or card action after checking, on the server, that they may. */
  async act(actor: Actor, command: AgentCommand, origin: string): Promise<OutboundMessage[]> {
    try {
      return await this.dispatch(actor, command, origin);
    } catch (err) {
      if (isGuichetError(err) && err.code.startsWith('ticketing.')) return text(err.message);
      throw err;
    }
  }

  private async dispatch(actor: Actor, command: AgentCommand, origin: string): Promise<OutboundMessage[]> {
    const { user, lang } = actor;
    if (user.role === 'employee') return text(say(lang, 'agentsOnly'));
    const viewer: Viewer = { id: user.id, role: user.role };
    switch (command.kind) {
      case 'queue': {
        const queue = await this.deps.desk.queueFor(user.id);
        if (queue.length === 0) return text(say(lang, 'queueEmpty'));
        return [{ type: 'tickets', title: say(lang, 'queueTitle', { count: queue.length }), tickets: queue, lang }];
      }
      case 'next': {
        const next = (await this.deps.desk.queueFor(user.id)).find((t) => !t.assignee && !CLOSED.has(t.status) && t.status !== 'resolved');
        if (!next) return text(say(lang, 'nextNone'));
        return this.act(actor, { kind: 'take', number: next.number }, origin);
      }
      case 'open-for': {
        const requesterId = await this.deps.desk.userByEmail(command.requester.toLowerCase());
        if (!requesterId) return text(say(lang, 'unknownPerson', { who: command.requester }));
        const title = command.text.split(/(?<=[.!?])\s|\n/)[0]!.slice(0, 120);
        const { ticket } = await this.deps.desk.createByAgent(viewer, {
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
        return [{ type: 'text', text: say(lang, 'openedFor', { number: ticket.number, who: ticket.requester.displayName }) }, { type: 'ticket', ticket, lang }];
      }
      case 'availability': {
        const groups = await this.deps.store.setAvailability(user.id, command.available);
        return text(command.available ? say(lang, 'available', { groups }) : say(lang, 'away'));
      }
      default:
        break;
    }
    const ticket = await this.deps.desk.view(command.number, viewer);
    if (!ticket) return text(say(lang, 'unknownTicket', { number: command.number }));
    const refusal = await this.refusal(viewer, ticket, lang);
    if (refusal) return refusal;
    if (command.kind === 'show') return [await this.card(ticket, lang)];
    if (command.kind === 'add-faq') return this.addFaq(ticket, user.id, lang);
    if (CLOSED.has(ticket.status) || (ticket.status === 'resolved' && command.kind !== 'note')) {
      return text(say(lang, 'stale', { number: ticket.number, status: statusLabel(lang, ticket.status).toLowerCase() }));
    }
    this.acting.add(ticket.number);
    try {
      return await this.run(actor, viewer, ticket, command);
    } catch (err) {
      if (isGuichetError(err) && err.code.startsWith('ticketing.')) return text(err.message);
      throw err;
    } finally {
      this.acting.delete(ticket.number);
      await this.refresh(ticket.number);
    }
  }

  /**
   * A message in a conversation that is a card's thread: the assignee's words
   * go to the user while the relay is live; anyone else's become an internal
   * note. Undefined when the conversation is no card's thread.
   */
  async fromThread(actor: Actor, conversationId: string, message: string, origin: string): Promise<OutboundMessage[] | undefined> {
    const key = await this.deps.store.threadKeyOfConversation(conversationId);
    const number = key ? await this.deps.store.ticketOfThread(key) : undefined;
    if (number === undefined) return undefined;
    const { user, lang } = actor;
    const viewer: Viewer = { id: user.id, role: user.role };
    const ticket = await this.deps.desk.view(number, viewer);
    if (!ticket) return text(say(lang, 'unknownTicket', { number }));
    if (user.role === 'employee') return text(say(lang, 'agentsOnly'));
    const refusal = await this.refusal(viewer, ticket, lang);
    if (refusal) return refusal;
    if (CLOSED.has(ticket.status)) return text(say(lang, 'stale', { number, status: statusLabel(lang, ticket.status).toLowerCase() }));
    const relay = await this.deps.store.relayOf(number);
    if (relay === 'live' && ticket.assignee?.id === user.id) {
      await this.deps.desk.reply(number, viewer, message); // the desk sends it to the requester, attributed
      return [];
    }
    await this.deps.desk.addNote(number, viewer, message);
    return text(say(lang, 'takeFirst', { number }));
  }

  /**
   * A message from a requester whose conversation is relayed: queued on the
   * ticket while nobody has it, sent to the agents' thread once someone does.
   * Undefined when the conversation is not relayed.
   */
  async fromRequester(actor: Actor, conversationId: string, message: string, origin: string, takeFiles?: () => InboundFile[]): Promise<OutboundMessage[] | undefined> {
    const relayed = await this.deps.store.relayedTicketOf(conversationId);
    if (!relayed) return undefined;
    const { user, lang } = actor;
    const viewer: Viewer = { id: user.id, role: user.role };
    const ticket = await this.deps.desk.view(relayed.number, viewer);
    if (!ticket || ticket.requester.id !== user.id) return undefined;
    const files = takeFiles?.() ?? [];
    await this.deps.desk.addInfo(ticket.number, viewer, message, origin, files);
    if (relayed.relay === 'queued') return text(say(lang, 'queuedMessage', { number: ticket.number }));
    const said = [message ? this.cut(message, ticket.number, MAX_RELAYED_TEXT) : '', ...files.map(fileLine)].filter(Boolean).join('\n');
    const echoed = [{ type: 'text' as const, text: say(this.deps.lang, 'userSays', { user: user.displayName, text: said }) }];
    for (const { platform, post } of await this.deps.store.posts(ticket.number)) {
      try {
        await this.poster(platform)?.reply(post, echoed);
      } catch (err) {
        this.deps.onError?.(err, `relay of #${ticket.number} to ${platform}`);
      }
    }
    return [];
  }

  private async run(actor: Actor, viewer: Viewer, ticket: TicketView, command: Exclude<AgentCommand, { kind: 'queue' | 'next' | 'availability' | 'show' | 'add-faq' | 'open-for' }>): Promise<OutboundMessage[]> {
    const { user, lang } = actor;
    const number = ticket.number;
    switch (command.kind) {
      case 'take': {
        const result = await this.deps.desk.take(number, viewer);
        if (!result.taken) return text(say(lang, 'alreadyTaken', { number, owner: result.owner?.displayName ?? '?' }));
        await this.deps.store.setRelay(number, 'live');
        await this.tellRequester(result.ticket, (l) => say(l, 'agentJoined', { agent: user.displayName, number }));
        const waiting = (await this.deps.desk.timeline(number, viewer, lang)).filter((e) => e.actorKind === 'user' && e.visibility === 'public' && e.kind !== 'created');
        const replies: OutboundMessage[] = [{ type: 'text', text: say(lang, 'taken', { number, user: result.ticket.requester.displayName }) }];
        // What the requester sent while nobody had the ticket, files with their links.
        const lines = waiting.flatMap((e) => [`- ${e.text}`, ...(e.files ?? []).map((f) => `  ${fileLine(f)}`)]);
        if (waiting.length > 0) replies.push({ type: 'text', text: [say(lang, 'queuedHeader'), ...lines].join('\n') });
        return replies;
      }
      case 'note':
        await this.deps.desk.addNote(number, viewer, command.text);
        return text(say(lang, 'noteAdded', { number }));
      case 'ask':
        await this.deps.desk.setStatus(number, viewer, 'pending-user', command.question);
        return text(say(lang, 'asked', { number, user: ticket.requester.displayName }));
      case 'reassign': {
        const agent = await this.deps.store.findStaff(command.to);
        if (!agent) return text(say(lang, 'unknownAgent', { who: command.to }));
        await this.deps.desk.assign(number, viewer, agent.id);
        return text(say(lang, 'reassigned', { number, agent: agent.displayName }));
      }
      case 'escalate': {
        const after = await this.deps.desk.escalateLevel(number, viewer, command.level);
        return text(say(lang, 'escalated', { number, level: after.group?.level ?? command.level, group: after.group?.name ?? '—' }));
      }
      case 'priority': {
        const after = await this.deps.desk.setPriority(number, viewer, command.impact, command.urgency);
        return text(say(lang, 'priorityChanged', { number, priority: after.priority }));
      }
      case 'resolve': {
        if (!command.resolution) return text(say(lang, 'resolveHow', { number }));
        await this.deps.desk.resolve(number, viewer, command.resolution);
        await this.deps.store.setRelay(number, 'bot');
        return text(say(lang, 'resolved', { number }));
      }
      case 'handback': {
        if ((await this.deps.store.relayOf(number)) === 'bot') return text(say(lang, 'notLive', { number }));
        await this.deps.store.setRelay(number, 'bot');
        await this.deps.desk.recordAction(viewer, 'ticket.handback', number, {});
        await this.tellRequester(ticket, (l) => say(l, 'backToBot', { agent: user.displayName, number }));
        return text(say(lang, 'handedBack', { number }));
      }
    }
  }

  private async addFaq(ticket: TicketView, authorId: string, lang: Lang): Promise<OutboundMessage[]> {
    const id = ticket.status === 'resolved' || ticket.status === 'closed' ? await this.deps.draftFaq?.(ticket.number, authorId, lang) : undefined;
    if (id) await this.deps.desk.recordAction({ id: authorId, role: 'agent' }, 'ticket.add-faq', ticket.number, { articleId: id });
    return text(id ? say(lang, 'faqDrafted', { id, number: ticket.number }) : say(lang, 'faqNeedsResolution', { number: ticket.number }));
  }

  /** Agents act only on their groups' tickets; admins on all. */
  private async refusal(viewer: Viewer, ticket: TicketView, lang: Lang): Promise<OutboundMessage[] | undefined> {
    if (viewer.role === 'admin') return undefined;
    if (viewer.role === 'agent' && ticket.group && (await this.deps.store.isMember(ticket.group.id, viewer.id))) return undefined;
    return text(say(lang, 'notMember', { group: ticket.group?.name ?? '—', number: ticket.number }));
  }

  private async tellRequester(ticket: TicketView, message: (lang: Lang) => string): Promise<void> {
    const lang = (await this.deps.desk.contact(ticket.requester.id)).user.locale ?? this.deps.lang;
    await this.deps.notifier.notify(ticket.requester.id, [{ type: 'text', text: message(lang) }]);
  }

  private diagnosis(ticket: TicketView, lang: Lang): string {
    const record = this.cut(ticket.description ?? '', ticket.number, MAX_CARD_DIAGNOSIS, lang);
    return escapeUserMarkdown(record);
  }

  /** Cuts long user text, pointing to the full record. */
  private cut(value: string, number: number, max: number, lang: Lang = this.deps.lang): string {
    if (value.length <= max) return value;
    const tail = this.deps.publicUrl ? say(lang, 'cut', { link: `${this.deps.publicUrl.replace(/\/$/, '')}/tickets/${number}` }) : say(lang, 'cutNoLink', { number });
    return `${value.slice(0, max)}${tail}`;
  }

  private poster(platform: Channel): AgentChannelPoster | undefined {
    return this.deps.posters.find((p) => p.channel === platform);
  }

  private async ticket(number: number): Promise<TicketView> {
    const ticket = await this.deps.desk.view(number, SYSTEM);
    if (!ticket) throw new Error(`handoff: no ticket #${number}`);
    return ticket;
  }
}

/** The card's buttons for the ticket's state: what an agent can do now. */
export function cardActions(ticket: TicketView, relay: Relay, lang: Lang): CardAction[] {
  const number = ticket.number;
  if (ticket.status === 'cancelled') return [];
  if (ticket.status === 'resolved' || ticket.status === 'closed') return [{ label: say(lang, 'addFaq'), verb: 'ticket.add-faq', data: { number } }];
  const actions: CardAction[] = [];
  if (!ticket.assignee) actions.push({ label: say(lang, 'take'), verb: 'ticket.take', data: { number }, style: 'primary' });
  if (relay === 'live') actions.push({ label: say(lang, 'handBack'), verb: 'ticket.handback', data: { number } });
  const level = ticket.group?.level ?? 1;
  if (level < 2) actions.push({ label: say(lang, 'escalateL2'), verb: 'ticket.escalate', data: { number, level: 2 } });
  if (level < 3) actions.push({ label: say(lang, 'escalateL3'), verb: 'ticket.escalate', data: { number, level: 3 } });
  if (ticket.priority > 1) {
    const [impact, urgency] = raise(ticket.impact, ticket.urgency);
    actions.push({ label: say(lang, 'priorityUp'), verb: 'ticket.priority', data: { number, impact, urgency } });
  }
  actions.push({ label: say(lang, 'resolve'), verb: 'ticket.resolve', data: { number } });
  return actions;
}

/** One step more urgent: urgency first, then impact. */
function raise(impact: Level, urgency: Level): [Level, Level] {
  if (urgency > 1) return [impact, (urgency - 1) as Level];
  if (impact > 1) return [(impact - 1) as Level, urgency];
  return [impact, urgency];
}

/**
 * User-written text placed inside a card's Markdown: Markdown and HTML control
 * characters are escaped (no disguised links, no headings, no raw tags) and
 * platform-wide mentions are broken so they never notify a channel.
 */
export function escapeUserMarkdown(value: string): string {
  return value
    .replace(/([\\`*_[\]()<>#|~!{}])/g, '\\$1')
    .replace(/@(channel|here|everyone|all)\b/gi, '@\u200B$1');
}

const text = (value: string): OutboundMessage[] => [{ type: 'text', text: value }];
