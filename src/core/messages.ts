/**
 * The message vocabulary between channels and the core.
 *
 * Channels translate platform input into an `InboundMessage` and render each
 * `OutboundMessage` for their platform. Renderers are declared as
 * `satisfies OutboundRenderers<…>`, so adding a type here fails to compile
 * until every channel renders it.
 */
import { z } from 'zod';
import type { Lang } from './lang.ts';
import type { CardAction, EscalationView, MajorIncidentView, TicketView } from './tickets.ts';

export const CHANNELS = ['web', 'teams', 'slack', 'terminal'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Longest user text the core keeps; longer input is cut (the rest is dropped, with a marker). */
export const MAX_TEXT_LENGTH = 8_000;

// Files live in files.ts (tickets.ts needs them without the message vocabulary); re-exported for channels.
export { fileLine, inboundFileSchema, MAX_FILES, quotedNames, validFiles, type InboundFile } from './files.ts';
import { inboundFileSchema, MAX_FILES } from './files.ts';

export const inboundMessageSchema = z.object({
  channel: z.enum(CHANNELS),
  /** The platform's id for this delivery (Slack event_id, Teams activity id, web client id): a retry carries the same one. */
  deliveryId: z.string().min(1).max(200),
  /** Teams tenant or Slack workspace; "" where the platform has none. */
  tenantId: z.string().max(200).default(''),
  user: z.object({
    externalId: z.string().min(1).max(200),
    displayName: z.string().max(200).optional(),
    email: z.string().max(320).optional(),
    /** Platform locale ("fr-FR", "en-US"), a hint only. */
    locale: z.string().max(35).optional(),
    timeZone: z.string().max(64).optional(),
  }),
  conversation: z.object({
    externalId: z.string().min(1).max(500),
    kind: z.enum(['personal', 'group', 'channel']).default('personal'),
    /** Platform conversation reference, stored for proactive messages (JSON). */
    reference: z.unknown().optional(),
  }),
  /** A language the user picked in the channel's own UI (terminal --lang, a web toggle); wins over detection. */
  lang: z.enum(['fr', 'en']).optional(),
  /** What the user typed (mentions of the bot already removed by the channel). */
  text: z.string().optional(),
  /** Files sent with the message (references on the platform). */
  files: z.array(inboundFileSchema).max(MAX_FILES).optional(),
  /** A button or card submit: `verb` names the action, `data` its fields (untrusted). */
  action: z.object({ verb: z.string().min(1).max(100), data: z.record(z.unknown()).default({}) }).optional(),
});

export type InboundMessage = z.input<typeof inboundMessageSchema>;
export type ParsedInbound = z.output<typeof inboundMessageSchema>;

/** A button: pressing it sends `value` back as if the user had typed it. */
export interface Choice {
  label: string;
  value: string;
}

/** A knowledge article as shown to a user (already in their language, or the fallback one). */
export interface ArticleView {
  id: string;
  lang: 'fr' | 'en';
  type: 'faq' | 'known-error' | 'procedure';
  title: string;
  /** Guichet's trusted Markdown: for a known error the workaround first, then the body. */
  markdown: string;
  services: string[];
}

/**
 * What Guichet says. `text` is plain text from users or the bot (renderers
 * escape it); `markdown` is Guichet's own trusted content (help, articles),
 * rendered as restricted Markdown (no raw HTML, no scripted links).
 */
export type OutboundMessage =
  | { type: 'text'; text: string }
  | { type: 'markdown'; markdown: string }
  | { type: 'choices'; text: string; choices: Choice[] }
  /** A knowledge answer; `confidence` (0..1) is the estimated probability that it is the right one. */
  | { type: 'article'; article: ArticleView; confidence: number }
  /** One ticket's summary card (status, assignee, next step, SLA due); `actions` are buttons under it. */
  | { type: 'ticket'; ticket: TicketView; lang: Lang; timeZone?: string; actions?: CardAction[] }
  /** A list of tickets ("my tickets", an agent's queue); `title` says which. */
  | { type: 'tickets'; title: string; tickets: TicketView[]; lang: Lang; timeZone?: string }
  /** A major incident announcement, update or resolution. */
  | { type: 'incident'; incident: MajorIncidentView; lang: Lang; timeZone?: string }
  /** The agents' escalation card (posted once per ticket, then updated in place). */
  | { type: 'escalation'; escalation: EscalationView; lang: Lang; timeZone?: string }
  /** The one-question satisfaction survey after a confirmed fix: 1–5 buttons (action verb "ticket.rate"). */
  | { type: 'survey'; ticketNumber: number; question: string; lang: Lang };

export type OutboundType = OutboundMessage['type'];

/** One renderer per outbound type, each receiving its own message shape. */
export type OutboundRenderers<R> = {
  [T in OutboundType]: (message: Extract<OutboundMessage, { type: T }>) => R;
};

/** Renders a message with a complete renderer table. */
export function renderWith<R>(renderers: OutboundRenderers<R>, message: OutboundMessage): R {
  const render = renderers[message.type] as (m: OutboundMessage) => R;
  return render(message);
}
