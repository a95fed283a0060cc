/**
 * The first-message stage of the turn router (docs/architecture.md, "Turn
 * routing"): with nothing in progress, after the exact commands, a message is
 * tried for safety (a security incident: advice now and a ticket for the
 * security team), then an outage question, small talk, another department's
 * business, and a message too vague to route. Anything else goes on to the
 * guides and the knowledge base. Each answer carries its decision.
 */
import type { Effect } from '../answer-question.ts';
import type { Lang, Localized } from '../lang.ts';
import type { InboundFile, OutboundMessage } from '../messages.ts';
import type { UserRecord } from '../ports.ts';
import type { Level, TicketDesk } from '../tickets.ts';
import { say } from '../../texts/index.ts';
import { decision, type TurnDecision } from './decision.ts';
import { asksAboutOutage, isGibberish, isVague, otherServiceFor, smallTalk, type OtherService, type SmallTalk } from './scope.ts';
import { isComplaint, securityIncident, type SecurityKind } from './safety.ts';

export interface SecuritySettings {
  /** Service (config/services.yml) the tickets are filed under: its group receives them. */
  service: string;
  /** Support group (config/groups.yml) that receives them instead of the service's group. */
  group?: string;
  category: string;
  impact: 'low' | 'medium' | 'high';
  urgency: Partial<Record<SecurityKind, 'low' | 'medium' | 'high'>> & { default: 'low' | 'medium' | 'high' };
  /** Kinds of incident a guide handles (lost-device → the hardware guide): it starts, urgent, after the advice. */
  guides?: Partial<Record<SecurityKind, string>>;
}

export interface RoutingSettings {
  /** Other departments and where to go (config/other-services.yml). */
  otherServices: OtherService[];
  security?: SecuritySettings;
  /** The guides offered when a message is too vague: id and title (the title, sent back, starts the guide). */
  topics?: { id: string; title: Localized }[];
  /** Shows outage start times (IANA zone); default Europe/Paris. */
  timeZone?: string;
  /** The outage answer from the ticket desk's major incidents and the CMDB (src/ticketing/outage-answer.ts), when there is one. */
  outageAnswer?: (userId: string, lang: Lang, folded: string) => Promise<{ replies: OutboundMessage[]; reason: string }>;
}

export interface FirstMessage {
  text: string;
  folded: string;
  lang: Lang;
  user: UserRecord;
  conversationId: string;
  origin: string;
  /** The classifier's guess: a confident flow intent keeps a message away from "too vague". */
  intent?: { name: string | null; confidence: number };
  desk?: TicketDesk;
  settings: RoutingSettings;
  takeFiles(): InboundFile[];
  keepFiles(): void;
  /** Something is in progress (a guide's question): only safety and outage questions may take the message. */
  midFlow?: boolean;
}

export interface Routed {
  replies: OutboundMessage[];
  decision: TurnDecision;
  effects?: Effect[];
  /** Instead of answering: start this guide, urgent, after `replies` (a security incident a guide handles). */
  guide?: string;
}

export async function routeFirstMessage(m: FirstMessage): Promise<Routed | undefined> {
  const kind = securityIncident(m.folded);
  const guide = kind ? m.settings.security?.guides?.[kind] : undefined;
  if (kind && guide && !m.midFlow) {
    return { replies: [{ type: 'text', text: say(m.lang, ADVICE[kind]) }], decision: decision('flow', `safety:${kind}`, { flow: guide, urgent: true }), guide };
  }
  if (kind) return security(m, kind);
  if (!m.midFlow && m.desk && isComplaint(m.folded)) return complaint(m, m.desk);
  if (asksAboutOutage(m.folded)) return outage(m);
  if (m.midFlow) return undefined;
  const talk = smallTalk(m.folded.replace(/\s*[?!]+/g, '').trim());
  if (talk) return { replies: [{ type: 'text', text: say(m.lang, SMALL_TALK[talk]) }], decision: decision('smalltalk', `smalltalk:${talk}`) };
  const other = otherServiceFor(m.folded, m.settings.otherServices);
  if (other) {
    const text = say(m.lang, 'conversation.notIt', { name: other.name[m.lang], where: other.where[m.lang] });
    return { replies: [{ type: 'text', text }], decision: decision('out_of_scope', `other-service:${other.id}`) };
  }
  const confidentFlow = Boolean(m.intent?.name && m.intent.confidence >= 0.6);
  if (isVague(m.folded) || (!m.intent?.name && isGibberish(m.folded)) || (!confidentFlow && isGibberish(m.folded))) return clarify(m);
  return undefined;
}

const SMALL_TALK: Record<SmallTalk, 'conversation.smalltalkHowAreYou' | 'conversation.smalltalkBot' | 'conversation.smalltalkBye' | 'conversation.smalltalkJoke' | 'conversation.smalltalkOk'> = {
  'how-are-you': 'conversation.smalltalkHowAreYou',
  bot: 'conversation.smalltalkBot',
  bye: 'conversation.smalltalkBye',
  joke: 'conversation.smalltalkJoke',
  ok: 'conversation.smalltalkOk',
};

const ADVICE = {
  phishing: 'conversation.securityPhishing',
  malware: 'conversation.securityMalware',
  'lost-device': 'conversation.securityLostDevice',
  'mfa-prompt': 'conversation.securityMfaPrompt',
  compromised: 'conversation.securityCompromised',
} as const;
const KIND_NAME = {
  phishing: 'conversation.securityKindPhishing',
  malware: 'conversation.securityKindMalware',
  'lost-device': 'conversation.securityKindLostDevice',
  'mfa-prompt': 'conversation.securityKindMfaPrompt',
  compromised: 'conversation.securityKindCompromised',
} as const;
const LEVEL: Record<'low' | 'medium' | 'high', Level> = { high: 1, medium: 2, low: 3 };

/** Protective advice at once, then a ticket for the security team (idempotent per delivery). */
async function security(m: FirstMessage, kind: SecurityKind): Promise<Routed> {
  const advice: OutboundMessage = { type: 'text', text: say(m.lang, ADVICE[kind]) };
  const settings = m.settings.security;
  const made = { route: 'handoff' as const, reason: `safety:${kind}`, urgent: true };
  if (!m.desk || !settings) {
    return { replies: [advice, { type: 'text', text: say(m.lang, 'conversation.securityNoDesk') }], decision: decision(made.route, made.reason, { urgent: true }) };
  }
  const files = m.takeFiles();
  try {
    const { ticket } = await m.desk.create({
      type: 'incident',
      title: say(m.lang, 'conversation.securityTicketTitle', { kind: say(m.lang, KIND_NAME[kind]) }),
      description: say(m.lang, 'conversation.securityTicketDescription', { text: m.text }),
      category: settings.category,
      serviceId: settings.service,
      ...(settings.group ? { groupId: settings.group } : {}),
      impact: LEVEL[settings.impact],
      urgency: LEVEL[settings.urgency[kind] ?? settings.urgency.default],
      requesterId: m.user.id,
      conversationId: m.conversationId,
      origin: m.origin,
      createdBy: { id: m.user.id, kind: 'user' },
      ...(files.length > 0 ? { files } : {}),
    });
    const opened: OutboundMessage = { type: 'text', text: say(m.lang, 'conversation.securityTicketOpened', { number: ticket.number, priority: `P${ticket.priority}` }) };
    return { replies: [advice, opened, { type: 'ticket', ticket, lang: m.lang }], decision: decision('ticket', made.reason, { urgent: true }) };
  } catch (err) {
    m.keepFiles();
    throw err;
  }
}

/** Most open tickets a complaint offers to escalate, newest first. */
const COMPLAINT_TICKETS = 3;
/** A complaint's words quoted as the escalation reason, at most. */
const REASON_CHARS = 300;

/**
 * A complaint or conflict: acknowledged, the user's open tickets found, and a hierarchical escalation offered on
 * each (the group's manager and the service desk lead are alerted, as the desk's practice requires for conflicts).
 */
async function complaint(m: FirstMessage, desk: TicketDesk): Promise<Routed> {
  const open = (await desk.listForRequester(m.user.id)).slice(0, COMPLAINT_TICKETS);
  const ack: OutboundMessage = { type: 'text', text: say(m.lang, 'conversation.complaintAck') };
  if (open.length === 0) {
    const offer: OutboundMessage = {
      type: 'choices',
      text: say(m.lang, 'conversation.complaintNoTicket'),
      choices: [{ label: say(m.lang, 'conversation.clarifyAgent'), value: say(m.lang, 'conversation.clarifyAgentValue') }],
    };
    return { replies: [ack, offer], decision: decision('handoff', 'complaint: no open ticket') };
  }
  const reason = say(m.lang, 'conversation.complaintReason', { text: m.text.length > REASON_CHARS ? `${m.text.slice(0, REASON_CHARS)}…` : m.text });
  return {
    replies: [
      ack,
      { type: 'tickets', title: say(m.lang, 'tickets.myTickets'), tickets: open, lang: m.lang, ...(m.settings.timeZone ? { timeZone: m.settings.timeZone } : {}) },
      {
        type: 'choices',
        text: say(m.lang, 'conversation.complaintTickets'),
        choices: open.map((t) => ({ label: say(m.lang, 'conversation.complaintEscalate', { number: t.number }), value: `escalate #${t.number}: ${reason}` })),
      },
    ],
    decision: decision('ticket', `complaint: ${open.length} open`),
  };
}

async function outage(m: FirstMessage): Promise<Routed> {
  if (m.settings.outageAnswer) {
    const answer = await m.settings.outageAnswer(m.user.id, m.lang, m.folded);
    return { replies: answer.replies, decision: decision('outage', answer.reason) };
  }
  const open = m.desk ? await m.desk.openMajorIncidents() : [];
  if (open.length === 0) return { replies: [{ type: 'text', text: say(m.lang, 'conversation.outageNone') }], decision: decision('outage', 'outage:none') };
  const time = new Intl.DateTimeFormat(m.lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: m.settings.timeZone ?? 'Europe/Paris', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' });
  const list = open.map((i) => say(m.lang, 'conversation.outageLine', { title: i.title[m.lang], since: time.format(new Date(i.startedAt)) })).join('\n');
  return { replies: [{ type: 'text', text: say(m.lang, 'conversation.outageList', { list }) }], decision: decision('outage', `outage:${open.length} open`) };
}

function clarify(m: FirstMessage): Routed {
  const topics = m.settings.topics ?? [];
  const reply: OutboundMessage =
    topics.length > 0
      ? {
          type: 'choices',
          text: say(m.lang, 'conversation.clarify'),
          choices: [
            ...topics.map((t) => ({ label: t.title[m.lang], value: t.title[m.lang] })),
            { label: say(m.lang, 'conversation.clarifyAgent'), value: say(m.lang, 'conversation.clarifyAgentValue') },
          ],
        }
      : { type: 'text', text: say(m.lang, 'conversation.clarify') };
  return { replies: [reply], decision: decision('clarify', 'vague message', { confidence: m.intent?.confidence ?? 0 }) };
}
