/**
 * The ticket desk: the ITIL rules of src/ticketing/desk/ composed behind the core's `AgentDesk`
 * (creation idempotent per origin, the status machine, SLA due times with pauses, closure on the
 * requester's confirmation, satisfaction, the agents' actions). Storage is a `TicketRepository`
 * (Prisma in production, memory in unit tests); the desk holds no state of its own.
 *
 * Employees see only their own tickets: a foreign number and an unknown one look the same.
 * Whether an agent may act on a ticket (group membership) is checked by the caller (src/handoff).
 */
import type { InboundFile } from '../../core/files.ts';
import type { Lang } from '../../core/lang.ts';
import type { AgentDesk, ContactView, Created, CreateOptions, Level, MajorIncidentView, NewTicket, PersonRef, TicketAccess, TicketEventView, TicketStatus, TicketView, Viewer } from '../../core/tickets.ts';
import type { IncidentStore } from '../ports.ts';
import * as agentWork from './agent-work.ts';
import * as agent from './agent.ts';
import { assertStaff, DeskContext, type DeskDeps } from './context.ts';
import * as creation from './create.ts';
import { createInternals, type DeskInternals } from './internals.ts';
import * as read from './read.ts';
import { setGroup } from './regroup.ts';
import * as requester from './requester.ts';
import { keepSlaMoments } from '../sla-rearm.ts';
import { deskMoment } from './status-sla.ts';
import { CHANGED_QUEUE, changedJob, runChangedJob } from './notify.ts';
import { DESK_TELL_QUEUE, runTell } from './outbox.ts';
import type { NewJob } from '../../core/jobs.ts';

export type { DeskDeps } from './context.ts';

export class TicketDeskService implements AgentDesk {
  private readonly ctx: DeskContext;
  /** What the SLA clock and major incidents use of the desk (see internals.ts); not for channels. */
  readonly internals: DeskInternals;

  constructor(deps: DeskDeps & { incidents: Pick<IncidentStore, 'openOn' | 'list'> }) {
    // Every change of an SLA field re-arms the ticket's next SLA moment (sla-rearm.ts).
    this.ctx = new DeskContext({ ...deps, repository: keepSlaMoments(deps.repository, (t) => deskMoment(deps, t), (err) => deps.onError?.(err, 'SLA moment')) });
    this.incidents = deps.incidents;
    this.internals = createInternals(this.ctx);
    const ctx = this.ctx;
    deps.jobs?.handle(CHANGED_QUEUE, (payload) => runChangedJob(ctx, payload));
    deps.jobs?.handle(DESK_TELL_QUEUE, (payload, job) => runTell(ctx, payload, job));
  }

  private readonly incidents: Pick<IncidentStore, 'openOn' | 'list'>;

  create(input: NewTicket, options?: CreateOptions): Promise<Created> {
    return creation.create(this.ctx, input, options);
  }

  async cardPosted(number: number): Promise<void> {
    await this.ctx.deps.jobs?.runNow([changedJob(number, 'created').key]);
  }

  /** An agent opens a ticket for someone (phone call, walk-in). */
  createByAgent(actor: Viewer, input: Omit<NewTicket, 'createdBy'>): Promise<{ ticket: TicketView; created: boolean }> {
    assertStaff(actor);
    return creation.create(this.ctx, { ...input, createdBy: { id: actor.id, kind: 'agent' } });
  }

  decideApproval(number: number, viewer: Viewer, approved: boolean, origin: string): Promise<TicketView> {
    return creation.decideApproval(this.ctx, number, viewer, approved, origin);
  }

  listForRequester(userId: string, options?: { includeClosed?: boolean; limit?: number }): Promise<TicketView[]> {
    return read.listForRequester(this.ctx, userId, options);
  }

  view(number: number, viewer: Viewer): Promise<TicketView | undefined> {
    return read.view(this.ctx, number, viewer);
  }

  access(number: number, viewer: Viewer): Promise<TicketAccess | undefined> {
    return read.access(this.ctx, number, viewer);
  }

  timeline(number: number, viewer: Viewer, lang: Lang): Promise<TicketEventView[]> {
    return read.timeline(this.ctx, number, viewer, lang);
  }

  attachedFiles(number: number, limit: number): Promise<InboundFile[]> {
    return read.attachedFiles(this.ctx, number, limit);
  }

  awaitingConfirmation(userId: string): Promise<TicketView[]> {
    return this.ctx.repo.awaitingConfirmation(userId);
  }

  queueFor(agentId: string): Promise<TicketView[]> {
    return read.queueFor(this.ctx, agentId);
  }

  contact(userId: string): Promise<ContactView> {
    return read.contact(this.ctx, userId);
  }

  openMajorIncident(serviceId: string): Promise<MajorIncidentView | undefined> {
    return this.incidents.openOn(serviceId);
  }

  openMajorIncidents(): Promise<MajorIncidentView[]> {
    return this.incidents.list('open');
  }

  userByEmail(email: string | undefined): Promise<string | undefined> {
    return this.ctx.userByEmail(email);
  }

  addInfo(number: number, viewer: Viewer, text: string, origin: string, files?: InboundFile[], also?: readonly NewJob[]): Promise<TicketView> {
    return requester.addInfo(this.ctx, number, viewer, text, origin, files, also);
  }

  escalateByRequester(number: number, viewer: Viewer, reason: string, origin: string): Promise<TicketView> {
    return requester.escalateByRequester(this.ctx, number, viewer, reason, origin);
  }

  confirmResolution(number: number, viewer: Viewer, fixed: boolean, origin: string, comment?: string): Promise<TicketView> {
    return requester.confirmResolution(this.ctx, number, viewer, fixed, origin, comment);
  }

  rate(number: number, viewer: Viewer, score: number, comment?: string): Promise<TicketView> {
    return requester.rate(this.ctx, number, viewer, score, comment);
  }

  take(number: number, actor: Viewer, also?: readonly NewJob[]): Promise<{ ticket: TicketView; taken: boolean; owner: PersonRef | null }> {
    return agent.take(this.ctx, number, actor, also);
  }

  assign(number: number, actor: Viewer, assigneeId: string): Promise<TicketView> {
    return agent.assign(this.ctx, number, actor, assigneeId);
  }

  escalateLevel(number: number, actor: Viewer, level: 2 | 3): Promise<TicketView> {
    return agent.escalateLevel(this.ctx, number, actor, level);
  }

  setGroup(number: number, actor: Viewer, groupId: string, reason: string): Promise<TicketView> {
    return setGroup(this.ctx, number, actor, groupId, reason);
  }

  setPriority(number: number, actor: Viewer, impact: Level, urgency: Level): Promise<TicketView> {
    return agent.setPriority(this.ctx, number, actor, impact, urgency);
  }

  setStatus(number: number, actor: Viewer, to: TicketStatus, note?: string): Promise<TicketView> {
    return agentWork.setStatus(this.ctx, number, actor, to, note);
  }

  cancel(number: number, actor: Viewer, reason: string): Promise<TicketView> {
    return agentWork.setStatus(this.ctx, number, actor, 'cancelled', reason);
  }

  resolve(number: number, actor: Viewer, resolution: string): Promise<TicketView> {
    return agentWork.resolve(this.ctx, number, actor, resolution);
  }

  reply(number: number, actor: Viewer, text: string): Promise<TicketView> {
    return agentWork.reply(this.ctx, number, actor, text);
  }

  addNote(number: number, actor: Viewer, text: string): Promise<TicketView> {
    return agentWork.addNote(this.ctx, number, actor, text);
  }

  linkKnownError(number: number, actor: Viewer, articleId: string): Promise<TicketView> {
    return agentWork.linkKnownError(this.ctx, number, actor, articleId);
  }

  markDuplicate(number: number, actor: Viewer, of: number): Promise<TicketView> {
    return agentWork.markDuplicate(this.ctx, number, actor, of);
  }

  async recordAction(actor: Viewer, action: string, number: number, detail: Record<string, unknown>, also: readonly NewJob[] = []): Promise<void> {
    const now = this.ctx.now();
    const entry = { actorId: actor.id, actorKind: actor.role, action, entity: 'ticket', entityId: String(number), after: detail, at: now };
    if (also.length === 0) return this.ctx.repo.audit(entry);
    await this.ctx.repo.transaction(async (tx) => {
      await tx.audit(entry);
      await tx.enqueue(also, now);
    });
  }
}
