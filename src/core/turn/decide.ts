/**
 * The decision of a turn answered outside the first-message stage, read from
 * what answered it: a core command, a module's reply, the knowledge base.
 */
import type { GlobalCommand } from '../commands.ts';
import type { OutboundMessage } from '../messages.ts';
import type { ConversationState } from '../state.ts';
import type { TurnReply } from '../turn-module.ts';
import { decision, flowIdOf, shownArticles, type TurnDecision } from './decision.ts';

interface Intent {
  name: string | null;
  confidence: number;
}

export function commandDecision(command: GlobalCommand, intent: Intent | undefined): TurnDecision {
  const confidence = intent?.name ? intent.confidence : 1;
  if (command.kind === 'greeting' || command.kind === 'thanks') return decision('smalltalk', `command:${command.kind}`, { confidence });
  return decision('command', `command:${command.kind}`, { confidence });
}

/** The decision of a module that did not state one: read from what it did. */
export function moduleDecision(name: string, reply: TurnReply, command: GlobalCommand | undefined, intent: Intent | undefined, before?: unknown): TurnDecision {
  const confidence = intent?.name ? intent.confidence : 1;
  if (name === 'handoff') return decision('relay', 'module:handoff', { confidence });
  if (command?.kind === 'agent') return decision('handoff', `module:${name}`, { confidence, flow: flowIdOf(before) });
  if (command) return decision('command', `module:${name}:${command.kind}`, { confidence, flow: flowIdOf(before) });
  // A guide that ended this turn (resolved, ticket) still decided it.
  const flow = flowIdOf(reply.state.flow) ?? (name === 'flows' ? flowIdOf(before) : null);
  if (flow) return decision('flow', `module:${name}`, { flow, confidence, articles: shownArticles(reply.replies) });
  return decision('command', `module:${name}`, { confidence });
}

export function knowledgeDecision(reply: { replies: OutboundMessage[]; state: ConversationState }, reason: string): TurnDecision {
  const articles = shownArticles(reply.replies, reply.state);
  const confidence = reply.replies.reduce((best, r) => (r.type === 'article' ? Math.max(best, r.confidence) : best), 0);
  if (reply.state.pending?.kind === 'article-choice') return decision('choose', reason, { articles, confidence });
  if (articles.length > 0) return decision('article', reason, { articles, confidence });
  return decision('clarify', reason, { confidence: 0 });
}

