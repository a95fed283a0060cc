/**
 * Carrying out the SLA clock's decisions (sla-decide.ts) through the desk's internal API.
 *
 * Idempotence: a firing is one unit of work that first appends its timeline event with a strict
 * dedupe key and then changes the ticket. A conflict means another tick (an earlier run, or a
 * concurrent process) already fired it: the whole firing is skipped, so nothing changes or
 * notifies twice. Notifications go out after the commit (at most once).
 */
import type { Lang } from '../core/lang.ts';
import { formatWhen } from '../core/ticket-texts.ts';
import { say } from '../texts/index.ts';
import type { DeskInternals } from './desk/internals.ts';
import { isConflict, type TicketChanges, type TicketRecord, type TicketUnit } from './ports.ts';
import type { SlaFiring } from './sla-decide.ts';

export interface CarryDeps {
  desk: DeskInternals;
  /** E-mail of the service desk lead, told of every breach. */
  serviceDeskLead?: string;
  /** Zone due times are written in for people. */
  timeZone?: string;
  autoCloseBusinessDays: number;
}

/**
 * The same deps, with the directory lookups a tick repeats for every firing (a group's manager and
 * available members, the service desk lead) answered once per tick: a mass breach of one group
 * costs one lookup, not one per ticket. Fresh for each tick, so changes are seen at the next one.
 */
export function withLookups(deps: CarryDeps): CarryDeps {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let known = memo.get(key) as Promise<T> | undefined;
    if (!known) {
      known = load();
      memo.set(key, known);
      known.catch(() => memo.delete(key)); // a failed lookup is tried again by the next firing (the firing itself reports it)
    }
    return known;
  };
  const desk = deps.desk;
  const repository = new Proxy(desk.repository, {
    get(target, prop) {
      if (prop === 'availableMembers') return (groupId: string) => once(`members:${groupId}`, () => target.availableMembers(groupId));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    ...deps,
    desk: {
      ...desk,
      repository,
      groupManager: (groupId) => once(`manager:${groupId ?? ''}`, () => desk.groupManager(groupId)),
      userByEmail: (email) => once(`email:${email ?? ''}`, () => desk.userByEmail(email)),
    },
  };
}

interface Breach {
  escalations: number;
  movedTo: { id: string; name: string; level: number } | undefined;
}

/** Runs `work` after the firing's event; undefined when it had already fired. */
async function once<T>(deps: CarryDeps, t: TicketRecord, firing: SlaFiring, now: Date, work: (tx: TicketUnit) => Promise<T>): Promise<T | undefined> {
  try {
    return await deps.desk.repository.transaction(async (tx) => {
      await tx.appendEvent(t.number, { kind: firing.kind, actorId: null, actorKind: 'system', visibility: 'internal', data: { target: firing.target, due: firing.due.toISOString() }, dedupeKey: firing.dedupeKey, at: now }, { strict: true });
      return work(tx);
    });
  } catch (err) {
    if (isConflict(err)) return undefined;
    throw err;
  }
}

/**
 * A firing whose event was already written (another instance, or this priority before a change
 * back to it): its flag is set so the ticket's next SLA moment moves on instead of coming back
 * every tick. Nothing is told. False.
 */
async function alreadyFired(deps: CarryDeps, t: TicketRecord, flag: TicketChanges): Promise<false> {
  await deps.desk.repository.update(t.number, flag);
  return false;
}

/** 75 %: flagged, then the assignee (or the group's manager) and the requester are told. False when already fired. */
export async function warn(deps: CarryDeps, t: TicketRecord, firing: SlaFiring, now: Date): Promise<boolean> {
  const flag = firing.target === 'response' ? { responseWarnedAt: now } : { resolutionWarnedAt: now };
  const fired = await once(deps, t, firing, now, (tx) => tx.update(t.number, flag));
  if (fired === undefined) return alreadyFired(deps, t, flag);
  const card = await deps.desk.ticketCard(t.number);
  const staff = t.assigneeId ?? (await deps.desk.groupManager(t.groupId));
  const when = (lang: Lang) => formatWhen(firing.due.toISOString(), lang, deps.timeZone);
  if (staff) {
    await deps.desk.notifyUser(staff, (lang) => [{ type: 'text', text: say(lang, 'tickets.slaWarning', { number: t.number, title: t.title, target: say(lang, `tickets.${firing.target}`), due: when(lang) }) }, ...card(lang)]);
  }
  if (staff !== t.requesterId) await deps.desk.notifyUser(t.requesterId, (lang) => [{ type: 'text', text: say(lang, 'tickets.slaRisk', { number: t.number }) }, ...card(lang)]);
  await deps.desk.changed(t.number, 'sla-warning');
  return true;
}

/** 100 %: flagged, escalated (resolution: to the next level's group; always: hierarchically), then told. Undefined when already fired. */
export async function breach(deps: CarryDeps, t: TicketRecord, firing: SlaFiring, now: Date): Promise<Breach | undefined> {
  const done = await once(deps, t, firing, now, async (tx): Promise<Breach> => {
    await tx.update(t.number, firing.target === 'response' ? { responseBreached: true } : { resolutionBreached: true });
    let movedTo: Breach['movedTo'];
    if (firing.target === 'resolution' && t.level < 3) {
      movedTo = await deps.desk.escalationTarget(tx, t.groupId, t.level + 1);
      if (movedTo) {
        const event = { dedupeKey: `escalated:functional:sla:P${t.priority}`, data: { reason: 'sla-breach' } };
        await deps.desk.moveToGroup(tx, t, movedTo, { id: null, kind: 'system' }, now, event);
      }
    }
    await tx.appendEvent(t.number, {
      kind: 'escalated', actorId: null, actorKind: 'system', visibility: 'internal', dedupeKey: `escalated:hierarchical:sla-${firing.target}:P${t.priority}`, at: now,
      data: { type: 'hierarchical', reason: `sla-breach:${firing.target}`, due: firing.due.toISOString() },
    });
    return { escalations: movedTo ? 2 : 1, movedTo };
  });
  if (!done) {
    await alreadyFired(deps, t, firing.target === 'response' ? { responseBreached: true } : { resolutionBreached: true });
    return undefined;
  }
  await tellBreach(deps, t, firing, done);
  await deps.desk.changed(t.number, done.movedTo ? 'escalated' : 'sla-breach');
  return done;
}

/**
 * Functional side — the agents who must act (the assignee, or the whole group when nobody has
 * it; after a move, the new group); hierarchical side — the managers and the service desk lead.
 */
async function tellBreach(deps: CarryDeps, t: TicketRecord, firing: SlaFiring, { movedTo }: Breach): Promise<void> {
  const card = await deps.desk.ticketCard(t.number);
  const members = (groupId: string | null) => (groupId ? deps.desk.repository.availableMembers(groupId) : Promise.resolve([]));
  const agents = movedTo ? await members(movedTo.id) : t.assigneeId ? [t.assigneeId] : await members(t.groupId);
  const managers = [
    await deps.desk.groupManager(t.groupId),
    movedTo ? await deps.desk.groupManager(movedTo.id) : undefined,
    await deps.desk.userByEmail(deps.serviceDeskLead),
    movedTo ? (t.assigneeId ?? undefined) : undefined,
  ];
  const recipients = new Set([...agents, ...managers].filter((x): x is string => Boolean(x) && x !== t.requesterId));
  for (const to of recipients) {
    await deps.desk.notifyUser(to, (lang) => [
      {
        type: 'text',
        text:
          say(lang, 'tickets.slaBreach', { number: t.number, title: t.title, target: say(lang, `tickets.${firing.target}`), due: formatWhen(firing.due.toISOString(), lang, deps.timeZone) }) +
          (movedTo ? say(lang, 'tickets.slaEscalatedTo', { group: movedTo.name }) : ''),
      },
      ...card(lang),
    ]);
  }
}

/** Closes a resolved ticket nobody confirmed, through the status machine; false when it changed meanwhile. */
export async function autoClose(deps: CarryDeps, t: TicketRecord, now: Date): Promise<boolean> {
  const days = deps.autoCloseBusinessDays;
  const won = await deps.desk.repository.transaction(async (tx) => {
    // Only while still resolved: confirmed, reopened or closed by another instance meanwhile is theirs.
    if ((await tx.find(t.number))?.status !== 'resolved') return false;
    if (!(await deps.desk.moveStatus(tx, t.number, 'closed', { id: null, kind: 'system' }, now, { guarded: true }))) return false;
    await tx.appendEvent(t.number, { kind: 'auto-closed', actorId: null, actorKind: 'system', at: now, data: { businessDays: days, note: `no confirmation from the requester within ${days} business days` } });
    return true;
  });
  if (!won) return false;
  const card = await deps.desk.ticketCard(t.number);
  await deps.desk.notifyUser(t.requesterId, (lang) => [{ type: 'text', text: say(lang, 'tickets.autoClosed', { number: t.number }) }, ...card(lang)]);
  await deps.desk.changed(t.number, 'closed');
  return true;
}
