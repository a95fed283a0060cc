import { describe, expect, it } from 'vitest';
import { pickAgent, type AgentLoad } from '../../../src/desks/assign.ts';

const agents: AgentLoad[] = [
  { id: 'a', present: true, load: 2 },
  { id: 'b', present: true, load: 0 },
  { id: 'c', present: false, load: 0 },
  { id: 'd', present: true, load: 1 },
];

describe('automatic assignment', () => {
  it('manual assigns nobody', () => {
    expect(pickAgent('manual', agents, 2)).toBeUndefined();
  });

  it('least loaded: the present agent with the fewest conversations, under capacity', () => {
    expect(pickAgent('least-loaded', agents, 2)).toBe('b');
    expect(pickAgent('least-loaded', agents.map((a) => (a.id === 'b' ? { ...a, load: 2 } : a)), 2)).toBe('d');
  });

  it('round robin: the next free agent after the last one served, skipping the away and the full', () => {
    expect(pickAgent('round-robin', agents, 2)).toBe('b'); // a is at capacity
    expect(pickAgent('round-robin', agents, 2, 'b')).toBe('d'); // c is away
    expect(pickAgent('round-robin', agents, 2, 'd')).toBe('b'); // cycles past a (full)
    expect(pickAgent('round-robin', agents, 3, 'd')).toBe('a');
  });

  it('nobody free: the conversation waits', () => {
    expect(pickAgent('round-robin', agents.map((a) => ({ ...a, present: false })), 2)).toBeUndefined();
    expect(pickAgent('least-loaded', agents, 0)).toBeUndefined();
  });
});
