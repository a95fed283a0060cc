/**
 * Per-conversation state, persisted as JSON with the conversation. It is
 * validated on load: state written by an older version that no longer parses
 * is replaced by a fresh state rather than crashing the conversation.
 */
import { z } from 'zod';
import { inboundFileSchema } from './messages.ts';

export const conversationStateSchema = z.object({
  /** Language the user chose explicitly ("in English please"); wins over detection. */
  lang: z.enum(['fr', 'en']).optional(),
  /** Language of the last exchange, used when a message says nothing of its own. */
  lastLang: z.enum(['fr', 'en']).optional(),
  /** True once Guichet introduced itself in this conversation. */
  greeted: z.boolean().default(false),
  /** The dialog flow in progress (owned by src/flows, validated there with flowStateSchema). */
  flow: z.unknown().optional(),
  /** Files the user sent that wait for the next ticket of this conversation (kept a while, see handle-turn). */
  heldFiles: z.array(inboundFileSchema.extend({ at: z.string() })).optional(),
  /**
   * When the conversation's last turn was answered (ISO time): a question the desk asked since (a ticket's
   * "is it fixed?", an agent's question) is more recent than what that turn left pending.
   */
  lastTurnAt: z.string().optional(),
  /**
   * The second of two problems in one message ("le VPN ne marche pas et Outlook plante"): the guide to start
   * once the first one is over, with the words that named it; `offered` once "shall we look at it?" was asked.
   */
  nextProblem: z.object({ flow: z.string(), text: z.string(), offered: z.boolean() }).optional(),
  /** True once the user was told not to share passwords (a secret was masked in this conversation; told once). */
  secretWarned: z.boolean().optional(),
  /** What the ticket conversation module waits for (owned by src/ticketing/chat.ts, validated there). */
  ticketChat: z.unknown().optional(),
  /** What the directory module waits for (a confirmation, a one-time code; owned by src/directory/chat.ts, validated there). */
  directory: z.unknown().optional(),
  /** What Guichet's last message asked for, so that the next one can answer it. */
  pending: z
    .discriminatedUnion('kind', [
      /** "Did this fix it?" after an article. */
      z.object({ kind: z.literal('article-feedback'), articleId: z.string(), lang: z.enum(['fr', 'en']), query: z.string() }),
      /** "Which of these?" after close articles. */
      z.object({
        kind: z.literal('article-choice'),
        query: z.string(),
        options: z.array(z.object({ id: z.string(), lang: z.enum(['fr', 'en']), title: z.string() })),
      }),
      /** Nothing good was found: a ticket or a person was offered for `query` ("agent" next hands it over). */
      z.object({ kind: z.literal('offer-help'), query: z.string() }),
      /**
       * In a flow, a message that seemed to ask something else: "leave this guide?" was asked.
       * `target` is the flow to start, or null for the knowledge answer; `text` is the message;
       * `accepted`: the flow could take it as its answer (it is, if the user stays).
       */
      z.object({ kind: z.literal('leave-flow'), target: z.string().nullable(), text: z.string(), accepted: z.boolean() }),
    ])
    .optional(),
});

export type ConversationState = z.output<typeof conversationStateSchema>;

export function parseState(raw: unknown): ConversationState {
  const parsed = conversationStateSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : conversationStateSchema.parse({});
}
