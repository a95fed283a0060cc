/**
 * Agents' channels in Teams: the escalation card starts a new thread in a
 * channel (createConversation with the channel's id), is updated in place
 * (updateActivity) and the relay replies in its thread. The post reference is
 * plain JSON — the thread's conversation id ("19:…@thread.tacv2;messageid=…")
 * and the root activity id — stored with the ticket. Every call goes through
 * the Bot Connector retry policy (429, 412, 502, 504 with back-off).
 */
import type { Activity, CloudAdapter, ConversationParameters, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { AgentChannelPoster } from '../../core/ports.ts';
import { renderForTeams } from './outbound.ts';
import { parseReference } from '../kit/reference.ts';
import { withRetry, type RetryPolicy } from '../kit/retry.ts';
import { deliver, teamsRetryRules } from './sender.ts';

/** Where an agents' channel is (GroupChannel.address for platform "teams"). */
export const teamsChannelAddressSchema = z.object({
  serviceUrl: z.string().url(),
  tenantId: z.string().min(1).max(100),
  /** The channel's id, "19:…@thread.tacv2". */
  channelId: z.string().min(1).max(300),
});

export const teamsPostSchema = z.object({
  serviceUrl: z.string().url(),
  tenantId: z.string(),
  /** The thread: "<channelId>;messageid=<root activity id>". */
  conversationId: z.string().min(1),
  activityId: z.string().min(1),
});

export type TeamsPost = z.output<typeof teamsPostSchema>;

/** The key inbound messages of a card's thread carry ("teams|tenant|conversation id"), for the relay. */
export function teamsThreadKey(post: unknown): string | null {
  const parsed = teamsPostSchema.safeParse(post);
  return parsed.success ? threadKeyOf(parsed.data.tenantId, parsed.data.conversationId) : null;
}

/** The key of a channel thread (its conversation id, `19:…;messageid=<root>`), as the posts' keys are made. */
export const threadKeyOf = (tenantId: string, conversationId: string): string => `teams|${tenantId}|${conversationId}`;

export interface TeamsPosterDeps {
  adapter: CloudAdapter;
  appId: string;
  retry: RetryPolicy;
}

export function createTeamsPoster(deps: TeamsPosterDeps): AgentChannelPoster {
  const reference = (post: TeamsPost): Partial<ConversationReference> => ({
    channelId: 'msteams',
    serviceUrl: post.serviceUrl,
    conversation: { id: post.conversationId, isGroup: true, conversationType: 'channel', tenantId: post.tenantId, name: '' },
    ...(deps.appId ? { bot: { id: deps.appId, name: 'Guichet' } } : {}),
  });

  return {
    channel: 'teams',
    async post(address: unknown, message: OutboundMessage): Promise<TeamsPost> {
      const where = parseReference('teams', teamsChannelAddressSchema, address, 'agents’ channel address', 'teams.invalid-address');
      const parameters = {
        isGroup: true,
        bot: { id: deps.appId, name: 'Guichet' },
        tenantId: where.tenantId,
        channelData: { channel: { id: where.channelId }, tenant: { id: where.tenantId } },
        activity: renderForTeams(message) as Activity,
        members: [],
      } as unknown as ConversationParameters;
      let conversationId = '';
      await withRetry(
        () =>
          deps.adapter.createConversationAsync(deps.appId, 'msteams', where.serviceUrl, '', parameters, async (context) => {
            conversationId = context.activity.conversation.id;
          }),
        deps.retry,
        teamsRetryRules,
        'posting an escalation card',
      );
      // Teams names a channel thread "<channel>;messageid=<id of its first message>".
      const activityId = /;messageid=([^;]+)$/.exec(conversationId)?.[1];
      if (!activityId) throw new GuichetError('teams.post-failed', `teams: the new thread "${conversationId}" does not name its first message`);
      return { serviceUrl: where.serviceUrl, tenantId: where.tenantId, conversationId, activityId };
    },
    async update(post: unknown, message: OutboundMessage): Promise<void> {
      const p = parseReference('teams', teamsPostSchema, post, 'post reference', 'teams.invalid-address');
      await deps.adapter.continueConversationAsync(deps.appId, reference(p), (context) =>
        withRetry(() => context.updateActivity({ ...renderForTeams(message), id: p.activityId, conversation: { id: p.conversationId } as never }), deps.retry, teamsRetryRules, 'updating an escalation card').then(() => undefined),
      );
    },
    async reply(post: unknown, messages: OutboundMessage[]): Promise<void> {
      const p = parseReference('teams', teamsPostSchema, post, 'post reference', 'teams.invalid-address');
      await deps.adapter.continueConversationAsync(deps.appId, reference(p), (context) => deliver(context, messages.map(renderForTeams), deps.retry));
    },
  };
}
