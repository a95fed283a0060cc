/**
 * What the desks keep: who waits for a person (the live queue), how waits ended (taken or
 * abandoned, for analytics) and the recent handling times the wait formula uses.
 * memory-queue.ts implements it for one instance.
 */
import type { Lang } from '../core/lang.ts';
import type { Waiting } from './wait.ts';

export interface QueueEntry extends Waiting {
  userId: string;
  userName: string;
  lang: Lang;
  /** The position the user was last told (updates are sent only when it changes). */
  toldPosition?: number;
  /** Asked to be called back around this time. */
  callbackAt?: Date;
  /** The message telling the position, per channel (plain JSON): edited in place at the next change where the platform allows. */
  messageRef?: unknown;
}

export type WaitOutcome = 'taken' | 'abandoned';

export interface WaitRecord {
  number: number;
  deskId: string;
  groupId: string;
  queuedAt: Date;
  endedAt: Date;
  outcome: WaitOutcome;
}

export interface QueueStore {
  /** Adds the entry; false when the ticket is already waiting (a replayed escalation). */
  add(entry: QueueEntry): Promise<boolean>;
  get(number: number): Promise<QueueEntry | undefined>;
  update(entry: QueueEntry): Promise<void>;
  /** Removes the entry and records how the wait ended; the entry, or undefined when it was not waiting. */
  end(number: number, outcome: WaitOutcome, at: Date): Promise<QueueEntry | undefined>;
  /** Everyone waiting (all desks), in no particular order. */
  waiting(): Promise<QueueEntry[]>;
  /** Ended waits since `since`. */
  history(since: Date): Promise<WaitRecord[]>;
  /** Conversations being handled: when the agent took them, to measure the handling time. */
  startHandling(number: number, groupId: string, at: Date): Promise<void>;
  /** Records the handling time (minutes) of a conversation that ended; undefined when it was not being handled. */
  endHandling(number: number, at: Date): Promise<number | undefined>;
  /** The group's last `count` handling times, minutes. */
  recentHandling(groupId: string, count: number): Promise<number[]>;
}
