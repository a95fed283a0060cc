/** A Notifier that records what each user is told (tests of proactive messages). */
import type { OutboundMessage } from '../../src/core/messages.ts';
import type { Notifier } from '../../src/core/ports.ts';
import { renderPlainText } from '../../src/core/render-text.ts';

export class RecordingNotifier implements Notifier {
  readonly sent: { userId: string; messages: OutboundMessage[] }[] = [];

  async notify(userId: string, messages: OutboundMessage[]) {
    this.sent.push({ userId, messages });
    return { delivered: ['web' as const] };
  }

  /** Everything told to a user, as plain text, oldest first. */
  textsFor(userId: string): string[] {
    return this.sent.filter((s) => s.userId === userId).map((s) => s.messages.map(renderPlainText).join('\n'));
  }

  clear(): void {
    this.sent.length = 0;
  }
}
