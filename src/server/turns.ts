/**
 * The core's turn as the server runs it: through the bounded turn queue (channels/kit/work-queue.ts),
 * with an id for its log lines (`turnId`), its metrics (channel, route, duration, queue wait) and one
 * log line when it ends — ids, route and timing only, never the message.
 */
import { randomUUID } from 'node:crypto';
import type { WorkQueue } from '../channels/kit/work-queue.ts';
import type { TurnResult } from '../core/handle-turn.ts';
import type { InboundMessage } from '../core/messages.ts';
import { withLogContext, type Logger } from '../log.ts';
import type { Metrics } from './metrics.ts';

export type Turn = (message: InboundMessage) => Promise<TurnResult>;

export interface TurnDeps {
  log: Logger;
  metrics: Metrics;
}

/** `turn` with a turn id in its log context, its metrics and its log line (not queued: Slack queues its whole run itself). */
export function instrumentTurn(turn: Turn, deps: TurnDeps): Turn {
  return (message) =>
    withLogContext({ turnId: randomUUID().slice(0, 8), channel: message.channel }, async () => {
      const startedAt = performance.now();
      let route = 'error';
      try {
        const result = await turn(message);
        route = result.duplicate ? 'duplicate' : (result.decision?.route ?? 'none');
        deps.log.info({ route, ms: Math.round(performance.now() - startedAt), conversationId: result.conversationId, userId: result.userId }, 'turn');
        return result;
      } catch (err) {
        deps.log.error({ err, ms: Math.round(performance.now() - startedAt) }, 'turn failed');
        throw err;
      } finally {
        deps.metrics.turn(message.channel, route, (performance.now() - startedAt) / 1000);
      }
    });
}

/** Runs `fn` through `queue`, its wait measured for `channel`. */
export function queued<A extends unknown[], R>(queue: WorkQueue, metrics: Metrics, channel: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => queue.run(() => fn(...args), (waitedMs) => metrics.turnWaited(channel, waitedMs / 1000));
}
