/**
 * Proactive messages: reaches a user on the channels where they talked to
 * Guichet, through each channel's sender. A channel that fails does not stop
 * the others; the caller learns where the message arrived.
 */
import { OutboundChannels } from './channel-contract.ts';
import { GuichetError } from './errors.ts';
import type { Channel, OutboundMessage } from './messages.ts';
import type { ChannelSender, ConversationStore, EditHandles, Notifier } from './ports.ts';

/**
 * Notifies for a job: a message that no channel took (it failed on every channel the person is
 * reachable at) is thrown, so the job retries it. A person with no channel at all is not a failure:
 * there is nowhere to retry to. `what` names the message in the error.
 */
export async function notifyOrThrow(notifier: Notifier, userId: string, messages: OutboundMessage[], what: string): Promise<void> {
  const { delivered, failed = [] } = await notifier.notify(userId, messages);
  if (delivered.length === 0 && failed.length > 0) throw new GuichetError('jobs.not-delivered', `${what} to ${userId} reached no channel (${failed.join(', ')})`);
}

/** `senders` is read at each notification: channels registered after the notifier was built are used. */
export function createNotifier(
  conversations: Pick<ConversationStore, 'reachableAt'>,
  senders: OutboundChannels | readonly ChannelSender[],
  onError: (channel: Channel, err: unknown) => void = () => {},
): Notifier {
  const channels = senders instanceof OutboundChannels ? senders : new OutboundChannels(senders.map((sender) => ({ sender })));
  return {
    async notify(userId: string, messages: OutboundMessage[]) {
      const delivered: Channel[] = [];
      const failed: Channel[] = [];
      for (const { channel, reference } of await conversations.reachableAt(userId)) {
        const sender = channels.sender(channel);
        if (!sender || delivered.includes(channel)) continue;
        try {
          await sender.send(reference, messages);
          delivered.push(channel);
        } catch (err) {
          failed.push(channel);
          onError(channel, err);
        }
      }
      return failed.length > 0 ? { delivered, failed } : { delivered };
    },
    async notifyInPlace(userId: string, message: OutboundMessage, previous: EditHandles = {}) {
      const handles: EditHandles = {};
      for (const { channel, reference } of await conversations.reachableAt(userId)) {
        const sender = channels.sender(channel);
        if (!sender || channel in handles) continue;
        try {
          const before = previous[channel];
          if (before !== undefined && sender.edit) {
            await sender.edit(before, message);
            handles[channel] = before;
          } else if (sender.sendEditable) {
            handles[channel] = await sender.sendEditable(reference, message);
          } else {
            await sender.send(reference, [message]);
            handles[channel] = null;
          }
        } catch (err) {
          onError(channel, err);
        }
      }
      return handles;
    },
  };
}
