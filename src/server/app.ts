/**
 * The one Express app: health, the web chat (API + page), and the platform
 * channels, each mounted on its own path with its own body parsing (a global
 * JSON parser would break Slack's signature check, which needs the raw body).
 */
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { ChannelMount } from '../core/channel-contract.ts';
import type { Logger } from '../log.ts';
import { webChatRouter, type WebChatDeps } from '../channels/web/routes.ts';

const PUBLIC_DIR = fileURLToPath(new URL('../channels/web/public/', import.meta.url));

export interface AppDeps {
  log: Logger;
  /** Resolves when the database answers; rejects otherwise. */
  checkDatabase(): Promise<void>;
  web?: WebChatDeps;
  /** The self-service portal, mounted at /portal. */
  portal?: express.Router;
  channels?: ChannelMount[];
  /** Middleware run before the routes of a path (the portal's session lookup for the web chat, the abuse limits). */
  before?: { path: string; handler: express.RequestHandler }[];
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'script-src': ["'self'"], 'style-src': ["'self'"] } },
    }),
  );

  for (const { path, handler } of deps.before ?? []) app.use(path, handler);

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.checkDatabase();
      res.json({ status: 'ok' });
    } catch (err) {
      deps.log.error({ err }, 'health check: database unreachable');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

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
    deps.log.error({ err, path: req.path }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal', message: 'Something went wrong on our side.' });
  });
  return app;
}
