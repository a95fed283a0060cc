/**
 * The one decision a turn takes, in the order of precedence written in
 * docs/architecture.md ("Turn routing"): what the message was taken for, the
 * guide or articles it led to, whether it was urgent, how sure the router was
 * and why. It is logged, kept with the turn's result and printed by
 * `npm run chat -- --trace`, so that conversation quality is measured.
 */
import type { OutboundMessage } from '../messages.ts';
import type { ConversationState } from '../state.ts';

export const ROUTES = [
  /** A live conversation with an agent took the message (relayed). */
  'relay',
  /** A guided flow started or went on. */
  'flow',
  /** One article was shown. */
  'article',
  /** Close articles were offered to choose from. */
  'choose',
  /** A ticket was opened (a security incident, a request to open one). */
  'ticket',
  /** A person was asked for and the conversation handed over. */
  'handoff',
  /** An exact command: help, my tickets, status, cancel, language, restart. */
  'command',
  /** "Is there an outage?": the open major incidents were listed. */
  'outage',
  /** Not IT (HR, payroll, canteen, facilities): where to go instead. */
  'out_of_scope',
  /** Greetings, thanks, chit-chat answered in kind. */
  'smalltalk',
  /** Nothing clear enough: Guichet asked what the problem is. */
  'clarify',
] as const;
export type Route = (typeof ROUTES)[number];

export interface TurnDecision {
  route: Route;
  /** The flow started or continued, if any. */
  flow: string | null;
  /** Ids of the articles shown, best first. */
  articles: string[];
  /** True when the message was taken as urgent (security incident, urgency cues). */
  urgent: boolean;
  /** 0..1: the router's confidence (1 for exact commands and patterns). */
  confidence: number;
  /** Which rule decided, in a few words ("command:help", "safety:phishing", "intent:vpn"). */
  reason: string;
}

export function decision(route: Route, reason: string, over: Partial<Omit<TurnDecision, 'route' | 'reason'>> = {}): TurnDecision {
  return { route, flow: null, articles: [], urgent: false, confidence: 1, reason, ...over };
}

/** Ids of the articles in replies (an article card, or a choice among articles is named in the state). */
export function shownArticles(replies: readonly OutboundMessage[], state?: ConversationState): string[] {
  const ids = replies.flatMap((r) => (r.type === 'article' ? [r.article.id] : []));
  const pending = state?.pending;
  if (pending?.kind === 'article-choice') ids.push(...pending.options.map((o) => o.id));
  if (pending?.kind === 'article-feedback' && !ids.includes(pending.articleId)) ids.push(pending.articleId);
  return [...new Set(ids)];
}

/** The flow id of a stored flow state, if any (the state is the flows module's, read loosely). */
export function flowIdOf(flow: unknown): string | null {
  return typeof flow === 'object' && flow !== null && typeof (flow as { flowId?: unknown }).flowId === 'string' ? (flow as { flowId: string }).flowId : null;
}

/** Routes where an urgency cue of the message counts (not small talk, commands or "not IT"). */
const URGENT_ROUTES = new Set<Route>(['flow', 'article', 'choose', 'ticket', 'handoff', 'clarify', 'relay']);

/** The decision marked urgent when the message had an urgency cue (the cue joins the reason). */
export function withUrgency(d: TurnDecision, cue: string | undefined): TurnDecision {
  if (!cue || d.urgent || !URGENT_ROUTES.has(d.route)) return d;
  return { ...d, urgent: true, reason: `${d.reason}; urgent: ${cue}` };
}

/** One JSON line for traces: {route, flow, articles, urgent, confidence, reason}. */
export function traceLine(d: TurnDecision): string {
  return JSON.stringify({ route: d.route, flow: d.flow, articles: d.articles, urgent: d.urgent, confidence: Math.round(d.confidence * 100) / 100, reason: d.reason });
}
