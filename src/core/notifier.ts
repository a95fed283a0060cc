/**
 * Proactive messages: reaches a user on the channels where they talked to
 * Guichet, through each channel's sender. A channel that fails does not stop
 * the others; the caller learns where the message arrived.
 */
import { OutboundChannels } from './channel-contract.ts';
import type { Channel, OutboundMessage } from './messages.ts';
import type { ChannelSender, ConversationStore, Notifier } from './ports.ts';

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
      for (const { channel, reference } of await conversations.reachableAt(userId)) {
        const sender = channels.sender(channel);
        if (!sender || delivered.includes(channel)) continue;
        try {
          await sender.send(reference, messages);
          delivered.push(channel);
        } catch (err) {
          onError(channel, err);
        }
      }
      return { delivered };
    },
  };
}
