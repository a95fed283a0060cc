/**
 * What the flow engine takes and gives: the context the core passes in on
 * every call, the persisted state, and the result of a step (replies plus the
 * effects the core carries out through its ports).
 *
 * The state is plain JSON (no Date, no Map): the core stores it with the
 * conversation and gives it back, possibly after a restart, to `resumeFlow`.
 */
import { z } from 'zod';
import type { Lang, Localized } from '../core/lang.ts';
import type { ArticleView, OutboundMessage } from '../core/messages.ts';
import type { KnowledgeAnswer } from '../core/ports.ts';
import type { EndOutcome, Level } from './schema.ts';

/**
 * The knowledge search's answer (the core's `KnowledgeBase.answer`): one clear
 * best article, a few close ones to choose from, or nothing.
 */
export type { KnowledgeAnswer } from '../core/ports.ts';

/** An article shown by a search node, with the search's confidence and the query that found it. */
export interface ShownArticle {
  article: ArticleView;
  /** 0..1, how sure the search is that this article answers the query. */
  confidence: number;
}

export interface Asset {
  /** CMDB tag, e.g. "LT-004211". */
  tag: string;
  /** "laptop", "desktop", "phone", "monitor", "dock"…, compared as is with a flow's asset kind. */
  kind: string;
  /** What the user recognises: "Dell Latitude 5440". */
  name: string;
}

export interface MajorIncident {
  id: string;
  serviceId: string;
  title: Localized;
  /** ISO 8601. */
  startedAt: string;
}

/** Everything a step may read besides the flow, the state and the input; passed in on every call. */
export interface FlowContext {
  lang: Lang;
  now: Date;
  /** IANA zone used to show times to the user (an outage's start); default Europe/Paris. */
  timeZone?: string;
  user: { id: string; displayName: string };
  facts: { assets: Asset[]; openMajorIncidents: MajorIncident[] };
  /** The knowledge search, synchronous (the index is in memory): the core passes `knowledge.answer`. */
  search(query: string, options: { lang: Lang; services: readonly string[] }): KnowledgeAnswer;
}

/** One line of the diagnosis: a question and its answer, advice given, or something found. */
export interface DiagnosisStep {
  node: string;
  kind: 'answer' | 'advice' | 'finding';
  /** The question asked, the advice given or what was found, in both languages. */
  text: Localized;
  answer?: Localized;
  /** ISO 8601. */
  at: string;
}

/**
 * What was tried, for the agent who takes over: every step in order, the
 * articles shown and whether they helped (null: shown, never answered), the
 * user's devices involved.
 */
export interface Diagnosis {
  steps: DiagnosisStep[];
  articles: { id: string; lang: Lang; title: string; helpful: boolean | null }[];
  assets: Asset[];
}

/** What a waiting node awaits beyond its own question. */
export type Pending =
  | { kind: 'choose-article'; query: string; options: ShownArticle[] }
  | { kind: 'confirm-article'; query: string; shown: ShownArticle }
  | { kind: 'confirm-incident'; incident: MajorIncident };

export type SlotValue = string | number;

export interface FlowState {
  flowId: string;
  flowVersion: number;
  /** The node waiting for the user's next message. */
  nodeId: string;
  slots: Record<string, SlotValue>;
  diagnosis: Diagnosis;
  /** Invalid answers in a row at this node; above the node's limit, a human is offered. */
  retries: number;
  pending: Pending | null;
  /**
   * Answers found in the first message (an error code, an asset tag), by slot: the
   * first question into such a slot takes its value instead of being asked.
   */
  prefill?: Record<string, string>;
  /** The first message was urgent (a meeting in minutes, a whole team blocked): the flow's tickets get a high urgency. */
  urgent?: boolean;
}

export interface TicketDraft {
  type: 'incident' | 'request';
  category: string;
  serviceId: string;
  impact: Level;
  urgency: Level;
  /** In the user's language. */
  title: string;
  /** The node's description, then the diagnosis as text, in the user's language. */
  description: string;
  diagnosis: Diagnosis;
  flowId: string;
  /** Who must approve before work starts; absent when nobody needs to. */
  approval?: 'manager' | 'owner';
  /** The approver named by the user (an e-mail), when the flow asks for one. */
  approver?: string;
}

/** Data the core carries out after the turn; the engine never does I/O. */
export type Effect =
  | { kind: 'create-ticket'; ticket: TicketDraft }
  | { kind: 'handoff'; reason: string; flowId: string; serviceId: string; diagnosis: Diagnosis; summary: string }
  | { kind: 'link-major-incident'; id: string }
  /** `query`: the search node's query that found the article (the core's feedback record keeps it). */
  | { kind: 'record-feedback'; articleId: string; lang: Lang; helpful: boolean; query: string }
  | { kind: 'resolved'; flowId: string; serviceId: string };

/** How a flow ended: an end node's outcome, or a handoff. */
export type FlowOutcome = EndOutcome | 'handoff';

export interface StepResult {
  /** null when the flow ended. */
  state: FlowState | null;
  replies: OutboundMessage[];
  effects: Effect[];
  /** Set when the flow ended. */
  outcome?: FlowOutcome;
}

export interface FlowInput {
  text: string;
}

const localizedJson = z.object({ fr: z.string(), en: z.string() });
const langJson = z.enum(['fr', 'en']);
const assetJson = z.object({ tag: z.string(), kind: z.string(), name: z.string() });
const shownJson = z.object({
  article: z.object({
    id: z.string(),
    lang: langJson,
    type: z.enum(['faq', 'known-error', 'procedure']),
    title: z.string(),
    markdown: z.string(),
    services: z.array(z.string()),
  }),
  confidence: z.number(),
});

/** Parses a stored state; anything that does not fit is not resumed (see resumeFlow). */
export const flowStateSchema: z.ZodType<FlowState, z.ZodTypeDef, unknown> = z.object({
  flowId: z.string(),
  flowVersion: z.number().int(),
  nodeId: z.string(),
  slots: z.record(z.union([z.string(), z.number()])),
  diagnosis: z.object({
    steps: z.array(
      z.object({
        node: z.string(),
        kind: z.enum(['answer', 'advice', 'finding']),
        text: localizedJson,
        answer: localizedJson.optional(),
        at: z.string(),
      }),
    ),
    articles: z.array(z.object({ id: z.string(), lang: langJson, title: z.string(), helpful: z.boolean().nullable() })),
    assets: z.array(assetJson),
  }),
  retries: z.number().int().min(0),
  pending: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('choose-article'), query: z.string(), options: z.array(shownJson) }),
      z.object({ kind: z.literal('confirm-article'), query: z.string(), shown: shownJson }),
      z.object({
        kind: z.literal('confirm-incident'),
        incident: z.object({ id: z.string(), serviceId: z.string(), title: localizedJson, startedAt: z.string() }),
      }),
    ])
    .nullable()
    .default(null),
  prefill: z.record(z.string()).optional(),
  urgent: z.boolean().optional(),
});
