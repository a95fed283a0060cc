/**
 * Liveness and readiness. `/healthz` (liveness): the process serves HTTP — never the database, so an
 * orchestrator does not restart every instance while the database is away. `/readyz` (readiness): this
 * instance should get traffic — the database answers, the job queue (when there is one) answers, and
 * the instance is not shutting down; a load balancer stops sending it requests otherwise.
 */
import express from 'express';
import { GuichetError } from '../core/errors.ts';
import type { Logger } from '../log.ts';

export interface HealthDeps {
  log: Logger;
  /** Resolves when the database answers; rejects otherwise. */
  checkDatabase(): Promise<void>;
  /** Resolves when the job queue answers (absent: no job queue in this process). */
  checkQueue?: () => Promise<void>;
  /** True once shutdown began: readiness fails so that traffic goes elsewhere. */
  draining(): boolean;
  /** Longest wait for one check, in ms (default 2 000): a hung database fails readiness, not the probe. */
  timeoutMs?: number;
}

type Check = 'ok' | 'unreachable';

export function healthRouter(deps: HealthDeps): express.Router {
  const router = express.Router();
  const timeoutMs = deps.timeoutMs ?? 2_000;

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [database, queue] = await Promise.all([probe('database', deps.checkDatabase), deps.checkQueue ? probe('queue', deps.checkQueue) : undefined]);
    const draining = deps.draining();
    const ready = database === 'ok' && (queue ?? 'ok') === 'ok' && !draining;
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : draining ? 'stopping' : 'unavailable', database, ...(queue ? { queue } : {}) });
  });

  async function probe(name: string, check: () => Promise<void>): Promise<Check> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new GuichetError('server.check-timeout', `readiness: ${name} gave no answer within ${timeoutMs} ms`)), timeoutMs)))]);
      return 'ok';
    } catch (err) {
      deps.log.warn({ err, check: name }, `readiness: ${name} unreachable`);
      return 'unreachable';
    } finally {
      clearTimeout(timer);
    }
  }
  return router;
}
