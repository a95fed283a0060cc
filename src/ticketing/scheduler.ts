/**
 * The SLA clock, ticking in-process (the embedded default; on PostgreSQL every
 * instance may tick, events are deduplicated by the database). For each open
 * ticket: a warning at 75 % of the response and resolution targets (business
 * minutes, paused time excluded), a breach at 100 % with functional escalation
 * (response: the group's agents are told; resolution: the ticket moves to the
 * next level's group) and hierarchical escalation (the group's manager and the
 * service desk lead are told). Resolved tickets nobody confirmed are closed
 * after N business days.
 *
 * Idempotence: a firing is one transaction that first inserts a timeline event
 * with a dedupe key ("sla-warning:response", "sla-breach:resolution",
 * "escalated:functional:sla"…) and then changes the ticket. A unique violation
 * means another tick (an earlier run, or a concurrent process) already fired
 * it: the whole firing is skipped, so nothing changes or notifies twice.
 * Notifications go out after the commit (at most once).
 */
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { Clock } from '../core/ports.ts';
import { formatWhen } from '../core/ticket-texts.ts';
import { isUniqueViolation, type Database } from '../persistence/database.ts';
import { toJson } from '../persistence/stores/json.ts';
import { businessMinutesBetween } from './calendar.ts';
import type { DeskConfig } from './config.ts';
import type { PrismaTicketDesk } from './desk.ts';
import { warningAt } from './sla.ts';
import { OPEN_STATUSES } from './status.ts';
import { say } from './texts.ts';
import { TICKET_INCLUDE, toTicketView } from './views.ts';

export { WARNING_SHARE } from './sla.ts';

export interface TickReport {
  warnings: number;
  breaches: number;
  escalations: number;
  autoClosed: number;
}

export interface SchedulerDeps {
  db: Database;
  clock: Clock;
  desk: PrismaTicketDesk;
  config: Pick<DeskConfig, 'policies' | 'autoCloseBusinessDays' | 'calendars' | 'serviceDeskLead'>;
  /** Default period of start(), in milliseconds (60 s). */
  intervalMs?: number;
  /** A ticket that could not be processed (it is retried next tick) or a failed tick; without it, tick() rejects after the pass. */
  onError?: (err: unknown) => void;
}

type Target = 'response' | 'resolution';
type Tx = Parameters<Parameters<Database['client']['$transaction']>[0]>[0];

const OPEN_TICKET_SELECT = {
  id: true, number: true, title: true, status: true, createdAt: true, slaPolicyId: true, slaPausedAt: true, slaPausedMinutes: true,
  responseDueAt: true, resolutionDueAt: true, firstResponseAt: true, responseBreached: true, resolutionBreached: true,
  groupId: true, assigneeId: true, requesterId: true, level: true, priority: true,
} as const;

interface OpenTicket {
  id: string;
  number: number;
  title: string;
  status: string;
  createdAt: Date;
  slaPolicyId: string | null;
  slaPausedAt: Date | null;
  slaPausedMinutes: number;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseAt: Date | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  groupId: string | null;
  assigneeId: string | null;
  requesterId: string;
  level: number;
  priority: number;
}

export function createSlaScheduler(deps: SchedulerDeps) {
  const { db, desk } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickReport> | undefined;

  /** Runs `work` in a transaction that first inserts the dedupe event; false when it had already fired. */
  async function once<T>(ticketId: string, kind: string, dedupeKey: string, data: Record<string, unknown>, at: Date, work: (tx: Tx) => Promise<T>): Promise<{ fired: true; value: T } | { fired: false }> {
    try {
      const value = await db.client.$transaction(async (tx) => {
        await tx.ticketEvent.create({ data: { ticketId, kind, actorKind: 'system', visibility: 'internal', data: toJson(data), dedupeKey, createdAt: at } });
        return work(tx);
      });
      return { fired: true, value };
    } catch (err) {
      if (isUniqueViolation(err)) return { fired: false };
      throw err;
    }
  }

  async function tick(): Promise<TickReport> {
    const now = deps.clock.now();
    const report: TickReport = { warnings: 0, breaches: 0, escalations: 0, autoClosed: 0 };
    const tickets: OpenTicket[] = await db.client.ticket.findMany({
      where: { status: { in: [...OPEN_STATUSES] }, OR: [{ resolutionBreached: false }, { responseBreached: false, firstResponseAt: null }] },
      select: OPEN_TICKET_SELECT,
      orderBy: { number: 'asc' },
    });
    const failures: unknown[] = [];
    const failed = (err: unknown) => (deps.onError ? deps.onError(err) : failures.push(err));
    for (const t of tickets) {
      try {
        await checkTicket(t, now, report);
      } catch (err) {
        failed(err); // one broken ticket does not stop the clock for the others
      }
    }
    report.autoClosed = await autoClose(now, failed);
    // Without onError, problems are not swallowed: the pass completes, then throws them.
    if (failures.length > 0) throw new AggregateError(failures, `SLA clock: ${failures.length} ticket(s) could not be processed: ${String(failures[0])}`);
    return report;
  }

  async function checkTicket(t: OpenTicket, now: Date, report: TickReport): Promise<void> {
    const policy = deps.config.policies.find((p) => p.id === t.slaPolicyId);
    if (!policy || (t.slaPausedAt && policy.pauseOnPending)) return;
    const cal = desk.calendar(policy.calendarId);
    const targets: { target: Target; due: Date | null; met: boolean; breached: boolean }[] = [
      { target: 'response', due: t.responseDueAt, met: t.firstResponseAt !== null, breached: t.responseBreached },
      { target: 'resolution', due: t.resolutionDueAt, met: false, breached: t.resolutionBreached },
    ];
    // Each priority has its own targets: a new priority re-arms the warning and the breach (see desk.setPriority).
    const generation = `P${t.priority}`;
    for (const { target, due, met, breached } of targets) {
      if (!due || met || breached) continue;
      if (now >= due) {
        const fired = await once(t.id, 'sla-breach', `sla-breach:${target}:${generation}`, { target, due: due.toISOString() }, now, (tx) => breach(tx, t, target, due, now));
        if (!fired.fired) continue;
        report.breaches += 1;
        report.escalations += fired.value.escalations;
        await tellBreach(t, target, due, fired.value);
        await desk.changed(t.number, fired.value.movedTo ? 'escalated' : 'sla-breach');
      } else if (now >= warningAt(cal, t.createdAt, due, t.slaPausedMinutes)) {
        const data = target === 'response' ? { responseWarnedAt: now } : { resolutionWarnedAt: now };
        const fired = await once(t.id, 'sla-warning', `sla-warning:${target}:${generation}`, { target, due: due.toISOString() }, now, (tx) => tx.ticket.update({ where: { id: t.id }, data }));
        if (!fired.fired) continue;
        report.warnings += 1;
        await tellWarning(t, target, due);
        await desk.changed(t.number, 'sla-warning');
      }
    }
  }

  interface Breach {
    escalations: number;
    movedTo: { id: string; name: string; level: number } | null;
  }

  /** Inside the breach's transaction: the flag, the functional escalation (resolution) and the hierarchical one. */
  async function breach(tx: Tx, t: OpenTicket, target: Target, due: Date, now: Date): Promise<Breach> {
    await tx.ticket.update({ where: { id: t.id }, data: target === 'response' ? { responseBreached: true } : { resolutionBreached: true } });
    let escalations = 0;
    let movedTo: Breach['movedTo'] = null;
    if (target === 'resolution' && t.level < 3) {
      const next = await desk.escalationTarget(tx, t.groupId, t.level + 1);
      if (next) {
        await tx.ticketEvent.create({
          data: {
            ticketId: t.id, kind: 'escalated', actorKind: 'system', visibility: 'public', dedupeKey: `escalated:functional:sla:P${t.priority}`, createdAt: now,
            data: toJson({ type: 'functional', from: t.groupId, to: next.id, level: next.level, groupName: next.name, reason: 'sla-breach' }),
          },
        });
        // As when an agent escalates: the new group picks it up afresh.
        await tx.ticket.update({ where: { id: t.id }, data: { groupId: next.id, level: next.level, assigneeId: null } });
        if (t.status !== 'new') await desk.moveStatus(tx, t.number, 'new', { id: null, kind: 'system' }, now, true);
        movedTo = next;
        escalations += 1;
      }
    }
    await tx.ticketEvent.create({
      data: {
        ticketId: t.id, kind: 'escalated', actorKind: 'system', visibility: 'internal', dedupeKey: `escalated:hierarchical:sla-${target}:P${t.priority}`, createdAt: now,
        data: toJson({ type: 'hierarchical', reason: `sla-breach:${target}`, due: due.toISOString() }),
      },
    });
    return { escalations: escalations + 1, movedTo };
  }

  async function ticketCard(number: number): Promise<(lang: Lang) => OutboundMessage[]> {
    const row = await db.client.ticket.findUniqueOrThrow({ where: { number }, include: TICKET_INCLUDE });
    const view = toTicketView(row);
    return (lang) => [{ type: 'ticket', ticket: view, lang }];
  }

  async function membersOf(groupId: string | null): Promise<string[]> {
    if (!groupId) return [];
    const members = await db.client.groupMember.findMany({ where: { groupId, available: true }, select: { userId: true }, orderBy: { userId: 'asc' } });
    return members.map((m) => m.userId);
  }

  /** 75 %: the assignee (or the group's manager when nobody has it) and the requester ("your ticket is at risk"). */
  async function tellWarning(t: OpenTicket, target: Target, due: Date): Promise<void> {
    const card = await ticketCard(t.number);
    const staff = t.assigneeId ?? (await desk.groupManager(t.groupId ?? undefined));
    const when = (lang: Lang) => formatWhen(due.toISOString(), lang);
    if (staff) {
      await desk.notifyUser(staff, (lang) => [{ type: 'text', text: say(lang, 'slaWarning', { number: t.number, title: t.title, target: say(lang, target), due: when(lang) }) }, ...card(lang)]);
    }
    if (staff !== t.requesterId) await desk.notifyUser(t.requesterId, (lang) => [{ type: 'text', text: say(lang, 'slaRisk', { number: t.number }) }, ...card(lang)]);
  }

  /**
   * 100 %: functional side — the agents who must act (the assignee, or the whole group when nobody
   * has it; after a move, the new group); hierarchical side — the managers and the service desk lead.
   */
  async function tellBreach(t: OpenTicket, target: Target, due: Date, { movedTo }: Breach): Promise<void> {
    const card = await ticketCard(t.number);
    const agents = movedTo ? await membersOf(movedTo.id) : t.assigneeId ? [t.assigneeId] : await membersOf(t.groupId);
    const managers = [
      await desk.groupManager(t.groupId ?? undefined),
      movedTo ? await desk.groupManager(movedTo.id) : undefined,
      await desk.userByEmail(deps.config.serviceDeskLead),
      movedTo ? t.assigneeId ?? undefined : undefined,
    ];
    const recipients = new Set([...agents, ...managers].filter((x): x is string => Boolean(x) && x !== t.requesterId));
    for (const to of recipients) {
      await desk.notifyUser(to, (lang) => [
        {
          type: 'text',
          text: say(lang, 'slaBreach', { number: t.number, title: t.title, target: say(lang, target), due: formatWhen(due.toISOString(), lang) }) + (movedTo ? say(lang, 'slaEscalatedTo', { group: movedTo.name }) : ''),
        },
        ...card(lang),
      ]);
    }
  }

  async function autoClose(now: Date, failed: (err: unknown) => void): Promise<number> {
    const resolved = await db.client.ticket.findMany({ where: { status: 'resolved', resolvedAt: { not: null } }, select: { id: true, number: true, resolvedAt: true, slaPolicyId: true, requesterId: true } });
    let closed = 0;
    for (const t of resolved) {
      try {
        const policy = deps.config.policies.find((p) => p.id === t.slaPolicyId) ?? deps.config.policies[0];
        const cal = desk.calendar(policy?.calendarId ?? deps.config.calendars[0]!.id);
        if (businessMinutesBetween(cal, t.resolvedAt!, now) < deps.config.autoCloseBusinessDays * workingMinutesPerDay(cal)) continue;
        const won = await db.client.$transaction(async (tx) => {
          const { count } = await tx.ticket.updateMany({ where: { id: t.id, status: 'resolved' }, data: { status: 'closed', closedAt: now } });
          if (count === 0) return false; // confirmed, reopened or closed by another instance meanwhile
          await tx.ticketEvent.create({ data: { ticketId: t.id, kind: 'status', actorKind: 'system', data: toJson({ from: 'resolved', to: 'closed' }), createdAt: now } });
          await tx.ticketEvent.create({
            data: {
              ticketId: t.id, kind: 'auto-closed', actorKind: 'system', createdAt: now,
              data: toJson({ businessDays: deps.config.autoCloseBusinessDays, note: `no confirmation from the requester within ${deps.config.autoCloseBusinessDays} business days` }),
            },
          });
          return true;
        });
        if (!won) continue;
        closed += 1;
        const card = await ticketCard(t.number);
        await desk.notifyUser(t.requesterId, (lang) => [{ type: 'text', text: say(lang, 'autoClosed', { number: t.number }) }, ...card(lang)]);
        await desk.changed(t.number, 'closed');
      } catch (err) {
        failed(err);
      }
    }
    return closed;
  }

  const scheduler = {
    /** One pass; concurrent calls in one process share the pass. */
    tick(): Promise<TickReport> {
      running ??= tick().finally(() => {
        running = undefined;
      });
      return running;
    },
    /** Ticks every `intervalMs` until stop(); the timer does not keep the process alive. */
    start(intervalMs = deps.intervalMs ?? 60_000): void {
      if (timer) return;
      timer = setInterval(() => {
        scheduler.tick().catch((err: unknown) => deps.onError?.(err));
      }, intervalMs);
      timer.unref();
    },
    /** Stops the timer and waits for a pass in progress. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
  return scheduler;
}

/** A business day's length in minutes: the calendar's longest working weekday. */
function workingMinutesPerDay(cal: { hours: Record<string, [string, string][]> }): number {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return Math.max(...Object.values(cal.hours).map((day) => day.reduce((sum, [a, b]) => sum + minutes(b) - minutes(a), 0)));
}

export type SlaScheduler = ReturnType<typeof createSlaScheduler>;
