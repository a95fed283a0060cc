/**
 * What the portal reads and writes besides the desk (`TicketDesk`, core/tickets.ts), the
 * knowledge base and the article store: who signs in, what changed for the live updates, and the
 * admin console's read-only views of the queue and the configuration. Implemented on the database
 * in src/persistence/stores/{sessions,portal}.ts; in memory in memory-ports.ts.
 */
import type { Lang } from '../core/lang.ts';
import type { TicketStatus, Viewer } from '../core/tickets.ts';

export type PortalRole = Viewer['role'];

/** A person who may sign in to the portal (erased people are nobody). */
export interface PortalPerson {
  id: string;
  displayName: string;
  role: PortalRole;
  locale: Lang | null;
}

/** A person as an OpenID Connect provider names them. */
export interface IssuerIdentity {
  issuer: string;
  subject: string;
  email?: string;
  name?: string;
  locale?: Lang;
}

/** The people who sign in, and the identities that tie them to the portal's chat and to an OIDC issuer. */
export interface PortalPeople {
  person(id: string): Promise<PortalPerson | undefined>;
  idByEmail(email: string): Promise<string | undefined>;
  /** The portal chat speaks for this person: their web identity "portal/<user id>" (idempotent). */
  linkPortalChat(userId: string): Promise<void>;
  /** The person known at this issuer, else the oldest one with this e-mail, else a new employee; their issuer identity recorded. */
  findOrCreateByIssuer(who: IssuerIdentity): Promise<PortalPerson>;
  setRole(userId: string, role: PortalRole): Promise<void>;
}

/** A stored portal session: the cookie holds a random token, the store only its SHA-256 (`id`). */
export interface StoredSession {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Portal sessions kept on the server, so that signing out ends them everywhere. */
export interface PortalSessionStore {
  create(session: { id: string; userId: string; at: Date; expiresAt: Date }): Promise<void>;
  find(id: string): Promise<StoredSession | undefined>;
  /** Records a request at `at` (the idle timeout counts from the last one). */
  touch(id: string, at: Date): Promise<void>;
  /** Ends it (idempotent). */
  revoke(id: string, at: Date): Promise<void>;
}

/** What the live updates watch. */
export interface PortalActivity {
  /** A stamp that changes whenever one of the requester's tickets or any major incident changes. */
  changeStamp(requesterId: string): Promise<string>;
}

/** A ticket of the queue, with the SLA facts the queue page shows. */
export interface QueueRow {
  number: number;
  title: string;
  priority: number;
  status: TicketStatus;
  group: string | null;
  assignee: string | null;
  /** The requester's name and e-mail (the queue's search finds them). */
  requester: string;
  requesterEmail: string | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  warned: boolean;
  paused: boolean;
  resolutionDueAt: Date | null;
}

export interface GroupRow {
  id: string;
  name: string;
  level: number;
  escalatesTo: string | null;
  members: { displayName: string; available: boolean }[];
}

export interface PolicyRow {
  name: string;
  calendarId: string;
  /** Per priority ("1"…"5"): response and resolution targets in business minutes. */
  targets: Record<string, { responseMinutes: number; resolutionMinutes: number } | undefined>;
}

export interface CalendarRow {
  name: string;
  timeZone: string;
  holidays: number;
}

/** The admin console's read-only views of the desk. */
export interface DeskOverview {
  /** Open tickets (new, assigned, in progress, pending user), of one group or all, most urgent first (at most 200). */
  openTickets(groupId?: string): Promise<QueueRow[]>;
  /** Support groups, lowest level first, with members and escalation. */
  groups(): Promise<GroupRow[]>;
  policies(): Promise<PolicyRow[]>;
  calendars(): Promise<CalendarRow[]>;
}
