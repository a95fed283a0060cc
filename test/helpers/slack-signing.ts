/**
 * Signed requests to Guichet's Slack endpoint, as Slack sends them: events as JSON, button clicks as
 * form field `payload=<json>`, slash commands as form fields; headers `x-slack-request-timestamp`
 * and `x-slack-signature: v0=HMAC-SHA256(secret, "v0:{ts}:{raw body}")`. Options forge every kind of
 * bad request (old or future timestamps, other prefixes, bodies changed after signing, no headers).
 * Also builders for the payloads themselves.
 */
import { createHmac, randomUUID } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a5a36dedd4bea2543';
export const TEAM = 'T0ACME';

export function slackSignature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  /** Seconds added to now for the timestamp header (negative: in the past). */
  skewSeconds?: number;
  /** An exact timestamp header (wins over skewSeconds). */
  timestamp?: string;
  /** Replaces the computed signature header. */
  signature?: string;
  /** The version prefix of the computed signature (default "v0="). */
  prefix?: string;
  /** Drops both signature headers. */
  unsigned?: boolean;
  /** Changes the body after it was signed. */
  tamper?: (body: string) => string;
  /** Extra headers (x-slack-retry-num…). */
  headers?: Record<string, string>;
  secret?: string;
}

export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Builds the exact request (body and headers) so that a test can send it twice (replay). */
export function prepare(body: string, contentType: string, options: SendOptions = {}): PreparedRequest {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000) + (options.skewSeconds ?? 0));
  const headers: Record<string, string> = { 'content-type': contentType, ...options.headers };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = timestamp;
    headers['x-slack-signature'] = options.signature ?? slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body).replace(/^v0=/, options.prefix ?? 'v0=');
  }
  return { body: options.tamper ? options.tamper(body) : body, headers };
}

export function prepareEvent(envelope: unknown, options?: SendOptions): PreparedRequest {
  return prepare(JSON.stringify(envelope), 'application/json', options);
}

export function prepareAction(payload: unknown, options?: SendOptions): PreparedRequest {
  return prepare(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
}

export function prepareCommand(fields: Record<string, string>, options?: SendOptions): PreparedRequest {
  return prepare(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
}

/** POSTs a prepared request to `${baseUrl}/slack/events`. */
export function send(baseUrl: string, request: PreparedRequest): Promise<Response> {
  return fetch(`${baseUrl}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
}

// ───────────────────────── Payload builders ─────────────────────────

let sequence = 0;
const nextTs = (): string => `1710000000.${String((sequence += 1)).padStart(6, '0')}`;

export interface EventOptions {
  team?: string;
  eventId?: string;
  extra?: Record<string, unknown>;
}

export function eventEnvelope(event: Record<string, unknown>, options: EventOptions = {}): Record<string, any> {
  const team = options.team ?? TEAM;
  return {
    token: 'legacy-verification-token',
    team_id: team,
    api_app_id: 'A0GUICHET',
    event,
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: team, user_id: 'UGUICHET', is_bot: true }],
    ...options.extra,
  };
}

/** A direct message from `user` in DM channel `channel` (message.im). */
export function dmEvent(user: string, text: string, fields: Record<string, unknown> = {}, options?: EventOptions): Record<string, any> {
  const ts = nextTs();
  return eventEnvelope({ type: 'message', user, text, ts, channel: `D${user.replace(/^U/, '')}`, event_ts: ts, channel_type: 'im', team: options?.team ?? TEAM, ...fields }, options);
}

/** An @mention of Guichet in a channel (app_mention). */
export function mentionEvent(user: string, channel: string, text: string, fields: Record<string, unknown> = {}, options?: EventOptions): Record<string, any> {
  const ts = nextTs();
  return eventEnvelope({ type: 'app_mention', user, text, ts, channel, event_ts: ts, team: options?.team ?? TEAM, ...fields }, options);
}

export interface ClickOptions {
  team?: string;
  userTeam?: string;
  channel?: string;
  messageTs?: string;
  threadTs?: string;
  ephemeral?: boolean;
  responseUrl?: string;
  actionTs?: string;
}

/** A click on Guichet's choice button `index` with `value` (block_actions). */
export function buttonClick(user: string, index: number, value: string, label: string, options: ClickOptions = {}): Record<string, any> {
  const team = options.team ?? TEAM;
  const channel = options.channel ?? `D${user.replace(/^U/, '')}`;
  const messageTs = options.messageTs ?? nextTs();
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: options.userTeam ?? team },
    api_app_id: 'A0GUICHET',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channel,
      is_ephemeral: options.ephemeral ?? false,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    },
    trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
    team: { id: team, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'directmessage' },
    ...(options.ephemeral ? {} : { message: { type: 'message', ts: messageTs, bot_id: 'BGUICHET', text: 'Langue / Language', ...(options.threadTs ? { thread_ts: options.threadTs } : {}) } }),
    response_url: options.responseUrl ?? 'https://hooks.slack.com/actions/T0ACME/1/xyz',
    actions: [
      {
        action_id: `choice:${index}`,
        block_id: 'guichet-choices',
        text: { type: 'plain_text', text: label, emoji: true },
        value,
        type: 'button',
        action_ts: options.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String((sequence += 1)).padStart(6, '0')}`,
      },
    ],
  };
}

/** The form fields of `/guichet <text>` typed by `user` in `channel`. */
export function slashCommand(user: string, text: string, options: { channel?: string; team?: string; responseUrl?: string; triggerId?: string } = {}): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: options.team ?? TEAM,
    team_domain: 'acme',
    channel_id: options.channel ?? 'C0GENERAL',
    channel_name: options.channel?.startsWith('D') ? 'directmessage' : 'general',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/guichet',
    text,
    api_app_id: 'A0GUICHET',
    is_enterprise_install: 'false',
    response_url: options.responseUrl ?? 'https://hooks.slack.com/commands/T0ACME/1/abc',
    trigger_id: options.triggerId ?? `${Date.now()}.${randomUUID().slice(0, 8)}`,
  };
}

/** A click on a card button (action_id `act:<n>:<verb>`, value the JSON of `data`) under a message of Guichet's. */
export function cardClick(user: string, actionId: string, value: string | undefined, options: ClickOptions = {}): Record<string, any> {
  const click = buttonClick(user, 0, '', 'card', options);
  click.actions[0] = { ...click.actions[0], action_id: actionId, block_id: 'guichet-card', ...(value === undefined ? {} : { value }) };
  if (value === undefined) delete click.actions[0].value;
  return click;
}

/** A click on a button of Guichet's Home tab (block_actions from a view container). */
export function homeButtonClick(user: string, actionId: string, options: { team?: string; triggerId?: string } = {}): Record<string, any> {
  const team = options.team ?? TEAM;
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: team },
    api_app_id: 'A0GUICHET',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'VHOME0001' },
    trigger_id: options.triggerId ?? `${Date.now()}.${randomUUID().slice(0, 8)}`,
    team: { id: team, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    view: { id: 'VHOME0001', type: 'home', blocks: [] },
    actions: [{ action_id: actionId, block_id: 'guichet-home-actions', text: { type: 'plain_text', text: 'x' }, type: 'button', action_ts: `${Math.floor(Date.now() / 1000)}.000001` }],
  };
}

export interface TicketFormValues {
  category?: string;
  impact?: string;
  urgency?: string;
  title?: string;
  description?: string;
}

/** The submission of Guichet's ticket modal (`view_submission`) with `values` typed in. */
export function viewSubmission(user: string, viewId: string, values: TicketFormValues, options: { team?: string; lang?: string; callbackId?: string } = {}): Record<string, any> {
  const team = options.team ?? TEAM;
  const select = (value: string | undefined, type: string) => ({ type, selected_option: value === undefined ? null : { text: { type: 'plain_text', text: value }, value } });
  const input = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  return {
    type: 'view_submission',
    team: { id: team, domain: 'acme' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: team },
    api_app_id: 'A0GUICHET',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
    view: {
      id: viewId,
      team_id: team,
      type: 'modal',
      callback_id: options.callbackId ?? 'guichet-ticket',
      private_metadata: JSON.stringify({ lang: options.lang ?? 'fr' }),
      hash: '1700000000.abcdef',
      blocks: [],
      state: {
        values: {
          category: { value: select(values.category, 'static_select') },
          impact: { value: select(values.impact, 'radio_buttons') },
          urgency: { value: select(values.urgency, 'radio_buttons') },
          title: { value: input(values.title) },
          description: { value: input(values.description) },
        },
      },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The user opened Guichet's Home tab (app_home_opened). */
export function homeOpened(user: string, options: EventOptions & { tab?: 'home' | 'messages' } = {}): Record<string, any> {
  const ts = nextTs();
  return eventEnvelope({ type: 'app_home_opened', user, channel: `D${user.replace(/^U/, '')}`, tab: options.tab ?? 'home', event_ts: ts }, options);
}

/** A reply by `user` in the thread `threadTs` of channel `channel` (message.channels), under a post of `parentUser`. */
export function threadReplyEvent(user: string, channel: string, threadTs: string, text: string, parentUser: string, options?: EventOptions): Record<string, any> {
  const ts = nextTs();
  return eventEnvelope({ type: 'message', user, text, ts, thread_ts: threadTs, parent_user_id: parentUser, channel, event_ts: ts, channel_type: 'channel', team: options?.team ?? TEAM }, options);
}
