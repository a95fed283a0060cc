/**
 * What agents say to Guichet, in French or English, and what their card
 * buttons send. Typed commands are parsed here; button data comes back from
 * the platform untrusted and is validated with zod. Whether the person may do
 * it is decided later, on the server, from the database (never from here).
 *
 *   my queue | ma file                     next | suivant
 *   ticket #1042                           take #1042 | prendre 1042
 *   note #1042: text | note 1042 : texte   reassign #1042 to bruno@… | réassigner 1042 à …
 *   resolve #1042: text | résoudre …       escalate #1042 L2 | escalader 1042 niveau 3
 *   priority #1042 P2 | priorité 1042 P2   hand back #1042 | rendre 1042 au bot
 *   available | disponible                 away | absent
 */
import { firstIssue } from '../core/zod-issue.ts';
import { z } from 'zod';
import { fold } from '../core/commands.ts';
import type { Level } from '../core/tickets.ts';

export type AgentCommand =
  | { kind: 'queue' }
  | { kind: 'next' }
  | { kind: 'show'; number: number }
  | { kind: 'take'; number: number }
  | { kind: 'note'; number: number; text: string }
  | { kind: 'reassign'; number: number; to: string }
  | { kind: 'resolve'; number: number; resolution?: string }
  | { kind: 'escalate'; number: number; level: 2 | 3 }
  | { kind: 'priority'; number: number; impact: Level; urgency: Level }
  | { kind: 'handback'; number: number }
  | { kind: 'add-faq'; number: number }
  | { kind: 'availability'; available: boolean }
  /** The agent needs something from the requester: the ticket waits (and its SLA clock pauses, per policy). */
  | { kind: 'ask'; number: number; question: string }
  /** An agent opens a ticket for someone (a phone call, a walk-in). */
  | { kind: 'open-for'; requester: string; text: string };

const NUMBER = String.raw`(?:(?:le\s+)?ticket\s+)?(?:n[°o]\s*)?#?(\d{1,9})(?!\d)`;
const SEP = String.raw`\s*(?::|—|-)?\s*`;

/** Priority P1–P5 as the impact × urgency pair that gives it in the default matrix. */
const PRIORITY_PAIRS: Record<string, [Level, Level]> = { '1': [1, 1], '2': [1, 2], '3': [2, 2], '4': [2, 3], '5': [3, 3] };

/**
 * Typed agent commands. Free text after a colon keeps its case and accents
 * (it is shown to people); the command words are matched folded.
 */
export function parseAgentCommand(text: string): AgentCommand | undefined {
  const raw = text.trim();
  const folded = fold(raw);
  if (/^(?:my queue|ma file(?: d'? ?attente)?|mes tickets a traiter|queue|file)$/.test(folded)) return { kind: 'queue' };
  if (/^(?:next|next ticket|suivant|ticket suivant|prochain ticket)$/.test(folded)) return { kind: 'next' };
  if (/^(?:available|i'?m available|disponible|je suis disponible|dispo)$/.test(folded)) return { kind: 'availability', available: true };
  if (/^(?:away|unavailable|not available|absent|indisponible|je suis absent|pas disponible|i'?m away)$/.test(folded)) return { kind: 'availability', available: false };

  const withNumber = (verbs: string, rest = ''): RegExpExecArray | null => new RegExp(`^(?:${verbs})\\s+${NUMBER}${rest}$`, 'iu').exec(raw);
  let m: RegExpExecArray | null;
  if ((m = withNumber('ticket|show|voir|afficher'))) return { kind: 'show', number: Number(m[1]) };
  if ((m = withNumber('take|prendre|je prends'))) return { kind: 'take', number: Number(m[1]) };
  if ((m = withNumber('hand ?back|give back|rendre(?: la main)?', String.raw`(?:\s+(?:to the bot|au bot|à guichet|a guichet))?`))) return { kind: 'handback', number: Number(m[1]) };
  if ((m = withNumber('add to faq|ajouter à la faq|ajouter a la faq|faq'))) return { kind: 'add-faq', number: Number(m[1]) };
  if ((m = withNumber('note|internal note|note interne', `${SEP}([\\s\\S]+)`))) return { kind: 'note', number: Number(m[1]), text: m[2]!.trim() };
  if ((m = withNumber('ask|ask the user|demander|demander à l’utilisateur|demander a l\'utilisateur', `${SEP}([\\s\\S]+)`))) return { kind: 'ask', number: Number(m[1]), question: m[2]!.trim() };
  m = /^(?:open a ticket for|create a ticket for|ouvrir un ticket pour|créer un ticket pour|creer un ticket pour)\s+(\S+@\S+)\s*[:—-]\s*([\s\S]+)$/iu.exec(raw);
  if (m) return { kind: 'open-for', requester: m[1]!, text: m[2]!.trim() };
  if ((m = withNumber('resolve|résoudre|resoudre|résolu|resolu', `${SEP}([\\s\\S]+)`))) return { kind: 'resolve', number: Number(m[1]), resolution: m[2]!.trim() };
  if ((m = withNumber('resolve|résoudre|resoudre'))) return { kind: 'resolve', number: Number(m[1]) };
  if ((m = withNumber('reassign|assign|réassigner|reassigner|assigner', String.raw`\s+(?:to|à|a)\s+(\S+)`))) return { kind: 'reassign', number: Number(m[1]), to: m[2]! };
  if ((m = withNumber('escalate|escalader', String.raw`\s+(?:to\s+|au\s+|à\s+|a\s+)?(?:l|level\s*|niveau\s*|n)([23])`))) return { kind: 'escalate', number: Number(m[1]), level: Number(m[2]) as 2 | 3 };
  if ((m = withNumber('priority|priorité|priorite', String.raw`\s+p([1-5])`))) {
    const [impact, urgency] = PRIORITY_PAIRS[m[2]!]!;
    return { kind: 'priority', number: Number(m[1]), impact, urgency };
  }
  return undefined;
}

const number = z.coerce.number().int().positive().max(999_999_999);
const level = z.coerce.number().int().min(1).max(3).transform((n) => n as Level);
const text = z.string().trim().min(1).max(4_000);

/** Card buttons: verb → the shape of its data. */
const ACTIONS = {
  'ticket.take': z.object({ number }).transform((d): AgentCommand => ({ kind: 'take', number: d.number })),
  'ticket.handback': z.object({ number }).transform((d): AgentCommand => ({ kind: 'handback', number: d.number })),
  'ticket.add-faq': z.object({ number }).transform((d): AgentCommand => ({ kind: 'add-faq', number: d.number })),
  'ticket.resolve': z
    .object({ number, resolution: text.optional() })
    .transform((d): AgentCommand => ({ kind: 'resolve', number: d.number, ...(d.resolution ? { resolution: d.resolution } : {}) })),
  'ticket.note': z.object({ number, text }).transform((d): AgentCommand => ({ kind: 'note', number: d.number, text: d.text })),
  'ticket.assign': z.object({ number, to: z.string().trim().min(1).max(320) }).transform((d): AgentCommand => ({ kind: 'reassign', number: d.number, to: d.to })),
  'ticket.escalate': z.object({ number, level: z.coerce.number().int().min(2).max(3) }).transform((d): AgentCommand => ({ kind: 'escalate', number: d.number, level: d.level as 2 | 3 })),
  'ticket.priority': z.object({ number, impact: level, urgency: level }).transform((d): AgentCommand => ({ kind: 'priority', number: d.number, impact: d.impact, urgency: d.urgency })),
} as const;

export type AgentActionVerb = keyof typeof ACTIONS;
export const AGENT_ACTION_VERBS = Object.keys(ACTIONS) as AgentActionVerb[];

export type ParsedAction = { ok: true; command: AgentCommand } | { ok: false; problem: string } | undefined;

/** A card button's action: undefined when the verb is not an agent action, an error when its data is wrong. */
export function parseAgentAction(action: { verb: string; data: Record<string, unknown> }): ParsedAction {
  const schema = ACTIONS[action.verb as AgentActionVerb];
  if (!schema) return undefined;
  const parsed = schema.safeParse(action.data);
  if (parsed.success) return { ok: true, command: parsed.data };
  const { field, message } = firstIssue(parsed.error);
  return { ok: false, problem: `${action.verb}: "${field}" ${message}` };
}
