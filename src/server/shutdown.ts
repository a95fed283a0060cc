/**
 * Graceful shutdown (SIGTERM, SIGINT): stop taking turns, finish those in flight, then stop the rest.
 *
 * 1. draining: readiness fails (the load balancer takes this instance out) and every new request but
 *    the health and metrics endpoints gets 503 with `Connection: close` (a platform retries it,
 *    another instance answers);
 * 2. the listening socket closes and idle keep-alive connections are dropped; requests in flight and
 *    turns already acknowledged (queued after Slack's 200) run to their end, for `timeoutMs` at most;
 * 3. the caller's own steps (schedulers, Socket Mode, the database) run after, in order.
 */
import type { Server } from 'node:http';
import type express from 'express';
import type { Logger } from '../log.ts';

/** Paths still served while draining: probes and scrapes. */
const ALWAYS_SERVED = new Set(['/healthz', '/readyz', '/metrics']);

export interface Drain {
  draining(): boolean;
  /** Mounted first: 503 for new requests once draining. */
  gate: express.RequestHandler;
  /** Starts draining (idempotent). */
  begin(): void;
}

export function createDrain(): Drain {
  let draining = false;
  return {
    draining: () => draining,
    gate: (req, res, next) => {
      if (!draining || ALWAYS_SERVED.has(req.path)) return next();
      res.status(503).set({ Connection: 'close', 'Retry-After': '1' }).json({ error: 'stopping', message: 'This instance is stopping; retry in a moment.' });
    },
    begin: () => {
      draining = true;
    },
  };
}

export interface GracefulStopDeps {
  server: Server;
  drain: Drain;
  log: Logger;
  /** Resolves when no turn runs or waits (the turn queue is idle). */
  turnsIdle(): Promise<void>;
  /** What is still running, for the log line when the timeout is reached. */
  inFlight(): Record<string, number>;
  /** Longest wait for requests and turns in flight, in ms. */
  timeoutMs: number;
  /** Run in order as draining begins: inputs that bypass HTTP (Slack's Socket Mode). */
  before?: (() => Promise<void> | void)[];
  /** Run in order once requests and turns are over (or the timeout passed). */
  after: (() => Promise<void> | void)[];
}

/** Drains, waits for what is in flight (up to the timeout), then runs `after`. */
export async function gracefulStop(deps: GracefulStopDeps): Promise<{ timedOut: boolean }> {
  const { server, drain, log } = deps;
  const startedAt = Date.now();
  drain.begin();
  for (const step of deps.before ?? []) await step();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = startedAt + deps.timeoutMs;
  let timedOut = !(await within(deps.turnsIdle(), deadline));
  // Connections kept alive by the responses that just ended are idle now.
  server.closeIdleConnections();
  if (!timedOut) timedOut = !(await within(closed, deadline));
  if (timedOut) {
    log.warn({ timeoutMs: deps.timeoutMs, ...deps.inFlight() }, 'shutdown: requests or turns still running at the timeout; closing anyway');
    server.closeAllConnections();
  }
  for (const step of deps.after) await step();
  log.info({ ms: Date.now() - startedAt, timedOut }, 'stopped');
  return { timedOut };
}

/** True when `promise` settles before `deadline` (ms since the epoch), false otherwise. */
async function within(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Work in flight outside the turn queue (a Slack run's replies after its turn): counted, awaited at shutdown. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** Counts `job` until it settles; returns its promise. */
  track<T>(job: () => Promise<T>): Promise<T> {
    this.count += 1;
    return job().finally(() => {
      this.count -= 1;
      if (this.count === 0) for (const resolve of this.waiters.splice(0)) resolve();
    });
  }

  get size(): number {
    return this.count;
  }

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
