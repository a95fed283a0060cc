/**
 * Slack request bodies → the core's InboundMessage: the workspace filter, then pure translation of untrusted JSON (validated with zod),
 * no SDK and no network. What each kind becomes, and the delivery ids that make retries and replays idempotent: docs/slack.md.
 */
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { validFiles, type InboundFile, type InboundMessage } from '../../core/messages.ts';
import { parseCardAction } from './actions.ts';
import { NEW_TICKET_ACTION } from './blocks.ts';
import { fromSlackText, withoutBotMention } from './mrkdwn.ts';
import { CHOICE_ACTION } from './outbound.ts';

/** Where a turn came from, which decides its conversation and where its replies go. */
export type Place =
  /** A direct message with Guichet (`channel` is the DM, D…). */
  | { kind: 'dm'; channel: string; threadTs?: string }
  /** A thread in a channel (public, private or a group DM) where Guichet was mentioned. */
  | { kind: 'thread'; channel: string; threadTs: string }
  /** Private to the user (a click on an ephemeral message): `channel` is where it was clicked. */
  | { kind: 'private'; channel: string; responseUrl: string }
  /** A slash command with text: answered in the user's DM; `channel` is where it was typed. */
  | { kind: 'command'; channel: string; responseUrl: string }
  /** The user's Home tab: answered by publishing the tab, not by posting. */
  | { kind: 'home' };

export interface SlackTurn {
  deliveryId: string;
  teamId: string;
  userId: string;
  text: string;
  /** Files shared with the message (references: their Slack permalink, not the bytes). */
  files?: InboundFile[];
  /** A card button: the core's action (validated shape; the content is still untrusted). */
  action?: { verb: string; data: Record<string, string | number> };
  place: Place;
}

/** `/guichet` alone: open the ticket modal for this user (trigger_id is valid 3 s). */
export interface ModalRequest {
  teamId: string;
  userId: string;
  triggerId: string;
  /** Where the command was typed (absent for the Home tab's button). */
  command?: { channel: string; responseUrl: string };
}

export type IgnoreReason = 'not-a-user-message' | 'subtype' | 'from-a-bot' | 'not-direct' | 'mention-in-dm' | 'mention-in-thread' | 'unknown-action'
  | 'unknown-command' | 'bad-action' | 'not-our-thread' | 'malformed';

export type Translation = { kind: 'turn'; turn: SlackTurn } | { kind: 'open-modal'; request: ModalRequest } | { kind: 'ignore'; reason: IgnoreReason };

const ignore = (reason: IgnoreReason): Translation => ({ kind: 'ignore', reason });
const turn = (t: SlackTurn): Translation => ({ kind: 'turn', turn: t });
const id = z.string().min(1).max(200);

/** Who acts in an interactive payload (a click, a modal): org-wide installs send `team: null`, the user's team stands in. */
const actor = { team: z.object({ id }).nullish(), user: z.object({ id, team_id: z.string().optional() }) };
const teamOf = (b: { team?: { id: string } | null; user: { team_id?: string } }): string | undefined => b.team?.id ?? b.user.team_id;

/** A file shared in a message: kept as its permalink (people of the workspace open it in Slack). */
const maybe = z.string().optional();
const slackFile = z.object({ name: maybe, title: maybe, mimetype: maybe, size: z.number().optional(), permalink: maybe, url_private: maybe });

type SlackFile = z.infer<typeof slackFile>;

function filesOf(files: SlackFile[] | undefined): InboundFile[] {
  // A file without a usable link (a hidden one, "tombstone") is left out.
  const file = (f: SlackFile) => ({ name: f.name || f.title || 'file', url: f.permalink ?? f.url_private, ...(f.mimetype ? { contentType: f.mimetype } : {}) });
  return validFiles((files ?? []).map((f) => ({ ...file(f), ...(f.size !== undefined ? { size: f.size } : {}) })));
}

const messageEvent = z.object({
  ...{ type: z.literal('message'), subtype: maybe, bot_id: maybe, user: id.optional(), text: z.string().max(50_000).optional(), channel: id },
  ...{ channel_type: maybe, ts: id, thread_ts: id.optional(), parent_user_id: maybe, edited: z.unknown().optional() },
  files: z.array(slackFile).max(50).optional(),
});

const mentionEvent = messageEvent
  .pick({ bot_id: true, user: true, channel: true, ts: true, thread_ts: true, edited: true })
  .extend({ type: z.literal('app_mention'), text: z.string().max(50_000).default('') });

const eventEnvelope = z.object({ event_id: id, team_id: id, event: z.object({ type: z.string() }).passthrough() });
const userEvent = z.discriminatedUnion('type', [messageEvent, mentionEvent]);

/** An Events API body (`event_callback`) → a turn; `botUserId` is Guichet's own user id when known. */
export function fromEvent(body: unknown, botUserId?: string): Translation {
  const env = eventEnvelope.safeParse(body);
  if (!env.success) return ignore('malformed');
  const { event_id: deliveryId, team_id: teamId, event } = env.data;
  if (event.type !== 'message' && event.type !== 'app_mention') return ignore('not-a-user-message');
  const parsed = userEvent.safeParse(event);
  if (!parsed.success) return ignore('malformed');
  const m = parsed.data;
  // A thread reply also sent to the channel ("thread_broadcast") is still a reply in the thread; a message with files is a message.
  const served = m.type === 'app_mention' || m.subtype === undefined || m.subtype === 'file_share' || (m.subtype === 'thread_broadcast' && m.channel_type !== 'im');
  if (!served || m.edited !== undefined) return ignore('subtype');
  const notAPerson = notFromAPerson(m, botUserId);
  if (notAPerson) return ignore(notAPerson);
  if (m.type === 'app_mention') {
    // A mention inside the DM with Guichet also arrives as message.im: answer that one only.
    if (m.channel.startsWith('D')) return ignore('mention-in-dm');
    return said(deliveryId, teamId, m, withoutBotMention(m.text, botUserId), { kind: 'thread', channel: m.channel, threadTs: m.thread_ts ?? m.ts });
  }
  const direct = m.channel_type ? m.channel_type === 'im' : m.channel.startsWith('D');
  if (!direct) return threadReply(deliveryId, teamId, m, botUserId);
  const threadTs = m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : undefined;
  return said(deliveryId, teamId, m, m.text ?? '', { kind: 'dm', channel: m.channel, ...(threadTs ? { threadTs } : {}) });
}

/** A person's message (Slack markup) → a turn at `place`, with its files. */
function said(deliveryId: string, teamId: string, m: { user?: string; files?: SlackFile[] }, text: string, place: Place): Translation {
  const files = filesOf(m.files);
  return turn({ deliveryId, teamId, userId: m.user!, text: fromSlackText(text), ...(files.length ? { files } : {}), place });
}

/** Why a message is not a person's words (a bot's, Guichet's own, or nobody's), if it is not. */
function notFromAPerson(m: { bot_id?: string; user?: string }, botUserId: string | undefined): IgnoreReason | undefined {
  if (m.bot_id || (m.user && m.user === botUserId)) return 'from-a-bot';
  return m.user ? undefined : 'not-a-user-message';
}

/** A channel message: served only as a reply under one of Guichet's own posts without a mention (the app_mention event answers that). */
function threadReply(deliveryId: string, teamId: string, m: z.infer<typeof messageEvent>, botUserId: string | undefined): Translation {
  if (m.channel_type === 'mpim' || m.channel_type === 'im') return ignore('not-direct');
  if (!m.thread_ts || m.thread_ts === m.ts) return ignore('not-direct');
  if (!botUserId || m.parent_user_id !== botUserId) return ignore('not-our-thread');
  const raw = m.text ?? '';
  if (raw.includes(`<@${botUserId}`)) return ignore('mention-in-thread');
  return said(deliveryId, teamId, m, raw, { kind: 'thread', channel: m.channel, threadTs: m.thread_ts });
}

const blockActions = z.object({
  ...{ type: z.literal('block_actions'), ...actor, channel: z.object({ id }).optional(), response_url: z.string().url().optional() },
  container: z.object({ type: maybe, message_ts: id.optional(), channel_id: id.optional(), thread_ts: id.optional(), is_ephemeral: z.boolean().optional() })
    .passthrough(),
  message: z.object({ ts: id, thread_ts: id.optional() }).passthrough().optional(),
  /** For opening a modal (the Home tab's button), valid 3 s. */
  trigger_id: id.optional(),
  actions: z.array(z.object({ type: z.string(), action_id: z.string(), value: z.string().max(2_000).optional(), action_ts: id })).min(1),
});

/** A `block_actions` payload → a turn for a click on Guichet's choice or card buttons; `open-modal` for the Home tab's "Create a ticket". */
export function fromBlockActions(body: unknown): Translation {
  const parsed = blockActions.safeParse(body);
  if (!parsed.success) return ignore('malformed');
  const b = parsed.data;
  const action = b.actions[0]!;
  const teamId = teamOf(b);
  if (action.action_id === NEW_TICKET_ACTION && b.trigger_id) {
    return teamId ? { kind: 'open-modal', request: { teamId, userId: b.user.id, triggerId: b.trigger_id } } : ignore('malformed');
  }
  if (action.type !== 'button') return ignore('unknown-action');
  let text = '';
  let cardAction: SlackTurn['action'];
  if (CHOICE_ACTION.test(action.action_id)) {
    if (action.value === undefined) return ignore('unknown-action');
    text = action.value;
  } else {
    const card = parseCardAction(action.action_id, action.value);
    if (!card) return ignore('unknown-action');
    if (!card.ok) return ignore('bad-action');
    cardAction = { verb: card.verb, data: card.data };
  }
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
  return turn({ deliveryId: `action:${messageTs}:${action.action_ts}`, teamId, userId: b.user.id, text, ...(cardAction ? { action: cardAction } : {}), place });
}

export const COMMAND = '/guichet';

const slashCommand = z.object({
  ...{ command: z.string(), text: z.string().max(50_000).default(''), trigger_id: id, user_id: id, team_id: id, channel_id: id },
  response_url: z.string().url(),
});

/** `/guichet <text>` → a turn; `/guichet` alone → open the ticket modal. */
export function fromSlashCommand(body: unknown): Translation {
  const parsed = slashCommand.safeParse(body);
  if (!parsed.success) return ignore('malformed');
  const c = parsed.data;
  if (c.command !== COMMAND) return ignore('unknown-command');
  const text = fromSlackText(c.text).trim();
  const command = { channel: c.channel_id, responseUrl: c.response_url };
  if (!text) return { kind: 'open-modal', request: { teamId: c.team_id, userId: c.user_id, triggerId: c.trigger_id, command } };
  return turn({ deliveryId: `command:${c.trigger_id}`, teamId: c.team_id, userId: c.user_id, text, place: { kind: 'command', ...command } });
}

const homeOpened = z.object({ team_id: id, event_id: id.optional(), event: z.object({ type: z.literal('app_home_opened'), user: id, tab: z.string().optional() }) });

export interface HomeOpened {
  teamId: string;
  userId: string;
  /** The event_id (a redelivery carries the same one). */
  deliveryId: string;
}

/** `app_home_opened` on the Home tab → who opened it; undefined for the Messages tab or a malformed body. */
export function fromHomeOpened(body: unknown): HomeOpened | undefined {
  const parsed = homeOpened.safeParse(body);
  if (!parsed.success || parsed.data.event.tab !== 'home') return undefined;
  const { team_id: teamId, event_id: eventId, event } = parsed.data;
  return { teamId, userId: event.user, deliveryId: eventId ?? `home:${event.user}:${Date.now()}` };
}

const submittedView = z.object({ id, state: z.unknown(), private_metadata: z.string().max(3_000).optional() }).passthrough();
const viewSubmission = z.object({ type: z.literal('view_submission'), ...actor, view: submittedView });

export interface Submission {
  teamId: string;
  userId: string;
  viewId: string;
  /** `view.state` as sent (checked by modal.ts). */
  state: unknown;
  privateMetadata?: string;
}

/** A `view_submission` body → who submitted which view; undefined when malformed. */
export function fromViewSubmission(body: unknown): Submission | undefined {
  const parsed = viewSubmission.safeParse(body);
  if (!parsed.success) return undefined;
  const { user, view } = parsed.data;
  const teamId = teamOf(parsed.data);
  if (!teamId) return undefined;
  return { teamId, userId: user.id, viewId: view.id, state: view.state, ...(view.private_metadata !== undefined ? { privateMetadata: view.private_metadata } : {}) };
}

/** Who is served: run on every request before any listener; dropped requests are acked and forgotten (no retry, nothing stored). */
const envelope = z.object({
  ...{ team_id: maybe, enterprise_id: z.string().nullish(), is_ext_shared_channel: z.boolean().optional(), user_team: maybe },
  ...{ team: z.object({ id: maybe, enterprise_id: maybe }).nullish(), enterprise: z.object({ id: maybe }).nullish() },
  user: z.union([z.string(), z.object({ id: maybe, team_id: maybe })]).optional(),
  event: z.object({ user_team: maybe, source_team: maybe }).passthrough().optional(),
}).passthrough();

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

/** What users.info tells of a user (directory.ts): hints for the core's user record. */
export type Profile = Omit<InboundMessage['user'], 'externalId'>;

/** The conversation reference stored for proactive messages (the sender posts there). */
export type SlackReference = { teamId: string; channel: string; threadTs?: string };

/** The InboundMessage of a turn. `personalChannel` is the user's DM with Guichet, needed for `private` places (their conversation is the personal one). */
export function toInbound(t: SlackTurn, profile: Profile, personalChannel?: string): InboundMessage {
  const who = { channel: 'slack' as const, deliveryId: t.deliveryId, tenantId: t.teamId, user: { externalId: t.userId, ...profile } };
  const what = { ...(t.action ? { action: t.action } : { text: t.text }), ...(t.files?.length ? { files: t.files } : {}) };
  return { ...who, conversation: conversationOf(t, personalChannel), ...what };
}

function conversationOf(t: SlackTurn, personalChannel: string | undefined): InboundMessage['conversation'] {
  const { place, teamId } = t;
  // The Home tab is the user's own surface, with no place to post to: no reference.
  if (place.kind === 'home') return { externalId: `home:${t.userId}`, kind: 'personal' };
  if (place.kind === 'thread') {
    const reference: SlackReference = { teamId, channel: place.channel, threadTs: place.threadTs };
    return { externalId: `${place.channel}:${place.threadTs}`, kind: 'channel', reference };
  }
  const channel = place.kind === 'dm' ? place.channel : personalChannel;
  if (!channel) throw new GuichetError('slack.no-personal-channel', `slack: no personal channel for user ${t.userId} (a private place or a command needs one)`);
  // Proactive messages go to the top of the DM, not into the thread the user last wrote in.
  const reference: SlackReference = { teamId, channel };
  return { externalId: channel, kind: 'personal', reference };
}
