/**
 * Messages Teams edits in place (a waiting user's position): sent once on the user's conversation,
 * then replaced with updateActivity. The handle is the stored conversation reference plus the
 * activity id Teams gave the message (plain JSON).
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { GuichetError, isGuichetError } from '../../core/errors.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { ChannelSender } from '../../core/ports.ts';
import { parseReference } from '../kit/reference.ts';
import { withRetry, type RetryPolicy } from '../kit/retry.ts';
import { renderForTeams } from './outbound.ts';
import { teamsRetryRules } from './sender.ts';

const referenceSchema = z.object({ serviceUrl: z.string().url(), conversation: z.object({ id: z.string().min(1) }).passthrough() }).passthrough();
const handleSchema = z.object({ reference: referenceSchema, activityId: z.string().min(1) });

export interface TeamsEditingDeps {
  adapter: CloudAdapter;
  appId: string;
  retry: RetryPolicy;
}

/** The sender with `sendEditable` and `edit`. */
export function withTeamsEditing(sender: ChannelSender, deps: TeamsEditingDeps): ChannelSender & Required<Pick<ChannelSender, 'sendEditable' | 'edit'>> {
  const failed = (what: string, conversation: string, err: unknown) =>
    isGuichetError(err) ? err : new GuichetError('teams.send-failed', `teams: ${what} in conversation "${conversation}" failed`, { cause: err });
  return {
    ...sender,
    async sendEditable(reference: unknown, message: OutboundMessage): Promise<unknown> {
      const ref = parseReference('teams', referenceSchema, reference);
      let activityId: string | undefined;
      try {
        await deps.adapter.continueConversationAsync(deps.appId, ref as unknown as Partial<ConversationReference>, async (context) => {
          activityId = (await withRetry(() => context.sendActivity(renderForTeams(message)), deps.retry, teamsRetryRules, 'sending an editable message'))?.id;
        });
      } catch (err) {
        throw failed('sending an editable message', ref.conversation.id, err);
      }
      if (!activityId) throw new GuichetError('teams.send-failed', `teams: the Bot Connector gave no activity id in conversation "${ref.conversation.id}"`);
      return { reference: ref, activityId };
    },
    async edit(handle: unknown, message: OutboundMessage): Promise<void> {
      const { reference, activityId } = parseReference('teams', handleSchema, handle, 'message handle');
      try {
        await deps.adapter.continueConversationAsync(deps.appId, reference as unknown as Partial<ConversationReference>, async (context) => {
          await withRetry(() => context.updateActivity({ ...renderForTeams(message), id: activityId, conversation: { id: reference.conversation.id } as never }), deps.retry, teamsRetryRules, 'editing a message');
        });
      } catch (err) {
        throw failed('editing a message', reference.conversation.id, err);
      }
    },
  };
}
