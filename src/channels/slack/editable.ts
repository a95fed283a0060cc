/**
 * Messages Slack edits in place (a waiting user's position): posted once with chat.postMessage, then
 * replaced with chat.update. The handle `{channel, ts}` is plain JSON, stored by whoever keeps the
 * message up to date.
 */
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { ChannelSender } from '../../core/ports.ts';
import { parseReference } from '../kit/reference.ts';
import { renderForSlack } from './outbound.ts';
import type { SlackSender } from './sender.ts';

const referenceSchema = z.union([
  z.object({ teamId: z.string(), channel: z.string().min(1), threadTs: z.string().min(1).optional() }),
  z.object({ teamId: z.string(), userId: z.string().min(1) }),
]);
const handleSchema = z.object({ channel: z.string().min(1), ts: z.string().min(1) });

/** The sender with `sendEditable` and `edit`; `openDm` finds a person's DM for {teamId, userId} references. */
export function withSlackEditing(sender: SlackSender, openDm: (teamId: string, userId: string) => Promise<string>): SlackSender & Required<Pick<ChannelSender, 'sendEditable' | 'edit'>> {
  return {
    ...sender,
    async sendEditable(reference: unknown, message: OutboundMessage): Promise<unknown> {
      const ref = parseReference('slack', referenceSchema, reference);
      const target = 'userId' in ref ? { channel: await openDm(ref.teamId, ref.userId) } : ref;
      const [ts] = await sender.post(target, [renderForSlack(message)]);
      if (!ts) throw new GuichetError('slack.send-failed', `slack: chat.postMessage to ${target.channel} returned no ts`);
      return { channel: target.channel, ts };
    },
    async edit(handle: unknown, message: OutboundMessage): Promise<void> {
      const { channel, ts } = parseReference('slack', handleSchema, handle);
      await sender.update(channel, ts, [message]);
    },
  };
}
