/**
 * The web chat channel: a JSON API the chat page talks to.
 *
 * Until web sign-in exists, a visitor is identified by a random id in an
 * HttpOnly, SameSite=Strict cookie; it names both the web user and the
 * conversation. Mutations are accepted only as same-origin JSON requests
 * (Content-Type application/json cannot be sent cross-site without a CORS
 * preflight, which this server never grants; Sec-Fetch-Site/Origin are checked
 * as well), which is the CSRF protection of this API.
 */
import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express, { type Request, type Response, type NextFunction } from 'express';
import { z } from 'zod';
import type { TurnResult } from '../../core/handle-turn.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { ConversationKey, TranscriptEntry } from '../../core/ports.ts';
import { firstIssue } from '../../core/zod-issue.ts';
import { renderForWeb, type WebMessage } from './render.ts';

export const VISITOR_COOKIE = 'guichet_visitor';
const VISITOR_ID = /^[A-Za-z0-9_-]{22,64}$/;
const HISTORY_LIMIT = 100;

export interface WebChatDeps {
  turn(message: InboundMessage): Promise<TurnResult>;
  /** The transcript of a visitor's conversation (the core's conversation store). */
  conversations: { transcript(key: ConversationKey, limit: number): Promise<TranscriptEntry[]> };
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies: boolean;
  /** The person signed in to the portal, if any: the chat is then theirs instead of an anonymous visitor's. */
  signedIn?: (req: Request) => { userId: string; displayName?: string } | undefined;
}

/** Where a web conversation lives: an anonymous visitor's, or a signed-in person's. */
export interface WebChatter {
  tenantId: '' | 'portal';
  externalId: string;
  displayName?: string;
}

const postSchema = z.object({
  /** Client-generated id of this message; resending the same id returns the first answer. */
  id: z.string().min(8).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only'),
  text: z.string().max(20_000).optional(),
  locale: z.string().max(35).optional(),
});

export function webChatRouter(deps: WebChatDeps): express.Router {
  const router = express.Router();
  router.use(cookieParser());
  router.use(express.json({ limit: '64kb' }));

  /** The signed-in person (their Identity "web/portal/<user id>"), else the visitor of the cookie. */
  const chatter = (req: Request, res: Response): WebChatter => {
    const person = deps.signedIn?.(req);
    if (person) return { tenantId: 'portal', externalId: person.userId, displayName: person.displayName };
    return { tenantId: '', externalId: visitorId(req, res, deps.secureCookies) };
  };

  router.get('/session', (req, res) => {
    const who = chatter(req, res);
    res.json({ visitor: who.externalId.slice(0, 6), signedIn: who.tenantId === 'portal' });
  });

  // The conversation as it was typed and answered: notices sent while the page was closed are not replayed (the portal
  // shows tickets and incidents); `now` is where the page starts polling for new ones.
  router.get('/history', async (req, res) => {
    const who = chatter(req, res);
    const lines = await deps.conversations.transcript({ channel: 'web', tenantId: who.tenantId, externalId: who.externalId }, HISTORY_LIMIT);
    res.json({
      now: new Date().toISOString(),
      messages: lines.filter((line) => line.kind !== 'proactive').map((line) => ({
        from: line.author,
        at: line.at.toISOString(),
        message: historyMessage(line.direction, line.text, line.payload),
      })),
    });
  });

  // What Guichet said outside a turn since `after` (ISO time): the page polls it.
  router.get('/notices', async (req, res) => {
    const who = chatter(req, res);
    const after = typeof req.query.after === 'string' ? Date.parse(req.query.after) : NaN;
    // Without a starting point nothing is replayed: the page asks from the `now` of its history.
    const lines = Number.isNaN(after) ? [] : await deps.conversations.transcript({ channel: 'web', tenantId: who.tenantId, externalId: who.externalId }, HISTORY_LIMIT);
    const fresh = lines.filter((line) => line.kind === 'proactive' && line.at.getTime() > after);
    res.json({
      now: new Date().toISOString(),
      messages: fresh.map((line) => ({ from: 'bot', at: line.at.toISOString(), message: historyMessage(line.direction, line.text, line.payload) })),
    });
  });

  router.post('/messages', sameOriginJson, async (req, res) => {
    const body = postSchema.safeParse(req.body);
    if (!body.success) {
      const { field, message } = firstIssue(body.error);
      res.status(400).json({ error: 'invalid-message', field, message });
      return;
    }
    const who = chatter(req, res);
    const result = await deps.turn({
      channel: 'web',
      tenantId: who.tenantId,
      deliveryId: `${who.externalId}:${body.data.id}`,
      user: { externalId: who.externalId, locale: body.data.locale, ...(who.displayName ? { displayName: who.displayName } : {}) },
      // The reference lets Guichet reach the person later (status changes, agents' replies).
      conversation: { externalId: who.externalId, kind: 'personal', reference: { tenantId: who.tenantId, externalId: who.externalId } },
      text: body.data.text ?? '',
    });
    res.json({ lang: result.lang, duplicate: result.duplicate, replies: result.replies.map(renderForWeb) });
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === 413) res.status(413).json({ error: 'too-large', message: 'web: message body over 64 KB' });
    else if (status === 400) res.status(400).json({ error: 'invalid-json', message: 'web: body is not valid JSON' });
    else next(err);
  });
  return router;
}

function historyMessage(direction: 'in' | 'out', text: string, payload: unknown): WebMessage {
  if (direction === 'out' && payload && typeof payload === 'object' && 'type' in payload) {
    try {
      return renderForWeb(payload as Parameters<typeof renderForWeb>[0]);
    } catch {
      // A message type this version no longer renders: show its stored plain text.
    }
  }
  return { type: 'text', text };
}

function visitorId(req: Request, res: Response, secure: boolean): string {
  const existing: unknown = req.cookies?.[VISITOR_COOKIE];
  if (typeof existing === 'string' && VISITOR_ID.test(existing)) return existing;
  const id = randomBytes(18).toString('base64url');
  res.cookie(VISITOR_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: 400 * 24 * 3600 * 1000 });
  // Later requests of this same call chain see it too.
  (req.cookies as Record<string, string>)[VISITOR_COOKIE] = id;
  return id;
}

/** Rejects cross-site writes: JSON only, and when the browser says where the request comes from, same origin. */
function sameOriginJson(req: Request, res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    res.status(415).json({ error: 'unsupported-media-type', message: 'web: expected Content-Type application/json' });
    return;
  }
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && hostOf(origin) !== req.get('host'));
  if (crossSite) {
    res.status(403).json({ error: 'cross-site', message: 'web: cross-site requests are refused' });
    return;
  }
  next();
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" or garbage: never equal to our host
  }
}
