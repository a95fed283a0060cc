/**
 * Telling people of the SLA clock's firings: the "sla.tell" jobs, written in the unit of work of
 * the firings they tell of (sla-carry.ts), and the messages they and a tick's digests send.
 *
 * A job carries one firing (a breach that moved a ticket, an automatic closure) or a whole batch
 * (the set-based path: up to a batch of tickets fired in one unit). Who hears of a firing is read
 * when it is told: for a breach, the agents who must act (the assignee, else the group's available
 * members; after a move, the new group) and the managers and the service desk lead; for a warning,
 * the assignee (or the group's manager) and the requester. A tick's jobs record its firings: the
 * tick's digests (sla-digest.ts) tell each person ONE message for the whole tick; a job tells its
 * own firings only when its tick died before its digests (or without a job queue). A person hears
 * in ONE message, in their language: a ticket's own message with its card when it is the only one
 * for them, else a digest of the first DIGEST_LINES tickets and the count of the others. Each
 * person is one step (named by a digest of their id): a retry re-sends only to those it did not
 * reach. The desk's owner hears of every ticket (`onChange`: the agents' card refreshed in place).
 */
import { personStep, stepsOf, type JobContext, type NewJob } from '../core/jobs.ts';
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import { formatWhen } from '../core/ticket-texts.ts';
import { say } from '../texts/index.ts';
import type { DeskInternals } from './desk/internals.ts';
import type { TicketRecord } from './ports.ts';
import type { SlaFiring } from './sla-decide.ts';

/** What telling needs (CarryDeps extends it). */
export interface TellDeps {
  desk: DeskInternals;
  /** E-mail of the service desk lead, told of every breach. */
  serviceDeskLead?: string;
  /** Zone due times are written in for people. */
  timeZone?: string;
  /**
   * With a job queue: a tick's tell job come due (the tick's digests never came) claims its tickets
   * and writes their digest jobs in one unit of work; nothing when the tick's digests have them (sla-digest.ts).
   */
  fallback?: (ctx: Pick<JobContext, 'job'>) => Promise<void>;
}

/** The queue of the jobs that tell people of a firing or an automatic closure. */
export const TELL_QUEUE = 'sla.tell';

/** One firing as a job tells of it: the ticket as it was when the firing was decided (a move changes its group). */
export interface Told {
  kind: SlaFiring['kind'] | 'auto-closed';
  target?: SlaFiring['target'];
  due?: string;
  number: number;
  title: string;
  requesterId: string;
  assigneeId: string | null;
  groupId: string | null;
  movedTo?: { id: string; name: string; level: number };
}

/** A tell job's payload: one firing, or a batch (`tickets`); `tick`: written by a tick that tells them in its digests. */
type TellPayload = (Told | { tickets: Told[] }) & { tick?: string };

/**
 * How long a tick's tell job waits before telling its people itself, ms: by then the tick has
 * written its digests (and the job finds its tickets taken); it tells only when the tick died first.
 */
export const FALLBACK_MS = 10 * 60_000;

/** A tell job's time and tick: a tick's waits FALLBACK_MS (its digests tell first). */
const timed = (tick: string | undefined, now: Date) => (tick ? { runAt: new Date(now.getTime() + FALLBACK_MS) } : { runAt: now });

const told = (t: TicketRecord, firing: SlaFiring | undefined, done: { movedTo?: Told['movedTo'] } | undefined): Told => ({
  kind: firing?.kind ?? 'auto-closed', number: t.number, title: t.title, requesterId: t.requesterId, assigneeId: t.assigneeId, groupId: t.groupId,
  ...(firing ? { target: firing.target, due: firing.due.toISOString() } : {}), ...(done?.movedTo ? { movedTo: done.movedTo } : {}),
});

/** The job telling people of one firing: unique per ticket and firing, like its timeline event. */
export function tellJob(t: TicketRecord, firing: SlaFiring | undefined, done: { movedTo?: Told['movedTo'] } | undefined, now: Date, tick?: string): NewJob {
  const payload: TellPayload = { ...told(t, firing, done), ...(tick ? { tick } : {}) };
  return { queue: TELL_QUEUE, key: `sla:${t.id}:${firing?.dedupeKey ?? `auto-closed:${now.toISOString()}`}`, payload: payload as unknown as Record<string, unknown>, ...timed(tick, now) };
}

/** The job telling people of a batch of firings (one unit of work's): unique per its first firing. */
export function tellBatchJob(fired: readonly { t: TicketRecord; firing: SlaFiring }[], now: Date, tick?: string): NewJob {
  const first = fired[0]!;
  const payload: TellPayload = { tickets: fired.map((f) => told(f.t, f.firing, undefined)), ...(tick ? { tick } : {}) };
  return { queue: TELL_QUEUE, key: `sla:batch:${first.t.id}:${first.firing.dedupeKey}:${fired.length}`, payload: payload as unknown as Record<string, unknown>, ...timed(tick, now) };
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

/** What one person hears of one firing: which of its texts (the line is written when sent, in their language). */
export interface Entry {
  p: Told;
  as: 'breach' | 'warning' | 'risk' | 'closed';
}

/** An entry's line of text in `lang`. */
export function lineOf(deps: TellDeps, { p, as }: Entry, lang: Lang): string {
  if (as === 'closed') return say(lang, 'tickets.autoClosed', { number: p.number });
  if (as === 'risk') return say(lang, 'tickets.slaRisk', { number: p.number });
  const vars = { number: p.number, title: p.title, target: say(lang, `tickets.${p.target!}`), due: when(new Date(p.due!), lang, deps.timeZone) };
  if (as === 'warning') return say(lang, 'tickets.slaWarning', vars);
  return say(lang, 'tickets.slaBreach', vars) + (p.movedTo ? say(lang, 'tickets.slaEscalatedTo', { group: p.movedTo.name }) : '');
}

/** Who hears of `p`, each with their entry. */
async function entriesOf(deps: TellDeps, p: Told): Promise<{ to: string; entry: Entry }[]> {
  const desk = deps.desk;
  if (p.kind === 'auto-closed') return [{ to: p.requesterId, entry: { p, as: 'closed' } }];
  if (p.kind === 'sla-breach') {
    const members = (groupId: string | null) => (groupId ? desk.repository.availableMembers(groupId) : Promise.resolve([]));
    const { movedTo } = p;
    const agents = movedTo ? await members(movedTo.id) : p.assigneeId ? [p.assigneeId] : await members(p.groupId);
    const managers = [
      await desk.groupManager(p.groupId),
      movedTo ? await desk.groupManager(movedTo.id) : undefined,
      await desk.userByEmail(deps.serviceDeskLead),
      movedTo ? (p.assigneeId ?? undefined) : undefined,
    ];
    return [...new Set([...agents, ...managers].filter((x): x is string => Boolean(x) && x !== p.requesterId))].map((to) => ({ to, entry: { p, as: 'breach' as const } }));
  }
  // 75 %: the assignee (or the group's manager) and the requester.
  const staff = p.assigneeId ?? (await desk.groupManager(p.groupId));
  const out: { to: string; entry: Entry }[] = [];
  if (staff) out.push({ to: staff, entry: { p, as: 'warning' } });
  if (staff !== p.requesterId) out.push({ to: p.requesterId, entry: { p, as: 'risk' } });
  return out;
}

/** The firings `tickets`, by person: each person's entries in the order of the firings. */
export async function entriesByPerson(deps: TellDeps, tickets: readonly Told[]): Promise<Map<string, Entry[]>> {
  const byPerson = new Map<string, Entry[]>();
  for (const p of tickets) {
    for (const { to, entry } of await entriesOf(deps, p)) {
      const list = byPerson.get(to);
      if (list) list.push(entry);
      else byPerson.set(to, [entry]);
    }
  }
  return byPerson;
}

/** Lines of one digest at most: the others are counted ("… and N more"). */
export const DIGEST_LINES = 20;

/**
 * Tells `to` of their entries in ONE message: a ticket's own message and its card when it is their
 * only one, else a digest of its first DIGEST_LINES tickets, the others counted (`total`: all of
 * them, `entries` may hold only the first).
 */
export async function tellPerson(deps: TellDeps, to: string, entries: readonly Entry[], total = entries.length): Promise<void> {
  if (total === 1 && entries.length === 1) {
    const only = entries[0]!;
    const card = await deps.desk.ticketCard(only.p.number);
    return deps.desk.deliver(to, (lang) => [{ type: 'text', text: lineOf(deps, only, lang) }, ...card(lang)]);
  }
  const shown = entries.slice(0, DIGEST_LINES);
  const more = total - shown.length;
  return deps.desk.deliver(to, (lang): OutboundMessage[] => [
    { type: 'text', text: [say(lang, 'tickets.slaDigest', { count: total }), ...shown.map((e) => `• ${lineOf(deps, e, lang)}`), ...(more > 0 ? [say(lang, 'tickets.slaDigestMore', { more })] : [])].join('\n') },
  ]);
}

/** The kind of change the desk's owner hears of, per firing. */
const changeOf = (p: Told) => (p.kind === 'auto-closed' ? 'closed' : p.kind === 'sla-breach' ? (p.movedTo ? 'escalated' : 'sla-breach') : 'sla-warning');

/** The firings a tell job carries. */
export const toldOf = (payload: Record<string, unknown>): Told[] => {
  const raw = payload as unknown as TellPayload;
  return 'tickets' in raw ? raw.tickets : [raw];
};

/** Refreshes the owner's card of each ticket (in place; again on a retry: harmless); throws the failures together. */
export async function refreshCards(deps: TellDeps, tickets: readonly Told[]): Promise<void> {
  const failed: string[] = [];
  for (const p of tickets) await deps.desk.changedOrThrow(p.number, changeOf(p)).catch((err: unknown) => void failed.push(`#${p.number}: ${err instanceof Error ? err.message : String(err)}`));
  if (failed.length > 0) throw new Error(`after the SLA firings: ${failed.join('; ')}`);
}

/**
 * Runs a tell job (TELL_QUEUE): each person one step, one message for all their tickets of the job.
 * A job of a tick (`tick` in its payload) is the fallback of that tick's digests (sla-digest.ts):
 * it writes its batch's digest jobs with its claim when it wins it (the tick died before writing
 * its digests). A job that recorded the step "claimed" (written before digestFallback: its claim
 * committed alone) tells its batch itself, as then.
 */
export async function tell(deps: TellDeps, payload: Record<string, unknown>, ctx: Pick<JobContext, 'step'> & { job?: JobContext['job'] }): Promise<void> {
  const tickets = toldOf(payload);
  if (typeof payload.tick === 'string' && ctx.job && deps.fallback && !ctx.job.progress.includes('claimed')) return deps.fallback({ job: ctx.job });
  const what = tickets.length === 1 ? `SLA ${tickets[0]!.kind} of ticket #${tickets[0]!.number}` : `SLA firings of ${tickets.length} tickets from #${tickets[0]?.number}`;
  const steps = stepsOf(ctx, what);
  for (const [to, entries] of await entriesByPerson(deps, tickets)) await steps.attempt(`to:${personStep(to)}`, () => tellPerson(deps, to, entries));
  // Claimed: the claim's job refreshes the cards; else, one step after the people (a failure fails it after the others).
  if (typeof payload.tick !== 'string') await steps.attempt('changed', () => refreshCards(deps, tickets));
  steps.settle();
}
