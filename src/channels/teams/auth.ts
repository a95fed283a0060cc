/**
 * Clean refusals at the Teams endpoint, around botbuilder's own checks (wrapped, not forked):
 *
 * - an activity that is no usable Bot Framework activity (no sender, no conversation, a serviceUrl
 *   that is not a URL) → 400, before anything runs;
 * - every authentication failure (no token, alg none, a wrong key under a trusted kid, HS256, a
 *   token not yet valid or expired, a wrong audience or issuer…) → 401 with a fixed body, logged
 *   once as one structured line naming the reason (never the token, the keys or the library's
 *   message);
 * - the provider's OpenID metadata unreachable → 503, failing closed.
 *
 * botbuilder's CloudAdapter.process would answer some of these 500 with the JWT library's message
 * and print a stack with the trusted keys on stderr; here the request is authenticated with the
 * SDK's `authenticateRequest` and the turn run with `processActivity`, and the SDK's two
 * `console.error` calls on a failed token are filtered out (they are replaced by the line above).
 */
import type { Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../log.ts';

type Authenticator = Pick<ConfigurationBotFrameworkAuthentication, 'authenticateRequest'>;
export type AuthenticateRequestResult = Awaited<ReturnType<Authenticator['authenticateRequest']>>;

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'is not an http(s) URL');

/** What every activity Teams posts has: its type, sender, conversation and where to answer. */
const activitySchema = z
  .object({
    type: z.string().min(1),
    from: z.object({ id: z.string().min(1) }).passthrough(),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
    serviceUrl: httpUrl,
    channelId: z.string().min(1).optional(),
  })
  .passthrough();

/** The first problem of a malformed activity ("from.id: Required"), or undefined when it is usable. */
export function activityProblem(body: unknown): string | undefined {
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.') || 'body'}: ${issue.message}`;
}

export type Refusal = { status: 401 | 503; reason: string };

/** Why a token was refused, in a fixed vocabulary (the only thing logged about it). */
export function refusalReason(err: unknown, hadToken: boolean): Refusal {
  const e = err as { name?: unknown; message?: unknown; statusCode?: unknown; code?: unknown; type?: unknown };
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  // The provider's metadata or keys could not be fetched: fail closed, and say it is us, not them.
  if (name === 'FetchError' || e?.type === 'system' || /^Failed to load (?:openID config|Keys)/.test(message)) return { status: 503, reason: 'openid-metadata-unreachable' };
  if (!hadToken) return { status: 401, reason: 'no-token' };
  if (name === 'TokenExpiredError' || message === 'The token has expired') return { status: 401, reason: 'expired' };
  if (name === 'NotBeforeError') return { status: 401, reason: 'not-yet-valid' };
  if (name === 'JsonWebTokenError') {
    if (/algorithm|signature is required/i.test(message)) return { status: 401, reason: 'algorithm-not-allowed' };
    if (/invalid signature/i.test(message)) return { status: 401, reason: 'bad-signature' };
    return { status: 401, reason: 'malformed-token' };
  }
  if (/Signing Key could not be retrieved/i.test(message)) return { status: 401, reason: 'unknown-key' };
  if (/not in allowed list/i.test(message)) return { status: 401, reason: 'algorithm-not-allowed' };
  if (/endorsement/i.test(message)) return { status: 401, reason: 'not-endorsed' };
  if (/Invalid AppId|audience/i.test(message)) return { status: 401, reason: 'wrong-audience' };
  if (/ServiceUrl claim/i.test(message)) return { status: 401, reason: 'wrong-service-url' };
  if (/No valid identity|Issuer/i.test(message)) return { status: 401, reason: 'untrusted-issuer-or-token' };
  return { status: 401, reason: 'not-authenticated' };
}

/** The SDK's own error lines on a refused token (the error, and "Available keys: <PEM>"): dropped, once installed. */
let filtering = false;
function filterSdkAuthNoise(): void {
  if (filtering) return;
  filtering = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const [first] = args;
    const name = (first as { name?: unknown } | null)?.name;
    if (args.length === 1 && (name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError')) return;
    if (typeof first === 'string' && first.startsWith('Error finding key for token.')) return;
    original(...args);
  };
}

export interface TeamsGate {
  /** 401/503 refusal (already logged) or the SDK's authentication of this activity. */
  authenticate(activity: Activity, authorization: string | undefined, meta: { ip?: string }): Promise<{ ok: true; result: AuthenticateRequestResult } | { ok: false; refusal: Refusal }>;
}

export function createTeamsGate(auth: Authenticator, log: Logger): TeamsGate {
  filterSdkAuthNoise();
  return {
    async authenticate(activity, authorization, meta) {
      try {
        return { ok: true, result: await auth.authenticateRequest(activity, authorization ?? '') };
      } catch (err) {
        const refusal = refusalReason(err, Boolean(authorization?.trim()));
        const line = { event: 'teams.auth-refused', status: refusal.status, reason: refusal.reason, activityId: activity.id ?? null, ip: meta.ip ?? null };
        if (refusal.status === 503) log.error(line, 'teams: cannot check tokens, the OpenID metadata is unreachable: request refused');
        else log.warn(line, 'teams: request refused, not authenticated');
        return { ok: false, refusal };
      }
    },
  };
}

/** The activity as botbuilder's CloudAdapter.process hands it on: its timestamps as dates, the raw strings kept. */
export function withDates(body: Record<string, unknown>): Activity {
  const activity: Record<string, unknown> = { ...body };
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}
