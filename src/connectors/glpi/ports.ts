/**
 * What the GLPI connector keeps: the link from a local ticket to its GLPI ticket, the ordered list
 * of calls to GLPI and their outcome (each one delivered by a job of the job queue, which retries
 * and dead-letters it: outbox.ts), and marks of GLPI changes already applied (plus the poller's
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
  /** Failed attempts (its job's), and GLPI's words on the last one. */
  attempts: number;
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
  /** A ticket's pending items, in order (id order). */
  pendingOf(ticketNumber: number): Promise<OutboxItem[]>;
  item(key: string): Promise<OutboxItem | undefined>;
  /** Items given up on (shown to admins), newest first. */
  dead(limit: number): Promise<OutboxItem[]>;
  markDone(id: number, at: Date): Promise<void>;
  /**
   * Marks the item done and, in the same transaction, makes the job of its ticket's next pending
   * item (`next.jobKey`) due at `next.runAt` when it waits unclaimed for later; returns that job's
   * key (undefined when no item is pending). Optional: without it, the next item is run after the
   * commit only (a store that cannot reach the job table).
   */
  markDoneThen?(id: number, at: Date, next: { jobKey: (item: Pick<OutboxItem, 'key'>) => string; runAt: Date }): Promise<string | undefined>;
  /** A failed attempt, recorded for admins (the job queue decides what comes next). */
  markFailed(id: number, attempts: number, error: string): Promise<void>;
  markDead(id: number, attempts: number, error: string): Promise<void>;
  /** A dead item pending again, attempts from zero (an admin's retry). */
  revive(id: number): Promise<void>;

  /** Records `key` once: false when it was already recorded (the change was applied before). */
  mark(key: string, at: Date): Promise<boolean>;
  getValue(key: string): Promise<string | undefined>;
  setValue(key: string, value: string, at: Date): Promise<void>;
}
