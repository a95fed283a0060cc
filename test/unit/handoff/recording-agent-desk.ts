/**
 * The real agents' desk on the in-memory repository (test/helpers/memory-ticket-desk.ts), wrapped so
 * that handoff's unit tests can see which of the desk's verbs handoff called, by whom, with what text.
 * Methods can still be replaced on it (to make the desk refuse).
 */
import type { AgentDesk, Viewer } from '../../../src/core/tickets.ts';

export interface Recorded {
  verb: string;
  number: number;
  by: string;
  text?: string;
}

/** Desk method → recorded verb; `recordAction` records the action's own name. */
const VERBS: Record<string, string> = { take: 'take', reply: 'reply', addNote: 'note', resolve: 'resolve', assign: 'assign', setPriority: 'priority', escalateLevel: 'escalate', setStatus: 'status' };

export function recordingAgentDesk<D extends AgentDesk>(desk: D): { desk: D; done: Recorded[] } {
  const done: Recorded[] = [];
  const wrapped = new Proxy(desk, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property === 'recordAction') {
        return (actor: Viewer, action: string, number: number, ...rest: unknown[]) => {
          done.push({ verb: action, number, by: actor.id });
          return method.call(target, actor, action, number, ...rest);
        };
      }
      const verb = VERBS[property];
      if (!verb) return method.bind(target);
      return async (number: number, actor: Viewer, text?: unknown, ...rest: unknown[]) => {
        const result = await method.call(target, number, actor, text, ...rest);
        done.push({ verb, number, by: actor.id, ...(typeof text === 'string' ? { text } : {}) });
        return result;
      };
    },
  });
  return { desk: wrapped, done };
}
