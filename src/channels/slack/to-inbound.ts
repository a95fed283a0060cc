/** A Slack turn → the core's InboundMessage: who (user and profile), where (conversation and the reference for proactive messages), what. */
import { GuichetError } from '../../core/errors.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { SlackTurn } from './inbound.ts';

/** What users.info tells of a user (directory.ts): hints for the core's user record. */
export type Profile = Omit<InboundMessage['user'], 'externalId'>;

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
    ...(t.action ? { action: t.action } : { text: t.text }),
    ...(t.files?.length ? { files: t.files } : {}),
  };
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
