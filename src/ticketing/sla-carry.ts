/**
 * Carrying out the SLA clock's decisions (sla-decide.ts) through the desk's internal API.
 *
 * A batch of firings is one unit of work with set-based writes: the claim of its tickets (their
 * next SLA moments, compare-and-set, in one statement), the timeline events in one statement, each
 * flag in one statement for all its tickets, and one outbox job for the batch ("sla.tell",
 * sla-tell.ts) that records them for the tick's digests (sla-digest.ts: each person one message per
 * tick) — so a mass breach costs a few statements per hundred tickets, and an instance dying after the commit loses no message
 * (another runs the job). Only a breach that moves a ticket to the next level's group goes
 * through the per-ticket path.
 *
 * Once: a ticket is fired on only by the unit that moved its stored next moment from the value
 * read to the following one; another instance's concurrent tick (or a change of the ticket since
 * it was read: pause, priority, answer) makes the claim fail, and that ticket is left alone. The
 * timeline's dedupe keys stay a second guard: a firing whose event is already there (the same
 * priority fired before a change back to it) sets its flag and tells nobody. Queries of one unit
 * are issued one after the other, never concurrently.
 */
import type { NewJob } from '../core/jobs.ts';
import type { SlaClaim, TicketChanges, TicketRecord, TicketUnit } from './ports.ts';
import type { SlaFiring } from './sla-decide.ts';
import type { MomentOf } from './sla-rearm.ts';
import { tellBatchJob, tellJob, type TellDeps } from './sla-tell.ts';

export interface CarryDeps extends TellDeps {
  autoCloseBusinessDays: number;
  /** A ticket's next SLA moment (stored by the batch path, which bypasses the desk's re-arming). */
  moment: MomentOf;
  /** Tell jobs are written in the outbox (a job queue runs them); false: the caller tells people itself (tellJob). */
  outbox: boolean;
  /** The tick's instant, in its tell jobs (they wait for its digests, sla-digest.ts). */
  tick?: string;
  /** The tell jobs of a unit of work, once it is committed (the tick's digests claim them). */
  wrote?: (jobs: readonly NewJob[]) => void;
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

/** A firing carried out (its writes committed, its job written). */
export interface Fired {
  t: TicketRecord;
  firing: SlaFiring;
  done: Breach;
}

const flagOf = (firing: SlaFiring, now: Date): TicketChanges =>
  firing.kind === 'sla-warning'
    ? firing.target === 'response' ? { responseWarnedAt: now } : { resolutionWarnedAt: now }
    : firing.target === 'response' ? { responseBreached: true } : { resolutionBreached: true };

/** A breach that moves the ticket to the next level's group (the per-ticket path). */
const moves = (t: TicketRecord, firing: SlaFiring) => firing.kind === 'sla-breach' && firing.target === 'resolution' && t.level < 3;

/** A due ticket and the firings decided on it. */
interface TicketPlan {
  t: TicketRecord;
  firings: SlaFiring[];
}

/**
 * The compare-and-set that makes a firing happen once: each ticket's next moment moves from the
 * one read to the one after its firings, only if nobody changed it meanwhile. Returns the tickets won.
 */
async function claim(deps: CarryDeps, tx: TicketUnit, plans: readonly TicketPlan[], now: Date): Promise<TicketPlan[]> {
  const claims: SlaClaim[] = plans.map(({ t, firings }) => {
    const after = firings.reduce((r, f) => ({ ...r, ...flagOf(f, now) }), t) as TicketRecord;
    let next: Date | null;
    try {
      next = deps.moment(after);
    } catch {
      next = new Date(0); // a misconfigured calendar: due again at once, the next tick reports it
    }
    return { number: t.number, was: t, next };
  });
  const won = new Set(await tx.claimSlaMoments(claims));
  return plans.filter((p) => won.has(p.t.number));
}

/**
 * A firing's writes in a unit of work, one ticket at a time (a breach that moves it, or the
 * fallback after a failed batch): its event, its flag, for a breach the escalations (resolution:
 * to the next level's group; always: hierarchical), and its tell job. Undefined when its event
 * was already written (this priority fired before a change back to it): only the flag is set, so
 * the next moment moves on, and nobody is told again.
 */
async function write(deps: CarryDeps, tx: TicketUnit, t: TicketRecord, firing: SlaFiring, now: Date, out: NewJob[]): Promise<Breach | undefined> {
  const fresh = await tx.appendEvent(t.number, { kind: firing.kind, actorId: null, actorKind: 'system', visibility: 'internal', data: { target: firing.target, due: firing.due.toISOString() }, dedupeKey: firing.dedupeKey, at: now });
  await tx.update(t.number, flagOf(firing, now));
  if (!fresh) return undefined;
  let done: Breach = { escalations: 0, movedTo: undefined };
  if (firing.kind === 'sla-breach') {
    let movedTo: Breach['movedTo'];
    if (moves(t, firing)) {
      movedTo = await deps.desk.escalationTarget(tx, t.groupId, t.level + 1);
      if (movedTo) {
        const event = { dedupeKey: `escalated:functional:sla:P${t.priority}`, data: { reason: 'sla-breach' } };
        await deps.desk.moveToGroup(tx, t, movedTo, { id: null, kind: 'system' }, now, event);
      }
    }
    await tx.appendEvent(t.number, hierarchical(t, firing, now));
    done = { escalations: movedTo ? 2 : 1, movedTo };
  }
  if (deps.outbox) await enqueue(tx, [tellJob(t, firing, done, now, deps.tick)], now, out);
  return done;
}

/** Writes tell jobs in `tx`, kept in `out` (given to `wrote` once the unit is committed). */
async function enqueue(tx: TicketUnit, jobs: NewJob[], now: Date, out: NewJob[]): Promise<void> {
  await tx.enqueue(jobs, now);
  out.push(...jobs);
}

const hierarchical = (t: TicketRecord, firing: SlaFiring, now: Date) => ({
  kind: 'escalated', actorId: null, actorKind: 'system' as const, visibility: 'internal' as const, dedupeKey: `escalated:hierarchical:sla-${firing.target}:P${t.priority}`, at: now,
  data: { type: 'hierarchical', reason: `sla-breach:${firing.target}`, due: firing.due.toISOString() },
});

/**
 * The firings that do not move a ticket, set-based in `tx` (their tickets already claimed): every
 * event in one statement (one already written is skipped, and its firing is not told again), each
 * flag in one statement, the tell jobs in one statement.
 */
async function writeBatch(deps: CarryDeps, tx: TicketUnit, plans: { t: TicketRecord; firing: SlaFiring }[], now: Date, pace: () => Promise<void>, out: NewJob[]): Promise<Fired[]> {
  if (plans.length === 0) return [];
  const written = await tx.appendEvents(plans.map(({ t, firing }) => ({ number: t.number, ticketId: t.id, kind: firing.kind, actorId: null, actorKind: 'system' as const, visibility: 'internal' as const, data: { target: firing.target, due: firing.due.toISOString() }, dedupeKey: firing.dedupeKey, at: now })));
  const fresh = plans.filter((_, i) => written[i]);
  const breaches = fresh.filter(({ firing }) => firing.kind === 'sla-breach');
  await pace();
  if (breaches.length > 0) await tx.appendEvents(breaches.map(({ t, firing }) => ({ number: t.number, ticketId: t.id, ...hierarchical(t, firing, now) })));
  await pace();
  // Each flag once for all its tickets (also where the event was already written: the moment claimed assumed it).
  const byFlag = new Map<string, { changes: TicketChanges; numbers: number[] }>();
  for (const { t, firing } of plans) {
    const changes = flagOf(firing, now);
    const flag = Object.keys(changes)[0]!;
    const group = byFlag.get(flag) ?? { changes, numbers: [] };
    group.numbers.push(t.number);
    byFlag.set(flag, group);
  }
  for (const { changes, numbers } of byFlag.values()) await tx.updateMany(numbers, changes);
  await pace();
  const fired = fresh.map((plan) => ({ ...plan, done: { escalations: plan.firing.kind === 'sla-breach' ? 1 : 0, movedTo: undefined } }));
  // One job for the batch: each person hears of its tickets in one message (sla-tell.ts).
  if (deps.outbox && fired.length > 0) await enqueue(tx, [fired.length === 1 ? tellJob(fired[0]!.t, fired[0]!.firing, fired[0]!.done, now, deps.tick) : tellBatchJob(fired, now, deps.tick)], now, out);
  return fired;
}

/** One claimed ticket's firings one by one in `tx` (those already written before are not told again). */
async function writeTicket(deps: CarryDeps, tx: TicketUnit, { t, firings }: TicketPlan, now: Date, out: NewJob[]): Promise<Fired[]> {
  const fired: Fired[] = [];
  for (const firing of firings) {
    const done = await write(deps, tx, t, firing, now, out);
    if (done) fired.push({ t, firing, done });
  }
  return fired;
}

/** The firings of a batch, ticket by ticket, in the order given. */
function byTicket(plans: readonly { t: TicketRecord; firing: SlaFiring }[]): TicketPlan[] {
  const tickets = new Map<number, TicketPlan>();
  for (const { t, firing } of plans) {
    const known = tickets.get(t.number) ?? { t, firings: [] };
    known.firings.push(firing);
    tickets.set(t.number, known);
  }
  return [...tickets.values()];
}

/**
 * Carries out a batch of firings in ONE unit of work (one commit for the batch): the tickets are
 * claimed (compare-and-set of their next moment: one another instance claimed first, or that
 * changed since it was read, is left alone), then the firings that do not move a ticket are
 * written set-based, the others one by one (`pace` called between them). When that unit fails —
 * a broken ticket, the database — each ticket again in its own unit (failures given to `failed`).
 * People are told by the jobs written.
 */
export async function fireAll(deps: CarryDeps, plans: { t: TicketRecord; firing: SlaFiring }[], now: Date, pace: () => Promise<void>, failed: (err: unknown) => void): Promise<Fired[]> {
  if (plans.length === 0) return [];
  const tickets = byTicket(plans);
  try {
    const out: NewJob[] = [];
    const fired = await deps.desk.repository.transaction(async (tx) => {
      out.length = 0; // a unit run again starts afresh
      const won = await claim(deps, tx, tickets, now);
      await pace();
      // The set-based part first: a ticket's move, after, re-arms it from what the batch wrote.
      const flat = won.flatMap(({ t, firings }) => firings.map((firing) => ({ t, firing })));
      const done = await writeBatch(deps, tx, flat.filter((p) => !moves(p.t, p.firing)), now, pace, out);
      for (const plan of flat.filter((p) => moves(p.t, p.firing))) {
        const breach = await write(deps, tx, plan.t, plan.firing, now, out);
        if (breach) done.push({ ...plan, done: breach });
        await pace();
      }
      return done;
    });
    deps.wrote?.(out);
    return fired;
  } catch {
    // The batch was rolled back as a whole: each ticket once more in its own unit (which reports its own failure).
    const fired: Fired[] = [];
    for (const plan of tickets) {
      try {
        const out: NewJob[] = [];
        fired.push(...(await deps.desk.repository.transaction(async (tx) => ((await claim(deps, tx, [plan], now)).length > 0 ? writeTicket(deps, tx, plan, now, (out.length = 0, out)) : []))));
        deps.wrote?.(out);
      } catch (err) {
        failed(err);
      }
      await pace();
    }
    return fired;
  }
}

/** Closes a resolved ticket nobody confirmed, through the status machine, with its tell job; false when it changed meanwhile. */
export async function autoClose(deps: CarryDeps, t: TicketRecord, now: Date): Promise<boolean> {
  const days = deps.autoCloseBusinessDays;
  const out: NewJob[] = [];
  const closed = await deps.desk.repository.transaction(async (tx) => {
    out.length = 0;
    // Only while still resolved: confirmed, reopened or closed by another instance meanwhile is theirs.
    if ((await tx.find(t.number))?.status !== 'resolved') return false;
    if (!(await deps.desk.moveStatus(tx, t.number, 'closed', { id: null, kind: 'system' }, now, { guarded: true }))) return false;
    await tx.appendEvent(t.number, { kind: 'auto-closed', actorId: null, actorKind: 'system', at: now, data: { businessDays: days, note: `no confirmation from the requester within ${days} business days` } });
    if (deps.outbox) await enqueue(tx, [tellJob(t, undefined, undefined, now, deps.tick)], now, out);
    return true;
  });
  if (closed) deps.wrote?.(out);
  return closed;
}
