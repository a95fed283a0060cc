/**
 * A flow as a graph: the edges leaving each node (with the slots set along
 * them) and the slots each node reads when it is entered. Used by the
 * load-time checks; the engine follows the same fields directly.
 */
import type { Localized } from '../core/lang.ts';
import { PLACEHOLDER, type FlowNode } from './schema.ts';

export interface Edge {
  to: string;
  /** The field that names the target ("next", "on.yes", "not-fixed", "cases[0].then"). */
  via: string;
  /** Slots that hold a value once this edge is taken. */
  sets: string[];
  /** True when the edge is only taken after a new user message (so a cycle through it cannot spin). */
  afterInput: boolean;
}

export interface SlotUse {
  slot: string;
  /** The field that reads it ("text", "title", "cases[1].if"). */
  where: string;
}

export function edgesOf(node: FlowNode): Edge[] {
  const edge = (to: string | undefined, via: string, afterInput: boolean, sets: string[] = []): Edge[] =>
    to === undefined ? [] : [{ to, via, sets, afterInput }];
  switch (node.kind) {
    case 'say':
      return edge(node.next, 'next', false);
    case 'ask':
      return [
        ...edge(node.next, 'next', true, [node.slot]),
        ...Object.entries(node.on ?? {}).flatMap(([value, to]) => edge(to, `on.${value}`, true, [node.slot])),
        ...edge(node.default, 'default', true, [node.slot]),
      ];
    case 'search':
      // With no article found, the engine goes on (to `none`, else `not-fixed`) without waiting.
      return [...edge(node.fixed, 'fixed', true), ...edge(node['not-fixed'], 'not-fixed', false), ...edge(node.none, 'none', false)];
    case 'check':
      if (node.check === 'major-incident') return [...edge(node.open, 'open', true), ...edge(node.none, 'none', false)];
      return [...edge(node.one, 'one', false, [node.slot]), ...edge(node.several, 'several', false), ...edge(node.none, 'none', false)];
    case 'branch':
      return [...node.cases.flatMap((c, i) => edge(c.then, `cases[${i}].then`, false)), ...edge(node.default, 'default', false)];
    case 'ticket':
      return edge(node.next, 'next', false);
    case 'handoff':
      return [];
    case 'end':
      return edge(node['not-fixed'], 'not-fixed', true);
  }
}

/** The `{slot}` placeholders of a text, in both languages, each once. */
export function placeholdersOf(text: Localized | undefined): string[] {
  if (!text) return [];
  const found = new Set<string>();
  for (const s of [text.fr, text.en]) for (const m of s.matchAll(PLACEHOLDER)) found.add(m[1] ?? '');
  return [...found];
}

function inText(where: string, text: Localized | undefined): SlotUse[] {
  return placeholdersOf(text).map((slot) => ({ slot, where }));
}

/** The slots a node reads when it is entered (its own `ask` slot is not one of them). */
export function usesOf(node: FlowNode): SlotUse[] {
  switch (node.kind) {
    case 'say':
      return inText('text', node.text);
    case 'ask':
      return inText('question', node.question);
    case 'search':
      return inText('query', node.query);
    case 'check':
      if (node.check === 'major-incident') return [];
      return typeof node['asset-kind'] === 'string' ? [] : [{ slot: node['asset-kind'].slot, where: 'asset-kind' }];
    case 'branch':
      return node.cases.flatMap((c, i) =>
        Object.entries(c.if)
          .filter(([, cond]) => !(typeof cond === 'object' && !Array.isArray(cond) && 'set' in cond))
          .map(([slot]) => ({ slot, where: `cases[${i}].if` })),
      );
    case 'ticket':
      return [
        ...inText('title', node.title),
        ...inText('description', node.description),
        ...inText('text', node.text),
        ...(node.approver ? [{ slot: node.approver, where: 'approver' }] : []),
      ];
    case 'handoff':
      return [...inText('reason', node.reason), ...inText('text', node.text)];
    case 'end':
      return [...inText('text', node.text), ...inText('question', node.question)];
  }
}

/** Every slot a node names, read or written (for "unknown slot" checks). */
export function slotsNamedBy(node: FlowNode): SlotUse[] {
  const uses = usesOf(node);
  const branchSet = node.kind === 'branch' ? node.cases.flatMap((c, i) => Object.keys(c.if).map((slot) => ({ slot, where: `cases[${i}].if` }))) : [];
  if (node.kind === 'ask') return [...uses, { slot: node.slot, where: 'slot' }];
  if (node.kind === 'check' && node.check === 'user-assets') return [...uses, { slot: node.slot, where: 'slot' }];
  return [...uses, ...branchSet.filter((b) => !uses.some((u) => u.slot === b.slot && u.where === b.where))];
}
