/**
 * The desks in a turn, for agents and admins: `ack 1042` / `acquitter 1042` acknowledges a page
 * (nobody else is paged), `desk queues` / `files des bureaux` shows who waits in each desk's queue.
 */
import type { TurnModule } from '../core/turn-module.ts';
import type { Desks } from './desks.ts';
import type { Pager } from './pager.ts';
import { sayDesks } from './say.ts';

const ACK = /^(?:ack|acquitter|acquitte)\s+#?(\d+)$/i;
const QUEUES = /^(?:desk queues?|queues|files? des bureaux|files d[’']attente)$/i;

export function createDesksModule(desks: Desks, pager: Pager): TurnModule {
  return {
    name: 'desks',
    async handle(ctx) {
      if (ctx.user.role === 'employee' || !ctx.text) return undefined;
      const reply = (text: string) => ({ replies: [{ type: 'text' as const, text }], state: ctx.state });
      const ack = ACK.exec(ctx.text.trim());
      if (ack) {
        const number = Number(ack[1]);
        const done = await pager.acknowledge(number, ctx.user.id);
        return reply(sayDesks(ctx.lang, done ? 'acknowledged' : 'nothingToAck', { number }));
      }
      if (QUEUES.test(ctx.text.trim())) return reply(await desks.queue.describe(ctx.lang));
      return undefined;
    },
  };
}
