/**
 * Drives whole conversations through the core the way a channel would:
 * `await chat.user('bonjour'); expect(chat.lastText()).toMatch(/Bonjour/)`.
 */
import { handleTurn, type CoreDeps, type TurnResult } from '../../src/core/handle-turn.ts';
import type { Lang } from '../../src/core/lang.ts';
import { MemoryConversationStore, MemoryUserDirectory } from '../../src/core/memory-stores.ts';
import type { Channel, OutboundMessage } from '../../src/core/messages.ts';
import type { Clock } from '../../src/core/ports.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { detectLanguage } from '../../src/nlu/language.ts';

export class FakeClock implements Clock {
  constructor(private current = new Date('2026-11-23T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function memoryDeps(overrides: Partial<CoreDeps> = {}): CoreDeps {
  return {
    users: new MemoryUserDirectory(),
    conversations: new MemoryConversationStore(),
    language: { detect: detectLanguage },
    clock: new FakeClock(),
    defaultLang: 'fr',
    ...overrides,
  };
}

export class FakeChannel {
  readonly results: TurnResult[] = [];
  private sequence = 0;

  constructor(
    readonly deps: CoreDeps = memoryDeps(),
    readonly who: { externalId: string; displayName?: string; locale?: string } = { externalId: 'u-alice', displayName: 'Alice Martin' },
    readonly channel: Channel = 'web',
  ) {}

  /** Sends what the user typed; `deliveryId` lets a test resend the same delivery. */
  async user(text: string, options: { deliveryId?: string; lang?: Lang } = {}): Promise<TurnResult> {
    this.sequence += 1;
    const result = await handleTurn(this.deps, {
      channel: this.channel,
      deliveryId: options.deliveryId ?? `d-${this.who.externalId}-${this.sequence}`,
      user: this.who,
      conversation: { externalId: `c-${this.who.externalId}`, kind: 'personal' },
      text,
      lang: options.lang,
    });
    this.results.push(result);
    return result;
  }

  lastReplies(): OutboundMessage[] {
    return this.results.at(-1)?.replies ?? [];
  }

  /** All replies of the last turn as plain text, one per line. */
  lastText(): string {
    return this.lastReplies().map(renderPlainText).join('\n');
  }
}
