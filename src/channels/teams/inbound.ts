/**
 * Teams activity → InboundMessage. Pure translation, no SDK calls beyond
 * botbuilder's static helpers, so it is tested with plain objects.
 *
 * - deliveryId: the activity id (Teams redelivers with the same id; the core deduplicates).
 * - user: `from.aadObjectId` (stable across the tenant's apps), else `from.id`.
 * - conversation kind: personal → personal, groupChat → group, channel → channel; in group chats
 *   and channels only messages that @mention the bot (or submit one of its cards) are for Guichet.
 * - the bot's @mention is removed from the text; a card submit `{verb: 'choice', value}` becomes
 *   the text `value` (as if typed); any other verb becomes `action: {verb, data}`.
 * - files: a file sent in a personal chat (`…teams.file.download.info`) is kept as its link in the
 *   user's OneDrive (`contentUrl`), which people it is shared with can open; a pasted image keeps its
 *   `contentUrl` (the Bot Connector's copy). Cards and the HTML copy of the text are not files.
 */
import { TurnContext, type Activity } from 'botbuilder';
import { validFiles, type InboundFile, type InboundMessage } from '../../core/messages.ts';

/** The verb of the Action.Submit buttons that `outbound.ts` renders for `choices`. */
export const CHOICE_VERB = 'choice';

export type Translation =
  | { kind: 'turn'; message: InboundMessage }
  | { kind: 'ignore'; reason: IgnoreReason };

/** Why an activity is not a turn for the core (logged at debug level, never with its text). */
export type IgnoreReason = 'not-a-message' | 'no-id' | 'no-sender' | 'no-conversation' | 'not-mentioned';

type ConversationKind = 'personal' | 'group' | 'channel';

/** The Teams tenant of an activity: `conversation.tenantId`, else `channelData.tenant.id`, else "". */
export function tenantOf(activity: Partial<Activity>): string {
  const fromConversation = activity.conversation?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation) return fromConversation;
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return typeof fromChannelData === 'string' ? fromChannelData : '';
}

/**
 * `addressed`: the message is for Guichet though it does not @mention it — a reply in the thread of
 * one of Guichet's escalation cards (the app reads those with the ChannelMessage.Read.Group
 * permission; the channel checks the thread before saying so).
 */
export function toInbound(activity: Activity, options: { addressed?: boolean } = {}): Translation {
  if (activity.type !== 'message') return { kind: 'ignore', reason: 'not-a-message' };
  if (!activity.id) return { kind: 'ignore', reason: 'no-id' };
  const userId = activity.from?.aadObjectId || activity.from?.id;
  if (!userId) return { kind: 'ignore', reason: 'no-sender' };
  if (!activity.conversation?.id) return { kind: 'ignore', reason: 'no-conversation' };

  const kind = conversationKind(activity.conversation.conversationType);
  const submit = cardSubmit(activity.value);
  if (kind !== 'personal' && !submit && !options.addressed && !mentionsBot(activity)) return { kind: 'ignore', reason: 'not-mentioned' };

  const message: InboundMessage = {
    channel: 'teams',
    deliveryId: activity.id,
    tenantId: tenantOf(activity),
    user: {
      externalId: userId,
      ...(activity.from.name ? { displayName: activity.from.name } : {}),
      ...(activity.locale ? { locale: activity.locale } : {}),
    },
    conversation: {
      externalId: activity.conversation.id,
      kind,
      reference: TurnContext.getConversationReference(activity),
    },
  };
  if (submit?.verb === CHOICE_VERB && typeof submit.data.value === 'string') {
    message.text = submit.data.value;
  } else if (submit) {
    message.action = submit;
  } else {
    message.text = textWithoutBotMention(activity);
    const files = filesOf(activity.attachments);
    if (files.length > 0) message.files = files;
  }
  return { kind: 'turn', message };
}

const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

function filesOf(attachments: Activity['attachments']): InboundFile[] {
  const candidates = (attachments ?? []).flatMap((a) => {
    const type = typeof a?.contentType === 'string' ? a.contentType : '';
    if (type === FILE_DOWNLOAD_INFO) {
      const fileType = (a.content as { fileType?: unknown } | undefined)?.fileType;
      return [{ name: a.name || 'file', url: a.contentUrl, ...(typeof fileType === 'string' ? { contentType: fileType } : {}) }];
    }
    if (type.startsWith('image/')) return [{ name: a.name || `image.${type.slice('image/'.length).replace(/[^a-z0-9]/gi, '') || 'png'}`, url: a.contentUrl, contentType: type }];
    return []; // cards, the HTML copy of the text
  });
  return validFiles(candidates);
}

function conversationKind(type: string | undefined): ConversationKind {
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'group';
  return 'personal';
}

/** An Adaptive Card Action.Submit arrives as `value: {verb, …fields}` (fields are untrusted). */
function cardSubmit(value: unknown): { verb: string; data: Record<string, unknown> } | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { verb, ...data } = value as Record<string, unknown>;
  return typeof verb === 'string' && verb ? { verb, data } : undefined;
}

/** A copy holding what the SDK's mention helpers read, with only well-formed entities (they assume them). */
function mentionable(activity: Activity, text: string): Partial<Activity> {
  const entities = (activity.entities ?? []).filter(
    (e) => typeof e?.type === 'string' && (e.type.toLowerCase() !== 'mention' || typeof (e as { text?: unknown }).text === 'string'),
  );
  return { text, recipient: activity.recipient, entities };
}

function mentionsBot(activity: Activity): boolean {
  const botId = activity.recipient?.id;
  if (!botId) return false;
  return TurnContext.getMentions(mentionable(activity, activity.text ?? '')).some((m) => m.mentioned?.id === botId);
}

function textWithoutBotMention(activity: Activity): string {
  const text = activity.text ?? '';
  if (!activity.recipient?.id || !mentionsBot(activity)) return text.trim();
  // removeRecipientMention edits the activity it is given: hand it a copy.
  return (TurnContext.removeRecipientMention(mentionable(activity, text)) ?? '').trim();
}
