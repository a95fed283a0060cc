/**
 * Slack request body → a turn for the core. Pure translation of untrusted JSON (validated with zod),
 * tested with plain objects; no SDK and no network here.
 *
 * - `message.im`: a user's direct message (bot messages, edits and every other subtype ignored);
 *   a reply inside a DM thread is answered in that thread.
 * - `app_mention` in a channel: the bot's mention is removed; the conversation is the thread of the
 *   mention (its `thread_ts`, or the message itself), and replies go into that thread.
 * - `block_actions` from Guichet's buttons (`action_id` "choice:<n>"): the button's value becomes
 *   the user's text, as if typed.
 * - `/guichet [text]`: the text is a turn in the user's personal conversation (an empty command
 *   asks for help); replies are private (the command's response_url) unless typed in that DM.
 *
 * Delivery ids make every retry and replay idempotent in the database: the event_id for events,
 * `action:<message ts>:<action_ts>` for clicks, `command:<trigger_id>` for commands.
 */
import { z } from 'zod';
import type { InboundMessage } from '../../core/messages.ts';
import { CHOICE_ACTION } from './outbound.ts';

/** Where a turn came from, which decides its conversation and where its replies go. */
export type Place =
  /** A direct message with Guichet (`channel` is the DM, D…). */
  | { kind: 'dm'; channel: string; threadTs?: string }
  /** A thread in a channel (public, private or a group DM) where Guichet was mentioned. */
  | { kind: 'thread'; channel: string; threadTs: string }
  /** Private to the user (a slash command, a click on an ephemeral message): `channel` is where it was typed. */
  | { kind: 'private'; channel: string; responseUrl: string };

export interface SlackTurn {
  deliveryId: string;
  teamId: string;
  userId: string;
  text: string;
  place: Place;
}

export type IgnoreReason =
  | 'not-a-user-message'
  | 'subtype'
  | 'from-a-bot'
  | 'not-direct'
  | 'mention-in-dm'
  | 'unknown-action'
  | 'unknown-command'
  | 'malformed';

export type Translation = { kind: 'turn'; turn: SlackTurn } | { kind: 'ignore'; reason: IgnoreReason };

const ignore = (reason: IgnoreReason): Translation => ({ kind: 'ignore', reason });
const id = z.string().min(1).max(200);

// ───────────────────────── Who is served ─────────────────────────

const envelope = z
  .object({
    team_id: z.string().optional(),
    enterprise_id: z.string().nullish(),
    is_ext_shared_channel: z.boolean().optional(),
    team: z.object({ id: z.string().optional(), enterprise_id: z.string().optional() }).nullish(),
    enterprise: z.object({ id: z.string().optional() }).nullish(),
    user: z.union([z.string(), z.object({ id: z.string().optional(), team_id: z.string().optional() })]).optional(),
    user_team: z.string().optional(),
    event: z.object({ user_team: z.string().optional(), source_team: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

export type Admission = { ok: true; teamId: string } | { ok: false; reason: 'no-workspace' | 'foreign-workspace' | 'external-user' | 'shared-channel' };

/**
 * Whether Guichet serves this request: its workspace (team id, or the enterprise id of a grid org)
 * must be in `allowed` when that list is not empty, and the sender must belong to that workspace (or
 * another allowed one): external people of Slack Connect channels are not served, and nothing is
 * said in externally shared channels, where outsiders would read the answers.
 */
export function admit(body: unknown, allowed: ReadonlySet<string>): Admission {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return { ok: false, reason: 'no-workspace' };
  const b = parsed.data;
  const userTeamOfClick = typeof b.user === 'object' ? b.user.team_id : undefined;
  // Clicks of org-wide (Enterprise Grid) installs come with `team: null`: the clicker's team stands in.
  const teamId = b.team_id ?? b.team?.id ?? userTeamOfClick ?? '';
  const enterpriseId = b.enterprise_id ?? b.team?.enterprise_id ?? b.enterprise?.id ?? '';
  if (!teamId) return { ok: false, reason: 'no-workspace' };
  if (allowed.size > 0 && !allowed.has(teamId) && !(enterpriseId && allowed.has(enterpriseId))) return { ok: false, reason: 'foreign-workspace' };
  if (b.is_ext_shared_channel === true) return { ok: false, reason: 'shared-channel' };
  const userTeam = b.event?.user_team ?? userTeamOfClick ?? b.user_team;
  if (userTeam && userTeam !== teamId && !allowed.has(userTeam)) return { ok: false, reason: 'external-user' };
  return { ok: true, teamId };
}

// ───────────────────────── Events ─────────────────────────

const messageEvent = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: id.optional(),
  text: z.string().max(50_000).optional(),
  channel: id,
  channel_type: z.string().optional(),
  ts: id,
  thread_ts: id.optional(),
  edited: z.unknown().optional(),
});

const mentionEvent = z.object({
  type: z.literal('app_mention'),
  bot_id: z.string().optional(),
  user: id.optional(),
  text: z.string().max(50_000).default(''),
  channel: id,
  ts: id,
  thread_ts: id.optional(),
  edited: z.unknown().optional(),
});

const eventEnvelope = z.object({ event_id: id, team_id: id, event: z.object({ type: z.string() }).passthrough() });

/** An Events API body (`event_callback`) → a turn; `botUserId` is Guichet's own user id when known. */
export function fromEvent(body: unknown, botUserId?: string): Translation {
  const env = eventEnvelope.safeParse(body);
  if (!env.success) return ignore('malformed');
  const { event_id: deliveryId, team_id: teamId, event } = env.data;
  if (event.type === 'message') {
    const parsed = messageEvent.safeParse(event);
    if (!parsed.success) return ignore('malformed');
    const m = parsed.data;
    if (m.subtype !== undefined || m.edited !== undefined) return ignore('subtype');
    if (m.bot_id || !m.user) return m.bot_id ? ignore('from-a-bot') : ignore('not-a-user-message');
    if (m.user === botUserId) return ignore('from-a-bot');
    const direct = m.channel_type ? m.channel_type === 'im' : m.channel.startsWith('D');
    if (!direct) return ignore('not-direct');
    const threadTs = m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : undefined;
    return turn({ deliveryId, teamId, userId: m.user, text: fromSlackText(m.text ?? ''), place: { kind: 'dm', channel: m.channel, ...(threadTs ? { threadTs } : {}) } });
  }
  if (event.type === 'app_mention') {
    const parsed = mentionEvent.safeParse(event);
    if (!parsed.success) return ignore('malformed');
    const m = parsed.data;
    if (m.edited !== undefined) return ignore('subtype');
    if (m.bot_id || !m.user) return m.bot_id ? ignore('from-a-bot') : ignore('not-a-user-message');
    if (m.user === botUserId) return ignore('from-a-bot');
    // A mention inside the DM with Guichet also arrives as message.im: answer that one only.
    if (m.channel.startsWith('D')) return ignore('mention-in-dm');
    const text = fromSlackText(withoutBotMention(m.text, botUserId));
    return turn({ deliveryId, teamId, userId: m.user, text, place: { kind: 'thread', channel: m.channel, threadTs: m.thread_ts ?? m.ts } });
  }
  return ignore('not-a-user-message');
}

// ───────────────────────── Button clicks ─────────────────────────

const blockActions = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id }).nullish(),
  user: z.object({ id, team_id: z.string().optional() }),
  channel: z.object({ id }).optional(),
  container: z
    .object({
      type: z.string().optional(),
      message_ts: id.optional(),
      channel_id: id.optional(),
      thread_ts: id.optional(),
      is_ephemeral: z.boolean().optional(),
    })
    .passthrough(),
  message: z.object({ ts: id, thread_ts: id.optional() }).passthrough().optional(),
  response_url: z.string().url().optional(),
  actions: z.array(z.object({ type: z.string(), action_id: z.string(), value: z.string().max(2_000).optional(), action_ts: id })).min(1),
});

/** A `block_actions` payload → a turn when it is a click on one of Guichet's choice buttons. */
export function fromBlockActions(body: unknown): Translation {
  const parsed = blockActions.safeParse(body);
  if (!parsed.success) return ignore('malformed');
  const b = parsed.data;
  const action = b.actions[0]!;
  if (action.type !== 'button' || !CHOICE_ACTION.test(action.action_id) || action.value === undefined) return ignore('unknown-action');
  const teamId = b.team?.id ?? b.user.team_id;
  const messageTs = b.container.message_ts ?? b.message?.ts;
  const channel = b.container.channel_id ?? b.channel?.id;
  if (!teamId || !messageTs || !channel) return ignore('malformed');
  const threadTs = b.container.thread_ts ?? b.message?.thread_ts;
  let place: Place;
  if (b.container.is_ephemeral) {
    if (!b.response_url) return ignore('malformed');
    place = { kind: 'private', channel, responseUrl: b.response_url };
  } else if (channel.startsWith('D')) {
    place = { kind: 'dm', channel, ...(threadTs ? { threadTs } : {}) };
  } else {
    place = { kind: 'thread', channel, threadTs: threadTs ?? messageTs };
  }
  return turn({ deliveryId: `action:${messageTs}:${action.action_ts}`, teamId, userId: b.user.id, text: action.value, place });
}

// ───────────────────────── Slash command ─────────────────────────

export const COMMAND = '/guichet';

const slashCommand = z.object({
  command: z.string(),
  text: z.string().max(50_000).default(''),
  trigger_id: id,
  user_id: id,
  team_id: id,
  channel_id: id,
  response_url: z.string().url(),
});

/** Text sent to the core for an empty `/guichet`: "?" asks for help without hinting at a language. */
export const EMPTY_COMMAND_TEXT = '?';

export function fromSlashCommand(body: unknown): Translation {
  const parsed = slashCommand.safeParse(body);
  if (!parsed.success) return ignore('malformed');
  const c = parsed.data;
  if (c.command !== COMMAND) return ignore('unknown-command');
  const text = fromSlackText(c.text).trim() || EMPTY_COMMAND_TEXT;
  return turn({
    deliveryId: `command:${c.trigger_id}`,
    teamId: c.team_id,
    userId: c.user_id,
    text,
    place: { kind: 'private', channel: c.channel_id, responseUrl: c.response_url },
  });
}

// ───────────────────────── To the core ─────────────────────────

export interface Profile {
  displayName?: string;
  email?: string;
  locale?: string;
  timeZone?: string;
}

/** The conversation reference stored for proactive messages (the sender posts there). */
export interface SlackReference {
  teamId: string;
  channel: string;
  threadTs?: string;
}

/**
 * The InboundMessage of a turn. `personalChannel` is the user's DM with Guichet, needed for
 * `private` places (their conversation is the personal one).
 */
export function toInbound(t: SlackTurn, profile: Profile, personalChannel?: string): InboundMessage {
  const where = conversationOf(t, personalChannel);
  return {
    channel: 'slack',
    deliveryId: t.deliveryId,
    tenantId: t.teamId,
    user: { externalId: t.userId, ...profile },
    conversation: where,
    text: t.text,
  };
}

function conversationOf(t: SlackTurn, personalChannel: string | undefined): InboundMessage['conversation'] {
  const { place, teamId } = t;
  if (place.kind === 'thread') {
    const reference: SlackReference = { teamId, channel: place.channel, threadTs: place.threadTs };
    return { externalId: `${place.channel}:${place.threadTs}`, kind: 'channel', reference };
  }
  const channel = place.kind === 'dm' ? place.channel : personalChannel;
  if (!channel) throw new Error(`slack: no personal channel for user ${t.userId} (a private place needs one)`);
  // Proactive messages go to the top of the DM, not into the thread the user last wrote in.
  const reference: SlackReference = { teamId, channel };
  return { externalId: channel, kind: 'personal', reference };
}

// ───────────────────────── Slack text ─────────────────────────

/** Removes Guichet's own mention (`<@UBOT>` or `<@UBOT|name>`); without its id, the leading mention. */
export function withoutBotMention(text: string, botUserId?: string): string {
  if (botUserId) {
    const escaped = botUserId.replace(/[^A-Za-z0-9]/g, '');
    return text.replace(new RegExp(`<@${escaped}(?:\\|[^>]*)?>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
  }
  return text.replace(/^\s*<@[A-Z0-9]+(?:\|[^>]*)?>\s*/, '').trim();
}

/**
 * Slack's message markup → what the user typed: `<@U1|name>` → @name, `<#C1|general>` → #general,
 * `<!here>` → @here, `<https://x|label>` → "label (https://x)", `<mailto:a@b|a@b>` → a@b, and the
 * `&amp; &lt; &gt;` escapes decoded.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_, target: string, label: string | undefined) => {
      if (/^@/.test(target)) return `@${label ?? target.slice(1)}`;
      if (/^#/.test(target)) return `#${label ?? target.slice(1)}`;
      if (/^!/.test(target)) {
        const special = target.slice(1).split('^')[0] ?? '';
        return label ?? `@${special}`;
      }
      const shown = target.replace(/^mailto:/, '');
      return label && label !== shown ? `${label} (${shown})` : shown;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function turn(t: SlackTurn): Translation {
  return { kind: 'turn', turn: t };
}
