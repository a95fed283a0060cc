/**
 * Slack's AgentChannelPoster: the escalation card posted to {teamId, channelId}, updated in place, replies in its thread (the sender's lanes).
 * Agents' replies under it are turns of the conversation `<channelId>:<ts>` (inbound.ts), hence `slackThreadKey` for the handoff.
 */
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { parseReference } from '../kit/reference.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { AgentChannelPoster } from '../../core/ports.ts';
import { renderForSlack } from './outbound.ts';
import type { SlackSender } from './sender.ts';

const slackId = z.string().regex(/^[A-Z0-9][A-Z0-9_-]{1,49}$/, 'is not a Slack id');
const channelAddressSchema = z.object({ teamId: z.string().max(50), channelId: slackId });
const postRefSchema = channelAddressSchema.extend({ ts: z.string().regex(/^\d{1,12}\.\d{1,9}$/, 'is not a Slack ts') });
type SlackPostRef = z.infer<typeof postRefSchema>;

export function createSlackAgentPoster(sender: SlackSender): AgentChannelPoster {
  return {
    channel: 'slack',

    async post(address: unknown, message: OutboundMessage): Promise<SlackPostRef> {
      const { teamId, channelId } = parseReference('slack', channelAddressSchema, address, 'agents’ channel address');
      const [ts] = await sender.post({ channel: channelId }, [renderForSlack(message)]);
      if (!ts) throw new GuichetError('slack.send-failed', `slack: chat.postMessage to ${channelId} returned no ts`);
      return { teamId, channelId, ts };
    },

    async update(post: unknown, message: OutboundMessage): Promise<void> {
      const ref = parseReference('slack', postRefSchema, post, 'post reference');
      await sender.update(ref.channelId, ref.ts, [message]);
    },

    async reply(post: unknown, messages: OutboundMessage[]): Promise<void> {
      const ref = parseReference('slack', postRefSchema, post, 'post reference');
      await sender.post({ channel: ref.channelId, threadTs: ref.ts }, messages.map(renderForSlack));
    },
  };
}

/** The conversation key of a card's thread ("slack|<teamId>|<channelId>:<ts>"), or null for another platform's post or a bad reference. */
export function slackThreadKey(post: unknown): string | null {
  const parsed = postRefSchema.safeParse(post);
  return parsed.success ? `slack|${parsed.data.teamId}|${parsed.data.channelId}:${parsed.data.ts}` : null;
}
