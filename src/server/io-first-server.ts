/**
 * The process's I/O-first scheduler (io-first.ts) installed as yieldToLoop's, and the middleware that
 * tells it about requests and connections. One per process: background work and the event loop are.
 */
import type { Server } from 'node:net';
import type express from 'express';
import { setLoopScheduler } from '../core/event-loop.ts';
import { IoFirstScheduler } from './io-first.ts';

let scheduler: IoFirstScheduler | undefined;
const watched = new WeakSet<Server>();

/** The process's scheduler (installed on first use). */
export function ioFirstScheduler(): IoFirstScheduler {
  if (!scheduler) {
    scheduler = new IoFirstScheduler();
    setLoopScheduler(scheduler.schedule);
  }
  return scheduler;
}

/** Middleware: marks each request read, and each connection its server accepts from then on. */
export function ioFirst(): express.RequestHandler {
  const s = ioFirstScheduler();
  return (req, _res, next) => {
    s.markIo();
    const server = (req.socket as { server?: Server }).server;
    if (server && !watched.has(server)) {
      watched.add(server);
      server.on('connection', s.markIo);
    }
    next();
  };
}
