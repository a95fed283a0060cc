/**
 * The ticket desk on the database: creation (idempotent per origin, numbered
 * from a counter), the ITIL status machine, SLA due times on business hours
 * with pauses while waiting for the requester, the timeline, requester
 * notifications in their language, closure on confirmation, satisfaction, and
 * the agents' actions (take, assign, escalate, priority, resolve, reply, note).
 *
 * Employees see only their own tickets: a foreign number and an unknown one
 * look the same. Whether an agent may act on a ticket (group membership) is
 * checked by the caller (src/handoff) before the agent methods.
 */
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import { toLang, type Lang } from '../core/lang.ts';
import { fileLine, inboundFileSchema, MAX_FILES, type InboundFile, type OutboundMessage } from '../core/messages.ts';
import type { Clock, Notifier } from '../core/ports.ts';
import { statusLabel } from '../core/ticket-texts.ts';
import type {
  AgentDesk,
  ContactView,
  Level,
  MajorIncidentView,
  NewTicket,
  PersonRef,
  TicketEventView,
  TicketStatus,
  TicketView,
  Viewer,
} from '../core/tickets.ts';

import { isUniqueViolation, type Database } from '../persistence/database.ts';
import { toJson } from '../persistence/stores/json.ts';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from './calendar.ts';
import { policyFor, type DeskConfig, type SlaPolicyConfig } from './config.ts';
import { toIncidentView, INCIDENT_INCLUDE } from './incident-views.ts';
import { priorityOf } from './priority.ts';
import { assertTransition, isOpen, OPEN_STATUSES, REOPEN_DAYS } from './status.ts';
import { say } from './texts.ts';
import { TICKET_INCLUDE, toTicketView } from './views.ts';

export interface DeskDeps {
  db: Database;
  clock: Clock;
  notifier: Notifier;
  config: Pick<DeskConfig, 'calendars' | 'policies' | 'rules' | 'matrix' | 'groups' | 'serviceDeskLead'>;
  /** Group of tickets whose service has none. */
  defaultGroupId?: string;
  /** Told after every committed change (the handoff refreshes the agents' card). */
  onChange?: (number: number, kind: string) => Promise<void>;
  onError?: (err: unknown, context: string) => void;
}

const filesSchema = z.array(inboundFileSchema).max(MAX_FILES);

const newTicketSchema = z.object({
  type: z.enum(['incident', 'request']),
  title: z.string().trim().min(3, 'is too short (3 characters at least)').max(200, 'is too long (200 characters at most)'),
  description: z.string().trim().min(1, 'is empty').max(20_000, 'is too long (20,000 characters at most)'),
  category: z.string().trim().min(1).max(100),
  serviceId: z.string().nullish(),
  impact: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  urgency: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  requesterId: z.string().min(1),
  diagnosis: z.unknown().optional(),
  conversationId: z.string().nullish(),
  origin: z.string().max(300).nullish(),
  createdBy: z.object({ id: z.string().nullable(), kind: z.enum(['user', 'agent', 'bot']) }),
  approval: z.enum(['manager', 'owner']).optional(),
  approver: z.string().max(320).optional(),
  files: filesSchema.optional(),
});

const textSchema = z.string().trim().min(1, 'is empty').max(8_000, 'is too long (8,000 characters at most)');

type Tx = Parameters<Parameters<Database['client']['$transaction']>[0]>[0];
type Client = Database['client'] | Tx;

interface EventInput {
  kind: string;
  actorId: string | null;
  actorKind: 'user' | 'agent' | 'bot' | 'system';
  visibility?: 'public' | 'internal';
  data?: Record<string, unknown>;
  dedupeKey?: string;
}

function invalid(field: string, error: z.ZodError): GuichetError {
  const issue = error.issues[0];
  const path = [field, ...(issue?.path ?? [])].filter(Boolean).join('.');
  return new GuichetError('tickets.invalid', `ticket: "${path}" ${issue?.message ?? 'is invalid'}`);
}

export class PrismaTicketDesk implements AgentDesk {
  constructor(private readonly deps: DeskDeps) {}

  private get db() {
    return this.deps.db.client;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  // ——— Creation ———

  async create(input: NewTicket): Promise<{ ticket: TicketView; created: boolean }> {
    const parsed = newTicketSchema.safeParse(input);
    if (!parsed.success) throw invalid('', parsed.error);
    const t = parsed.data;
    if (t.origin) {
      const existing = await this.db.ticket.findUnique({ where: { originKey: t.origin }, include: TICKET_INCLUDE });
      if (existing) return { ticket: toTicketView(existing), created: false };
    }
    const requester = await this.db.user.findUnique({ where: { id: t.requesterId }, select: { vip: true } });
    if (!requester) throw new GuichetError('tickets.invalid', `ticket: "requesterId" names no user (${t.requesterId})`);
    const service = t.serviceId ? await this.db.service.findUnique({ where: { id: t.serviceId }, select: { id: true, groupId: true, criticality: true } }) : null;
    const priority = priorityOf(this.deps.config.matrix, t.impact, t.urgency);
    const policy = policyFor(this.deps.config, { vip: requester.vip, priority, criticality: service?.criticality ?? null });
    const now = this.now();
    const due = this.dueDates(policy, priority, now);
    const groupId = service?.groupId ?? this.deps.defaultGroupId ?? null;
    const description = t.approval
      ? `${t.description}\n\n(${t.approval === 'manager' ? 'Approval: manager' : 'Approval: owner'}${t.approver ? ` — ${t.approver}` : ''})`
      : t.description;
    try {
      const row = await this.db.$transaction(async (tx) => {
        const counter = await tx.counter.upsert({ where: { name: 'ticket' }, create: { name: 'ticket', value: 1001 }, update: { value: { increment: 1 } } });
        const created = await tx.ticket.create({
          data: {
            number: counter.value,
            type: t.type,
            title: t.title,
            description,
            category: t.category,
            serviceId: service?.id ?? null,
            impact: t.impact,
            urgency: t.urgency,
            priority,
            requesterId: t.requesterId,
            groupId,
            level: groupId ? (this.deps.config.groups.find((g) => g.id === groupId)?.level ?? 1) : 1,
            slaPolicyId: (await tx.slaPolicy.findUnique({ where: { id: policy.id }, select: { id: true } }))?.id ?? null,
            responseDueAt: due.responseDueAt,
            resolutionDueAt: due.resolutionDueAt,
            diagnosis: toJson(t.diagnosis ?? {}),
            conversationId: t.conversationId ?? null,
            originKey: t.origin ?? null,
            createdAt: now,
          },
          include: TICKET_INCLUDE,
        });
        await this.event(tx, created.number, { kind: 'created', actorId: t.createdBy.id, actorKind: t.createdBy.kind, data: { type: t.type, priority, policy: policy.id } }, now);
        if (t.files?.length) await this.event(tx, created.number, { kind: 'files', actorId: t.requesterId, actorKind: 'user', data: { files: t.files } }, now);
        if (t.createdBy.kind === 'agent') await this.audit(tx, t.createdBy.id, 'agent', 'ticket.create', created.number, null, { priority });
        return created;
      });
      await this.changed(row.number, 'created');
      if (t.approval) await this.requestApproval(row.number, t.requesterId, t.approval, t.approver);
      return { ticket: toTicketView(row), created: true };
    } catch (err) {
      // The same origin created concurrently: the other one won, and it is the same ticket.
      if (t.origin && isUniqueViolation(err)) {
        const existing = await this.db.ticket.findUnique({ where: { originKey: t.origin }, include: TICKET_INCLUDE });
        if (existing) return { ticket: toTicketView(existing), created: false };
      }
      throw err;
    }
  }

  /** An agent opens a ticket for someone (phone call, walk-in). */
  async createByAgent(agent: Viewer, input: Omit<NewTicket, 'createdBy'>): Promise<{ ticket: TicketView; created: boolean }> {
    this.assertStaff(agent);
    return this.create({ ...input, createdBy: { id: agent.id, kind: 'agent' } });
  }

  // ——— Reading ———

  async listForRequester(userId: string, options: { includeClosed?: boolean; limit?: number } = {}): Promise<TicketView[]> {
    const rows = await this.db.ticket.findMany({
      where: { requesterId: userId, ...(options.includeClosed ? {} : { status: { in: [...OPEN_STATUSES, 'resolved'] } }) },
      orderBy: { number: 'desc' },
      take: options.limit ?? 20,
      include: TICKET_INCLUDE,
    });
    return rows.map(toTicketView);
  }

  async view(number: number, viewer: Viewer): Promise<TicketView | undefined> {
    const row = await this.db.ticket.findUnique({ where: { number }, include: TICKET_INCLUDE });
    if (!row || !this.canSee(viewer, row.requester.id)) return undefined;
    return toTicketView(row);
  }

  async timeline(number: number, viewer: Viewer, lang: Lang): Promise<TicketEventView[]> {
    const ticket = await this.db.ticket.findUnique({ where: { number }, select: { id: true, requesterId: true } });
    if (!ticket || !this.canSee(viewer, ticket.requesterId)) return [];
    const staff = viewer.role !== 'employee';
    const events = await this.db.ticketEvent.findMany({
      where: { ticketId: ticket.id, ...(staff ? {} : { visibility: 'public' }) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const actorIds = [...new Set(events.map((e) => e.actorId).filter((id): id is string => id !== null))];
    const names = new Map((await this.db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
    return events.map((e) => ({
      kind: e.kind,
      actorKind: e.actorKind as TicketEventView['actorKind'],
      actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
      visibility: e.visibility as TicketEventView['visibility'],
      text: describeEvent(e.kind, (e.data ?? {}) as Record<string, unknown>, lang),
      at: e.createdAt.toISOString(),
      ...filesOf(e.data),
    }));
  }

  async attachedFiles(number: number, limit: number): Promise<InboundFile[]> {
    const events = await this.db.ticketEvent.findMany({
      where: { ticket: { number }, kind: { in: ['files', 'info'] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { data: true },
    });
    return events.flatMap((e) => filesOf(e.data).files ?? []).slice(-limit);
  }

  async awaitingConfirmation(userId: string): Promise<TicketView[]> {
    const rows = await this.db.ticket.findMany({ where: { requesterId: userId, status: 'resolved' }, orderBy: { resolvedAt: 'desc' }, include: TICKET_INCLUDE });
    return rows.map(toTicketView);
  }

  async queueFor(agentId: string): Promise<TicketView[]> {
    const agent = await this.db.user.findUnique({ where: { id: agentId }, select: { role: true, memberships: { select: { groupId: true } } } });
    if (!agent || agent.role === 'employee') return [];
    const groups = agent.role === 'admin' ? undefined : agent.memberships.map((m) => m.groupId);
    const rows = await this.db.ticket.findMany({
      where: { status: { in: [...OPEN_STATUSES] }, ...(groups ? { OR: [{ groupId: { in: groups } }, { assigneeId: agentId }] } : {}) },
      include: TICKET_INCLUDE,
      take: 200,
    });
    return rows
      .map(toTicketView)
      .sort((a, b) => Number(a.assignee !== null) - Number(b.assignee !== null) || a.priority - b.priority || due(a) - due(b));
  }

  async contact(userId: string): Promise<ContactView> {
    const user = await this.db.user.findUnique({
      where: { id: userId },
      select: { id: true, displayName: true, email: true, department: true, jobTitle: true, vip: true, locale: true },
    });
    if (!user) throw new GuichetError('tickets.not-found', `contact: no user ${userId}`);
    const assets = await this.db.configurationItem.findMany({
      where: { ownerId: userId, status: { not: 'retired' } },
      select: { tag: true, kind: true, name: true, status: true, dependsOn: { select: { serviceId: true } } },
      orderBy: { tag: 'asc' },
    });
    const tickets = await this.db.ticket.findMany({ where: { requesterId: userId }, orderBy: { number: 'desc' }, take: 20, select: { number: true, title: true, status: true, priority: true, serviceId: true } });
    const brief = (t: (typeof tickets)[number]) => ({ number: t.number, title: t.title, status: t.status as TicketStatus, priority: t.priority as TicketView['priority'] });
    const services = new Set<string>();
    for (const a of assets) for (const d of a.dependsOn) services.add(d.serviceId);
    for (const t of tickets) if (t.serviceId) services.add(t.serviceId);
    return {
      user: { id: user.id, displayName: user.displayName, email: user.email, department: user.department, jobTitle: user.jobTitle, vip: user.vip, locale: toLang(user.locale) ?? null },
      assets: assets.map(({ tag, kind, name, status }) => ({ tag, kind, name, status })),
      services: [...services].sort(),
      openTickets: tickets.filter((t) => isOpen(t.status as TicketStatus) || t.status === 'resolved').map(brief),
      recentTickets: tickets.filter((t) => t.status === 'closed' || t.status === 'cancelled').slice(0, 5).map(brief),
    };
  }

  async openMajorIncident(serviceId: string): Promise<MajorIncidentView | undefined> {
    const row = await this.db.majorIncident.findFirst({ where: { serviceId, status: 'open' }, orderBy: { startedAt: 'desc' }, include: INCIDENT_INCLUDE });
    return row ? toIncidentView(row) : undefined;
  }

  async openMajorIncidents(): Promise<MajorIncidentView[]> {
    const rows = await this.db.majorIncident.findMany({ where: { status: 'open' }, orderBy: { startedAt: 'desc' }, include: INCIDENT_INCLUDE });
    return rows.map(toIncidentView);
  }

  // ——— Requester actions ———

  async addInfo(number: number, viewer: Viewer, text: string, origin: string, files: InboundFile[] = []): Promise<TicketView> {
    const attached = filesSchema.safeParse(files);
    if (!attached.success) throw invalid('files', attached.error);
    // A file alone is information too (a screenshot says what words would not).
    const body = attached.data.length > 0 && !text.trim() ? '' : this.text('text', text);
    const row = await this.own(number, viewer);
    if (!isOpen(row.status as TicketStatus)) {
      throw new GuichetError('tickets.illegal-transition', `ticket #${number} is ${row.status}: information can only be added to an open ticket`);
    }
    const now = this.now();
    const added = await this.db.$transaction(async (tx) => {
      const data = attached.data.length > 0 ? { text: body, files: attached.data } : { text: body };
      const fresh = await this.event(tx, number, { kind: 'info', actorId: viewer.id, actorKind: 'user', data, dedupeKey: `info:${origin}` }, now);
      // The requester answered what the desk waited for: work goes on, and so does the SLA clock.
      if (fresh && row.status === 'pending-user') await this.moveStatus(tx, number, 'in-progress', { id: viewer.id, kind: 'user' }, now);
      return fresh;
    });
    if (added) {
      const view = await this.mustView(number);
      const to = view.assignee?.id ?? (await this.groupManager(view.group?.id));
      const told = [body, ...attached.data.map(fileLine)].filter(Boolean).join('\n');
      if (to) await this.notifyUser(to, (lang) => [{ type: 'text', text: say(lang, 'infoForAgent', { user: view.requester.displayName, number, text: told }) }]);
      await this.changed(number, 'info');
      if (row.status === 'pending-user') await this.notifyStatus(view, 'in-progress', viewer.id);
      return view;
    }
    return this.mustView(number);
  }

  async escalateByRequester(number: number, viewer: Viewer, reason: string, origin: string): Promise<TicketView> {
    const body = this.text('reason', reason);
    const row = await this.own(number, viewer);
    if (!isOpen(row.status as TicketStatus)) throw new GuichetError('tickets.illegal-transition', `ticket #${number} is ${row.status}: only an open ticket can be escalated`);
    const fresh = await this.db.$transaction((tx) =>
      this.event(tx, number, { kind: 'escalated', actorId: viewer.id, actorKind: 'user', data: { type: 'hierarchical', by: 'requester', reason: body }, dedupeKey: `escalated:${origin}` }, this.now()),
    );
    const view = await this.mustView(number);
    if (fresh) {
      const recipients = new Set([await this.groupManager(view.group?.id), await this.userByEmail(this.deps.config.serviceDeskLead), view.assignee?.id].filter((x): x is string => Boolean(x)));
      for (const to of recipients) {
        await this.notifyUser(to, (lang) => [{ type: 'text', text: say(lang, 'userEscalated', { user: view.requester.displayName, number, title: view.title, reason: body }) }]);
      }
      await this.changed(number, 'escalated');
    }
    return view;
  }

  async confirmResolution(number: number, viewer: Viewer, fixed: boolean, origin: string, comment?: string): Promise<TicketView> {
    const row = await this.own(number, viewer);
    const status = row.status as TicketStatus;
    const now = this.now();
    if (fixed) {
      if (status === 'closed') return this.mustView(number);
      assertTransition(number, status, 'closed');
      await this.db.$transaction(async (tx) => {
        await this.moveStatus(tx, number, 'closed', { id: viewer.id, kind: 'user' }, now);
        await this.event(tx, number, { kind: 'confirmed', actorId: viewer.id, actorKind: 'user', data: comment ? { comment } : {}, dedupeKey: `confirmed:${origin}` }, now);
      });
      await this.changed(number, 'closed');
      return this.mustView(number);
    }
    if (status === 'closed' && row.closedAt && now.getTime() - row.closedAt.getTime() > REOPEN_DAYS * 86_400_000) {
      throw new GuichetError('tickets.illegal-transition', `ticket #${number} was closed more than ${REOPEN_DAYS} days ago: open a new ticket`);
    }
    if (isOpen(status)) return this.mustView(number);
    assertTransition(number, status, 'in-progress');
    await this.db.$transaction(async (tx) => {
      await this.moveStatus(tx, number, 'in-progress', { id: viewer.id, kind: 'user' }, now);
      await this.event(tx, number, { kind: 'reopened', actorId: viewer.id, actorKind: 'user', data: comment ? { comment } : {}, dedupeKey: `reopened:${origin}` }, now);
    });
    const view = await this.mustView(number);
    const to = view.assignee?.id ?? (await this.groupManager(view.group?.id));
    if (to) await this.notifyUser(to, (lang) => [{ type: 'text', text: say(lang, 'reopenedForAgent', { number }) }]);
    await this.changed(number, 'reopened');
    return view;
  }

  async rate(number: number, viewer: Viewer, score: number, comment?: string): Promise<TicketView> {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new GuichetError('tickets.invalid', `ticket #${number}: a rating is a whole number from 1 to 5 (got ${score})`);
    const row = await this.own(number, viewer);
    if (row.status !== 'closed') throw new GuichetError('tickets.illegal-transition', `ticket #${number} is ${row.status}: only a closed ticket can be rated`);
    const note = comment?.trim() ? comment.trim().slice(0, 2_000) : null;
    await this.db.$transaction(async (tx) => {
      // A second answer replaces the first (the requester changed their mind); the timeline keeps both.
      await tx.ticket.update({ where: { number }, data: { csatScore: score, ...(note !== null ? { csatComment: note } : {}) } });
      await this.event(tx, number, { kind: 'rated', actorId: viewer.id, actorKind: 'user', visibility: 'internal', data: { score, ...(note ? { comment: note } : {}) } }, this.now());
    });
    return this.mustView(number);
  }

  // ——— Approvals (service requests) ———

  /**
   * Asks the approver of a service request (the requester's manager, or the owner named in the
   * request) to approve or reject it, with two buttons whose values the ticket chat module reads
   * ("#1042 approve" / "#1042 reject"). Without a known approver, the service desk decides.
   */
  async requestApproval(number: number, requesterId: string, kind: 'manager' | 'owner', approverEmail?: string): Promise<void> {
    const requester = await this.db.user.findUnique({ where: { id: requesterId }, select: { managerId: true, displayName: true } });
    const approverId = kind === 'manager' ? (requester?.managerId ?? undefined) : await this.userByEmail(approverEmail?.trim().toLowerCase());
    await this.db.$transaction((tx) => this.event(tx, number, { kind: 'approval-requested', actorId: null, actorKind: 'bot', data: { approval: kind, approverId: approverId ?? null }, dedupeKey: 'approval-requested' }, this.now()));
    if (!approverId) return;
    const view = await this.mustView(number);
    await this.notifyUser(approverId, (lang) => [
      { type: 'ticket', ticket: view, lang },
      {
        type: 'choices',
        text: say(lang, 'approvalAsk', { requester: requester?.displayName ?? '?', number, title: view.title }),
        choices: [
          { label: say(lang, 'approve'), value: say(lang, 'approveValue', { number }) },
          { label: say(lang, 'reject'), value: say(lang, 'rejectValue', { number }) },
        ],
      },
    ]);
  }

  /** The approver's answer: approved → work can start; rejected → the request is cancelled. The requester is told either way. */
  async decideApproval(number: number, viewer: Viewer, approved: boolean, origin: string): Promise<TicketView> {
    const ticket = await this.db.ticket.findUnique({ where: { number }, select: { id: true, status: true } });
    const asked = ticket
      ? await this.db.ticketEvent.findFirst({ where: { ticketId: ticket.id, kind: 'approval-requested' }, orderBy: { createdAt: 'desc' }, select: { data: true } })
      : null;
    const approverId = (asked?.data as { approverId?: string | null } | undefined)?.approverId;
    if (!ticket || !asked || (approverId !== viewer.id && viewer.role !== 'admin')) throw new GuichetError('tickets.not-found', `no request #${number} waiting for your approval`);
    const decided = await this.db.ticketEvent.findFirst({ where: { ticketId: ticket.id, kind: { in: ['approval-granted', 'approval-rejected'] } }, select: { kind: true } });
    if (decided) throw new GuichetError('tickets.illegal-transition', `request #${number} was already ${decided.kind === 'approval-granted' ? 'approved' : 'rejected'}`);
    const now = this.now();
    await this.db.$transaction(async (tx) => {
      await this.event(tx, number, { kind: approved ? 'approval-granted' : 'approval-rejected', actorId: viewer.id, actorKind: 'user', data: {}, dedupeKey: `approval:${origin}` }, now);
      if (!approved && isOpen(ticket.status as TicketStatus)) await this.moveStatus(tx, number, 'cancelled', { id: viewer.id, kind: 'user' }, now);
      await this.audit(tx, viewer.id, viewer.role, approved ? 'ticket.approve' : 'ticket.reject', number, null, {});
    });
    const view = await this.mustView(number);
    await this.notifyUser(view.requester.id, (lang) => [{ type: 'text', text: say(lang, approved ? 'approvedForUser' : 'rejectedForUser', { number }) }, { type: 'ticket', ticket: view, lang }]);
    await this.changed(number, approved ? 'approved' : 'rejected');
    return view;
  }

  // ——— Agent actions ———

  async take(number: number, agent: Viewer): Promise<{ ticket: TicketView; taken: boolean; owner: PersonRef | null }> {
    this.assertStaff(agent);
    const now = this.now();
    const assigneeName = await this.nameOf(agent.id);
    const won = await this.db.$transaction(async (tx) => {
      const row = await this.row(tx, number);
      if (!isOpen(row.status as TicketStatus)) throw new GuichetError('tickets.illegal-transition', `ticket #${number} is ${row.status}: it cannot be taken`);
      const { count } = await tx.ticket.updateMany({ where: { number, assigneeId: null }, data: { assigneeId: agent.id, firstResponseAt: row.firstResponseAt ?? now } });
      if (count === 0) return false;
      if (row.status === 'new') await this.moveStatus(tx, number, 'assigned', { id: agent.id, kind: 'agent' }, now);
      await this.event(tx, number, { kind: 'assigned', actorId: agent.id, actorKind: 'agent', data: { assigneeId: agent.id, assigneeName } }, now);
      await this.audit(tx, agent.id, 'agent', 'ticket.take', number, null, { assigneeId: agent.id });
      return true;
    });
    const view = await this.mustView(number);
    if (won) {
      await this.changed(number, 'assigned');
      await this.notifyStatus(view, 'assigned', agent.id);
    }
    return { ticket: view, taken: won, owner: view.assignee };
  }

  async assign(number: number, actor: Viewer, assigneeId: string): Promise<TicketView> {
    this.assertStaff(actor);
    const now = this.now();
    const assigneeName = await this.nameOf(assigneeId);
    await this.db.$transaction(async (tx) => {
      const row = await this.row(tx, number);
      if (!isOpen(row.status as TicketStatus)) throw new GuichetError('tickets.illegal-transition', `ticket #${number} is ${row.status}: it cannot be assigned`);
      await tx.ticket.update({ where: { number }, data: { assigneeId } });
      if (row.status === 'new') await this.moveStatus(tx, number, 'assigned', { id: actor.id, kind: 'agent' }, now);
      await this.event(tx, number, { kind: 'assigned', actorId: actor.id, actorKind: 'agent', data: { assigneeId, assigneeName, from: row.assigneeId } }, now);
      await this.audit(tx, actor.id, 'agent', 'ticket.assign', number, { assigneeId: row.assigneeId }, { assigneeId });
    });
    await this.changed(number, 'assigned');
    const view = await this.mustView(number);
    await this.notifyUser(view.requester.id, (lang) => [{ type: 'text', text: say(lang, 'reassigned', { number, agent: assigneeName }) }, { type: 'ticket', ticket: view, lang }]);
    return view;
  }

  async escalateLevel(number: number, actor: Viewer, level: 2 | 3): Promise<TicketView> {
    this.assertStaff(actor);
    const now = this.now();
    await this.db.$transaction(async (tx) => {
      const row = await this.row(tx, number);
      if (!isOpen(row.status as TicketStatus)) throw new GuichetError('tickets.illegal-transition', `ticket #${number} is ${row.status}: it cannot be escalated`);
      if (row.level >= level) throw new GuichetError('tickets.illegal-transition', `ticket #${number} is already at level ${row.level}`);
      const target = await this.escalationTarget(tx, row.groupId, level);
      if (!target) throw new GuichetError('tickets.invalid', `ticket #${number}: no level-${level} group to escalate to`);
      await tx.ticket.update({ where: { number }, data: { groupId: target.id, level: target.level, assigneeId: null } });
      if (row.status !== 'new') await this.moveStatus(tx, number, 'new', { id: actor.id, kind: 'agent' }, now, true);
      await this.event(tx, number, { kind: 'escalated', actorId: actor.id, actorKind: 'agent', data: { type: 'functional', from: row.groupId, to: target.id, level: target.level, groupName: target.name } }, now);
      await this.audit(tx, actor.id, 'agent', 'ticket.escalate', number, { groupId: row.groupId, level: row.level }, { groupId: target.id, level: target.level });
    });
    await this.changed(number, 'escalated');
    const view = await this.mustView(number);
    await this.notifyUser(view.requester.id, (lang) => [{ type: 'text', text: say(lang, 'escalatedForUser', { number, group: view.group?.name ?? '—', level: view.group?.level ?? level }) }]);
    return view;
  }

  async setPriority(number: number, actor: Viewer, impact: Level, urgency: Level): Promise<TicketView> {
    this.assertStaff(actor);
    const now = this.now();
    await this.db.$transaction(async (tx) => {
      const row = await this.row(tx, number);
      if (!isOpen(row.status as TicketStatus)) throw new GuichetError('tickets.illegal-transition', `ticket #${number} is ${row.status}: its priority is final`);
      const priority = priorityOf(this.deps.config.matrix, impact, urgency);
      // A new priority means new targets, counted from the ticket's creation (paused time excluded).
      const policy = this.deps.config.policies.find((p) => p.id === row.slaPolicyId);
      const dueData: { responseDueAt?: Date; resolutionDueAt?: Date } = policy ? this.shifted(this.dueDates(policy, priority, row.createdAt), policy, row.slaPausedMinutes) : {};
      // New targets are watched afresh: a warning or breach of the old ones says nothing of the new ones
      // (the SLA clock keys its warnings and breaches by priority, so each fires once per priority).
      const rearm =
        priority === row.priority
          ? {}
          : {
              responseWarnedAt: null,
              resolutionWarnedAt: null,
              responseBreached: Boolean(dueData.responseDueAt && dueData.responseDueAt <= now && row.responseBreached),
              resolutionBreached: Boolean(dueData.resolutionDueAt && dueData.resolutionDueAt <= now && row.resolutionBreached),
            };
      await tx.ticket.update({ where: { number }, data: { impact, urgency, priority, ...dueData, ...rearm } });
      await this.event(tx, number, { kind: 'priority', actorId: actor.id, actorKind: 'agent', data: { from: row.priority, to: priority } }, now);
      await this.audit(tx, actor.id, 'agent', 'ticket.priority', number, { priority: row.priority }, { priority });
    });
    await this.changed(number, 'priority');
    const view = await this.mustView(number);
    await this.notifyUser(view.requester.id, (lang) => [{ type: 'text', text: say(lang, 'priorityForUser', { number, priority: view.priority }) }, { type: 'ticket', ticket: view, lang }]);
    return view;
  }

  /** Any other status move an agent makes (in progress, waiting for the user, cancel). */
  async setStatus(number: number, actor: Viewer, to: TicketStatus, note?: string): Promise<TicketView> {
    this.assertStaff(actor);
    if (to === 'resolved') return this.resolve(number, actor, note ?? '');
    const now = this.now();
    await this.db.$transaction(async (tx) => {
      await this.moveStatus(tx, number, to, { id: actor.id, kind: 'agent' }, now);
      if (note?.trim()) await this.event(tx, number, { kind: 'reply', actorId: actor.id, actorKind: 'agent', data: { text: note.trim() } }, now);
      await this.audit(tx, actor.id, 'agent', 'ticket.status', number, null, { status: to });
    });
    const view = await this.mustView(number);
    await this.changed(number, 'status');
    await this.notifyStatus(view, to, actor.id, note?.trim());
    return view;
  }

  async cancel(number: number, actor: Viewer, reason: string): Promise<TicketView> {
    return this.setStatus(number, actor, 'cancelled', reason);
  }

  async resolve(number: number, actor: Viewer, resolution: string): Promise<TicketView> {
    this.assertStaff(actor);
    const text = this.text('resolution', resolution);
    const now = this.now();
    await this.db.$transaction(async (tx) => {
      await this.moveStatus(tx, number, 'resolved', { id: actor.id, kind: 'agent' }, now);
      await tx.ticket.update({ where: { number }, data: { resolution: text, resolvedAt: now, assigneeId: (await this.row(tx, number)).assigneeId ?? actor.id } });
      await this.event(tx, number, { kind: 'resolved', actorId: actor.id, actorKind: 'agent', data: { resolution: text } }, now);
      await this.audit(tx, actor.id, 'agent', 'ticket.resolve', number, null, { resolution: text });
    });
    const view = await this.mustView(number);
    await this.changed(number, 'resolved');
    await this.notifyUser(view.requester.id, (lang) => resolvedMessages(view, lang));
    return view;
  }

  async reply(number: number, actor: Viewer, text: string): Promise<TicketView> {
    this.assertStaff(actor);
    const body = this.text('text', text);
    const now = this.now();
    await this.db.$transaction(async (tx) => {
      const row = await this.row(tx, number);
      if (row.status === 'cancelled') throw new GuichetError('tickets.illegal-transition', `ticket #${number} is cancelled`);
      if (!row.firstResponseAt) await tx.ticket.update({ where: { number }, data: { firstResponseAt: now } });
      await this.event(tx, number, { kind: 'reply', actorId: actor.id, actorKind: 'agent', data: { text: body } }, now);
    });
    const view = await this.mustView(number);
    const agent = await this.db.user.findUnique({ where: { id: actor.id }, select: { displayName: true } });
    await this.notifyUser(view.requester.id, (lang) => [{ type: 'text', text: say(lang, 'agentReplied', { agent: agent?.displayName ?? '?', text: body }) }]);
    await this.changed(number, 'reply');
    return view;
  }

  async addNote(number: number, actor: Viewer, text: string): Promise<TicketView> {
    this.assertStaff(actor);
    const body = this.text('text', text);
    await this.db.$transaction(async (tx) => {
      await this.row(tx, number);
      await this.event(tx, number, { kind: 'note', actorId: actor.id, actorKind: 'agent', visibility: 'internal', data: { text: body } }, this.now());
      await this.audit(tx, actor.id, 'agent', 'ticket.note', number, null, { length: body.length });
    });
    await this.changed(number, 'note');
    return this.mustView(number);
  }

  async recordAction(actor: Viewer, action: string, number: number, detail: Record<string, unknown>): Promise<void> {
    await this.audit(this.db, actor.id, actor.role, action, number, null, detail);
  }

  async linkKnownError(number: number, actor: Viewer, articleId: string): Promise<TicketView> {
    this.assertStaff(actor);
    await this.db.$transaction(async (tx) => {
      await tx.ticket.update({ where: { number }, data: { knownErrorId: articleId } });
      await this.event(tx, number, { kind: 'linked', actorId: actor.id, actorKind: 'agent', visibility: 'internal', data: { knownError: articleId } }, this.now());
    });
    return this.mustView(number);
  }

  async markDuplicate(number: number, actor: Viewer, of: number): Promise<TicketView> {
    this.assertStaff(actor);
    const original = await this.db.ticket.findUnique({ where: { number: of }, select: { id: true } });
    if (!original || of === number) throw new GuichetError('tickets.invalid', `ticket #${number}: #${of} is not a ticket it can duplicate`);
    await this.db.$transaction(async (tx) => {
      await tx.ticket.update({ where: { number }, data: { duplicateOfId: original.id } });
      await this.moveStatus(tx, number, 'cancelled', { id: actor.id, kind: 'agent' }, this.now());
      await this.event(tx, number, { kind: 'linked', actorId: actor.id, actorKind: 'agent', data: { duplicateOf: of } }, this.now());
    });
    return this.mustView(number);
  }

  // ——— Internals shared with the scheduler and major incidents ———

  /** SLA due times of a new ticket. */
  dueDates(policy: SlaPolicyConfig, priority: number, at: Date): { responseDueAt: Date; resolutionDueAt: Date } {
    const cal = this.calendar(policy.calendarId);
    const target = policy.targets[String(priority) as '1'];
    return { responseDueAt: addBusinessMinutes(cal, at, target.responseMinutes), resolutionDueAt: addBusinessMinutes(cal, at, target.resolutionMinutes) };
  }

  calendar(id: string): BusinessCalendar {
    const cal = this.deps.config.calendars.find((c) => c.id === id);
    if (!cal) throw new GuichetError('config.invalid', `sla: unknown calendar "${id}"`);
    return cal;
  }

  private shifted(due: { responseDueAt: Date; resolutionDueAt: Date }, policy: SlaPolicyConfig, pausedMinutes: number) {
    if (pausedMinutes <= 0) return due;
    const cal = this.calendar(policy.calendarId);
    return { responseDueAt: addBusinessMinutes(cal, due.responseDueAt, pausedMinutes), resolutionDueAt: addBusinessMinutes(cal, due.resolutionDueAt, pausedMinutes) };
  }

  /**
   * Moves a ticket's status inside a transaction: checks the transition,
   * stamps the dates, pauses or resumes the SLA clock, records the event.
   */
  async moveStatus(tx: Tx, number: number, to: TicketStatus, actor: { id: string | null; kind: 'user' | 'agent' | 'bot' | 'system' }, now: Date, force = false): Promise<void> {
    const row = await this.row(tx, number);
    const from = row.status as TicketStatus;
    if (from === to) return;
    if (!force) assertTransition(number, from, to);
    const data: Record<string, unknown> = { status: to };
    const policy = this.deps.config.policies.find((p) => p.id === row.slaPolicyId);
    if (to === 'pending-user' && policy?.pauseOnPending) data.slaPausedAt = now;
    if (from === 'pending-user' && row.slaPausedAt && policy) {
      const cal = this.calendar(policy.calendarId);
      const paused = Math.round(businessMinutesBetween(cal, row.slaPausedAt, now));
      data.slaPausedAt = null;
      data.slaPausedMinutes = row.slaPausedMinutes + paused;
      if (row.responseDueAt && !row.firstResponseAt) data.responseDueAt = addBusinessMinutes(cal, row.responseDueAt, paused);
      if (row.resolutionDueAt) data.resolutionDueAt = addBusinessMinutes(cal, row.resolutionDueAt, paused);
    }
    if (to === 'closed') data.closedAt = now;
    if (to === 'in-progress' && (from === 'resolved' || from === 'closed')) {
      data.resolvedAt = null;
      data.closedAt = null;
    }
    await tx.ticket.update({ where: { number }, data });
    await this.event(tx, number, { kind: 'status', actorId: actor.id, actorKind: actor.kind, data: { from, to } }, now);
  }

  /** Records an event; with a dedupe key, a second one is skipped and false returned. */
  async event(tx: Client, number: number, input: EventInput, at: Date): Promise<boolean> {
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { number }, select: { id: true } });
    if (input.dedupeKey) {
      const seen = await tx.ticketEvent.findUnique({ where: { ticketId_dedupeKey: { ticketId: ticket.id, dedupeKey: input.dedupeKey } }, select: { id: true } });
      if (seen) return false;
    }
    await tx.ticketEvent.create({
      data: {
        ticketId: ticket.id,
        kind: input.kind,
        actorId: input.actorId,
        actorKind: input.actorKind,
        visibility: input.visibility ?? 'public',
        data: toJson(input.data ?? {}),
        dedupeKey: input.dedupeKey ?? null,
        createdAt: at,
      },
    });
    return true;
  }

  async notifyStatus(view: TicketView, to: TicketStatus, actorId: string | null, note?: string): Promise<void> {
    if (view.requester.id === actorId) return;
    await this.notifyUser(view.requester.id, (lang) => {
      const text = to === 'pending-user' ? say(lang, 'needInfo', { number: view.number }) : say(lang, 'statusChanged', { number: view.number, status: statusLabel(lang, to) });
      return [{ type: 'text', text: note && to === 'pending-user' ? `${text}\n${note}` : text }, { type: 'ticket', ticket: view, lang }];
    });
  }

  /** Sends messages built in the recipient's language; a failure is reported, never thrown (the change is committed). */
  async notifyUser(userId: string, build: (lang: Lang) => OutboundMessage[]): Promise<void> {
    try {
      const user = await this.db.user.findUnique({ where: { id: userId }, select: { locale: true } });
      await this.deps.notifier.notify(userId, build(toLang(user?.locale) ?? 'fr'));
    } catch (err) {
      this.deps.onError?.(err, `notification to ${userId}`);
    }
  }

  async changed(number: number, kind: string): Promise<void> {
    try {
      await this.deps.onChange?.(number, kind);
    } catch (err) {
      this.deps.onError?.(err, `after change ${kind} of #${number}`);
    }
  }

  async groupManager(groupId: string | undefined): Promise<string | undefined> {
    if (!groupId) return undefined;
    const group = await this.db.supportGroup.findUnique({ where: { id: groupId }, select: { managerId: true } });
    return group?.managerId ?? undefined;
  }

  async userByEmail(email: string | undefined): Promise<string | undefined> {
    if (!email) return undefined;
    const user = await this.db.user.findFirst({ where: { email, erasedAt: null }, select: { id: true } });
    return user?.id;
  }

  /** The group a ticket goes to at `level`: up the escalation chain, or any group of that level. */
  async escalationTarget(tx: Client, groupId: string | null, level: number): Promise<{ id: string; name: string; level: number } | null> {
    let current = groupId ? await tx.supportGroup.findUnique({ where: { id: groupId }, select: { id: true, name: true, level: true, escalatesToId: true } }) : null;
    for (let i = 0; current && i < 5; i += 1) {
      if (current.level >= level && current.id !== groupId) return current;
      current = current.escalatesToId ? await tx.supportGroup.findUnique({ where: { id: current.escalatesToId }, select: { id: true, name: true, level: true, escalatesToId: true } }) : null;
    }
    return tx.supportGroup.findFirst({ where: { level }, orderBy: { id: 'asc' }, select: { id: true, name: true, level: true } });
  }

  async audit(tx: Client, actorId: string | null, actorKind: string, action: string, number: number, before: unknown, after: unknown): Promise<void> {
    await tx.auditLog.create({
      data: { actorId, actorKind, action, entity: 'ticket', entityId: String(number), before: before === null ? undefined : toJson(before), after: toJson(after), at: this.now() },
    });
  }

  private async nameOf(userId: string): Promise<string> {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { displayName: true } });
    if (!user) throw new GuichetError('tickets.invalid', `no user ${userId}`);
    return user.displayName;
  }

  private async row(tx: Client, number: number) {
    const row = await tx.ticket.findUnique({ where: { number } });
    if (!row) throw new GuichetError('tickets.not-found', `no ticket #${number}`);
    return row;
  }

  /** The ticket when `viewer` may see it (as its requester or staff); not found otherwise. */
  private async own(number: number, viewer: Viewer) {
    const row = await this.db.ticket.findUnique({ where: { number } });
    if (!row || !this.canSee(viewer, row.requesterId)) throw new GuichetError('tickets.not-found', `no ticket #${number}`);
    if (viewer.role === 'employee' && row.requesterId !== viewer.id) throw new GuichetError('tickets.forbidden', `ticket #${number} is not yours`);
    return row;
  }

  private async mustView(number: number): Promise<TicketView> {
    const row = await this.db.ticket.findUnique({ where: { number }, include: TICKET_INCLUDE });
    if (!row) throw new GuichetError('tickets.not-found', `no ticket #${number}`);
    return toTicketView(row);
  }

  private canSee(viewer: Viewer, requesterId: string): boolean {
    return viewer.role !== 'employee' || viewer.id === requesterId;
  }

  private assertStaff(viewer: Viewer): void {
    if (viewer.role === 'employee') throw new GuichetError('tickets.forbidden', 'only service desk agents can do this');
  }

  private text(field: string, value: string): string {
    const parsed = textSchema.safeParse(value);
    if (!parsed.success) throw invalid(field, parsed.error);
    return parsed.data;
  }
}

const fileNames = (data: Record<string, unknown>): string => (filesOf(data).files ?? []).map((f) => f.name).join(', ');

/** The files an event's data holds, when it holds some (older or foreign data is left out, not trusted). */
function filesOf(data: unknown): { files?: InboundFile[] } {
  const parsed = filesSchema.safeParse((data as { files?: unknown } | null)?.files);
  return parsed.success && parsed.data.length > 0 ? { files: parsed.data } : {};
}

const due = (t: TicketView): number => (t.resolutionDueAt ? Date.parse(t.resolutionDueAt) : Number.MAX_SAFE_INTEGER);

/** "Is it fixed?" after a resolution: the buttons' values are what the ticket chat module parses. */
export function resolvedMessages(view: TicketView, lang: Lang): OutboundMessage[] {
  return [
    { type: 'ticket', ticket: view, lang },
    {
      type: 'choices',
      text: say(lang, 'resolvedAsk', { number: view.number, resolution: view.resolution ?? '' }),
      choices: [
        { label: say(lang, 'fixedYes'), value: say(lang, 'fixedYesValue', { number: view.number }) },
        { label: say(lang, 'fixedNo'), value: say(lang, 'fixedNoValue', { number: view.number }) },
      ],
    },
  ];
}

/** One timeline line, in the viewer's language. */
export function describeEvent(kind: string, data: Record<string, unknown>, lang: Lang): string {
  const s = (key: string) => String(data[key] ?? '');
  switch (kind) {
    case 'created':
      return say(lang, 'evCreated');
    case 'status':
      return say(lang, 'evStatus', { from: statusLabel(lang, s('from') as TicketStatus), to: statusLabel(lang, s('to') as TicketStatus) });
    case 'assigned':
      return say(lang, 'evAssigned', { agent: s('assigneeName') || '…' });
    case 'info': {
      const names = fileNames(data);
      if (!s('text')) return say(lang, 'evFiles', { files: names });
      return say(lang, 'evInfo', { text: s('text') }) + (names ? ` — ${say(lang, 'evFiles', { files: names })}` : '');
    }
    case 'files':
      return say(lang, 'evFiles', { files: fileNames(data) });
    case 'reply':
      return say(lang, 'evReply', { text: s('text') });
    case 'note':
      return say(lang, 'evNote', { text: s('text') });
    case 'escalated':
      return data.type === 'functional' ? say(lang, 'evEscalatedFunctional', { group: s('groupName') || s('to'), level: s('level') }) : say(lang, 'evEscalatedHierarchical', { reason: s('reason') });
    case 'sla-warning':
      return say(lang, 'evSlaWarning', { target: say(lang, s('target') === 'response' ? 'response' : 'resolution') });
    case 'sla-breach':
      return say(lang, 'evSlaBreach', { target: say(lang, s('target') === 'response' ? 'response' : 'resolution') });
    case 'resolved':
      return say(lang, 'evResolved', { resolution: s('resolution') });
    case 'confirmed':
      return say(lang, 'evConfirmed');
    case 'reopened':
      return say(lang, 'evReopened');
    case 'auto-closed':
      return say(lang, 'evAutoClosed');
    case 'rated':
      return say(lang, 'evRated', { score: s('score') });
    case 'priority':
      return say(lang, 'evPriority', { from: s('from'), to: s('to') });
    case 'approval-requested':
      return say(lang, 'evApprovalRequested');
    case 'approval-granted':
      return say(lang, 'evApprovalGranted');
    case 'approval-rejected':
      return say(lang, 'evApprovalRejected');
    case 'linked':
      return say(lang, 'evLinked', { incident: s('incident') || s('duplicateOf') || s('knownError') });
    default:
      return kind;
  }
}
