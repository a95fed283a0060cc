/**
 * What the ticket rules need from storage, and nothing more. The desk (src/ticketing/desk/), the SLA
 * clock and major incidents decide; a `TicketRepository` only loads and saves. Implementations:
 * src/persistence/stores/tickets.ts (Prisma, SQLite or PostgreSQL) and memory-repository.ts (tests).
 *
 * A unit of work (`transaction`) is atomic: everything written through its `tx` is committed
 * together or not at all. A second write of a unique thing (a ticket's origin, a timeline event's
 * dedupe key written by two units at once) makes the whole unit fail with `ticketing.conflict`.
 */
import { GuichetError, isGuichetError } from '../core/errors.ts';
import type { NewJob } from '../core/jobs.ts';
import type { Lang, Localized } from '../core/lang.ts';
import type { ContactView, Level, MajorIncidentView, Priority, TicketStatus, TicketType, TicketView } from '../core/tickets.ts';

/** A ticket as the rules read and change it (ids, not names; dates, not ISO strings). */
export interface TicketRecord {
  id: string;
  number: number;
  type: TicketType;
  title: string;
  status: TicketStatus;
  priority: Priority;
  impact: Level;
  urgency: Level;
  serviceId: string | null;
  requesterId: string;
  assigneeId: string | null;
  groupId: string | null;
  /** Support level of the group that has it (1 … 3). */
  level: number;
  slaPolicyId: string | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseAt: Date | null;
  /** Set while the SLA clock is paused (pending user under a policy that pauses). */
  slaPausedAt: Date | null;
  /** Business minutes already added to the due times by pauses. */
  slaPausedMinutes: number;
  responseBreached: boolean;
  resolutionBreached: boolean;
  /** When the 75 % warning of a target fired (null: not yet, or re-armed by a new priority). */
  responseWarnedAt: Date | null;
  resolutionWarnedAt: Date | null;
  /** The next instant the SLA clock has work on it (sla-moment.ts); null when none. */
  nextSlaAt: Date | null;
  majorIncidentId: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

/** What a new ticket is stored with; its number comes from the repository's counter. */
export interface NewTicketRecord {
  type: TicketType;
  title: string;
  description: string;
  category: string;
  serviceId: string | null;
  impact: Level;
  urgency: Level;
  priority: Priority;
  requesterId: string;
  groupId: string | null;
  level: number;
  /** Stored only when a policy of that id exists in storage (else null). */
  slaPolicyId: string;
  responseDueAt: Date;
  resolutionDueAt: Date;
  diagnosis: unknown;
  conversationId: string | null;
  /** Unique: a second ticket with the same origin is a `ticketing.conflict`. */
  originKey: string | null;
  createdAt: Date;
}

/** Fields the rules change on a ticket. */
export type TicketChanges = Partial<
  Pick<
    TicketRecord,
    | 'status' | 'priority' | 'impact' | 'urgency' | 'assigneeId' | 'groupId' | 'level' | 'responseDueAt' | 'resolutionDueAt'
    | 'firstResponseAt' | 'slaPausedAt' | 'slaPausedMinutes' | 'responseBreached' | 'resolutionBreached' | 'majorIncidentId'
    | 'resolvedAt' | 'closedAt' | 'responseWarnedAt' | 'resolutionWarnedAt' | 'nextSlaAt'
  > & {
    resolution: string;
    knownErrorId: string;
    duplicateOfId: string;
    csatScore: number;
    csatComment: string;
  }
>;

export type ActorKind = 'user' | 'agent' | 'bot' | 'system';

/** One line of a ticket's timeline. */
export interface TicketEvent {
  kind: string;
  actorId: string | null;
  actorKind: ActorKind;
  visibility: 'public' | 'internal';
  data: Record<string, unknown>;
  at: Date;
}

export interface NewTicketEvent extends Omit<TicketEvent, 'visibility' | 'data'> {
  visibility?: 'public' | 'internal';
  data?: Record<string, unknown>;
  /** At most one event per ticket and key. */
  dedupeKey?: string;
}

export interface AuditEntry {
  actorId: string | null;
  actorKind: string;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after: unknown;
  at: Date;
}

export interface Person {
  id: string;
  displayName: string;
  email: string | null;
  department: string | null;
  jobTitle: string | null;
  vip: boolean;
  locale: Lang | null;
  managerId: string | null;
  role: 'employee' | 'agent' | 'admin';
  /** Support groups the person belongs to. */
  groupIds: string[];
}

export interface GroupRecord {
  id: string;
  name: string;
  level: number;
  managerId: string | null;
  escalatesToId: string | null;
}

/** Tickets, their timeline and the audit log. */
export interface TicketStore {
  find(number: number): Promise<TicketRecord | undefined>;
  /** The ticket as people see it (names of its requester, assignee, group and major incident). */
  view(number: number): Promise<TicketView | undefined>;
  numberByOrigin(origin: string): Promise<number | undefined>;
  /** Stores a new ticket with the next number; returns that number. */
  insert(ticket: NewTicketRecord): Promise<number>;
  /**
   * Changes a ticket; with `guard`, only while its fields still have those values
   * (false when they no longer do: someone else changed it first).
   */
  update(number: number, changes: TicketChanges, guard?: Partial<Pick<TicketRecord, 'status' | 'assigneeId'>>): Promise<boolean>;
  /** Appends a timeline event. With a dedupe key already used on the ticket: false and nothing written. */
  appendEvent(number: number, event: NewTicketEvent): Promise<boolean>;
  /**
   * Appends events to several tickets in one statement; an event whose dedupe key is already used
   * on its ticket is skipped (the SLA clock's batch of firings). Returns, in order, whether each
   * was written.
   */
  appendEvents(events: readonly (NewTicketEvent & { number: number; ticketId: string })[]): Promise<boolean[]>;
  /** Sets the same changes on several tickets in one statement (no guard, next SLA moment not re-armed: the caller stores it). */
  updateMany(numbers: readonly number[], changes: TicketChanges): Promise<number>;
  /**
   * Compare-and-set of several tickets' next SLA moments in one statement: each ticket's moment
   * becomes `next` only while it still has the moment, status and priority the clock read (`was`);
   * returns the numbers set. A ticket another instance fired, or that changed meanwhile (paused,
   * reprioritised, answered: any change of an SLA field re-arms its moment), is left alone.
   */
  claimSlaMoments(claims: readonly SlaClaim[]): Promise<number[]>;
  /** Writes jobs in the outbox: in a unit of work they commit with its changes; a key already written is skipped. Returns how many were new. */
  enqueue(jobs: readonly NewJob[], now: Date): Promise<number>;
  /** A ticket's timeline, oldest first; only public events with `publicOnly`, only these kinds with `kinds`. */
  events(number: number, filter?: { publicOnly?: boolean; kinds?: readonly string[] }): Promise<TicketEvent[]>;
  audit(entry: AuditEntry): Promise<void>;
  /** A requester's tickets, newest first; `statuses` restricts them. */
  ofRequester(requesterId: string, options: { statuses?: readonly TicketStatus[]; limit: number }): Promise<TicketView[]>;
  /** Resolved tickets of a requester, latest resolution first. */
  awaitingConfirmation(requesterId: string): Promise<TicketView[]>;
  /** Open tickets of these groups or assigned to `assigneeId` (every open ticket when `groupIds` is undefined), 200 at most. */
  queue(groupIds: readonly string[] | undefined, assigneeId: string): Promise<TicketView[]>;
  /** Open tickets whose SLA targets are not all breached (the full-scan work list of the old clock; the benchmark's peer), by number. */
  watched(): Promise<TicketRecord[]>;
  /**
   * Tickets whose next SLA moment is at or before `now`, by (nextSlaAt, number), `limit` at most,
   * after `cursor` when given (keyset paging inside one tick): the SLA clock's work list.
   */
  slaDue(now: Date, limit: number, cursor?: SlaCursor): Promise<TicketRecord[]>;
  /** Open and resolved tickets by number after `afterNumber`, `limit` at most (re-arming every next SLA moment). */
  slaTracked(afterNumber: number, limit: number): Promise<TicketRecord[]>;
  /** Resolved tickets (auto-close candidates). */
  resolved(): Promise<TicketRecord[]>;
  /** Open tickets on a service not linked to a major incident yet. */
  unlinkedOpenOn(serviceId: string): Promise<number[]>;
  /** Incident reports on a service since `since`, not linked to a major incident. */
  countRecentReports(serviceId: string, since: Date): Promise<number>;
  /** Tickets linked to a major incident (by its id): their numbers, open ones only with `openOnly`, one requester's only with `requesterId`. */
  linkedTo(incidentId: string, options: { openOnly: boolean; requesterId?: string }): Promise<{ number: number; requesterId: string }[]>;
}

/** A ticket the SLA clock is about to fire on: its moment, status and priority as read, and its next moment once fired. */
export interface SlaClaim {
  number: number;
  was: Pick<TicketRecord, 'nextSlaAt' | 'status' | 'priority'>;
  next: Date | null;
}

/** Where a tick's paging of due tickets stands: the last ticket read. */
export interface SlaCursor {
  at: Date;
  number: number;
}

/** People, support groups and services, as the desk reads them. */
export interface DeskDirectory {
  person(id: string): Promise<Person | undefined>;
  /** A person's id by e-mail (erased people excluded). */
  personByEmail(email: string): Promise<string | undefined>;
  displayNames(ids: readonly string[]): Promise<Map<string, string>>;
  group(id: string): Promise<GroupRecord | undefined>;
  /** The first group of `level` (by id). */
  groupAtLevel(level: number): Promise<GroupRecord | undefined>;
  /** Available members of a group, by id. */
  availableMembers(groupId: string): Promise<string[]>;
  service(id: string): Promise<{ id: string; groupId: string | null; criticality: string | null } | undefined>;
  /** A person's configuration items still in use, by tag, with the services they depend on. */
  assetsOf(userId: string): Promise<(ContactView['assets'][number] & { serviceIds: string[] })[]>;
  /** Everyone reachable: people with a personal conversation. */
  reachable(): Promise<string[]>;
}

export type TicketUnit = TicketStore & DeskDirectory;

/** What a new ticket's creation writes with it, built once its number is known. */
export interface OpeningWrites {
  /** Its first timeline events, in order. */
  events: NewTicketEvent[];
  audit?: AuditEntry;
  /** The change's outbox jobs (a key already written is skipped). */
  jobs: NewJob[];
}

export interface TicketRepository extends TicketUnit {
  /** Runs `work` as one unit of work (see the file's comment). */
  transaction<T>(work: (tx: TicketUnit) => Promise<T>): Promise<T>;
  /**
   * Stores a new ticket, with its next SLA moment (the caller's: no re-read) and what its creation
   * writes, as one unit of work in as few statements as the storage allows (a ticket opening is
   * on every chat turn that opens one). Returns its number; undefined, with nothing written, when
   * a ticket of the same origin exists.
   */
  open(ticket: NewTicketRecord & Pick<TicketRecord, 'nextSlaAt'>, writes: (number: number) => OpeningWrites, drawn?: number): Promise<number | undefined>;
  /**
   * Optional: the number for the next `open` (its `drawn`), drawn ahead where numbers come from a sequence, so
   * that the draw goes with the opening's first reads rather than after them. Undefined where `open` numbers
   * the ticket itself. A number drawn and not used (the opening refused, its origin taken) leaves a gap.
   */
  drawNumber?(): Promise<number> | undefined;
}

export interface IncidentRecord {
  id: string;
  number: number;
  serviceId: string;
  status: 'open' | 'resolved';
}

/** What an incident touches besides its service: the CMDB gives who is affected (incident-scope.ts). */
export interface IncidentScopeRecord {
  services: string[];
  items: string[];
  sites: string[];
}

/** Why someone hears of an incident's updates. */
export type FollowReason = 'notified' | 'follow' | 'report';

/** A personal conversation's last activity and the guide in progress there, if any. */
export interface ActiveConversation {
  userId: string;
  flowId: string | null;
  lastActivityAt: Date;
}

/** Major incidents: their rows, updates, followers and the suggestion bookkeeping. */
export interface IncidentStore {
  /** Numbers the incident from its counter, stores it and audits the declaration, in one unit. */
  declare(
    input: { serviceId: string; title: Localized; impact: MajorIncidentView['impact']; declaredById: string | null; scope?: IncidentScopeRecord; at: Date },
    audit: Omit<AuditEntry, 'entityId' | 'entity'>,
    /** Jobs of the declaration (its notices), written in the same unit (a store without a job table takes none). */
    jobsFor?: (incident: IncidentRecord) => NewJob[],
  ): Promise<IncidentRecord>;
  find(number: number): Promise<IncidentRecord | undefined>;
  view(number: number): Promise<MajorIncidentView | undefined>;
  /** Latest first, 50 at most. */
  list(status?: 'open' | 'resolved'): Promise<MajorIncidentView[]>;
  /** The latest open incident whose service or scope names `serviceId`. */
  openOn(serviceId: string): Promise<MajorIncidentView | undefined>;
  /** Stores an update with its `jobs` (its notices), in one unit. */
  addUpdate(incidentId: string, text: Localized, authorId: string | null, at: Date, jobs?: readonly NewJob[]): Promise<void>;
  /** Marks it resolved, records the resolution as its last update and audits it, with its `jobs`, in one unit. */
  resolve(incident: IncidentRecord, resolution: Localized, actor: { id: string | null; role: string }, at: Date, jobs?: readonly NewJob[]): Promise<void>;
  /**
   * Records that a major incident was suggested for a service, unless one was since `since`
   * (false then: nothing recorded).
   */
  recordSuggestion(serviceId: string, since: Date, detail: Record<string, unknown>, at: Date, jobs?: readonly NewJob[]): Promise<boolean>;
  /** Adds a follower (true), or keeps the first reason when they already follow (false). */
  follow(incidentId: string, userId: string, reason: FollowReason, at: Date): Promise<boolean>;
  /** Adds many followers at once (a declaration's audience); those who follow already keep their first reason. Absent: one `follow` each. */
  followAll?(incidentId: string, userIds: readonly string[], reason: FollowReason, at: Date): Promise<void>;
  unfollow(incidentId: string, userId: string): Promise<void>;
  followers(incidentId: string): Promise<{ userId: string; reason: FollowReason }[]>;
  /** Numbers of the incidents a person follows. */
  followedBy(userId: string): Promise<number[]>;
  /** Personal conversations active since `since`, with the guide in progress. */
  activeSince(since: Date): Promise<ActiveConversation[]>;
  /**
   * A notice held for a person (digest window, quiet hours) and its digest job, in one unit; a
   * `key` already held writes nothing. Absent: held notices live in memory (notices.ts).
   */
  holdNotice?(hold: HeldNotice & { key: string; userId: string }, job: NewJob, at: Date): Promise<void>;
  /** Takes the person's held notices not yet taken for the digest job `by`; returns those `by` holds (taken now or by its earlier attempt), oldest first. */
  claimNotices?(userId: string, by: string): Promise<HeldNotice[]>;
  /** Deletes the notices `by` took (they were sent). */
  releaseNotices?(by: string): Promise<void>;
  /** When `userId` was last told and until when their held notices wait (holdNotice records it): every instance reads the same. */
  noticeWindow?(userId: string): Promise<NoticeWindow>;
  /** Records that `userId` is told at `at`: their digest window runs from then. */
  noticeTold?(userId: string, at: Date): Promise<void>;
}

/** A person's digest window as stored (notices.ts): absent fields were never recorded. */
export interface NoticeWindow {
  toldAt?: Date;
  heldUntil?: Date;
}

/** A held notice as stored: its data (incident-outbox.ts NoticeData) and whether it is urgent. */
export interface HeldNotice {
  notice: Record<string, unknown>;
  urgent: boolean;
}

/** The unit of work failed on a unique thing written twice (see TicketStore.appendEvent). */
export const conflict = (what: string, cause?: unknown): GuichetError => new GuichetError('ticketing.conflict', `ticketing: ${what} was already written`, { cause });

export const isConflict = (err: unknown): boolean => isGuichetError(err) && err.code === 'ticketing.conflict';

/** An alert from monitoring, one per fingerprint (alerts.ts). */
export interface AlertRecord {
  id: string;
  number: number;
  fingerprint: string;
  source: string;
  serviceId: string;
  severity: string;
  summary: string;
  status: 'firing' | 'resolved';
  startsAt: Date;
  endsAt: Date | null;
  flaps: number;
  repeats: number;
  decision: 'suggested' | 'declared' | 'dismissed' | null;
  incidentNumber: number | null;
}

export type AlertPatch = Partial<Pick<AlertRecord, 'status' | 'endsAt' | 'flaps' | 'repeats' | 'decision' | 'incidentNumber' | 'severity' | 'summary'>>;

/** Monitoring alerts, numbered from a counter. */
export interface AlertStore {
  byFingerprint(fingerprint: string): Promise<AlertRecord | undefined>;
  byNumber(number: number): Promise<AlertRecord | undefined>;
  /** Stores a new alert; a concurrent twin (same fingerprint) makes it return undefined. */
  create(input: Omit<AlertRecord, 'id' | 'number' | 'flaps' | 'repeats' | 'decision' | 'incidentNumber'>): Promise<AlertRecord | undefined>;
  /** Changes an alert; `outbox`: jobs written in the same unit of work (its posts to the agents' channels). */
  update(id: string, patch: AlertPatch, outbox?: { jobs: readonly NewJob[]; at: Date }): Promise<AlertRecord>;
  /** Alerts of a service (or of an incident) in a state. */
  where(filter: { serviceId?: string; incidentNumber?: number; status?: 'firing' | 'resolved'; decision?: AlertRecord['decision'] }): Promise<AlertRecord[]>;
}
