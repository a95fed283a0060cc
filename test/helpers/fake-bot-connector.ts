/**
 * A local stand-in for the Bot Connector service (the `serviceUrl` of Teams activities): an Express
 * server on a random port that records every request and answers like the real one. The real
 * botbuilder SDK talks to it, so tests check the exact activities a Teams client would receive.
 *
 * Routes (see /work/shared/notes/platforms.md; ids arrive URL-encoded and are decoded here):
 * - POST /v3/conversations/:conv/activities/:replyToId — replies, typing and proactive sends
 * - POST /v3/conversations/:conv/activities — sendToConversation
 * - POST /v3/conversations → {id, activityId} — createConversation (Teams-style thread id)
 * - PUT / DELETE /v3/conversations/:conv/activities/:id — update / delete
 * - GET /v3/conversations/:conv/members, /members/:member, /pagedmembers, /v3/teams/:teamId — TeamsInfo
 *   (a member registered with `addMember` is answered, any other gets 404)
 *
 * `failNext(n, …)` makes the next n activity POSTs fail (429 with Retry-After by default), to test
 * back-off; `failAlways(…)` makes every one fail until `reset()`.
 */
import type { Server } from 'node:http';
import express from 'express';

export interface RecordedRequest {
  method: string;
  /** The raw path, still URL-encoded. */
  path: string;
  /** Decoded conversation id, when the route has one. */
  conversationId?: string;
  /** Decoded activity id (reply-to, update or delete target), when the route has one. */
  activityId?: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  /** The status this fake answered. */
  status: number;
  at: number;
}

export interface Failure {
  status: number;
  /** Retry-After header in seconds (omitted when undefined). */
  retryAfterSeconds?: number;
}

export class FakeBotConnector {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  /** Answers for the next activity POSTs, in order: a failure, or null to let one through. */
  private failures: (Failure | null)[] = [];
  private permanent: Failure | undefined;
  /** Answers for the next conversation creates only (a new thread: an agents' card), before any other pending failure. */
  private createFailures: Failure[] = [];
  private sequence = 0;
  /** Member records by member id ("29:…"), answered to TeamsInfo.getMember; kept across reset(). */
  private readonly members = new Map<string, Record<string, unknown>>();
  url = '';

  static async start(): Promise<FakeBotConnector> {
    const fake = new FakeBotConnector();
    await fake.listen();
    return fake;
  }

  /**
   * After letting `after` activity POSTs through, the next `count` answer `failure` (default 429
   * with Retry-After: 1).
   */
  failNext(count: number, failure: Failure = { status: 429, retryAfterSeconds: 1 }, after = 0): void {
    for (let i = 0; i < after; i += 1) this.failures.push(null);
    for (let i = 0; i < count; i += 1) this.failures.push({ ...failure });
  }

  /** The next `count` conversation creates (POST /v3/conversations: a card's new thread) answer `failure`, whatever else is sent meanwhile. */
  failNextCreate(count: number, failure: Failure = { status: 429, retryAfterSeconds: 1 }): void {
    for (let i = 0; i < count; i += 1) this.createFailures.push({ ...failure });
  }

  /** Every activity POST answers `failure` until reset(). */
  failAlways(failure: Failure = { status: 429 }): void {
    this.permanent = failure;
  }

  /** Makes `GET …/members/{id}` answer this member record (Teams' TeamsChannelAccount: email, userPrincipalName…). */
  addMember(id: string, record: Record<string, unknown>): void {
    this.members.set(id, { id, ...record });
  }

  /** Forgets recorded requests and pending failures. */
  reset(): void {
    this.requests.length = 0;
    this.failures = [];
    this.createFailures = [];
    this.permanent = undefined;
  }

  /** Activities successfully posted (replies, proactive and sendToConversation), typing included unless excluded. */
  activities(options: { includeTyping?: boolean } = {}): any[] {
    return this.requests
      .filter((r) => r.method === 'POST' && r.path.includes('/activities') && r.status === 200)
      .map((r) => r.body)
      .filter((a) => options.includeTyping || a?.type !== 'typing');
  }

  /** Every POST to an activities route, whatever its answer (for counting attempts). */
  activityAttempts(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.includes('/activities'));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers the pending failure, if any, for a create or update (as for activity POSTs). */
  private refuse(
    req: express.Request,
    res: express.Response,
    record: (req: express.Request, status: number, ids?: { conversationId?: string; activityId?: string }) => void,
    ids: { conversationId?: string; activityId?: string } = {},
    create = false,
  ): boolean {
    const failure = (create ? this.createFailures.shift() : undefined) ?? this.nextFailure();
    if (!failure) return false;
    record(req, failure.status, ids);
    if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
    res.status(failure.status).json({ error: { code: 'Throttled', message: `fake connector: status ${failure.status}` } });
    return true;
  }

  private nextFailure(): Failure | undefined {
    if (this.failures.length > 0) return this.failures.shift() ?? undefined;
    return this.permanent;
  }

  private async listen(): Promise<void> {
    const app = express();
    app.use(express.json({ limit: '1mb' }));

    const record = (req: express.Request, status: number, ids: { conversationId?: string; activityId?: string } = {}) => {
      this.requests.push({ method: req.method, path: req.originalUrl, ...ids, headers: req.headers, body: req.body, status, at: Date.now() });
    };

    const postActivity = (req: express.Request, res: express.Response) => {
      const ids = { conversationId: String(req.params.conv), activityId: req.params.replyToId as string | undefined };
      const failure = this.nextFailure();
      if (failure) {
        record(req, failure.status, ids);
        if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
        res.status(failure.status).json({ error: { code: 'Throttled', message: `fake connector: status ${failure.status}` } });
        return;
      }
      record(req, 200, ids);
      this.sequence += 1;
      res.json({ id: `act-${this.sequence}` });
    };

    app.post('/v3/conversations/:conv/activities/:replyToId', postActivity);
    app.post('/v3/conversations/:conv/activities', postActivity);
    app.post('/v3/conversations', (req, res) => {
      if (this.refuse(req, res, record, {}, true)) return;
      record(req, 200);
      this.sequence += 1;
      const root = `root-${this.sequence}`;
      const channelId = req.body?.channelData?.channel?.id as string | undefined;
      const id = channelId ? `${channelId};messageid=${root}` : `a:conv-${this.sequence}`;
      res.json({ id, activityId: root });
    });
    app.put('/v3/conversations/:conv/activities/:id', (req, res) => {
      if (this.refuse(req, res, record, { conversationId: String(req.params.conv), activityId: String(req.params.id) })) return;
      record(req, 200, { conversationId: String(req.params.conv), activityId: String(req.params.id) });
      res.json({ id: req.params.id });
    });
    app.delete('/v3/conversations/:conv/activities/:id', (req, res) => {
      record(req, 200, { conversationId: String(req.params.conv), activityId: String(req.params.id) });
      res.status(200).end();
    });
    app.get('/v3/conversations/:conv/members', (req, res) => {
      record(req, 200, { conversationId: String(req.params.conv) });
      res.json([]);
    });
    // TeamsInfo.getMember: the member record of a known member (see addMember), else 404 as Teams answers.
    app.get('/v3/conversations/:conv/members/:member', (req, res) => {
      const member = this.members.get(String(req.params.member));
      const status = member ? 200 : 404;
      record(req, status, { conversationId: String(req.params.conv) });
      if (member) res.json(member);
      else res.status(404).json({ error: { code: 'MemberNotFoundInConversation', message: 'fake connector: no such member' } });
    });
    app.get('/v3/conversations/:conv/pagedmembers', (req, res) => {
      record(req, 200, { conversationId: String(req.params.conv) });
      res.json({ members: [] });
    });
    app.get('/v3/teams/:teamId', (req, res) => {
      record(req, 200);
      res.json({ id: req.params.teamId, name: 'Fake team' });
    });
    app.use((req, res) => {
      record(req, 404);
      res.status(404).json({ error: { code: 'NotFound', message: `fake connector: no route ${req.method} ${req.path}` } });
    });

    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    this.server = server;
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('fake connector: no address');
    this.url = `http://127.0.0.1:${address.port}`;
  }
}
