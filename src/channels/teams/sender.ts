/**
 * Sending to Teams: replies within a turn and proactive messages to a stored
 * conversation reference. Activities go out one by one, in order, each with
 * the retry policy, so a throttled second message never resends the first.
 */
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { GuichetError, isGuichetError } from '../../core/errors.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { ChannelSender } from '../../core/ports.ts';
import { renderForTeams } from './outbound.ts';
import { withRetry, type RetryPolicy } from './retry.ts';

/** Sends `activities` in order on the turn's conversation; throws GuichetError('teams.send-failed'). */
export async function deliver(context: TurnContext, activities: Partial<Activity>[], retry: RetryPolicy): Promise<void> {
  for (const [i, activity] of activities.entries()) {
    await withRetry(() => context.sendActivity(activity), retry, `sending message ${i + 1} of ${activities.length}`);
  }
}

/** What a stored reference needs for botbuilder to reach the conversation (other fields pass through). */
const referenceSchema = z
  .object({
    serviceUrl: z.string().url(),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
  })
  .passthrough();

export interface TeamsSenderDeps {
  adapter: CloudAdapter;
  /** The bot's Microsoft app id ("" when auth is off, in development and tests). */
  appId: string;
  retry: RetryPolicy;
}

export function createTeamsSender(deps: TeamsSenderDeps): ChannelSender {
  return {
    channel: 'teams',
    async send(reference: unknown, messages: OutboundMessage[]): Promise<void> {
      const parsed = referenceSchema.safeParse(reference);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new GuichetError(
          'teams.invalid-reference',
          `teams: cannot send to this conversation reference: "${issue?.path.join('.') ?? ''}" ${issue?.message ?? 'is invalid'}`,
        );
      }
      const activities = messages.map(renderForTeams);
      try {
        await deps.adapter.continueConversationAsync(deps.appId, parsed.data as unknown as Partial<ConversationReference>, (context) =>
          deliver(context, activities, deps.retry),
        );
      } catch (err) {
        if (isGuichetError(err)) throw err;
        throw new GuichetError('teams.send-failed', `teams: proactive send to conversation "${parsed.data.conversation.id}" failed`, { cause: err });
      }
    },
  };
}
