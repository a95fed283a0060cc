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
import { fold, recognizeCommand, recognizeConfirmation } from '../core/commands.ts';
import { isGuichetError } from '../core/errors.ts';
import { localize, type Lang, type Localized } from '../core/lang.ts';
import { quotedNames, type OutboundMessage } from '../core/messages.ts';
import type { MajorIncidentView, TicketDesk, TicketView, Viewer } from '../core/tickets.ts';
import type { TurnContext, TurnModule, TurnReply } from '../core/turn-module.ts';
import type { ServiceDefinition } from '../catalog/services.ts';
import { isOpen } from './status.ts';

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
  ])
  .optional();

type Waiting = z.output<typeof slice>;

const TEXTS = {
  myTickets: { fr: 'Vos tickets en cours', en: 'Your open tickets' },
  allTickets: { fr: 'Vos tickets', en: 'Your tickets' },
  noTickets: { fr: 'Vous n’avez aucun ticket en cours. Décrivez votre problème si vous avez besoin d’aide.', en: 'You have no open ticket. Describe your problem if you need help.' },
  noSuchTicket: { fr: 'Je ne trouve pas de ticket #{number} à votre nom.', en: 'I can’t find a ticket #{number} of yours.' },
  opened: { fr: 'J’ai ouvert le ticket #{number}. Je vous tiendrai informé(e) ici à chaque étape.', en: 'I opened ticket #{number}. I’ll keep you posted here at every step.' },
  alreadyOpened: { fr: 'Le ticket #{number} est déjà ouvert pour cette demande.', en: 'Ticket #{number} is already open for this request.' },
  attached: { fr: '📎 C’est joint au ticket #{number} ; le technicien est prévenu.', en: '📎 Attached to ticket #{number}; the technician is told.' },
  attachWhich: { fr: 'À quel ticket dois-je joindre {files} ?', en: 'Which ticket should I attach {files} to?' },
  attachNew: { fr: 'Un nouveau ticket', en: 'A new ticket' },
  describeForFiles: {
    fr: '📎 Bien reçu. Décrivez le problème en une ou deux phrases, et j’ouvre un ticket avec ce fichier :',
    en: '📎 Got it. Describe the problem in a sentence or two, and I’ll open a ticket with this file:',
  },
  notAttached: { fr: 'D’accord, je ne joins rien.', en: 'All right, I won’t attach anything.' },
  noTicketOpened: { fr: 'D’accord, je n’ouvre pas de ticket.', en: 'All right, I won’t open a ticket.' },
  notEscalated: { fr: 'D’accord, je n’escalade pas le ticket #{number}.', en: 'All right, I won’t escalate ticket #{number}.' },
  noRating: { fr: 'D’accord, sans note.', en: 'All right, no rating.' },
  describe: { fr: 'Décrivez le problème en une ou deux phrases (ce qui se passe, depuis quand, le message d’erreur éventuel) :', en: 'Describe the problem in a sentence or two (what happens, since when, any error message):' },
  approvedThanks: { fr: 'C’est noté : demande #{number} approuvée.', en: 'Noted: request #{number} approved.' },
  rejectedThanks: { fr: 'C’est noté : demande #{number} refusée.', en: 'Noted: request #{number} rejected.' },
  answerAdded: {
    fr: 'Merci, j’ai transmis votre réponse au support (ticket #{number}).',
    en: 'Thanks, I passed your answer to the service desk (ticket #{number}).',
  },
  infoAdded: { fr: 'C’est ajouté au ticket #{number} ; le technicien est prévenu.', en: 'Added to ticket #{number}; the technician is told.' },
  escalateWhy: { fr: 'Pourquoi faut-il accélérer le ticket #{number} ? (par exemple : une démo client à 14 h)', en: 'Why does ticket #{number} need to go faster? (for example: a client demo at 2 pm)' },
  escalated: { fr: 'J’ai escaladé le ticket #{number} auprès du responsable du support, avec votre raison.', en: 'I escalated ticket #{number} to the service desk manager, with your reason.' },
  closedThanks: { fr: 'Parfait, le ticket #{number} est clos. Merci !', en: 'Great, ticket #{number} is closed. Thank you!' },
  surveyQuestion: { fr: 'De 1 à 5, êtes-vous satisfait(e) de la résolution du ticket #{number} ?', en: 'From 1 to 5, how satisfied are you with how ticket #{number} was handled?' },
  commentQuestion: { fr: 'Merci ! Un commentaire ? (ou « non »)', en: 'Thank you! Any comment? (or “no”)' },
  rated: { fr: 'Merci pour votre retour.', en: 'Thank you for your feedback.' },
  reopened: { fr: 'Désolé : j’ai rouvert le ticket #{number} et prévenu le technicien.', en: 'Sorry about that: I reopened ticket #{number} and told the technician.' },
  knownOutage: {
    fr: 'C’est une panne connue (incident majeur #{number}) : votre ticket y est rattaché et vous serez prévenu(e) de sa résolution.',
    en: 'This is a known outage (major incident #{number}): your ticket is linked to it and you’ll be told when it is fixed.',
  },
  whichAnswer: { fr: 'Répondez par un chiffre de 1 à 5.', en: 'Answer with a number from 1 to 5.' },
} satisfies Record<string, Localized>;

const say = (lang: Lang, key: keyof typeof TEXTS, vars: Record<string, string | number> = {}): string => localize(TEXTS, lang, key, vars);

export type TicketChatCommand =
  | { kind: 'list'; all: boolean }
  | { kind: 'status'; number: number }
  | { kind: 'open'; text: string }
  | { kind: 'add'; number: number; text: string }
  | { kind: 'escalate'; number: number; reason: string }
  | { kind: 'confirm'; number: number; fixed: boolean }
  | { kind: 'approve'; number: number; approved: boolean };

const NUM = String.raw`(?:(?:le|du|my|mon|the)\s+)?(?:ticket\s+)?(?:n[°o]\s*)?#?(\d{1,9})(?!\d)`;

/** Parses what a user types about their tickets; undefined when it is something else. */
export function parseTicketCommand(text: string): TicketChatCommand | undefined {
  const raw = text.trim();
  const folded = fold(raw).replace(/[\s?!.]+$/, '');
  if (/^(?:all my tickets|all my requests|tous mes tickets|toutes mes demandes|historique de mes tickets)$/.test(folded)) return { kind: 'list', all: true };
  if (/^(?:my tickets|my requests|my open tickets|mes tickets|mes demandes|mes tickets en cours|ou en sont mes (?:tickets|demandes)|show my tickets|voir mes tickets|liste de mes tickets)$/.test(folded)) return { kind: 'list', all: false };
  let m = /^#?(\d{1,9})\s+(fixed|not fixed|still broken|regle|pas regle|toujours en panne)$/.exec(folded);
  if (m) return { kind: 'confirm', number: Number(m[1]), fixed: m[2] === 'fixed' || m[2] === 'regle' };
  m = /^#?(\d{1,9})\s+(approve|approved|approuver|approuve|reject|rejected|refuser|refuse)$/.exec(folded);
  if (m) return { kind: 'approve', number: Number(m[1]), approved: /^appro/.test(m[2]!) };
  m = new RegExp(`^(?:status|statut|etat|state|update on|where is|ou en est)\\s+(?:of\\s+|du\\s+|de\\s+)?${NUM}\\s*\\??$`, 'i').exec(folded);
  if (m) return { kind: 'status', number: Number(m[1]) };
  m = /^(?:open|create|raise|log) (?:a |an )?(?:new )?(?:ticket|incident|request)|^(?:new ticket|nouveau ticket)|^(?:ouvrir|creer|faire|ouvre|cree) (?:un )?(?:nouveau )?(?:ticket|incident|demande)/.exec(folded);
  if (m) {
    const rest = raw.replace(/^[^:—-]*?(?:ticket|incident|request|demande)\b\s*(?:pour\s+|for\s+|about\s+)?[:—-]?\s*/iu, '');
    return { kind: 'open', text: rest.trim() };
  }
  m = new RegExp(`^(?:add to|add info to|ajouter au|ajouter a|ajout au|complement (?:au|pour le)|info pour le)\\s+${NUM}\\s*[:—-]?\\s*([\\s\\S]+)$`, 'iu').exec(raw.normalize('NFD').replace(/\p{M}+/gu, ''));
  if (m) return { kind: 'add', number: Number(m[1]), text: afterColon(raw, m[2]!) };
  m = new RegExp(`^(?:escalate|escalader|escalade|relancer|urgent)\\s+${NUM}\\s*(?:[:—-]|because|car|parce que)?\\s*([\\s\\S]*)$`, 'iu').exec(raw.normalize('NFD').replace(/\p{M}+/gu, ''));
  if (m) return { kind: 'escalate', number: Number(m[1]), reason: m[2]!.trim() ? afterColon(raw, m[2]!) : '' };
  return undefined;
}

/** The original (accented) text of the tail that was matched on a folded copy. */
function afterColon(raw: string, foldedTail: string): string {
  return raw.slice(raw.length - foldedTail.length).trim();
}

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
  /** Links a new report to the open major incident of its service, if any; resolves with it. */
  linkToOpenIncident?: (ticket: TicketView) => Promise<MajorIncidentView | undefined>;
}

export function createTicketChatModule(deps: TicketChatDeps): TurnModule {
  return {
    name: 'tickets',
    async handle(ctx) {
      try {
        return await handle(deps, ctx);
      } catch (err) {
        // The desk refuses politely (closed ticket, bad input): say it, change nothing (files sent stay held).
        if (isGuichetError(err) && err.code.startsWith('tickets.')) {
          ctx.keepFiles();
          return reply(ctx, [{ type: 'text', text: explain(err.code, err.message, ctx.lang) }]);
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
      await deps.desk.rate(number, viewer, score, comment || undefined);
      if (comment) return reply(ctx, [{ type: 'text', text: say(lang, 'rated') }]);
      return reply(ctx, [{ type: 'text', text: say(lang, 'commentQuestion') }], { kind: 'comment', number, score });
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
    const key = waiting.kind === 'describe' ? 'noTicketOpened' : waiting.kind === 'attach' ? 'notAttached' : waiting.kind === 'escalate-reason' ? 'notEscalated' : 'noRating';
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
      if (fold(text) === fold(say(lang, 'attachNew'))) return reply(ctx, [{ type: 'text', text: say(lang, 'describe') }], { kind: 'describe' });
      break; // Something else: the files stay held for the next ticket.
    }
    case 'escalate-reason':
      return run(deps, ctx, viewer, { kind: 'escalate', number: waiting.number, reason: text });
    case 'survey': {
      const m = /^\s*([1-5])(?:\s*(?:\/\s*5)?\s*[-—:,.]?\s*([\s\S]*))?$/.exec(text);
      if (!m) return reply(ctx, [{ type: 'text', text: say(lang, 'whichAnswer') }], waiting);
      const score = Number(m[1]);
      const comment = m[2]?.trim();
      await deps.desk.rate(waiting.number, viewer, score, comment || undefined);
      if (comment) return reply(ctx, [{ type: 'text', text: say(lang, 'rated') }]);
      return reply(ctx, [{ type: 'text', text: say(lang, 'commentQuestion') }], { kind: 'comment', number: waiting.number, score });
    }
    case 'comment': {
      const skip = /^(?:no|non|nope|rien|skip|passer|no comment|pas de commentaire|aucun)$/.test(fold(text));
      if (!skip) await deps.desk.rate(waiting.number, viewer, waiting.score, text);
      return reply(ctx, [{ type: 'text', text: say(lang, 'rated') }]);
    }
    case undefined:
      break;
  }

  // A bare "yes"/"no" answers "is it fixed?" when nothing else in this conversation asked a question.
  if (!ctx.state.pending && ctx.state.flow === undefined) {
    // The service desk asked this user something (the ticket waits for them): this message is the answer.
    const waitingOnUser = (await deps.desk.listForRequester(ctx.user.id)).filter((t) => t.status === 'pending-user');
    if (waitingOnUser.length === 1 && !recognizeConfirmation(text)) {
      const ticket = await deps.desk.addInfo(waitingOnUser[0]!.number, viewer, text, ctx.origin, ctx.takeFiles());
      return reply(ctx, [{ type: 'text', text: say(lang, 'answerAdded', { number: ticket.number }) }]);
    }
    const verdict = recognizeConfirmation(text);
    if (verdict) {
      const [latest] = await deps.desk.awaitingConfirmation(ctx.user.id);
      if (latest) return confirm(deps, ctx, viewer, latest.number, verdict === 'yes');
    }
  }
  return undefined;
}

async function run(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, command: TicketChatCommand): Promise<TurnReply> {
  const lang = ctx.lang;
  const timeZone = deps.timeZoneOf?.(ctx.user.id);
  switch (command.kind) {
    case 'list': {
      const tickets = await deps.desk.listForRequester(ctx.user.id, { includeClosed: command.all });
      if (tickets.length === 0) return reply(ctx, [{ type: 'text', text: say(lang, 'noTickets') }]);
      return reply(ctx, [{ type: 'tickets', title: say(lang, command.all ? 'allTickets' : 'myTickets'), tickets, lang, ...(timeZone ? { timeZone } : {}) }]);
    }
    case 'status': {
      const ticket = await mine(deps, viewer, command.number);
      if (!ticket) return reply(ctx, [{ type: 'text', text: say(lang, 'noSuchTicket', { number: command.number }) }]);
      return reply(ctx, [card(ticket, lang, timeZone)]);
    }
    case 'open':
      if (!command.text) return reply(ctx, [{ type: 'text', text: say(lang, 'describe') }], { kind: 'describe' });
      return open(deps, ctx, viewer, command.text);
    case 'add': {
      if (!(await mine(deps, viewer, command.number))) return reply(ctx, [{ type: 'text', text: say(lang, 'noSuchTicket', { number: command.number }) }]);
      const ticket = await deps.desk.addInfo(command.number, viewer, command.text, ctx.origin, ctx.takeFiles());
      return reply(ctx, [{ type: 'text', text: say(lang, 'infoAdded', { number: ticket.number }) }]);
    }
    case 'escalate': {
      if (!(await mine(deps, viewer, command.number))) return reply(ctx, [{ type: 'text', text: say(lang, 'noSuchTicket', { number: command.number }) }]);
      if (!command.reason) return reply(ctx, [{ type: 'text', text: say(lang, 'escalateWhy', { number: command.number }) }], { kind: 'escalate-reason', number: command.number });
      await deps.desk.escalateByRequester(command.number, viewer, command.reason, ctx.origin);
      return reply(ctx, [{ type: 'text', text: say(lang, 'escalated', { number: command.number }) }]);
    }
    case 'confirm':
      return confirm(deps, ctx, viewer, command.number, command.fixed);
    case 'approve': {
      if (!deps.approvals) return reply(ctx, [{ type: 'text', text: say(lang, 'noSuchTicket', { number: command.number }) }]);
      await deps.approvals.decideApproval(command.number, viewer, command.approved, ctx.origin);
      return reply(ctx, [{ type: 'text', text: say(lang, command.approved ? 'approvedThanks' : 'rejectedThanks', { number: command.number }) }]);
    }
  }
}

async function open(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, text: string): Promise<TurnReply> {
  const lang = ctx.lang;
  const service = guessService(deps.services, text);
  const { ticket, created } = await deps.desk.create({
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
  });
  const key = created ? 'opened' : 'alreadyOpened';
  const incident = created ? await deps.linkToOpenIncident?.(ticket) : undefined;
  const replies: OutboundMessage[] = [{ type: 'text', text: say(lang, key, { number: ticket.number }) }];
  if (incident) replies.push({ type: 'text', text: say(lang, 'knownOutage', { number: incident.number }) }, { type: 'incident', incident, lang });
  replies.push(card(ticket, lang, deps.timeZoneOf?.(ctx.user.id)));
  return reply(ctx, replies);
}

/** Files sent alone: to the one open ticket, or ask which (the core holds them meanwhile), or ask for a new ticket's description. */
async function attachFiles(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer): Promise<TurnReply> {
  const lang = ctx.lang;
  const open = (await deps.desk.listForRequester(ctx.user.id)).filter((t) => isOpen(t.status));
  if (open.length === 1) return addFiles(deps, ctx, viewer, open[0]!.number);
  if (open.length === 0) return reply(ctx, [{ type: 'text', text: say(lang, 'describeForFiles') }], { kind: 'describe' });
  const files = quotedNames(ctx.files ?? [], lang);
  const shown = open.slice(0, 9);
  return reply(
    ctx,
    [
      {
        type: 'choices',
        text: say(lang, 'attachWhich', { files }),
        choices: [...shown.map((t) => ({ label: `#${t.number} ${t.title}`.slice(0, 70), value: `#${t.number}` })), { label: say(lang, 'attachNew'), value: say(lang, 'attachNew') }],
      },
    ],
    { kind: 'attach', numbers: shown.map((t) => t.number) },
  );
}

async function addFiles(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, number: number): Promise<TurnReply> {
  const ticket = await deps.desk.addInfo(number, viewer, '', ctx.origin, ctx.takeFiles());
  return reply(ctx, [{ type: 'text', text: say(ctx.lang, 'attached', { number: ticket.number }) }]);
}

async function confirm(deps: TicketChatDeps, ctx: TurnContext, viewer: Viewer, number: number, fixed: boolean): Promise<TurnReply> {
  const lang = ctx.lang;
  if (!(await mine(deps, viewer, number))) return reply(ctx, [{ type: 'text', text: say(lang, 'noSuchTicket', { number }) }]);
  const ticket = await deps.desk.confirmResolution(number, viewer, fixed, ctx.origin);
  if (!fixed) return reply(ctx, [{ type: 'text', text: say(lang, 'reopened', { number: ticket.number }) }]);
  return reply(
    ctx,
    [
      { type: 'text', text: say(lang, 'closedThanks', { number: ticket.number }) },
      { type: 'survey', ticketNumber: ticket.number, question: say(lang, 'surveyQuestion', { number: ticket.number }), lang },
    ],
    { kind: 'survey', number: ticket.number },
  );
}

/** The requester's own ticket (agents asking about others' tickets use their own commands). */
async function mine(deps: TicketChatDeps, viewer: Viewer, number: number): Promise<TicketView | undefined> {
  const ticket = await deps.desk.view(number, viewer);
  return ticket && (ticket.requester.id === viewer.id || viewer.role !== 'employee') ? ticket : undefined;
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

/** The service whose keywords the text mentions most. */
export function guessService(services: readonly ServiceDefinition[], text: string): ServiceDefinition | undefined {
  const folded = ` ${fold(text)} `;
  let best: { service: ServiceDefinition; hits: number } | undefined;
  for (const service of services) {
    const words = [...service.keywords.fr, ...service.keywords.en].map((k) => fold(k));
    const hits = words.filter((w) => w && folded.includes(` ${w} `)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { service, hits };
  }
  return best?.service;
}

/** Whether the words ask for something (a request) rather than report a fault (an incident). */
export function looksLikeRequest(text: string): boolean {
  return /\b(?:i need|i would like|i'd like|please install|request|access to|new (?:laptop|phone|screen|account)|j'ai besoin|je voudrais|j'aimerais|installer|demande d|acces a|nouvel? (?:ordinateur|ecran|telephone|compte))\b/.test(fold(text));
}

function titleOf(text: string): string {
  const first = text.trim().split(/(?<=[.!?])\s|\n/)[0]!.trim();
  const title = first.length > 80 ? `${first.slice(0, 77).trimEnd()}…` : first;
  return title.length >= 3 ? title : `${title} …`;
}

function explain(code: string, message: string, lang: Lang): string {
  const prefix = lang === 'fr' ? 'Je ne peux pas : ' : 'I can’t: ';
  return code === 'tickets.not-found' || code === 'tickets.forbidden' ? message : `${prefix}${message}`;
}
