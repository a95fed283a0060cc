/**
 * Proactive messages to web chat visitors: the web has no push, so they are
 * appended to the visitor's conversation (kind "proactive"), where the page
 * picks them up (GET /api/web/notices, polled) and the history shows them.
 */
import { GuichetError } from '../../core/errors.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import type { ChannelSender, Clock, ConversationKey } from '../../core/ports.ts';

/** `conversations` appends to a stored transcript (the core's conversation store). */
export function createWebSender(conversations: { appendProactive(key: ConversationKey, messages: OutboundMessage[], at: Date): Promise<boolean> }, clock: Clock): ChannelSender {
  return {
    channel: 'web',
    async send(reference: unknown, messages: OutboundMessage[]): Promise<void> {
      const ref = (reference ?? {}) as { tenantId?: unknown; externalId?: unknown };
      const tenantId = ref.tenantId === 'portal' ? 'portal' : '';
      if (typeof ref.externalId !== 'string' || !ref.externalId) throw new GuichetError('web.invalid-reference', 'web: a web conversation reference names its conversation');
      const stored = await conversations.appendProactive({ channel: 'web', tenantId, externalId: ref.externalId }, messages, clock.now());
      if (!stored) throw new GuichetError('web.no-conversation', 'web: the visitor has no conversation any more');
    },
  };
}
