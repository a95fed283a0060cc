/**
 * What the GLPI connector keeps: the link from a local ticket to its GLPI ticket, the outbox of
 * calls to GLPI not yet delivered, and marks of GLPI changes already applied (plus the poller's
 * cursor). Implementations: src/persistence/stores/glpi.ts (Prisma) and memory-store.ts (tests).
 */
export interface GlpiLink {
  ticketNumber: number;
  glpiId: number | null;
  /** "[guichet:<hash>]": written in the GLPI ticket, found again after a lost answer. */
  marker: string;
  /** The ITILSolution waiting for the requester's answer. */
  solutionId: number | null;
}

export type OutboxKind = 'create-ticket' | 'followup' | 'document' | 'solution-answer';

export interface OutboxItem {
  id: number;
  key: string;
  ticketNumber: number;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
}

export interface GlpiStore {
  /** Creates the link unless the ticket has one; returns the ticket's link. */
  ensureLink(ticketNumber: number, marker: string): Promise<GlpiLink>;
  link(ticketNumber: number): Promise<GlpiLink | undefined>;
  linkByGlpiId(glpiId: number): Promise<GlpiLink | undefined>;
  /** Links that reached GLPI (glpiId set). */
  linked(): Promise<GlpiLink[]>;
  setLink(ticketNumber: number, changes: Partial<Pick<GlpiLink, 'glpiId' | 'solutionId'>>): Promise<void>;

  /** Adds an item unless one with this key exists (false then: nothing written). */
  enqueue(item: { key: string; ticketNumber: number; kind: OutboxKind; payload: Record<string, unknown> }, at: Date): Promise<boolean>;
  /** Pending items, oldest first (id order). */
  pending(limit: number): Promise<OutboxItem[]>;
  /** Items given up on (shown to admins), newest first. */
  dead(limit: number): Promise<OutboxItem[]>;
  /**
   * Takes a due pending item for one delivery: true when this caller got it (its next attempt is
   * moved to `leaseUntil`, so another process leaves it alone until then, or until it is marked).
   */
  claim(id: number, dueBy: Date, leaseUntil: Date): Promise<boolean>;
  markDone(id: number, at: Date): Promise<void>;
  markRetry(id: number, attempts: number, nextAttemptAt: Date, error: string): Promise<void>;
  markDead(id: number, attempts: number, error: string): Promise<void>;
  /** A dead item pending again, attempts from zero (an admin's retry). */
  revive(id: number, at: Date): Promise<void>;

  /** Records `key` once: false when it was already recorded (the change was applied before). */
  mark(key: string, at: Date): Promise<boolean>;
  getValue(key: string): Promise<string | undefined>;
  setValue(key: string, value: string, at: Date): Promise<void>;
}
