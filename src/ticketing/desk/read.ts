/**
 * What people read of the desk: a requester's tickets (only their own: a foreign number and an
 * unknown one look the same), the timeline, an agent's queue, the contact record.
 */
import { GuichetError } from '../../core/errors.ts';
import type { InboundFile } from '../../core/files.ts';
import type { Lang } from '../../core/lang.ts';
import type { ContactView, TicketAccess, TicketEventView, TicketView, Viewer } from '../../core/tickets.ts';
import { isOpen, OPEN_STATUSES } from '../status.ts';
import { canSee, type DeskContext } from './context.ts';
import { describeEvent, filesOf } from './describe-event.ts';

export async function listForRequester(ctx: DeskContext, userId: string, options: { includeClosed?: boolean; limit?: number } = {}): Promise<TicketView[]> {
  return ctx.repo.ofRequester(userId, { limit: options.limit ?? 20, ...(options.includeClosed ? {} : { statuses: [...OPEN_STATUSES, 'resolved'] }) });
}

export async function view(ctx: DeskContext, number: number, viewer: Viewer): Promise<TicketView | undefined> {
  const found = await ctx.repo.view(number);
  return found && canSee(viewer, found.requester.id) ? found : undefined;
}

/** The ticket and the viewer's roles on it (the authorization table decides from them); undefined when there is no such ticket. */
export async function access(ctx: DeskContext, number: number, viewer: Viewer): Promise<TicketAccess | undefined> {
  const row = await ctx.repo.find(number);
  const ticket = row ? await ctx.repo.view(number) : undefined;
  if (!row || !ticket) return undefined;
  return { ticket, roles: await ctx.rolesOn(viewer, row) };
}

export async function timeline(ctx: DeskContext, number: number, viewer: Viewer, lang: Lang): Promise<TicketEventView[]> {
  const ticket = await ctx.repo.find(number);
  if (!ticket || !canSee(viewer, ticket.requesterId)) return [];
  const events = await ctx.repo.events(number, { publicOnly: viewer.role === 'employee' });
  const names = await ctx.repo.displayNames([...new Set(events.map((e) => e.actorId).filter((id): id is string => id !== null))]);
  return events.map((e) => ({
    kind: e.kind,
    actorKind: e.actorKind,
    actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
    visibility: e.visibility,
    text: describeEvent(e.kind, e.data, lang),
    at: e.at.toISOString(),
    ...filesOf(e.data),
  }));
}

/** The latest `limit` files attached to a ticket (at creation or later), oldest first. */
export async function attachedFiles(ctx: DeskContext, number: number, limit: number): Promise<InboundFile[]> {
  const events = await ctx.repo.events(number, { kinds: ['files', 'info'] });
  return events.flatMap((e) => filesOf(e.data).files ?? []).slice(-limit);
}

/** Open tickets of the agent's groups (all for admins), unassigned first, then by priority and resolution due time. */
export async function queueFor(ctx: DeskContext, agentId: string): Promise<TicketView[]> {
  const agent = await ctx.repo.person(agentId);
  if (!agent || agent.role === 'employee') return [];
  const tickets = await ctx.repo.queue(agent.role === 'admin' ? undefined : agent.groupIds, agentId);
  return tickets.sort((a, b) => Number(a.assignee !== null) - Number(b.assignee !== null) || a.priority - b.priority || due(a) - due(b));
}

const due = (t: TicketView): number => (t.resolutionDueAt ? Date.parse(t.resolutionDueAt) : Number.MAX_SAFE_INTEGER);

export async function contact(ctx: DeskContext, userId: string): Promise<ContactView> {
  // Three independent reads at once (a guide's every turn reads the contact: one round trip's wait on PostgreSQL's pool instead of three).
  const [user, assets, tickets] = await Promise.all([ctx.repo.person(userId), ctx.repo.assetsOf(userId), ctx.repo.ofRequester(userId, { limit: 20 })]);
  if (!user) throw new GuichetError('ticketing.not-found', `contact: no user ${userId}`);
  const brief = (t: TicketView) => ({ number: t.number, title: t.title, status: t.status, priority: t.priority });
  const services = new Set<string>();
  for (const a of assets) for (const s of a.serviceIds) services.add(s);
  for (const t of tickets) if (t.serviceId) services.add(t.serviceId);
  const { id, displayName, email, department, jobTitle, vip, locale } = user;
  return {
    user: { id, displayName, email, department, jobTitle, vip, locale },
    assets: assets.map(({ tag, kind, name, status }) => ({ tag, kind, name, status })),
    services: [...services].sort(),
    openTickets: tickets.filter((t) => isOpen(t.status) || t.status === 'resolved').map(brief),
    recentTickets: tickets.filter((t) => t.status === 'closed' || t.status === 'cancelled').slice(0, 5).map(brief),
  };
}
