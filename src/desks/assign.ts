/**
 * Automatic assignment of a waiting conversation inside a group: `round-robin` gives it to the next
 * present agent after the one served last; `least-loaded` to the present agent with the fewest live
 * conversations. Either way an agent at `capacity` (or away) gets nothing; nobody free: it waits.
 */
import type { AssignmentMode } from './schema.ts';

export interface AgentLoad {
  id: string;
  /** Marked available. */
  present: boolean;
  /** Conversations the agent is relaying now. */
  load: number;
}

export function pickAgent(mode: AssignmentMode, agents: AgentLoad[], capacity: number, lastAssigned?: string): string | undefined {
  if (mode === 'manual') return undefined;
  const free = agents.filter((a) => a.present && a.load < capacity).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (free.length === 0) return undefined;
  if (mode === 'least-loaded') return [...free].sort((a, b) => a.load - b.load)[0]!.id;
  // Round robin: the first free agent after the last one served (in a stable order), cycling.
  const order = [...agents].map((a) => a.id).sort();
  const start = lastAssigned ? order.indexOf(lastAssigned) + 1 : 0;
  for (let i = 0; i < order.length; i += 1) {
    const id = order[(start + i) % order.length]!;
    if (free.some((a) => a.id === id)) return id;
  }
  return undefined;
}
