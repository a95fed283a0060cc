/**
 * Per-conversation state, persisted as JSON with the conversation. It is
 * validated on load: state written by an older version that no longer parses
 * is replaced by a fresh state rather than crashing the conversation.
 */
import { z } from 'zod';

export const conversationStateSchema = z.object({
  /** Language the user chose explicitly ("in English please"); wins over detection. */
  lang: z.enum(['fr', 'en']).optional(),
  /** Language of the last exchange, used when a message says nothing of its own. */
  lastLang: z.enum(['fr', 'en']).optional(),
  /** True once Guichet introduced itself in this conversation. */
  greeted: z.boolean().default(false),
});

export type ConversationState = z.output<typeof conversationStateSchema>;

export function parseState(raw: unknown): ConversationState {
  const parsed = conversationStateSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : conversationStateSchema.parse({});
}
