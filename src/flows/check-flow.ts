/**
 * The checks that need a whole flow rather than one field: targets exist,
 * every node is reachable from `start`, every slot is declared and set on
 * every path before it is read, answers routed by `on` and branch values fit
 * their slot, services exist, and no cycle can spin without a user message.
 */
import { BUILTIN_SLOTS, type Condition, type Flow, type FlowNode, type SlotDef } from './schema.ts';
import { edgesOf, slotsNamedBy, usesOf, type Edge } from './graph.ts';

export interface FlowProblem {
  file: string;
  /** The node at fault, or null for the flow as a whole. */
  node: string | null;
  problem: string;
}

export function describeProblem(p: FlowProblem): string {
  return p.node === null ? `${p.file}: ${p.problem}` : `${p.file}: node "${p.node}": ${p.problem}`;
}

type Parsed = Omit<Flow, 'file'>;

export function checkFlow(flow: Parsed, file: string, serviceIds: ReadonlySet<string>): FlowProblem[] {
  const out: FlowProblem[] = [];
  const add = (node: string | null, problem: string) => out.push({ file, node, problem });
  const nodes = new Map(Object.entries(flow.nodes));

  if (!serviceIds.has(flow.service)) add(null, `unknown service "${flow.service}" (known: ${[...serviceIds].join(', ')})`);
  if (!nodes.has(flow.start)) add(null, `start: unknown target node "${flow.start}"`);
  for (const name of Object.keys(flow.slots)) {
    if ((BUILTIN_SLOTS as readonly string[]).includes(name)) add(null, `slots.${name}: "${name}" is built in and cannot be declared`);
  }
  for (const [name, node] of nodes) {
    for (const e of edgesOf(node)) if (!nodes.has(e.to)) add(name, `${e.via}: unknown target node "${e.to}"`);
    for (const p of checkSlots(node, flow.slots)) add(name, p);
    for (const s of servicesOf(node)) if (!serviceIds.has(s)) add(name, `unknown service "${s}"`);
  }
  if (!nodes.has(flow.start)) return out;

  const reachable = reachableFrom(flow.start, nodes, () => true);
  for (const name of nodes.keys()) if (!reachable.has(name)) add(name, `unreachable from start "${flow.start}"`);
  for (const [name, node] of nodes) {
    if (!reachable.has(name)) continue;
    for (const use of usesOf(node)) {
      if (!declared(use.slot, flow.slots)) continue; // reported as unknown above
      if ((BUILTIN_SLOTS as readonly string[]).includes(use.slot)) continue;
      const path = pathWithout(flow.start, name, use.slot, nodes);
      if (path) add(name, `${use.where}: slot "${use.slot}" may be used before it is set (path: ${path.join(' → ')})`);
    }
  }
  for (const cycle of spinningCycles(nodes)) add(cycle[0] ?? null, `loop without any user message: ${cycle.join(' → ')}`);
  return out;
}

function declared(slot: string, slots: Record<string, SlotDef>): boolean {
  return slot in slots || (BUILTIN_SLOTS as readonly string[]).includes(slot);
}

function servicesOf(node: FlowNode): string[] {
  if (node.kind === 'search') return node.services ?? [];
  if (node.kind === 'check' && node.check === 'major-incident' && node.service) return [node.service];
  return [];
}

/** Slot declarations and the values that `on` and branches compare with them. */
function checkSlots(node: FlowNode, slots: Record<string, SlotDef>): string[] {
  const out: string[] = [];
  for (const use of slotsNamedBy(node)) {
    if (!declared(use.slot, slots)) out.push(`${use.where}: unknown slot "${use.slot}"`);
  }
  if (node.kind === 'ask') {
    const def = slots[node.slot];
    if ((BUILTIN_SLOTS as readonly string[]).includes(node.slot)) out.push(`slot: "${node.slot}" is built in and cannot be asked`);
    if (def && node.on) out.push(...checkRoutes(node.on, node.default !== undefined, def));
  }
  if (node.kind === 'check' && node.check === 'user-assets') {
    const def = slots[node.slot];
    if (def && def.type !== 'asset-tag') out.push(`slot: "${node.slot}" is a ${def.type} slot, user-assets needs an asset-tag slot`);
  }
  if (node.kind === 'branch') {
    node.cases.forEach((c, i) => {
      for (const [slot, cond] of Object.entries(c.if)) {
        const def = slots[slot];
        if (def) out.push(...checkCondition(cond, def).map((p) => `cases[${i}].if.${slot}: ${p}`));
      }
    });
  }
  return out;
}

/** The values a slot can hold, when they are a closed list. */
function valuesOf(def: SlotDef): string[] | null {
  if (def.type === 'yes-no') return ['yes', 'no'];
  if (def.type === 'choice') return Object.keys(def.options);
  return null;
}

function checkRoutes(on: Record<string, string>, hasDefault: boolean, def: SlotDef): string[] {
  const values = valuesOf(def);
  if (!values) return [`on: a ${def.type} slot has no fixed answers to route on (use next and a branch)`];
  const out = Object.keys(on)
    .filter((v) => !values.includes(v))
    .map((v) => `on.${v}: "${v}" is not an answer of this slot (answers: ${values.join(', ')})`);
  const missing = values.filter((v) => !(v in on));
  if (missing.length > 0 && !hasDefault) out.push(`on: no route for ${missing.join(', ')} and no default`);
  return out;
}

function checkCondition(cond: Condition, def: SlotDef): string[] {
  if (typeof cond === 'object' && !Array.isArray(cond)) {
    if ('set' in cond) return [];
    if ('not' in cond) return checkValues(cond.not, def);
    return def.type === 'number' ? [] : [`min/max only apply to number slots (this is a ${def.type} slot)`];
  }
  return checkValues(cond, def);
}

function checkValues(values: string | number | boolean | (string | number | boolean)[], def: SlotDef): string[] {
  const allowed = valuesOf(def);
  const list = Array.isArray(values) ? values : [values];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === 'boolean') out.push(`${v} is not a slot value (write yes or no)`);
    else if (allowed && !allowed.includes(String(v))) out.push(`"${v}" is not an answer of this slot (answers: ${allowed.join(', ')})`);
  }
  return out;
}

function reachableFrom(start: string, nodes: Map<string, FlowNode>, follow: (e: Edge, from: string) => boolean): Map<string, string | null> {
  const parent = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const node = nodes.get(name);
    if (!node) continue;
    for (const e of edgesOf(node)) {
      if (parent.has(e.to) || !nodes.has(e.to) || !follow(e, name)) continue;
      parent.set(e.to, name);
      queue.push(e.to);
    }
  }
  return parent;
}

/** A path from start to `target` along which `slot` is never set, or null when every path sets it. */
function pathWithout(start: string, target: string, slot: string, nodes: Map<string, FlowNode>): string[] | null {
  const parent = reachableFrom(start, nodes, (e) => !e.sets.includes(slot));
  if (!parent.has(target)) return null;
  const path: string[] = [];
  for (let at: string | null | undefined = target; at; at = parent.get(at)) path.unshift(at);
  return path;
}

/** Cycles made only of edges taken without a user message (the engine would spin on them). */
function spinningCycles(nodes: Map<string, FlowNode>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    stack.push(name);
    const node = nodes.get(name);
    for (const e of node ? edgesOf(node) : []) {
      if (e.afterInput || !nodes.has(e.to)) continue;
      if (state.get(e.to) === 'open') cycles.push([...stack.slice(stack.indexOf(e.to)), e.to]);
      else if (!state.has(e.to)) visit(e.to);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of nodes.keys()) if (!state.has(name)) visit(name);
  return cycles;
}
