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
import { z } from 'zod';
import type { ServiceDefinition } from '../catalog/services.ts';
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { Level, TicketDesk, TicketView } from '../core/tickets.ts';
import type { TurnContext, TurnModule, TurnReply } from '../core/turn-module.ts';
import { firstIssue } from '../core/zod-issue.ts';
import { say, type TextKey } from '../texts/index.ts';
import { looksLikeRequest } from './chat-commands.ts';

/** The action of a channel opening its ticket form: answered with the form's introduction, in the user's language. */
export const OPEN_FORM_ACTION = 'ticket.open-form';
/** The action of a submitted ticket form. */
export const CREATE_FORM_ACTION = 'ticket.create-form';
/** The action of a surface asking for the user's tickets (Slack's Home tab). */
export const HOME_ACTION = 'home.open';

/** Longest title and description a form takes (Slack's modal says the same to the user). */
export const FORM_TITLE_MAX = 150;
export const FORM_DESCRIPTION_MAX = 3_000;

export interface FormIntakeDeps {
  desk: Pick<TicketDesk, 'create' | 'listForRequester' | 'queueFor'>;
  /** The service catalogue: a form's service must be one of them. */
  services: readonly ServiceDefinition[];
  /** Time zone of due times shown to a user, when known. */
  timeZoneOf?: (userId: string) => string | undefined;
}

const level = z.coerce.number().int().min(1).max(3).transform((n) => n as Level);

/** Each field's problem, as the user reads it (the modal's own wording). */
const PROBLEMS: Record<string, { small: TextKey; big?: TextKey }> = {
  service: { small: 'channels.errCategory' },
  impact: { small: 'channels.errImpact' },
  urgency: { small: 'channels.errUrgency' },
  title: { small: 'channels.errTitleShort', big: 'channels.errTitleLong' },
  description: { small: 'channels.errDescription', big: 'channels.errDescriptionLong' },
};

export function createFormIntakeModule(deps: FormIntakeDeps): TurnModule {
  const serviceIds = new Set(deps.services.map((s) => s.id));
  const form = z.object({
    service: z.string().refine((id) => serviceIds.has(id), 'is not a service of the catalogue'),
    impact: level,
    urgency: level,
    title: z.string().trim().min(3).max(FORM_TITLE_MAX),
    description: z.string().trim().min(10).max(FORM_DESCRIPTION_MAX),
  });

  async function createFromForm(ctx: TurnContext): Promise<TurnReply> {
    const parsed = form.safeParse(ctx.action?.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const problem = PROBLEMS[firstIssue(parsed.error).field] ?? PROBLEMS.description!;
      const key = issue?.code === 'too_big' && problem.big ? problem.big : problem.small;
      return unchanged(ctx, [{ type: 'text', text: say(ctx.lang, key) }]);
    }
    const f = parsed.data;
    const { ticket } = await deps.desk.create({
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
    });
    const timeZone = deps.timeZoneOf?.(ctx.user.id);
    return unchanged(ctx, [{ type: 'ticket', ticket, lang: ctx.lang, ...(timeZone ? { timeZone } : {}) }]);
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
