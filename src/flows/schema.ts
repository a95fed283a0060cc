/**
 * The zod schema of a flow file (`dialogs/<id>.yml`), the contract written in
 * dialogs/README.md. Keys are the YAML keys, kebab-case included
 * (`node['not-fixed']`), so the types read like the files.
 *
 * The schema checks the shape of one file; what needs the whole graph
 * (targets, reachability, slots set before use, loops) is in check-flow.ts.
 */
import { z } from 'zod';
import type { Localized } from '../core/lang.ts';

/** Node names are kebab-case, slot names snake_case (they appear as `{slot}` placeholders). */
export const NODE_NAME = /^[a-z][a-z0-9-]*$/;
export const SLOT_NAME = /^[a-z][a-z0-9_]*$/;
/** Placeholders in texts, queries and ticket templates. */
export const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;
/** Slots every flow has: the message that started the flow. */
export const BUILTIN_SLOTS = ['utterance'] as const;
/** How many example utterances per language train the intent classifier, at least. */
export const MIN_EXAMPLES = 10;

const text = z.string({ invalid_type_error: 'expected text' }).trim().min(1, 'is empty');
const nodeRef = z.string({ invalid_type_error: 'expected a node name' }).regex(NODE_NAME, 'expected a kebab-case node name');
const slotRef = z.string({ invalid_type_error: 'expected a slot name' }).regex(SLOT_NAME, 'expected a snake_case slot name');

/** Reports each missing language as its own issue: "missing en translation". */
function requireTranslations(v: { fr?: string | undefined; en?: string | undefined }, ctx: z.RefinementCtx): void {
  for (const lang of ['fr', 'en'] as const) {
    if (v[lang] === undefined) ctx.addIssue({ code: 'custom', path: [lang], message: `missing ${lang} translation` });
  }
}

/** A user-facing text, `{fr, en}`, both required. */
export const localized = z
  .object({ fr: text.optional(), en: text.optional() }, { invalid_type_error: 'expected {fr, en} texts' })
  .strict()
  .superRefine(requireTranslations)
  .transform((v) => v as Localized);

const option = z
  .object({ fr: text.optional(), en: text.optional(), also: z.array(text).optional() }, { invalid_type_error: 'expected {fr, en} labels' })
  .strict()
  .superRefine(requireTranslations)
  .transform((v) => v as Localized & { also?: string[] });
export type SlotOption = z.output<typeof option>;

const regex = text.refine(
  (s) => {
    try {
      new RegExp(s, 'u');
      return true;
    } catch {
      return false; // reported as the issue below; the regex error itself adds nothing for an author
    }
  },
  { message: 'not a valid regular expression' },
);

/** Common to every slot: the text shown before re-asking after an invalid answer. */
const slotBase = { error: localized.optional() };
/** Free-form slots may be `optional`: "I don't know" / "aucun" is then accepted and stored as `none`. */
const freeBase = { ...slotBase, optional: z.boolean().default(false) };

export const slotSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('yes-no'), ...slotBase }).strict(),
    z
      .object({
        type: z.literal('choice'),
        options: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'option values are kebab-case'), option).refine((o) => Object.keys(o).length >= 2, {
          message: 'a choice needs at least 2 options',
        }),
        ...slotBase,
      })
      .strict(),
    z
      .object({ type: z.literal('text'), min: z.number().int().min(1).default(1), max: z.number().int().min(1).max(4000).default(1000), ...freeBase })
      .strict(),
    z.object({ type: z.literal('asset-tag'), pattern: regex.optional(), kind: text.optional(), ...freeBase }).strict(),
    z.object({ type: z.literal('email'), ...freeBase }).strict(),
    z.object({ type: z.literal('number'), min: z.number().optional(), max: z.number().optional(), ...freeBase }).strict(),
    z.object({ type: z.literal('error-code'), pattern: regex.optional(), ...freeBase }).strict(),
  ],
  { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? 'expected yes-no, choice, text, asset-tag, email, number or error-code' : ctx.defaultError }) },
);
export type SlotDef = z.output<typeof slotSchema>;
export type SlotType = SlotDef['type'];

const IMPACTS = ['low', 'medium', 'high'] as const;
export type Level = (typeof IMPACTS)[number];
export const TICKET_TYPES = ['incident', 'request'] as const;
export const APPROVALS = ['manager', 'owner'] as const;
export const END_OUTCOMES = ['resolved', 'ticket', 'cancelled', 'major-incident'] as const;
export type EndOutcome = (typeof END_OUTCOMES)[number];

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** A branch condition on one slot: a value, any of a list, `{not}`, `{set}` or a number range. */
const condition = z.union([
  scalar,
  z.array(scalar).min(1),
  z.object({ not: z.union([scalar, z.array(scalar).min(1)]) }).strict(),
  z.object({ set: z.boolean() }).strict(),
  z.object({ min: z.number().optional(), max: z.number().optional() }).strict(),
]);
export type Condition = z.output<typeof condition>;

const say = z.object({ kind: z.literal('say'), text: localized, next: nodeRef }).strict();
const ask = z
  .object({
    kind: z.literal('ask'),
    slot: slotRef,
    question: localized,
    next: nodeRef.optional(),
    on: z.record(nodeRef).optional(),
    default: nodeRef.optional(),
    retries: z.number().int().min(0).max(5).default(2),
  })
  .strict()
  .superRefine((n, ctx) => {
    if ((n.next === undefined) === (n.on === undefined)) ctx.addIssue({ code: 'custom', message: 'an ask needs either next or on (not both)' });
    if (n.default !== undefined && n.on === undefined) ctx.addIssue({ code: 'custom', path: ['default'], message: 'default only goes with on' });
  });
const search = z
  .object({
    kind: z.literal('search'),
    query: localized,
    services: z.array(text).min(1).optional(),
    fixed: nodeRef,
    'not-fixed': nodeRef,
    none: nodeRef.optional(),
  })
  .strict();
const majorIncident = z
  .object({ kind: z.literal('check'), check: z.literal('major-incident'), service: text.optional(), open: nodeRef, none: nodeRef })
  .strict();
const userAssets = z
  .object({
    kind: z.literal('check'),
    check: z.literal('user-assets'),
    'asset-kind': z.union([text, z.object({ slot: slotRef }).strict()]),
    slot: slotRef,
    one: nodeRef,
    several: nodeRef.optional(),
    none: nodeRef,
  })
  .strict();
const branch = z
  .object({
    kind: z.literal('branch'),
    cases: z.array(z.object({ if: z.record(slotRef, condition).refine((c) => Object.keys(c).length > 0, 'empty condition'), then: nodeRef }).strict()).min(1),
    default: nodeRef,
  })
  .strict();
const ticket = z
  .object({
    kind: z.literal('ticket'),
    title: localized,
    description: localized,
    type: z.enum(TICKET_TYPES).optional(),
    category: text.optional(),
    impact: z.enum(IMPACTS).optional(),
    urgency: z.enum(IMPACTS).optional(),
    approval: z.enum(APPROVALS).optional(),
    approver: slotRef.optional(),
    text: localized.optional(),
    next: nodeRef,
  })
  .strict()
  .refine((n) => n.approver === undefined || n.approval !== undefined, { path: ['approver'], message: 'approver only goes with approval' });
const handoff = z.object({ kind: z.literal('handoff'), reason: localized, text: localized.optional() }).strict();
const end = z
  .object({
    kind: z.literal('end'),
    outcome: z.enum(END_OUTCOMES),
    text: localized.optional(),
    question: localized.optional(),
    'not-fixed': nodeRef.optional(),
  })
  .strict()
  .superRefine((n, ctx) => {
    if (n.outcome === 'resolved' && n['not-fixed'] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['not-fixed'], message: 'an end: resolved needs not-fixed (where to go when the user says it still fails)' });
    }
    for (const key of ['question', 'not-fixed'] as const) {
      if (n.outcome !== 'resolved' && n[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} only goes with outcome resolved` });
    }
  });

export type SayNode = z.output<typeof say>;
export type AskNode = z.output<typeof ask>;
export type SearchNode = z.output<typeof search>;
export type MajorIncidentNode = z.output<typeof majorIncident>;
export type UserAssetsNode = z.output<typeof userAssets>;
export type CheckNode = MajorIncidentNode | UserAssetsNode;
export type BranchNode = z.output<typeof branch>;
export type TicketNode = z.output<typeof ticket>;
export type HandoffNode = z.output<typeof handoff>;
export type EndNode = z.output<typeof end>;
export type FlowNode = SayNode | AskNode | SearchNode | CheckNode | BranchNode | TicketNode | HandoffNode | EndNode;
export type NodeKind = FlowNode['kind'];

/** A zod message, with "Required" said the way the other messages are. */
export function messageOf(issue: z.ZodIssue): string {
  return issue.code === 'invalid_type' && issue.received === 'undefined' ? 'required' : issue.message;
}

/**
 * Picks the schema by the value of `key` (zod 3 cannot nest discriminated
 * unions, and `check` nodes are discriminated again by `check`).
 */
function byKey(key: string, schemas: Record<string, z.ZodTypeAny>): z.ZodType<FlowNode, z.ZodTypeDef, unknown> {
  return z.unknown().transform((value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'expected a node (a mapping with kind)' });
      return z.NEVER;
    }
    const tag = (value as Record<string, unknown>)[key];
    const schema = typeof tag === 'string' ? schemas[tag] : undefined;
    if (!schema) {
      ctx.addIssue({ code: 'custom', path: [key], message: `expected one of ${Object.keys(schemas).join(', ')} (got ${JSON.stringify(tag) ?? 'nothing'})` });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as FlowNode;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: messageOf(issue) });
    return z.NEVER;
  });
}

const check = byKey('check', { 'major-incident': majorIncident, 'user-assets': userAssets });
export const nodeSchema = byKey('kind', { say, ask, search, check, branch, ticket, handoff, end });

const examples = z.array(text).superRefine((list, ctx) => {
  if (list.length < MIN_EXAMPLES) ctx.addIssue({ code: 'custom', message: `${list.length} examples, at least ${MIN_EXAMPLES} needed` });
});

export const flowSchema = z
  .object({
    id: z.string({ required_error: 'required' }).regex(NODE_NAME, 'expected a kebab-case flow id'),
    version: z.number({ required_error: 'required' }).int('expected a whole number').min(1),
    title: localized,
    service: text,
    'ticket-defaults': z
      .object({ type: z.enum(TICKET_TYPES), category: text, impact: z.enum(IMPACTS), urgency: z.enum(IMPACTS) })
      .strict(),
    examples: z.object({ fr: examples, en: examples }).strict(),
    slots: z.record(slotRef, slotSchema).default({}),
    start: nodeRef,
    nodes: z.record(nodeRef, nodeSchema).refine((n) => Object.keys(n).length > 0, 'a flow needs nodes'),
  })
  .strict();

/** A loaded flow: the file's content and where it came from. */
export type Flow = z.output<typeof flowSchema> & { file: string };
