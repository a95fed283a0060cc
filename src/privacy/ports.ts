/**
 * Personal data (GDPR, issue #19): what an export holds, what an erasure did, and the store that does
 * both and applies the retention periods. Implemented on Prisma in src/persistence/stores/privacy.ts.
 */
import type { Lang } from '../core/lang.ts';
import type { Clock } from '../core/ports.ts';
import type { RetentionPeriods } from './retention.ts';

/** Who asked for an export or an erasure: recorded in the audit log. */
export interface PrivacyActor {
  /** The admin's user id; null for the command line. */
  id: string | null;
  kind: 'admin' | 'system';
  /** "portal" or "cli". */
  via: 'portal' | 'cli';
}

/** A person found by id or e-mail. */
export interface PrivacySubject {
  id: string;
  displayName: string;
  email: string | null;
}

/** Everything Guichet holds about one person, as exported (JSON). Dates are ISO strings. */
export interface PersonalDataExport {
  exportedAt: string;
  profile: Record<string, unknown>;
  identities: Array<Record<string, unknown>>;
  groups: Array<Record<string, unknown>>;
  assets: Array<Record<string, unknown>>;
  /** Their conversations with Guichet, each with its transcript. */
  conversations: Array<Record<string, unknown> & { messages: Array<Record<string, unknown>> }>;
  /** What they wrote in other conversations (an agents' thread, a group chat). */
  otherMessages: Array<Record<string, unknown>>;
  /** Tickets they asked for, with their public timeline. */
  tickets: Array<Record<string, unknown> & { events: Array<Record<string, unknown>> }>;
  /** What they wrote or did on tickets (comments, information added, notes as an agent). */
  ticketEvents: Array<Record<string, unknown>>;
  /** Answer ratings and satisfaction scores. */
  ratings: Array<Record<string, unknown>>;
  /** Questions no article answered (knowledge gaps) they asked. */
  gaps: Array<Record<string, unknown>>;
  /** Audit entries they made or that are about them (directory actions, role changes, exports, erasures). */
  audit: Array<Record<string, unknown>>;
  /** Major incidents they declared. */
  incidents: Array<Record<string, unknown>>;
  /** Their portal sessions: when each began, was last used, ends or was ended; never the session's token or its hash. */
  sessions: Array<{ createdAt: string; lastSeenAt: string; expiresAt: string; revokedAt: string | null }>;
  /** Abuse-limit counts kept under their id or e-mail (the key says which limit). */
  rateLimits: Array<{ key: string; points: number; expire: string | null }>;
}

/** What an erasure did (no personal data: it is audited). */
export interface ErasureReport {
  userId: string;
  tombstone: string;
  ticketsKept: number;
  messagesDeleted: number;
  conversationsDeleted: number;
  identitiesDeleted: number;
  gapsDeleted: number;
  ratingsAnonymised: number;
  /** Portal sessions deleted: a cookie taken before the erasure no longer signs anyone in. */
  sessionsDeleted: number;
  /** Abuse-limit counts keyed by their id, e-mail or web visitor id, deleted. */
  rateLimitsDeleted: number;
  /** Rows elsewhere (other transcripts, ticket timelines, audit, outbox) where their name or e-mail was replaced. */
  mentionsScrubbed: number;
  /** Jobs (the outbox's, and pg-boss's on PostgreSQL) that carried their id or their tickets' messages: done ones deleted, the others' id replaced. */
  jobsScrubbed: number;
}

/** How many rows each kind lost to retention in one run. */
export type RetentionReport = Record<string, number>;

export interface PrivacyStore {
  /** The person with this id or e-mail (not already erased). */
  find(idOrEmail: string): Promise<PrivacySubject | undefined>;
  /** Their data, as JSON; the export is audited. */
  exportData(userId: string, actor: PrivacyActor, at: Date): Promise<PersonalDataExport>;
  /** Erases them, keeping their tickets under `tombstone`; audited. */
  erase(userId: string, actor: PrivacyActor, tombstone: string, at: Date): Promise<ErasureReport>;
  /** Deletes what is older than its retention period at `now`. */
  applyRetention(now: Date, periods: RetentionPeriods): Promise<RetentionReport>;
}

/** What the admin console's privacy page is given by the composition root. */
export interface PrivacyAdmin {
  store: PrivacyStore;
  periods: RetentionPeriods;
  /** The language of tombstones written in the database (DEFAULT_LOCALE). */
  defaultLang: Lang;
  clock: Clock;
}
