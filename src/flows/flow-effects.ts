/**
 * Carries out what the flow engine asks for, through the core's ports: the
 * facts a flow reads (the user's devices from the CMDB, open major
 * incidents), tickets created during the turn (so the reply can give the
 * number and the due time, and the ticket is stored before the user is told),
 * a handoff to a person, a report linked to a known outage, and feedback on
 * articles (after the turn is committed).
 *
 * Every ticket is keyed by the turn's origin ("channel:deliveryId", then
 * "/2" for a second one in the same turn): a retried delivery finds the same
 * ticket instead of opening another.
 */
import type { Effect as CoreEffect } from '../core/answer-question.ts';
import { isGuichetError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { KnowledgeBase } from '../core/ports.ts';
import { formatWhen } from '../core/ticket-texts.ts';
import type { Level as DeskLevel, MajorIncidentView, NewTicket, TicketDesk, TicketView } from '../core/tickets.ts';
import type { TurnContext } from '../core/turn-module.ts';
import { renderDiagnosis } from './diagnosis.ts';
import type { Flow, Level } from './schema.ts';
import { say } from '../texts/index.ts';
import type { Asset, Diagnosis, Effect, FlowState, MajorIncident, TicketDraft } from './types.ts';

/** The human handoff as flows use it (src/handoff/handoff.ts `Handoff` fits). */
export interface HandoffPort {
  /** Puts the ticket in front of agents; `live`: the user's next messages go to the person who takes it. */
  escalate(number: number, options: { live: boolean }): Promise<{ ticket: TicketView; availableAgents: number }>;
  /** What the user is told: the ticket, whether someone is around, the due time. */
  queuedNotice(ticket: TicketView, availableAgents: number, lang: Lang, timeZone?: string): string;
}

/** Reports linked to a major incident instead of a ticket of their own (src/ticketing major incidents). */
export interface IncidentReports {
  /** The user joins the incident: with `ticket` when their report became a ticket linked to it, without when they only follow it. */
  linkReport(incidentNumber: number, report: NewTicket): Promise<{ ticket?: TicketView; created: boolean }>;
}

export interface EffectDeps {
  desk?: TicketDesk;
  handoff?: HandoffPort;
  incidents?: IncidentReports;
  knowledge?: KnowledgeBase;
  /** Zone of due times shown to users whose own zone is unknown. */
  timeZone?: string;
  /** Records that a guided flow ended resolved (analytics count it as self-service). */
  recordResolved?: (input: { conversationId: string; userId: string; flowId: string; serviceId: string }) => Promise<void>;
}

/** What the flow reads besides the conversation: devices and outages, with the incidents' full views. */
export interface Facts {
  assets: Asset[];
  openMajorIncidents: MajorIncident[];
  incidents: MajorIncidentView[];
}

/** Devices that can still be in the user's hands. */
const LIVE_ASSET = new Set(['in-use', 'repair']);

/** `newUser`: the user was created in this turn (TurnContext.created): no device is theirs yet, none is read. */
export async function loadFacts(deps: EffectDeps, userId: string, newUser = false): Promise<Facts> {
  if (!deps.desk) return { assets: [], openMajorIncidents: [], incidents: [] };
  const [contact, incidents] = await Promise.all([
    newUser ? undefined : deps.desk.contact(userId).catch((err: unknown) => {
      // A user the desk does not know yet has no devices; anything else is a real failure.
      if (isGuichetError(err) && err.code === 'ticketing.not-found') return undefined;
      throw err;
    }),
    deps.desk.openMajorIncidents(),
  ]);
  return {
    assets: (contact?.assets ?? []).filter((a) => LIVE_ASSET.has(a.status)).map(({ tag, kind, name }) => ({ tag, kind, name })),
    openMajorIncidents: incidents.map((i) => ({ id: String(i.number), serviceId: i.serviceId, title: i.title, startedAt: i.startedAt })),
    incidents,
  };
}

const LEVELS: Record<Level, DeskLevel> = { high: 1, medium: 2, low: 3 };

export interface Applied {
  replies: OutboundMessage[];
  effects: CoreEffect[];
}

/**
 * Runs a step's effects. `flow` and `before` (the state the step started
 * from) give a handoff or an outage report its diagnosis.
 */
export async function runFlowEffects(
  deps: EffectDeps,
  ctx: TurnContext,
  facts: Facts,
  flow: Flow | undefined,
  before: FlowState | undefined,
  effects: readonly Effect[],
): Promise<Applied> {
  const out: Applied = { replies: [], effects: [] };
  const lang = ctx.lang;
  let created: TicketView | undefined;
  let count = 0;
  const origin = () => (count++ === 0 ? ctx.origin : `${ctx.origin}/${count}`);
  for (const effect of effects) {
    switch (effect.kind) {
      case 'create-ticket': {
        if (!deps.desk) {
          out.replies.push({ type: 'text', text: say(lang, 'flows.noDesk') });
          break;
        }
        // Its card in the agents' channels after the reply (an effect of the turn), unless this turn hands the ticket
        // over next: the handoff works on the card, which must be posted first.
        const handsOver = effects.some((e) => e.kind === 'handoff');
        const result = await deps.desk.create(newTicket(ctx, effect.ticket, origin(), Boolean(ctx.urgent || before?.urgent)), { cardAfterReply: !handsOver });
        const { afterReply } = result;
        if (afterReply) out.effects.push(async () => afterReply());
        created = result.ticket;
        out.replies.push(...ticketReplies(deps, ctx, result.ticket, result.created));
        break;
      }
      case 'handoff': {
        if (!deps.desk) {
          out.replies.push({ type: 'text', text: say(lang, 'flows.noDesk') });
          break;
        }
        let ticket = created;
        if (!ticket) {
          const defaults = flow?.['ticket-defaults'];
          const title = say(lang, 'flows.handoffTitle', { title: flow?.title[lang] ?? effect.flowId });
          const draft: TicketDraft = {
            type: 'incident',
            category: defaults?.category ?? 'other',
            serviceId: effect.serviceId,
            impact: defaults?.impact ?? 'low',
            urgency: defaults?.urgency ?? 'medium',
            title,
            description: `${effect.reason}\n\n${effect.summary}`,
            diagnosis: effect.diagnosis,
            flowId: effect.flowId,
          };
          ticket = (await deps.desk.create(newTicket(ctx, draft, origin(), Boolean(ctx.urgent || before?.urgent)))).ticket;
        }
        out.replies.push(...(await handOver(deps, ctx, ticket)));
        break;
      }
      case 'link-major-incident': {
        const view = facts.incidents.find((i) => String(i.number) === effect.id);
        if (view) out.replies.push({ type: 'incident', incident: view, lang, ...zone(deps) });
        if (deps.incidents && view && flow) {
          const diagnosis = before?.diagnosis ?? { steps: [], articles: [], assets: [] };
          const report = newTicket(ctx, reportDraft(flow, view, diagnosis, lang, String(before?.slots['utterance'] ?? '')), origin());
          const { ticket } = await deps.incidents.linkReport(view.number, report);
          out.replies.push({ type: 'text', text: ticket ? say(lang, 'flows.reportLinked', { number: ticket.number }) : say(lang, 'flows.reportJoined', { number: view.number }) });
        }
        break;
      }
      case 'record-feedback': {
        const knowledge = deps.knowledge;
        if (!knowledge) break;
        const { articleId, lang: articleLang, helpful, query } = effect;
        out.effects.push(() => knowledge.recordFeedback({ articleId, lang: articleLang, helpful, query, userId: ctx.user.id, conversationId: ctx.conversationId }));
        break;
      }
      case 'resolved': {
        // Kept for analytics once the turn is committed (self-service resolution).
        const record = deps.recordResolved;
        if (record) out.effects.push(() => record({ conversationId: ctx.conversationId, userId: ctx.user.id, flowId: effect.flowId, serviceId: effect.serviceId }));
        break;
      }
    }
  }
  return out;
}

/** A handoff without a flow ("agent" typed outside any guide): a ticket about the user's last question, handed over. */
export async function handOffAlone(deps: EffectDeps, ctx: TurnContext, query: string | undefined): Promise<OutboundMessage[] | undefined> {
  if (!deps.desk) return undefined;
  const lang = ctx.lang;
  const description = say(lang, 'flows.agentTicketBody', { query: query ? say(lang, 'flows.agentTicketQuery', { query }) : '' });
  const { ticket } = await deps.desk.create({
    type: 'incident',
    title: query ? titleOf(query) : say(lang, 'flows.agentTicketTitle'),
    description,
    category: 'other',
    serviceId: null,
    impact: 3,
    urgency: 2,
    requesterId: ctx.user.id,
    diagnosis: { steps: [], articles: [], assets: [], askedForAgent: true },
    conversationId: ctx.conversationId,
    origin: ctx.origin,
    createdBy: { id: null, kind: 'bot' },
    files: ctx.takeFiles(),
  });
  return handOver(deps, ctx, ticket);
}

async function handOver(deps: EffectDeps, ctx: TurnContext, ticket: TicketView): Promise<OutboundMessage[]> {
  const lang = ctx.lang;
  if (deps.handoff) {
    const { ticket: fresh, availableAgents } = await deps.handoff.escalate(ticket.number, { live: true });
    return [
      { type: 'text', text: deps.handoff.queuedNotice(fresh, availableAgents, lang, deps.timeZone) },
      { type: 'ticket', ticket: fresh, lang, ...zone(deps) },
    ];
  }
  const dueAt = ticket.responseDueAt ?? ticket.resolutionDueAt;
  const due = dueAt ? say(lang, 'flows.responseDue', { when: formatWhen(dueAt, lang, deps.timeZone) }) : '';
  return [
    { type: 'text', text: say(lang, 'flows.handoffQueued', { number: ticket.number, due }) },
    { type: 'ticket', ticket, lang, ...zone(deps) },
  ];
}

function ticketReplies(deps: EffectDeps, ctx: TurnContext, ticket: TicketView, created: boolean): OutboundMessage[] {
  const lang = ctx.lang;
  const due = ticket.resolutionDueAt ? say(lang, 'flows.ticketDue', { when: formatWhen(ticket.resolutionDueAt, lang, deps.timeZone) }) : '';
  const text = created ? say(lang, 'flows.ticketOpened', { number: ticket.number, due }) : say(lang, 'flows.ticketAgain', { number: ticket.number });
  return [
    { type: 'text', text },
    { type: 'ticket', ticket, lang, ...zone(deps) },
  ];
}

/** `urgent`: the conversation's first message was urgent, so the ticket's urgency is high whatever the flow says. */
function newTicket(ctx: TurnContext, draft: TicketDraft, origin: string, urgent = false): NewTicket {
  const ticket: NewTicket = {
    type: draft.type,
    title: draft.title,
    description: draft.description,
    category: draft.category,
    serviceId: draft.serviceId,
    impact: LEVELS[draft.impact],
    urgency: urgent ? LEVELS.high : LEVELS[draft.urgency],
    requesterId: ctx.user.id,
    diagnosis: { flowId: draft.flowId, ...draft.diagnosis },
    conversationId: ctx.conversationId,
    origin,
    createdBy: { id: null, kind: 'bot' },
    // Screenshots and logs the user sent during the diagnosis.
    files: ctx.takeFiles(),
  };
  if (draft.approval) ticket.approval = draft.approval;
  if (draft.approver) ticket.approver = draft.approver;
  return ticket;
}

function reportDraft(flow: Flow, incident: MajorIncidentView, diagnosis: Diagnosis, lang: Lang, utterance: string): TicketDraft {
  const defaults = flow['ticket-defaults'];
  const first = utterance ? `${utterance}\n\n` : '';
  return {
    type: 'incident',
    category: defaults.category,
    serviceId: incident.serviceId,
    impact: defaults.impact,
    urgency: defaults.urgency,
    title: titleOf(utterance || flow.title[lang]),
    description: `${first}${renderDiagnosis(flow, diagnosis, lang)}`,
    diagnosis,
    flowId: flow.id,
  };
}

function titleOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const title = flat.length > 80 ? `${flat.slice(0, 77).trimEnd()}…` : flat;
  return title.length >= 3 ? title : `${title} …`;
}

function zone(deps: EffectDeps): { timeZone?: string } {
  return deps.timeZone ? { timeZone: deps.timeZone } : {};
}
