/**
 * The SLA clock, ticking in-process (the embedded default; on PostgreSQL every
 * instance may tick, events are deduplicated by the database). For each open
 * ticket: a warning at 75 % of the response and resolution targets, a breach
 * at 100 % with functional escalation (resolution: to the next level's group)
 * and hierarchical escalation (the group's manager and the service desk lead
 * are told). Resolved tickets nobody confirmed are closed after N business
 * days. Every firing first inserts a timeline event with a dedupe key; only
 * the process whose insert succeeded notifies, so nothing fires twice, across
 * restarts and concurrent schedulers.
 */
import type { Lang } from '../core/lang.ts';
import type { Clock } from '../core/ports.ts';
import { formatWhen } from '../core/ticket-texts.ts';
import { isUniqueViolation, type Database } from '../persistence/database.ts';
import { toJson } from '../persistence/stores/json.ts';
import { addBusinessMinutes, businessMinutesBetween } from './calendar.ts';
import type { DeskConfig } from './config.ts';
import type { PrismaTicketDesk } from './desk.ts';
import { OPEN_STATUSES } from './status.ts';
import { say } from './texts.ts';

export const WARNING_SHARE = 0.75;

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
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

type Target = 'response' | 'resolution';

export function createSlaScheduler(deps: SchedulerDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickReport> | undefined;

  /** Inserts the event unless it exists; true when this call inserted it. */
  async function fire(ticketId: string, kind: string, dedupeKey: string, data: Record<string, unknown>, at: Date): Promise<boolean> {
    try {
      await deps.db.client.ticketEvent.create({ data: { ticketId, kind, actorKind: 'system', visibility: 'internal', data: toJson(data), dedupeKey, createdAt: at } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async function tick(): Promise<TickReport> {
    const now = deps.clock.now();
    const report: TickReport = { warnings: 0, breaches: 0, escalations: 0, autoClosed: 0 };
    const tickets = await deps.db.client.ticket.findMany({
      where: { status: { in: [...OPEN_STATUSES] }, OR: [{ resolutionBreached: false }, { responseBreached: false, firstResponseAt: null }] },
      select: {
        id: true, number: true, title: true, status: true, createdAt: true, slaPolicyId: true, slaPausedAt: true, slaPausedMinutes: true,
        responseDueAt: true, resolutionDueAt: true, firstResponseAt: true, responseBreached: true, resolutionBreached: true,
        groupId: true, assigneeId: true, requesterId: true, level: true,
      },
    });
    for (const t of tickets) {
      const policy = deps.config.policies.find((p) => p.id === t.slaPolicyId);
      if (!policy || (t.slaPausedAt && policy.pauseOnPending)) continue;
      const cal = deps.desk.calendar(policy.calendarId);
      const targets: { target: Target; due: Date | null; met: boolean; breached: boolean }[] = [
        { target: 'response', due: t.responseDueAt, met: t.firstResponseAt !== null, breached: t.responseBreached },
        { target: 'resolution', due: t.resolutionDueAt, met: false, breached: t.resolutionBreached },
      ];
      for (const { target, due, met, breached } of targets) {
        if (!due || met || breached) continue;
        // Business minutes of the target, and the instant 75 % of them are used (paused time excluded).
        const total = businessMinutesBetween(cal, t.createdAt, due) - t.slaPausedMinutes;
        const warnAt = addBusinessMinutes(cal, t.createdAt, Math.max(0, total) * WARNING_SHARE + t.slaPausedMinutes);
        if (now >= due) {
          if (await fire(t.id, 'sla-breach', `sla-breach:${target}`, { target, due: due.toISOString() }, now)) {
            report.breaches += 1;
            await deps.db.client.ticket.update({ where: { id: t.id }, data: target === 'response' ? { responseBreached: true } : { resolutionBreached: true } });
            report.escalations += await escalate(t, target, due, now);
          }
        } else if (now >= warnAt) {
          if (await fire(t.id, 'sla-warning', `sla-warning:${target}`, { target, due: due.toISOString() }, now)) {
            report.warnings += 1;
            await deps.db.client.ticket.update({ where: { id: t.id }, data: target === 'response' ? { responseWarnedAt: now } : { resolutionWarnedAt: now } });
            await warn(t, target, due);
          }
        }
      }
    }
    report.autoClosed = await autoClose(now);
    return report;
  }

  async function warn(t: { number: number; title: string; assigneeId: string | null; groupId: string | null; requesterId: string }, target: Target, due: Date) {
    const staff = t.assigneeId ?? (await deps.desk.groupManager(t.groupId ?? undefined));
    if (staff) await deps.desk.notifyUser(staff, (lang) => [{ type: 'text', text: say(lang, 'slaWarning', { number: t.number, title: t.title, target: say(lang, target), due: formatWhen(due.toISOString(), lang) }) }]);
    if (target === 'resolution') await deps.desk.notifyUser(t.requesterId, (lang) => [{ type: 'text', text: say(lang, 'slaRisk', { number: t.number }) }]);
    await deps.desk.changed(t.number, 'sla-warning');
  }

  /** Breach: resolution → next level's group (functional); both → manager and service desk lead (hierarchical). */
  async function escalate(t: { id: string; number: number; title: string; groupId: string | null; level: number; assigneeId: string | null }, target: Target, due: Date, now: Date): Promise<number> {
    let escalations = 0;
    let movedTo: { id: string; name: string; level: number } | null = null;
    if (target === 'resolution' && t.level < 3) {
      const next = await deps.desk.escalationTarget(deps.db.client, t.groupId, t.level + 1);
      if (next && (await fire(t.id, 'escalated', 'escalated:functional:sla', { type: 'functional', from: t.groupId, to: next.id, level: next.level, groupName: next.name, reason: 'sla-breach' }, now))) {
        await deps.db.client.ticket.update({ where: { id: t.id }, data: { groupId: next.id, level: next.level } });
        movedTo = next;
        escalations += 1;
      }
    }
    if (await fire(t.id, 'escalated', `escalated:hierarchical:sla-${target}`, { type: 'hierarchical', reason: `sla-breach:${target}` }, now)) {
      escalations += 1;
      const recipients = new Set(
        [await deps.desk.groupManager(t.groupId ?? undefined), movedTo ? await deps.desk.groupManager(movedTo.id) : undefined, await deps.desk.userByEmail(deps.config.serviceDeskLead), t.assigneeId ?? undefined].filter(
          (x): x is string => Boolean(x),
        ),
      );
      for (const to of recipients) {
        await deps.desk.notifyUser(to, (lang: Lang) => [
          { type: 'text', text: say(lang, 'slaBreach', { number: t.number, title: t.title, target: say(lang, target), due: formatWhen(due.toISOString(), lang) }) + (movedTo ? say(lang, 'slaEscalatedTo', { group: movedTo.name }) : '') },
        ]);
      }
    }
    await deps.desk.changed(t.number, 'sla-breach');
    return escalations;
  }

  async function autoClose(now: Date): Promise<number> {
    const resolved = await deps.db.client.ticket.findMany({ where: { status: 'resolved', resolvedAt: { not: null } }, select: { id: true, number: true, resolvedAt: true, slaPolicyId: true, requesterId: true } });
    let closed = 0;
    for (const t of resolved) {
      const policy = deps.config.policies.find((p) => p.id === t.slaPolicyId) ?? deps.config.policies[0];
      const cal = deps.desk.calendar(policy?.calendarId ?? deps.config.calendars[0]!.id);
      if (businessMinutesBetween(cal, t.resolvedAt!, now) < deps.config.autoCloseBusinessDays * workingMinutesPerDay(cal)) continue;
      const won = await deps.db.client.$transaction(async (tx) => {
        const { count } = await tx.ticket.updateMany({ where: { id: t.id, status: 'resolved' }, data: { status: 'closed', closedAt: now } });
        if (count === 0) return false;
        await tx.ticketEvent.create({ data: { ticketId: t.id, kind: 'status', actorKind: 'system', data: toJson({ from: 'resolved', to: 'closed' }), createdAt: now } });
        await tx.ticketEvent.create({ data: { ticketId: t.id, kind: 'auto-closed', actorKind: 'system', data: toJson({ businessDays: deps.config.autoCloseBusinessDays }), createdAt: now } });
        return true;
      });
      if (!won) continue;
      closed += 1;
      await deps.desk.notifyUser(t.requesterId, (lang) => [{ type: 'text', text: say(lang, 'autoClosed', { number: t.number }) }]);
      await deps.desk.changed(t.number, 'closed');
    }
    return closed;
  }

  return {
    /** One pass; concurrent calls in one process share the pass. */
    tick(): Promise<TickReport> {
      running ??= tick().finally(() => {
        running = undefined;
      });
      return running;
    },
    start(intervalMs = deps.intervalMs ?? 60_000): void {
      if (timer) return;
      timer = setInterval(() => {
        this.tick().catch((err) => deps.onError?.(err));
      }, intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

/** A business day's length in minutes: the calendar's longest working weekday. */
function workingMinutesPerDay(cal: { hours: Record<string, [string, string][]> }): number {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return Math.max(...Object.values(cal.hours).map((day) => day.reduce((sum, [a, b]) => sum + minutes(b) - minutes(a), 0)));
}

export type SlaScheduler = ReturnType<typeof createSlaScheduler>;
