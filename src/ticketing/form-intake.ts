/**
 * Tickets from a form, and the list a "home" surface shows: the core side of a channel's own UI
 * (Slack's ticket modal and Home tab today; any channel may send the same actions).
 *
 * - `ticket.open-form`: the form's introduction, so that the channel shows the form in the language
 *   the core settles for the user (the turn's language).
 * - `ticket.create-form` {service, impact, urgency, title, description}: the form is checked (the
 *   data is untrusted, whatever the channel checked before), the type is picked as the chat intake
 *   picks it (a request when the words ask for something, else an incident), and the ticket is
 *   created once per delivery (keyed by the turn's origin: a resubmitted form finds the same ticket).
 *   Answered with the ticket's card; a form that does not hold is answered with what is wrong.
 * - `home.open`: the user's tickets in progress and, for agents and admins, their queue, each list followed
 *   by a line saying it is empty when it is.
 *
 * Neither touches the conversation's state: a guided diagnosis or a question in progress stays.
 */
import type { ServiceDefinition } from '../catalog/services.ts';
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import { CREATE_FORM_ACTION, HOME_ACTION, OPEN_FORM_ACTION, checkTicketForm } from '../core/ticket-form.ts';
import type { TicketDesk, TicketView } from '../core/tickets.ts';
import type { TurnContext, TurnModule, TurnReply } from '../core/turn-module.ts';
import { say, type TextKey } from '../texts/index.ts';
import { looksLikeRequest } from './chat-commands.ts';

export interface FormIntakeDeps {
  desk: Pick<TicketDesk, 'create' | 'listForRequester' | 'queueFor'>;
  /** The service catalogue: a form's service must be one of them. */
  services: readonly ServiceDefinition[];
  /** Time zone of due times shown to a user, when known. */
  timeZoneOf?: (userId: string) => string | undefined;
}

export function createFormIntakeModule(deps: FormIntakeDeps): TurnModule {
  const serviceIds = new Set(deps.services.map((s) => s.id));

  async function createFromForm(ctx: TurnContext): Promise<TurnReply> {
    const checked = checkTicketForm(ctx.action?.data, serviceIds, ctx.lang);
    // The first problem only: a chat answer, not a form with a place under each field.
    if (!checked.ok) return unchanged(ctx, [{ type: 'text', text: Object.values(checked.errors)[0]! }]);
    const f = checked.form;
    // The card in the agents' channels after this reply (an effect of the turn).
    const { ticket, afterReply } = await deps.desk.create({
      type: looksLikeRequest(`${f.title}\n${f.description}`) ? 'request' : 'incident',
      title: f.title,
      description: f.description,
      category: f.service,
      serviceId: f.service,
      impact: f.impact,
      urgency: f.urgency,
      requesterId: ctx.user.id,
      conversationId: ctx.conversationId,
      origin: ctx.origin,
      createdBy: { id: ctx.user.id, kind: 'user' },
      files: ctx.takeFiles(),
    }, { cardAfterReply: true });
    const timeZone = deps.timeZoneOf?.(ctx.user.id);
    const answer = unchanged(ctx, [{ type: 'ticket', ticket, lang: ctx.lang, ...(timeZone ? { timeZone } : {}) }]);
    return afterReply ? { ...answer, effects: [async () => afterReply()] } : answer;
  }

  async function home(ctx: TurnContext): Promise<TurnReply> {
    const lang = ctx.lang;
    const timeZone = deps.timeZoneOf?.(ctx.user.id);
    const staff = ctx.user.role !== 'employee';
    const [mine, queue] = await Promise.all([deps.desk.listForRequester(ctx.user.id), staff ? deps.desk.queueFor(ctx.user.id) : Promise.resolve(undefined)]);
    // The desk lists a requester's tickets still in progress (resolved ones wait for their confirmation).
    const replies = listOf(lang, say(lang, 'channels.homeMyTickets'), mine, 'channels.homeNoOpenTickets', timeZone);
    if (queue) replies.push(...listOf(lang, say(lang, 'channels.homeMyQueue', { count: queue.length }), queue, 'channels.homeEmptyQueue', timeZone));
    return unchanged(ctx, replies);
  }

  return {
    name: 'form-intake',
    async handle(ctx) {
      if (ctx.action?.verb === OPEN_FORM_ACTION) return unchanged(ctx, [{ type: 'text', text: say(ctx.lang, 'channels.modalIntro') }]);
      if (ctx.action?.verb === CREATE_FORM_ACTION) return createFromForm(ctx);
      if (ctx.action?.verb === HOME_ACTION) return home(ctx);
      return undefined;
    },
  };
}

/** A titled list of tickets, and the line saying it is empty when it is. */
function listOf(lang: Lang, title: string, tickets: TicketView[], empty: TextKey, timeZone?: string): OutboundMessage[] {
  const list: OutboundMessage = { type: 'tickets', title, tickets, lang, ...(timeZone ? { timeZone } : {}) };
  return tickets.length > 0 ? [list] : [list, { type: 'text', text: say(lang, empty) }];
}

function unchanged(ctx: TurnContext, replies: OutboundMessage[]): TurnReply {
  return { replies, state: ctx.state };
}
