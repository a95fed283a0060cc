/**
 * The one Express app: operations endpoints (health, readiness, metrics), the web chat (API + page),
 * and the platform channels, each mounted on its own path with its own body parsing (a global JSON
 * parser would break Slack's signature check, which needs the raw body).
 */
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { ChannelMount } from '../core/channel-contract.ts';
import { isGuichetError } from '../core/errors.ts';
import type { Logger } from '../log.ts';
import { webChatRouter, type WebChatDeps } from '../channels/web/routes.ts';
import { healthRouter } from './health.ts';
import type { Metrics } from './metrics.ts';
import { requestLog } from './request-log.ts';
import { createDrain, type Drain } from './shutdown.ts';
import { ioFirst } from './io-first-server.ts';

const PUBLIC_DIR = fileURLToPath(new URL('../channels/web/public/', import.meta.url));

export interface AppDeps {
  log: Logger;
  /** Resolves when the database answers; rejects otherwise (readiness). */
  checkDatabase(): Promise<void>;
  /** Resolves when the job queue answers (readiness), when this process has one. */
  checkQueue?: () => Promise<void>;
  /** Prometheus metrics, served at /metrics. */
  metrics?: Metrics;
  /** Shutdown's gate (new requests get 503 once draining); default: one that never drains. */
  drain?: Drain;
  web?: WebChatDeps;
  /** The self-service portal, mounted at /portal. */
  portal?: express.Router;
  channels?: ChannelMount[];
  /** Middleware run before the routes of a path (the portal's session lookup for the web chat, the abuse limits). */
  before?: { path: string; handler: express.RequestHandler }[];
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const drain = deps.drain ?? createDrain();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // Background steps give way to the requests being read (io-first.ts): acknowledgements first.
  app.use(ioFirst());
  app.use(requestLog(deps.log));
  app.use(drain.gate);
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'script-src': ["'self'"], 'style-src': ["'self'"] } },
    }),
  );

  app.use(healthRouter({ log: deps.log, checkDatabase: deps.checkDatabase, checkQueue: deps.checkQueue, draining: drain.draining }));
  if (deps.metrics) app.get('/metrics', deps.metrics.handler);

  for (const { path, handler } of deps.before ?? []) app.use(path, handler);

  for (const channel of deps.channels ?? []) app.use(channel.path, channel.handler as express.RequestHandler);

  if (deps.portal) app.use('/portal', deps.portal);

  if (deps.web) {
    app.use('/api/web', webChatRouter(deps.web));
    app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '1h' }));
  }

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not-found' });
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Too many turns already waiting in this process: another instance (or a retry) will answer.
    if (isGuichetError(err) && err.code === 'channels.overloaded') {
      deps.log.warn({ reqId: res.locals.reqId, path: req.path }, 'turn refused: the turn queue is full');
      if (!res.headersSent) res.status(503).set('Retry-After', '5').json({ error: 'overloaded', message: 'Too many requests at once; retry in a moment.' });
      return;
    }
    deps.log.error({ err, reqId: res.locals.reqId, path: req.path }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal', message: 'Something went wrong on our side.' });
  });
  return app;
}
