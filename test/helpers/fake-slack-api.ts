/**
 * A local stand-in for Slack's Web API (and for response_urls): an Express server on a random port
 * that records every call and answers like Slack. The real Bolt / @slack/web-api client talks to it
 * (SLACK_API_URL = `fake.apiUrl`), so tests check the exact calls Slack would receive.
 *
 * - `POST /api/<method>`: form-encoded (what the Web API client sends) or JSON; `blocks` and other
 *   JSON-in-form fields are parsed back. Answers `{ok: true, …}` per method: auth.test, users.info
 *   (from `users`), conversations.open, chat.postMessage (a new ts each time), chat.update,
 *   views.open / views.update / views.publish (the view back, with a new id for views.open).
 * - `POST /response/<id>`: a response_url (`fake.responseUrl(id)`), JSON body, recorded as method
 *   "response_url".
 * - `rateLimitNext(method, n, retryAfterSeconds)`: the next n calls of `method` answer HTTP 429 with
 *   Retry-After; `failNext(method, error)`: the next call answers `{ok: false, error}`.
 */
import type { Server } from 'node:http';
import express from 'express';

export interface SlackCall {
  method: string;
  args: Record<string, any>;
  /** Authorization header (the bot token as "Bearer …"). */
  authorization?: string;
  /** The HTTP status this fake answered. */
  status: number;
  /** Date.now() when it arrived. */
  at: number;
  /** What this fake answered (JSON), e.g. the `ts` of a chat.postMessage. */
  response?: Record<string, any>;
}

export interface FakeUser {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  locale?: string;
  is_bot?: boolean;
  profile?: { real_name?: string; display_name?: string; email?: string };
}

export const BOT = { userId: 'UGUICHET', botId: 'BGUICHET' } as const;

export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly users = new Map<string, FakeUser>();
  private server: Server | undefined;
  private rateLimits = new Map<string, { remaining: number; retryAfterSeconds: number }>();
  private failures = new Map<string, string[]>();
  private tsCounter = 0;
  private waiters: (() => void)[] = [];
  url = '';
  /** What apps.connections.open answers (Socket Mode): the WebSocket URL of a test server. */
  socketUrl = '';

  static async start(): Promise<FakeSlackApi> {
    const fake = new FakeSlackApi();
    await fake.listen();
    return fake;
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  rateLimitNext(method: string, count: number, retryAfterSeconds = 1): void {
    this.rateLimits.set(method, { remaining: count, retryAfterSeconds });
  }

  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  reset(): void {
    this.calls.length = 0;
    this.rateLimits.clear();
    this.failures.clear();
  }

  /** Successful calls of `method` (all methods when omitted), in arrival order. */
  ok(method?: string): SlackCall[] {
    return this.calls.filter((c) => c.status === 200 && (method === undefined || c.method === method));
  }

  /** Resolves once `predicate` holds over the calls (checked on every call), or rejects after `timeoutMs`. */
  async waitFor(predicate: (calls: SlackCall[]) => boolean, timeoutMs = 5_000): Promise<SlackCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake Slack API: condition not met within ${timeoutMs} ms; calls: ${JSON.stringify(this.calls.map((c) => c.method))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.calls;
  }

  /** Waits until `count` successful calls of `method` have arrived. */
  waitForOk(method: string, count: number, timeoutMs?: number): Promise<SlackCall[]> {
    return this.waitFor((calls) => calls.filter((c) => c.method === method && c.status === 200).length >= count, timeoutMs).then(() => this.ok(method));
  }

  private record(call: SlackCall): void {
    this.calls.push(call);
    const waiters = this.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  private answer(method: string, args: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'invalid_auth' };
      case 'auth.test':
        return { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'guichet', team_id: 'T0ACME', user_id: BOT.userId, bot_id: BOT.botId };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, user: { team_id: 'T0ACME', ...user } } : { ok: false, error: 'user_not_found' };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } };
      case 'chat.postMessage': {
        this.tsCounter += 1;
        const ts = `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
        return { ok: true, channel: args.channel, ts, message: { type: 'message', text: args.text, ts, bot_id: BOT.botId } };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        this.tsCounter += 1;
        const view = typeof args.view === 'object' && args.view ? args.view : {};
        return { ok: true, view: { id: args.view_id ?? `V${String(this.tsCounter).padStart(8, '0')}`, team_id: 'T0ACME', ...view } };
      }
      default:
        return { ok: true };
    }
  }

  private async listen(): Promise<void> {
    const app = express();
    app.post('/api/:method', express.urlencoded({ extended: false }), express.json(), (req, res) => {
      const method = String(req.params.method);
      const args = parseArgs(req.body);
      const authorization = req.headers.authorization;
      const limit = this.rateLimits.get(method);
      if (limit && limit.remaining > 0) {
        limit.remaining -= 1;
        this.record({ method, args, authorization, status: 429, at: Date.now() });
        res.status(429).set('retry-after', String(limit.retryAfterSeconds)).json({ ok: false, error: 'ratelimited' });
        return;
      }
      const failure = this.failures.get(method)?.shift();
      const response = failure ? { ok: false, error: failure } : this.answer(method, args);
      this.record({ method, args, authorization, status: 200, at: Date.now(), response });
      res.json(response);
    });
    app.post('/response/:id', express.json(), (req, res) => {
      this.record({ method: 'response_url', args: { id: req.params.id, ...req.body }, status: 200, at: Date.now() });
      res.type('text/plain').send('ok');
    });
    await new Promise<void>((resolve, reject) => {
      const server = app.listen(0, '127.0.0.1', () => resolve());
      server.once('error', reject);
      this.server = server;
    });
    const address = this.server!.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);

/** Form fields arrive as strings; the JSON ones (blocks, attachments…) are parsed back. */
function parseArgs(body: unknown): Record<string, any> {
  const args: Record<string, any> = { ...(body as Record<string, unknown>) };
  for (const [key, value] of Object.entries(args)) {
    if (JSON_FIELDS.has(key) && typeof value === 'string') {
      try {
        args[key] = JSON.parse(value);
      } catch {
        // not JSON after all: keep the string
      }
    }
  }
  return args;
}
