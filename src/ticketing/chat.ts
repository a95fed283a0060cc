/**
 * Tickets in conversation, in French and English: "my tickets", "status
 * #1042", "open a ticket: my screen flickers", adding information, escalating
 * with a reason, answering "is it fixed?" (buttons "#1042 fixed" / "#1042 pas
 * réglé", or a bare yes/no when a resolved ticket waits for it and nothing
 * else is pending), then the satisfaction survey and its optional comment.
 *
 * What it waits for lives in the conversation's `ticketChat` slice. Every
 * ticket created or changed here is keyed by the turn's origin, so a retried
 * delivery changes nothing twice.
 */
import { z } from 'zod';
import { allows, type TicketAction } from '../core/authorization.ts';
import { fold, recognizeCommand, recognizeConfirmation } from '../core/commands.ts';
import { isGuichetError, userMessage } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import { quotedNames, type OutboundMessage } from '../core/messages.ts';
import type { MajorIncidentView, TicketDesk, TicketView, Viewer } from '../core/tickets.ts';
import type { TurnContext, TurnModule, TurnReply } from '../core/turn-module.ts';
import type { ServiceDefinition } from '../catalog/services.ts';
import { say } from '../texts/index.ts';
import { guessService, looksLikeRequest, parseTicketCommand, titleOf, type TicketChatCommand } from './chat-commands.ts';
import { isOpen } from './status.ts';

export { guessService, parseTicketCommand, type TicketChatCommand } from './chat-commands.ts';

const slice = z
  .discriminatedUnion('kind', [
    /** "open a ticket" without a description: the next message is the description. */
    z.object({ kind: z.literal('describe') }),
    /** Files sent with several tickets open: which one gets them (the files are held by the core). */
    z.object({ kind: z.literal('attach'), numbers: z.array(z.number().int()).max(10) }),
    /** "escalate #N" without a reason. */
    z.object({ kind: z.literal('escalate-reason'), number: z.number().int() }),
    /** The 1–5 survey after a confirmed fix. */
    z.object({ kind: z.literal('survey'), number: z.number().int() }),
    /** The optional comment after the score. */
    z.object({ kind: z.literal('comment'), number: z.number().int(), score: z.number().int().min(1).max(5) }),
    /** "Not fixed" to a resolution that wants a reason (a GLPI solution): the next message is the reason. */
    z.object({ kind: z.literal('refuse-reason'), number: z.number().int() }),
  ])
  .optional();

type Waiting = z.output<typeof slice>;

const actionSchemas = {
  'ticket.rate': z.object({
    number: z.coerce.number().int().positive(),
    score: z.coerce.number().int().min(1).max(5),
    /** The survey card's optional comment box. */
    comment: z.string().trim().max(2_000).optional(),
  }),
  'ticket.confirm': z.object({ number: z.coerce.number().int().positive(), fixed: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]) }),
};

export interface TicketChatDeps {
  desk: TicketDesk;
  services: readonly ServiceDefinition[];
  /** The viewer's time zone for due times, when known. */
  timeZoneOf?: (userId: string) => string | undefined;
  /** Approvers' answers to service requests. */
  approvals?: { decideApproval(number: number, viewer: Viewer, approved: boolean, origin: string): Promise<TicketView> };
  /**
   * A new report and the open major incident of its service it speaks of: found (read beside the new ticket's
   * view), then linked.
   */
  incidentLinks?: {
    relatedOpen(ticket: { serviceId: string | null; type: string; title: string; description: string }): Promise<MajorIncidentView | undefined>;
    link(ticketNumber: number, incident: MajorIncidentView): Promise<void>;
  };
  /** Whether refusing this ticket's resolution asks the user why first (a GLPI solution: the reason goes with the refusal). */
  refusalNeedsReason?: (number: number) => Promise<boolean>;
}

export function createTicketChatModule(deps: TicketChatDeps): TurnModule {
  return {
    name: 'tickets',
    async handle(ctx) {
      try {
        return await handle(deps, ctx);
      } catch (err) {
        // The desk refuses politely (closed ticket, bad input): say it, change nothing (files sent stay held).
        if (isGuichetError(err) && err.code.startsWith('ticketing.')) {
          ctx.keepFiles();
          return reply(ctx, [{ type: 'text', text: userMessage(err, ctx.lang) }]);
        }
        throw err;
      }
    },
  };
}

async function handle(deps: TicketChatDeps, ctx: TurnContext): Promise<TurnReply | undefined> {
  const viewer: Viewer = { id: ctx.user.id, role: ctx.user.role };
  const lang = ctx.lang;
  const waiting = readSlice(ctx.state.ticketChat);

  if (ctx.action) {
    const schema = actionSchemas[ctx.action.verb as keyof typeof actionSchemas];
    if (!schema) return undefined;
    const parsed = schema.safeParse(ctx.action.data);
    if (!parsed.success) return undefined;
    if (ctx.action.verb === 'ticket.rate') {
      const { number, score, comment } = parsed.data as { number: number; score: number; comment?: string };
      const refused = await refusal(deps, ctx, viewer, number, 'ticket.rate');
      if (refused) return refused;
      await deps.desk.rate(number, viewer, score, comment || undefined);
      if (comment) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.rated') }]);
      return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.commentQuestion') }], { kind: 'comment', number, score });
    }
    const { number, fixed } = parsed.data as { number: number; fixed: boolean };
    return confirm(deps, ctx, viewer, number, fixed);
  }
  const text = ctx.text;

  const command = parseTicketCommand(text);
  // "Open a ticket" in a guided diagnosis: the flows module opens it, with the diagnosis so far.
  if (command?.kind === 'open' && !command.text && ctx.state.flow !== undefined && !waiting) return undefined;
  if (command) return run(deps, ctx, viewer, command);

  // "annuler" / "cancel" to a question of ours stops it: it is not the description, the reason or the comment.
  const global = waiting ? recognizeCommand(text) : undefined;
  if (waiting && (global?.kind === 'cancel' || global?.kind === 'restart')) {
    if (waiting.kind === 'refuse-reason') return reply(ctx, [{ type: 'text', text: say(lang, 'connectors.glpiRefuseCancelled', { number: waiting.number }) }]);
    const key = waiting.kind === 'describe' ? 'tickets.noTicketOpened' : waiting.kind === 'attach' ? 'tickets.notAttached' : waiting.kind === 'escalate-reason' ? 'tickets.notEscalated' : 'tickets.noRating';
    if (waiting.kind === 'describe' || waiting.kind === 'attach') ctx.takeFiles(); // the files sent for it are dropped too
    return reply(ctx, [{ type: 'text', text: say(lang, key, 'number' in waiting ? { number: waiting.number } : {}) }]);
  }

  // Files alone, outside a guided diagnosis: to the open ticket, or the one the user picks, or a new one.
  if (!text && ctx.files?.length) return attachFiles(deps, ctx, viewer);

  switch (waiting?.kind) {
    case 'describe':
      return open(deps, ctx, viewer, text);
    case 'attach': {
      const picked = /^#?\s*(\d{3,9})$/.exec(text.trim());
      const number = picked ? Number(picked[1]) : undefined;
      if (number !== undefined && waiting.numbers.includes(number)) return addFiles(deps, ctx, viewer, number);
      if (fold(text) === fold(say(lang, 'tickets.attachNew'))) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.describe') }], { kind: 'describe' });
      break; // Something else: the files stay held for the next ticket.
    }
    case 'escalate-reason':
      return run(deps, ctx, viewer, { kind: 'escalate', number: waiting.number, reason: text });
    case 'survey': {
      const m = /^\s*([1-5])(?:\s*(?:\/\s*5)?\s*[-—:,.]?\s*([\s\S]*))?$/.exec(text);
      if (!m) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.whichAnswer') }], waiting);
      const score = Number(m[1]);
      const comment = m[2]?.trim();
      const refused = await refusal(deps, ctx, viewer, waiting.number, 'ticket.rate');
      if (refused) return refused;
      await deps.desk.rate(waiting.number, viewer, score, comment || undefined);
      if (comment) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.rated') }]);
      return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.commentQuestion') }], { kind: 'comment', number: waiting.number, score });
    }
    case 'refuse-reason': {
      const ticket = await deps.desk.confirmResolution(waiting.number, viewer, false, ctx.origin, text.slice(0, 2_000));
      return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.reopened', { number: ticket.number }) }]);
    }
    case 'comment': {
      const skip = /^(?:no|non|nope|rien|skip|passer|no comment|pas de commentaire|aucun)$/.test(fold(text));
      if (!skip) await deps.desk.rate(waiting.number, viewer, waiting.score, text);
      return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.rated') }]);
    }
    case undefined:
      break;
  }

  return answerDesk(deps, ctx, viewer);
}

/**
 * The desk's question to this user, answered: an agent's question (the ticket waits for them) takes the
 * message; a bare "yes"/"no" answers "is it fixed?". Either owns the message when nothing else in the
 * conversation asked a question, or when the desk asked after the conversation's last turn (its question is the latest).
 */
async function answerDesk(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer): Promise<TurnReply | undefined> {
  // A user this turn created has no ticket yet: the desk asked them nothing.
  if (ctx.created?.user) return undefined;
  const text = ctx.text;
  const idle = !ctx.state.pending && ctx.state.flow === undefined;
  const since = ctx.state.lastTurnAt;
  const askedSince = (at: string | null | undefined) => Boolean(at && since && at > since);
  const verdict = recognizeConfirmation(text);
  if (!verdict) {
    const waitingOnUser = (await deps.desk.listForRequester(ctx.user.id)).filter((t) => t.status === 'pending-user');
    const asked = waitingOnUser.length === 1 ? waitingOnUser[0]! : undefined;
    if (!asked || !(idle || askedSince(asked.updatedAt))) return undefined;
    const ticket = await deps.desk.addInfo(asked.number, viewer, text, ctx.origin, ctx.takeFiles());
    return { ...reply(ctx, [{ type: 'text', text: say(ctx.lang, 'tickets.answerAdded', { number: ticket.number }) }]), ...(idle ? {} : { state: { ...ctx.state, pending: undefined, flow: undefined, ticketChat: undefined } }) };
  }
  const [latest] = await deps.desk.awaitingConfirmation(ctx.user.id);
  if (!latest || !(idle || askedSince(latest.resolvedAt))) return undefined;
  const answered = await confirm(deps, ctx, viewer, latest.number, verdict === 'yes');
  // The guide or article question that was pending is older than the desk's: it is dropped.
  return { ...answered, state: { ...answered.state, flow: undefined } };
}

async function run(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, command: TicketChatCommand): Promise<TurnReply> {
  const lang = ctx.lang;
  const timeZone = deps.timeZoneOf?.(ctx.user.id);
  switch (command.kind) {
    case 'list': {
      const tickets = await deps.desk.listForRequester(ctx.user.id, { includeClosed: command.all });
      if (tickets.length === 0) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.noTickets') }]);
      return reply(ctx, [{ type: 'tickets', title: say(lang, command.all ? 'tickets.allTickets' : 'tickets.myTickets'), tickets, lang, ...(timeZone ? { timeZone } : {}) }]);
    }
    case 'status': {
      const access = await deps.desk.access(command.number, viewer);
      if (!access || !allows(access.roles, 'ticket.read')) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.noSuchTicket', { number: command.number }) }]);
      return reply(ctx, [card(access.ticket, lang, timeZone)]);
    }
    case 'open':
      if (!command.text) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.describe') }], { kind: 'describe' });
      return open(deps, ctx, viewer, command.text);
    case 'add': {
      const refused = await refusal(deps, ctx, viewer, command.number, 'ticket.add-info');
      if (refused) return refused;
      const ticket = await deps.desk.addInfo(command.number, viewer, command.text, ctx.origin, ctx.takeFiles());
      return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.infoAdded', { number: ticket.number }) }]);
    }
    case 'escalate': {
      const refused = await refusal(deps, ctx, viewer, command.number, 'ticket.escalate');
      if (refused) return refused;
      if (!command.reason) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.escalateWhy', { number: command.number }) }], { kind: 'escalate-reason', number: command.number });
      await deps.desk.escalateByRequester(command.number, viewer, command.reason, ctx.origin);
      return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.escalated', { number: command.number }) }]);
    }
    case 'confirm':
      return confirm(deps, ctx, viewer, command.number, command.fixed);
    case 'approve': {
      if (!deps.approvals) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.noSuchTicket', { number: command.number }) }]);
      await deps.approvals.decideApproval(command.number, viewer, command.approved, ctx.origin);
      return reply(ctx, [{ type: 'text', text: say(lang, command.approved ? 'tickets.approvedThanks' : 'tickets.rejectedThanks', { number: command.number }) }]);
    }
  }
}

async function open(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, text: string): Promise<TurnReply> {
  const lang = ctx.lang;
  const service = guessService(deps.services, text);
  // The open major incident it may belong to, read once it is stored, beside its view (one round trip's wait, not two).
  let related: MajorIncidentView | undefined;
  const links = deps.incidentLinks;
  const alongView = links ? async (stored: Parameters<typeof links.relatedOpen>[0]) => void (related = await links.relatedOpen(stored)) : undefined;
  // The card in the agents' channels after this reply (an effect of the turn): the user need not wait for it.
  const { ticket, created, afterReply } = await deps.desk.create({
    type: looksLikeRequest(text) ? 'request' : 'incident',
    title: titleOf(text),
    description: text,
    category: service?.id ?? 'other',
    serviceId: service?.id ?? null,
    // One person affected, work slowed but not stopped: P4 by default; agents adjust.
    impact: 3,
    urgency: 2,
    requesterId: viewer.id,
    conversationId: ctx.conversationId,
    origin: ctx.origin,
    createdBy: { id: viewer.id, kind: 'user' },
    files: ctx.takeFiles(),
  }, { cardAfterReply: true, ...(alongView ? { alongView } : {}) });
  const key = created ? 'tickets.opened' : 'tickets.alreadyOpened';
  const incident = created ? related : undefined;
  if (incident) await links?.link(ticket.number, incident);
  const replies: OutboundMessage[] = [{ type: 'text', text: say(lang, key, { number: ticket.number }) }];
  if (incident) replies.push({ type: 'text', text: say(lang, 'tickets.knownOutage', { number: incident.number }) }, { type: 'incident', incident, lang, ...zoneOf(deps, ctx) });
  replies.push(card(ticket, lang, deps.timeZoneOf?.(ctx.user.id)));
  return { ...reply(ctx, replies), ...(afterReply ? { effects: [async () => afterReply()] } : {}) };
}

/** Files sent alone: to the one open ticket, or ask which (the core holds them meanwhile), or ask for a new ticket's description. */
async function attachFiles(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer): Promise<TurnReply> {
  const lang = ctx.lang;
  const open = (await deps.desk.listForRequester(ctx.user.id)).filter((t) => isOpen(t.status));
  if (open.length === 1) return addFiles(deps, ctx, viewer, open[0]!.number);
  if (open.length === 0) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.describeForFiles') }], { kind: 'describe' });
  const files = quotedNames(ctx.files ?? [], lang);
  const shown = open.slice(0, 9);
  return reply(
    ctx,
    [
      {
        type: 'choices',
        text: say(lang, 'tickets.attachWhich', { files }),
        choices: [...shown.map((t) => ({ label: `#${t.number} ${t.title}`.slice(0, 70), value: `#${t.number}` })), { label: say(lang, 'tickets.attachNew'), value: say(lang, 'tickets.attachNew') }],
      },
    ],
    { kind: 'attach', numbers: shown.map((t) => t.number) },
  );
}

async function addFiles(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, number: number): Promise<TurnReply> {
  const ticket = await deps.desk.addInfo(number, viewer, '', ctx.origin, ctx.takeFiles());
  return reply(ctx, [{ type: 'text', text: say(ctx.lang, 'tickets.attached', { number: ticket.number }) }]);
}

async function confirm(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, number: number, fixed: boolean): Promise<TurnReply> {
  const lang = ctx.lang;
  const refused = await refusal(deps, ctx, viewer, number, 'ticket.confirm');
  if (refused) return refused;
  const current = await deps.desk.view(number, viewer);
  // An old "is it fixed?" button of a closed ticket: said so, nothing changed (no reopening, no second survey).
  if (current?.status === 'closed') return reply(ctx, [{ type: 'text', text: say(lang, 'incidents.alreadyClosed', { number }) }]);
  if (!fixed && current?.status === 'resolved' && (await deps.refusalNeedsReason?.(number))) {
    return reply(ctx, [{ type: 'text', text: say(lang, 'connectors.glpiRefuseReasonAsk') }], { kind: 'refuse-reason', number });
  }
  const ticket = await deps.desk.confirmResolution(number, viewer, fixed, ctx.origin);
  if (!fixed) return reply(ctx, [{ type: 'text', text: say(lang, 'tickets.reopened', { number: ticket.number }) }]);
  return reply(
    ctx,
    [
      { type: 'text', text: say(lang, 'tickets.closedThanks', { number: ticket.number }) },
      { type: 'survey', ticketNumber: ticket.number, question: say(lang, 'tickets.surveyQuestion', { number: ticket.number }), lang },
    ],
    { kind: 'survey', number: ticket.number },
  );
}

/**
 * The authorization table's answer (core/authorization.ts) for `action` on ticket #number, from the
 * desk's facts: undefined when allowed; "no such ticket" when they may not even read it (an unknown
 * and a foreign number look the same); "only its requester" when they may read it but not do this.
 */
async function refusal(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, number: number, action: TicketAction): Promise<TurnReply | undefined> {
  const access = await deps.desk.access(number, viewer);
  if (access && allows(access.roles, action)) return undefined;
  const key = access && allows(access.roles, 'ticket.read') ? 'security.requesterOnly' : 'tickets.noSuchTicket';
  return reply(ctx, [{ type: 'text', text: say(ctx.lang, key, { number }) }]);
}

function zoneOf(deps: TicketChatDeps, ctx: TurnContext): { timeZone?: string } {
  const timeZone = deps.timeZoneOf?.(ctx.user.id);
  return timeZone ? { timeZone } : {};
}

function card(ticket: TicketView, lang: Lang, timeZone?: string): OutboundMessage {
  return { type: 'ticket', ticket, lang, ...(timeZone ? { timeZone } : {}) };
}

function reply(ctx: TurnContext, replies: OutboundMessage[], waiting?: Waiting): TurnReply {
  return { replies, state: { ...ctx.state, pending: undefined, ticketChat: waiting } };
}

function readSlice(raw: unknown): Waiting {
  const parsed = slice.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

