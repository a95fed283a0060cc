/**
 * Carrying out the SLA clock's decisions (sla-decide.ts) through the desk's internal API.
 *
 * Idempotence: a firing first appends its timeline event with a strict dedupe key, then changes
 * the ticket. A batch of firings is one unit of work (one commit, the cost of a mass breach); a
 * conflict means another tick (an earlier run, or a concurrent process) already fired one of
 * them: the batch is rolled back and each firing is retried in its own unit, where a conflict
 * skips that firing, so nothing changes or notifies twice. Notifications go out after the commit
 * (at most once). Queries of one unit are issued one after the other, never concurrently.
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

/**
 * A due time written for people, memoised: formatWhen builds an Intl.DateTimeFormat per call, and a
 * mass breach writes the same few due times in two languages for thousands of messages.
 */
const written = new Map<string, string>();
function when(due: Date, lang: Lang, timeZone: string | undefined): string {
  const key = `${due.getTime()}|${lang}|${timeZone ?? ''}`;
  let text = written.get(key);
  if (text === undefined) {
    if (written.size >= 2_000) written.clear();
    text = formatWhen(due.toISOString(), lang, timeZone);
    written.set(key, text);
  }
  return text;
}

interface Breach {
  escalations: number;
  movedTo: { id: string; name: string; level: number } | undefined;
}

/** How many fired tickets are told about at once (their reads overlap on PostgreSQL's pool). */
const TELLERS = 8;

/** A firing carried out (its writes committed), to tell people of. */
export interface Fired {
  t: TicketRecord;
  firing: SlaFiring;
  done: Breach;
}

const flagOf = (firing: SlaFiring, now: Date): TicketChanges =>
  firing.kind === 'sla-warning'
    ? firing.target === 'response' ? { responseWarnedAt: now } : { resolutionWarnedAt: now }
    : firing.target === 'response' ? { responseBreached: true } : { resolutionBreached: true };

/**
 * A firing's writes in a unit of work: its event (strict: a second one is a conflict), its flag,
 * and for a breach the escalations (resolution: to the next level's group; always: hierarchical).
 */
async function write(deps: CarryDeps, tx: TicketUnit, t: TicketRecord, firing: SlaFiring, now: Date): Promise<Breach> {
  await tx.appendEvent(t.number, { kind: firing.kind, actorId: null, actorKind: 'system', visibility: 'internal', data: { target: firing.target, due: firing.due.toISOString() }, dedupeKey: firing.dedupeKey, at: now }, { strict: true });
  await tx.update(t.number, flagOf(firing, now));
  if (firing.kind === 'sla-warning') return { escalations: 0, movedTo: undefined };
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
}

/**
 * One firing in its own unit of work. Undefined when its event was already written (another
 * instance, or this priority before a change back to it): then only its flag is set, so the
 * ticket's next SLA moment moves on instead of coming back every tick; nobody is told.
 */
async function fireOne(deps: CarryDeps, t: TicketRecord, firing: SlaFiring, now: Date): Promise<Breach | undefined> {
  try {
    return await deps.desk.repository.transaction((tx) => write(deps, tx, t, firing, now));
  } catch (err) {
    if (!isConflict(err)) throw err;
    await deps.desk.repository.update(t.number, flagOf(firing, now));
    return undefined;
  }
}

/**
 * Carries out a batch of firings: their writes in ONE unit of work (one commit for the batch),
 * `pace` called between firings (it yields to the event loop now and then); when that unit fails —
 * a conflict (another instance fired one first) or a broken ticket — each firing again in its own
 * (conflicts skipped, failures given to `failed`). Then the people of each one fired are told.
 */
export async function fireAll(deps: CarryDeps, plans: { t: TicketRecord; firing: SlaFiring }[], now: Date, pace: () => Promise<void>, failed: (err: unknown) => void): Promise<Fired[]> {
  if (plans.length === 0) return [];
  let fired: Fired[] = [];
  try {
    fired = await deps.desk.repository.transaction(async (tx) => {
      const out: Fired[] = [];
      for (const plan of plans) {
        out.push({ ...plan, done: await write(deps, tx, plan.t, plan.firing, now) });
        await pace();
      }
      return out;
    });
  } catch {
    // The batch was rolled back as a whole: each firing once more on its own (which reports its own failure).
    fired = [];
    for (const plan of plans) {
      try {
        const done = await fireOne(deps, plan.t, plan.firing, now);
        if (done) fired.push({ ...plan, done });
      } catch (err) {
        failed(err);
      }
      await pace();
    }
  }
  // Telling reads on the database's pool (outside any unit of work): a few tickets at a time.
  const queue = [...fired];
  const teller = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      try {
        await tell(deps, f);
      } catch (err) {
        failed(err);
      }
      await pace();
    }
  };
  await Promise.all(Array.from({ length: Math.min(TELLERS, fired.length) }, teller));
  return fired;
}

/** Tells people of a committed firing, then the desk's owner. */
async function tell(deps: CarryDeps, { t, firing, done }: Fired): Promise<void> {
  if (firing.kind === 'sla-breach') {
    await tellBreach(deps, t, firing, done);
    await deps.desk.changed(t.number, done.movedTo ? 'escalated' : 'sla-breach');
    return;
  }
  // 75 %: the assignee (or the group's manager) and the requester.
  const card = await deps.desk.ticketCard(t.number);
  const staff = t.assigneeId ?? (await deps.desk.groupManager(t.groupId));
  if (staff) {
    const due = (lang: Lang) => when(firing.due, lang, deps.timeZone);
    await deps.desk.notifyUser(staff, (lang) => [{ type: 'text', text: say(lang, 'tickets.slaWarning', { number: t.number, title: t.title, target: say(lang, `tickets.${firing.target}`), due: due(lang) }) }, ...card(lang)]);
  }
  if (staff !== t.requesterId) await deps.desk.notifyUser(t.requesterId, (lang) => [{ type: 'text', text: say(lang, 'tickets.slaRisk', { number: t.number }) }, ...card(lang)]);
  await deps.desk.changed(t.number, 'sla-warning');
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
          say(lang, 'tickets.slaBreach', { number: t.number, title: t.title, target: say(lang, `tickets.${firing.target}`), due: when(firing.due, lang, deps.timeZone) }) +
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
