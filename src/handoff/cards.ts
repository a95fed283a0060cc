/**
 * Escalation cards: posted once per platform in the ticket's group's agents' channels, then
 * updated in place after every change of the ticket, with the buttons for what an agent can do now.
 */
import { GuichetError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { CardAction, EscalationView, Level, TicketView, Viewer } from '../core/tickets.ts';
import { say } from '../texts/index.ts';
import { cut, posterOf, type HandoffDeps } from './context.ts';
import type { Relay } from './ports.ts';

/** Longest diagnosis shown on a card; the rest is in the full record. */
export const MAX_CARD_DIAGNOSIS = 1_500;
/** Files listed on a card (the latest ones; the ticket's timeline has them all). */
const MAX_CARD_FILES = 5;
const SYSTEM: Viewer = { id: 'system', role: 'admin' };

export type EscalationCard = Extract<OutboundMessage, { type: 'escalation' }>;

export class Cards {
  /** Tickets an action is changing now: their card is refreshed once, when the action is done. */
  private readonly acting = new Set<number>();

  constructor(private readonly deps: HandoffDeps) {}

  /** Posts the ticket's card where it is not posted yet (safe to call again); returns the ticket. */
  async post(number: number): Promise<TicketView> {
    const ticket = await this.ticket(number);
    if (!ticket.group) return ticket;
    const card = await this.card(ticket);
    const posted = new Set((await this.deps.store.posts(number)).map((p) => p.platform));
    for (const { platform, address } of await this.deps.store.channelsOf(ticket.group.id)) {
      const poster = posterOf(this.deps, platform);
      if (!poster || posted.has(platform)) continue;
      try {
        const post = await poster.post(address, card);
        await this.deps.store.savePost(number, platform, post, this.deps.channels.threadKeyOf(platform, post));
      } catch (err) {
        this.deps.onError?.(err, `escalation card of #${number} on ${platform}`);
      }
    }
    return ticket;
  }

  /** Re-renders the card everywhere it was posted (after any change of the ticket). */
  async refresh(number: number): Promise<void> {
    if (this.acting.has(number)) return;
    const posts = await this.deps.store.posts(number);
    if (posts.length === 0) return;
    const card = await this.card(await this.ticket(number));
    for (const { platform, post } of posts) {
      try {
        await posterOf(this.deps, platform)?.update(post, card);
      } catch (err) {
        this.deps.onError?.(err, `update of #${number}'s card on ${platform}`);
      }
    }
  }

  /** Runs `work` on ticket `number`, then refreshes its card once (not at every change `work` makes). */
  async changing<T>(number: number, work: () => Promise<T>): Promise<T> {
    this.acting.add(number);
    try {
      return await work();
    } finally {
      this.acting.delete(number);
      await this.refresh(number);
    }
  }

  /** The escalation card of a ticket, in the agents' language. */
  async card(ticket: TicketView, lang: Lang = this.deps.lang): Promise<EscalationCard> {
    const relay = await this.deps.store.relayOf(ticket.number);
    const escalation: EscalationView = {
      ticket,
      contact: await this.deps.desk.contact(ticket.requester.id),
      diagnosisMarkdown: escapeUserMarkdown(cut(this.deps, ticket.description ?? '', ticket.number, MAX_CARD_DIAGNOSIS, lang)),
      suggestedKnownErrors: this.deps.suggestKnownErrors?.(`${ticket.title}\n${ticket.description ?? ''}`, lang).slice(0, 3) ?? [],
      files: await this.deps.desk.attachedFiles(ticket.number, MAX_CARD_FILES),
      relay,
      actions: cardActions(ticket, relay, lang),
    };
    return { type: 'escalation', escalation, lang, ...(this.deps.timeZone ? { timeZone: this.deps.timeZone } : {}) };
  }

  private async ticket(number: number): Promise<TicketView> {
    const ticket = await this.deps.desk.view(number, SYSTEM);
    if (!ticket) throw new GuichetError('handoff.unknown-ticket', `handoff: no ticket #${number}`);
    return ticket;
  }
}

/** The card's buttons for the ticket's state: what an agent can do now. */
export function cardActions(ticket: TicketView, relay: Relay, lang: Lang): CardAction[] {
  const number = ticket.number;
  if (ticket.status === 'cancelled') return [];
  if (ticket.status === 'resolved' || ticket.status === 'closed') return [{ label: say(lang, 'handoff.addFaq'), verb: 'ticket.add-faq', data: { number } }];
  const actions: CardAction[] = [];
  if (!ticket.assignee) actions.push({ label: say(lang, 'handoff.take'), verb: 'ticket.take', data: { number }, style: 'primary' });
  if (relay === 'live') actions.push({ label: say(lang, 'handoff.handBack'), verb: 'ticket.handback', data: { number } });
  const level = ticket.group?.level ?? 1;
  if (level < 2) actions.push({ label: say(lang, 'handoff.escalateL2'), verb: 'ticket.escalate', data: { number, level: 2 } });
  if (level < 3) actions.push({ label: say(lang, 'handoff.escalateL3'), verb: 'ticket.escalate', data: { number, level: 3 } });
  if (ticket.priority > 1) {
    const [impact, urgency] = raise(ticket.impact, ticket.urgency);
    actions.push({ label: say(lang, 'handoff.priorityUp'), verb: 'ticket.priority', data: { number, impact, urgency } });
  }
  actions.push({ label: say(lang, 'handoff.resolve'), verb: 'ticket.resolve', data: { number } });
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
