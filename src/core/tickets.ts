/**
 * Tickets as the core and the channels see them: read models shown to users
 * and agents, and the `TicketDesk` port through which conversations create and
 * follow tickets, and `AgentDesk`, the desk as agents use it. The ticketing
 * domain (src/ticketing/) implements both; the core never touches tickets any other way.
 *
 * Dates are ISO 8601 strings so that views can be stored in transcripts and
 * replayed to a retried delivery unchanged.
 */
import type { NewJob } from './jobs.ts';
import type { Lang, Localized } from './lang.ts';
import type { InboundFile } from './files.ts';
import type { AuthzRole } from './authorization.ts';

export const TICKET_STATUSES = ['new', 'assigned', 'in-progress', 'pending-user', 'resolved', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_TYPES = ['incident', 'request'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** 1 high … 3 low. */
export type Level = 1 | 2 | 3;
/** P1 … P5. */
export type Priority = 1 | 2 | 3 | 4 | 5;

export interface PersonRef {
  id: string;
  displayName: string;
}

/** A ticket as its requester (and agents) see it in chat. */
export interface TicketView {
  number: number;
  /** The number the system of record gives it, shown first on cards ("GLPI 57" when GLPI is); absent when Guichet is. */
  reference?: string;
  type: TicketType;
  title: string;
  /** What the requester wrote, then the diagnosis record as text (shown to agents and on the ticket page). */
  description?: string;
  status: TicketStatus;
  priority: Priority;
  impact: Level;
  urgency: Level;
  category: string;
  serviceId: string | null;
  requester: PersonRef;
  assignee: PersonRef | null;
  group: { id: string; name: string; level: number } | null;
  /** SLA due times (ISO), null when no policy applies or the target was met. */
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  /** True while the SLA clock is paused (pending user, when the policy says so). */
  slaPaused: boolean;
  responseBreached: boolean;
  resolutionBreached: boolean;
  majorIncident: { number: number; title: Localized } | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** Set once resolved: what the agent did. */
  resolution: string | null;
}

/** One public line of a ticket's timeline, as the requester may see it. */
export interface TicketEventView {
  kind: string;
  actorKind: 'user' | 'agent' | 'bot' | 'system';
  actorName: string | null;
  visibility: 'public' | 'internal';
  /** Plain text summary in the viewer's language. */
  text: string;
  at: string;
  /** Files attached by this event (links on the platform they were sent on). */
  files?: InboundFile[];
}

export interface MajorIncidentView {
  number: number;
  serviceId: string;
  title: Localized;
  impact: 'high' | 'medium' | 'low';
  status: 'open' | 'resolved';
  startedAt: string;
  resolvedAt: string | null;
  /** Latest update first. */
  updates: { text: Localized; at: string }[];
  /** What it touches besides its service (CI tags, sites, other services), when it was declared with a scope. */
  scope?: { services: string[]; items: string[]; sites: string[] };
}

/** A button on a card: sends an inbound `action` with this verb and data (untrusted when it comes back). */
export interface CardAction {
  label: string;
  verb: string;
  data: Record<string, string | number>;
  style?: 'primary' | 'danger';
}

/** What an agent needs about the requester (DESIGN: contact record). */
export interface ContactView {
  user: PersonRef & { email: string | null; department: string | null; jobTitle: string | null; vip: boolean; locale: Lang | null };
  assets: { tag: string; kind: string; name: string; status: string }[];
  services: string[];
  openTickets: Pick<TicketView, 'number' | 'title' | 'status' | 'priority'>[];
  recentTickets: Pick<TicketView, 'number' | 'title' | 'status' | 'priority'>[];
}

/** The escalation card posted to a support group's agents' channel, updated in place. */
export interface EscalationView {
  ticket: TicketView;
  contact: ContactView;
  /** Diagnosis record as Guichet's restricted Markdown (steps, answers, articles and outcome). */
  diagnosisMarkdown: string;
  suggestedKnownErrors: { id: string; title: string }[];
  /** The latest files the requester attached (links on the platform they were sent on). */
  files?: InboundFile[];
  /** "queued" (nobody has it yet), "live" (an agent is relaying), "bot" (handed back). */
  relay: 'queued' | 'live' | 'bot';
  actions: CardAction[];
}

export interface NewTicket {
  type: TicketType;
  title: string;
  description: string;
  category: string;
  serviceId?: string | null;
  /** The support group that receives it, instead of the service's (security tickets → the security team). */
  groupId?: string | null;
  impact: Level;
  urgency: Level;
  requesterId: string;
  /** The flow's diagnosis record (validated by src/ticketing), or null. */
  diagnosis?: unknown;
  conversationId?: string | null;
  /** "channel:deliveryId" of the message that asked for it: creating twice with one origin returns the first ticket. */
  origin?: string | null;
  createdBy: { id: string | null; kind: 'user' | 'agent' | 'bot' };
  /** Service requests that need approval before work starts. */
  approval?: 'manager' | 'owner';
  approver?: string;
  /** Files the requester sent (screenshots, logs) to attach to it. */
  files?: InboundFile[];
}

/** A ticket and what a person is to it (requester, agent of its group…), for the authorization table. */
export interface TicketAccess {
  ticket: TicketView;
  roles: AuthzRole[];
}

export interface Viewer {
  id: string;
  role: 'employee' | 'agent' | 'admin';
}

export interface CreateOptions {
  /** The new ticket's card is posted after the caller's reply (`Created.afterReply`), not before `create` resolves. */
  cardAfterReply?: boolean;
  /**
   * On the ticket's creation (not for a retried origin's ticket): run once it is stored, beside the read of its view
   * (one round trip's wait on PostgreSQL instead of two), with the ticket as stored: e.g. the caller's own read of
   * what the ticket relates to.
   */
  alongView?: (stored: { number: number; type: string; title: string; description: string; serviceId: string | null }) => Promise<void>;
}

export interface Created {
  ticket: TicketView;
  created: boolean;
  /**
   * With `cardAfterReply`, on the ticket's creation: starts the run of its card's job without waiting
   * for it (the job queue's `runAfterReply`). Not called (the process died), the job runs anyway, by
   * any runner after the queue's grace.
   */
  afterReply?: () => void;
}

/**
 * The ticketing desk as conversations use it. Employees only ever see their
 * own tickets (an unknown and a foreign number look the same: undefined);
 * agents and admins see all. Every mutation is idempotent per `origin`
 * ("channel:deliveryId"), so a retried delivery changes nothing twice.
 * Illegal transitions and bad input throw a GuichetError with code
 * `ticketing.*` and change nothing.
 */
export interface TicketDesk {
  /**
   * Opens a ticket (idempotent per `origin`). Its card reaches the agents' channels before this
   * resolves, unless `options.cardAfterReply`: then the card's job (already in the outbox with the
   * ticket) is left to `afterReply`, which the caller calls once its answer is ready (a chat turn: an
   * effect of the turn), so that posting the card does not delay the user's reply. Not for a caller
   * that works on the card next (a handoff), which must find it posted.
   */
  create(input: NewTicket, options?: CreateOptions): Promise<Created>;
  /** The requester's tickets, newest first; closed and cancelled ones only when `includeClosed`. */
  listForRequester(userId: string, options?: { includeClosed?: boolean; limit?: number }): Promise<TicketView[]>;
  view(number: number, viewer: Viewer): Promise<TicketView | undefined>;
  /** The ticket and the viewer's roles on it (core/authorization.ts), from the database; undefined when there is no such ticket. */
  access(number: number, viewer: Viewer): Promise<TicketAccess | undefined>;
  /** Public timeline as `viewer` may see it (internal notes only for agents/admins), in `lang`. */
  timeline(number: number, viewer: Viewer, lang: Lang): Promise<TicketEventView[]>;
  /**
   * The requester adds text and/or files (a file alone is enough) to an open ticket. `also`: the
   * caller's jobs of the same message, written in its unit of work when it is new (the outbox).
   */
  addInfo(number: number, viewer: Viewer, text: string, origin: string, files?: InboundFile[], also?: readonly NewJob[]): Promise<TicketView>;
  /** The requester escalates with a reason: a hierarchical escalation on the timeline. */
  escalateByRequester(number: number, viewer: Viewer, reason: string, origin: string): Promise<TicketView>;
  /** Resolved tickets of the user still waiting for "is it fixed?", newest first. */
  awaitingConfirmation(userId: string): Promise<TicketView[]>;
  /** "Is it fixed?" answered: yes → closed; no → reopened and its agent notified. */
  confirmResolution(number: number, viewer: Viewer, fixed: boolean, origin: string, comment?: string): Promise<TicketView>;
  /** Satisfaction survey answer (1–5, optional comment) on a closed ticket. */
  rate(number: number, viewer: Viewer, score: number, comment?: string): Promise<TicketView>;
  /** An agent's queue: open tickets of the groups they belong to (all groups for admins), unassigned and most urgent first. */
  queueFor(agentId: string): Promise<TicketView[]>;
  /** The open major incident on a service, if any. */
  openMajorIncident(serviceId: string): Promise<MajorIncidentView | undefined>;
  openMajorIncidents(): Promise<MajorIncidentView[]>;
  /** The user's contact record (profile, assets, services, tickets). */
  contact(userId: string): Promise<ContactView>;
}

/** The desk as agents use it. Every call checks nothing about group membership: Handoff does, before. */
export interface AgentDesk extends TicketDesk {
  /**
   * Resolves once the ticket's card job has run, when this process was left to run it after a reply
   * (`CreateOptions.cardAfterReply`), or at once (one read) when it ran already: a handoff works on
   * the card, which must be posted first, once.
   */
  cardPosted(number: number): Promise<void>;
  /** Exactly one owner when several agents take at once: `taken` false and `owner` set for the others. `also`: jobs written with the winner's change. */
  take(number: number, agent: Viewer, also?: readonly NewJob[]): Promise<{ ticket: TicketView; taken: boolean; owner: PersonRef | null }>;
  assign(number: number, actor: Viewer, assigneeId: string): Promise<TicketView>;
  escalateLevel(number: number, actor: Viewer, level: 2 | 3): Promise<TicketView>;
  setPriority(number: number, actor: Viewer, impact: Level, urgency: Level): Promise<TicketView>;
  /** To another support group (desk routing, the system of record), unassigned; no change when already there. */
  setGroup(number: number, actor: Viewer, groupId: string, reason: string): Promise<TicketView>;
  resolve(number: number, actor: Viewer, resolution: string): Promise<TicketView>;
  /** A public reply: recorded and sent to the requester. */
  reply(number: number, actor: Viewer, text: string): Promise<TicketView>;
  /** An internal note: never shown to the requester. */
  addNote(number: number, actor: Viewer, text: string): Promise<TicketView>;
  /** Other status moves (waiting for the user, back in progress, cancelled), with an optional note to the requester. */
  setStatus(number: number, actor: Viewer, to: TicketStatus, note?: string): Promise<TicketView>;
  /** An agent opens a ticket for someone. */
  createByAgent(agent: Viewer, input: Omit<NewTicket, 'createdBy'>): Promise<{ ticket: TicketView; created: boolean }>;
  /** A person's id by e-mail. */
  userByEmail(email: string | undefined): Promise<string | undefined>;
  /** The latest `limit` files attached to a ticket (at creation or later), oldest first. */
  attachedFiles(number: number, limit: number): Promise<InboundFile[]>;
  /** Records an agent action in the audit log (actions the desk does not record itself), with `also`'s jobs in the same unit of work. */
  recordAction(actor: Viewer, action: string, number: number, detail: Record<string, unknown>, also?: readonly NewJob[]): Promise<void>;
}

/**
 * A ticket someone still works on (new, assigned, in progress, waiting for the user): not yet
 * resolved, closed or cancelled. The same rule as ticketing's `isOpen`, for modules that see
 * tickets only through the core (handoff).
 */
export function isOpenStatus(status: TicketStatus): boolean {
  return status !== 'resolved' && status !== 'closed' && status !== 'cancelled';
}
