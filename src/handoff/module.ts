/**
 * Human handoff in a turn: agents' card buttons and typed commands, messages
 * in an escalation card's thread, and requesters whose conversation is being
 * relayed. Put it before the other modules: a relayed conversation belongs to
 * the person on the other side, not to the bot.
 */
import { fileLine } from '../core/messages.ts';
import type { TurnModule } from '../core/turn-module.ts';
import { parseAgentAction, parseAgentCommand } from './agent-commands.ts';
import type { Handoff } from './handoff.ts';
import { say } from '../texts/index.ts';

export function createHandoffModule(handoff: Handoff): TurnModule {
  return {
    name: 'handoff',
    async handle(ctx) {
      const actor = { user: ctx.user, lang: ctx.lang };
      const reply = (replies: Awaited<ReturnType<Handoff['act']>>) => ({ replies, state: ctx.state });
      if (ctx.action) {
        const parsed = parseAgentAction(ctx.action);
        if (parsed?.ok === false) return reply([{ type: 'text', text: say(ctx.lang, 'handoff.badAction', { problem: parsed.problem }) }]);
        if (parsed) return reply(await handoff.act(actor, parsed.command, ctx.origin));
      }
      const files = ctx.files ?? [];
      if (!ctx.text && files.length === 0) return undefined;
      if (ctx.text && ctx.user.role !== 'employee') {
        const command = parseAgentCommand(ctx.text);
        if (command) return reply(await handoff.act(actor, command, ctx.origin));
      }
      if (ctx.conversationKind !== 'personal') {
        // An agent's file in the thread reaches the user as its link.
        const said = [ctx.text, ...files.map(fileLine)].filter(Boolean).join('\n');
        const thread = await handoff.fromThread(actor, ctx.conversationId, said, ctx.origin);
        if (thread) return reply(thread);
      }
      const relayed = await handoff.fromRequester(actor, ctx.conversationId, ctx.text, ctx.origin, ctx.takeFiles);
      return relayed ? reply(relayed) : undefined;
    },
  };
}
