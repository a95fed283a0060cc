/**
 * A multi-turn journey: who says what, in order, and what must follow. `{n}` in any text or pattern
 * is the journey's ticket (the requester's latest). Played by harness.ts through the real core, and a
 * subset through the real channel adapters (test/integration/journeys-*.test.ts).
 */
import type { World } from './harness.ts';

interface Checks {
  /** What the speaker got back from Guichet. */
  reply?: RegExp;
  notReply?: RegExp;
  /** Guichet said nothing back (a relayed message). */
  silent?: true;
  /** What reached the escalation card's thread during the step. */
  thread?: RegExp;
  /** Nothing reached the card's thread. */
  noThread?: true;
  /** What the requester was told out of their turn (the agent's words, "someone took it"…). */
  told?: RegExp;
  /** The journey's ticket after the step. */
  ticket?: Partial<{ status: string; priority: number; relay: string; assignee: string | null; urgency: number }>;
  /** The ticket's timeline (kind: data, one line each) after the step. */
  events?: RegExp;
  /** What the ticket's timeline must not hold (a command taken for information). */
  noEvents?: RegExp;
}

export type Step =
  | ({ user: string } & Checks)
  /** An agent: in the card's thread (default), or in their own chat with Guichet. */
  | ({ agent: string; as?: 'bruno' | 'sarah'; where?: 'thread' | 'dm' } & Checks)
  /** Something outside the chat (the clock, a direct desk call). */
  | ({ act: (world: World, journey: { number(): number; requesterId(): Promise<string> }) => Promise<void> } & Checks);

export interface Journey {
  name: string;
  lang?: 'fr' | 'en';
  /** The requester's name as the platform gives it; null: the platform gives none. */
  requesterName?: string | null;
  steps: Step[];
}
