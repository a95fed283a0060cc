/**
 * Human handoff in a turn: agents' card buttons and typed commands, messages
 * in an escalation card's thread, and requesters whose conversation is being
 * relayed. An escalation card's thread and a live relay own every message
 * (`owns`, asked before the core's commands: "bonjour" or "merci" is for the
 * person on the other side). While the requester waits for someone, the exact
 * commands are answered ("mes tickets", "statut #N", "annuler", "humain") and
 * the rest is added to the ticket for whoever takes it.
 */
import { recognizeCommand } from '../core/commands.ts';
import { fileLine } from '../core/messages.ts';
import type { TurnContext, TurnModule, TurnReply } from '../core/turn-module.ts';
import { parseAgentAction, parseAgentCommand } from './agent-commands.ts';
import type { Handoff } from './handoff.ts';
import type { RelayedTicket } from './relay.ts';
import { say } from '../texts/index.ts';

export interface HandoffModuleOptions {
  /** Whether a requester's words are another module's exact command (e.g. "my tickets"): answered, not queued on the ticket. */
  isCommand?: (text: string) => boolean;
}

export function createHandoffModule(handoff: Handoff, options: HandoffModuleOptions = {}): TurnModule {
  const reply = (ctx: TurnContext, replies: Awaited<ReturnType<Handoff['act']>>): TurnReply => ({ replies, state: ctx.state });
  /*
   * The conversation's relayed ticket, read once per turn: `owns` reads it (a live relay owns the
   * turn), `handle` reuses that read (a queued relay takes the words). A turn gives both calls the
   * same state object; a replayed attempt, or any other context, reads afresh. A conversation this turn
   * created has none (no ticket names it yet): nothing to read.
   */
  const reads = new WeakMap<TurnContext['state'], { origin: string; relayed: Promise<RelayedTicket | undefined> }>();
  const relayedOf = (ctx: TurnContext): Promise<RelayedTicket | undefined> => {
    const known = reads.get(ctx.state);
    if (known?.origin === ctx.origin) return known.relayed;
    const relayed = ctx.created?.conversation ? Promise.resolve(undefined) : handoff.relayedTicketOf(ctx.conversationId);
    reads.set(ctx.state, { origin: ctx.origin, relayed });
    return relayed;
  };
  const agentCommand = async (ctx: TurnContext): Promise<TurnReply | undefined> => {
    if (!ctx.text || ctx.user.role === 'employee') return undefined;
    const command = parseAgentCommand(ctx.text);
    return command ? reply(ctx, await handoff.act({ user: ctx.user, lang: ctx.lang }, command, ctx.origin)) : undefined;
  };
  return {
    name: 'handoff',
    async owns(ctx) {
      if (ctx.action) return undefined;
      const actor = { user: ctx.user, lang: ctx.lang };
      const files = ctx.files ?? [];
      if (!ctx.text && files.length === 0) return undefined;
      if (ctx.conversationKind !== 'personal') {
        // Agents' commands work in the thread ("take #1042"); anything else is for the requester (or a note).
        const command = await agentCommand(ctx);
        if (command) return command;
        // An agent's file in the thread reaches the user as its link.
        const said = [ctx.text, ...files.map(fileLine)].filter(Boolean).join('\n');
        const thread = await handoff.fromThread(actor, ctx.conversationId, said, ctx.origin);
        return thread ? reply(ctx, thread) : undefined;
      }
      const relayed = await handoff.fromRequester(actor, ctx.conversationId, ctx.text, ctx.origin, ctx.takeFiles, { only: 'live', relayed: relayedOf(ctx) });
      return relayed ? reply(ctx, relayed) : undefined;
    },
    async handle(ctx) {
      const actor = { user: ctx.user, lang: ctx.lang };
      if (ctx.action) {
        const parsed = parseAgentAction(ctx.action);
        if (parsed?.ok === false) return reply(ctx, [{ type: 'text', text: say(ctx.lang, 'handoff.badAction', { problem: parsed.problem }) }]);
        if (parsed) return reply(ctx, await handoff.act(actor, parsed.command, ctx.origin));
      }
      if (!ctx.text && (ctx.files ?? []).length === 0) return undefined;
      const command = await agentCommand(ctx);
      if (command) return command;
      if (ctx.conversationKind !== 'personal') return undefined;
      // Waiting for someone: "cancel" stops waiting, "a person" is already asked for, other modules' commands are theirs.
      const global = ctx.text ? recognizeCommand(ctx.text) : undefined;
      if (global?.kind === 'cancel' || global?.kind === 'agent') {
        const answered = await handoff.whileQueued(actor, ctx.conversationId, global.kind === 'cancel' ? 'stop' : 'remind');
        return answered ? reply(ctx, answered) : undefined;
      }
      if (global || (ctx.text && options.isCommand?.(ctx.text))) return undefined;
      const relayed = await handoff.fromRequester(actor, ctx.conversationId, ctx.text, ctx.origin, ctx.takeFiles, { relayed: relayedOf(ctx) });
      return relayed ? reply(ctx, relayed) : undefined;
    },
  };
}
