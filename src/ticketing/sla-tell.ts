/**
 * Telling people of the SLA clock's firings: the "sla.tell" jobs, written in the unit of work of
 * the firings they tell of (sla-carry.ts).
 *
 * A job carries one firing (a breach that moved a ticket, an automatic closure) or a whole batch
 * (the set-based path: up to a batch of tickets fired in one unit). Who hears of a firing is read
 * when the job runs: for a breach, the agents who must act (the assignee, else the group's available
 * members; after a move, the new group) and the managers and the service desk lead; for a warning,
 * the assignee (or the group's manager) and the requester. Each person hears of a batch in ONE
 * message, in their language: a ticket's own message with its card when it is the only one for
 * them, else a digest listing each ticket — so a mass breach of 20,000 tickets costs a message per
 * person per batch, not one per ticket and person. Each person is one step (named by a digest of
 * their id): a retry re-sends only to those it did not reach. The desk's owner hears of every
 * ticket (`onChange`: the agents' card refreshed in place) in one step after them.
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
}

/** The queue of the jobs that tell people of a firing or an automatic closure. */
export const TELL_QUEUE = 'sla.tell';

/** One firing as a job tells of it: the ticket as it was when the firing was decided (a move changes its group). */
interface Told {
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

/** A tell job's payload: one firing, or a batch (`tickets`). */
type TellPayload = Told | { tickets: Told[] };

const told = (t: TicketRecord, firing: SlaFiring | undefined, done: { movedTo?: Told['movedTo'] } | undefined): Told => ({
  kind: firing?.kind ?? 'auto-closed', number: t.number, title: t.title, requesterId: t.requesterId, assigneeId: t.assigneeId, groupId: t.groupId,
  ...(firing ? { target: firing.target, due: firing.due.toISOString() } : {}), ...(done?.movedTo ? { movedTo: done.movedTo } : {}),
});

/** The job telling people of one firing: unique per ticket and firing, like its timeline event. */
export function tellJob(t: TicketRecord, firing: SlaFiring | undefined, done: { movedTo?: Told['movedTo'] } | undefined, now: Date): NewJob {
  return { queue: TELL_QUEUE, key: `sla:${t.id}:${firing?.dedupeKey ?? `auto-closed:${now.toISOString()}`}`, payload: told(t, firing, done) as unknown as Record<string, unknown>, runAt: now };
}

/** The job telling people of a batch of firings (one unit of work's): unique per its first firing. */
export function tellBatchJob(fired: readonly { t: TicketRecord; firing: SlaFiring }[], now: Date): NewJob {
  const first = fired[0]!;
  const payload: TellPayload = { tickets: fired.map((f) => told(f.t, f.firing, undefined)) };
  return { queue: TELL_QUEUE, key: `sla:batch:${first.t.id}:${first.firing.dedupeKey}:${fired.length}`, payload: payload as unknown as Record<string, unknown>, runAt: now };
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

/** What one person hears of one firing: its line of text, and whether the ticket's card goes with it. */
interface Line {
  p: Told;
  text: (lang: Lang) => string;
}

/** Who hears of `p`, each with their line. */
async function linesOf(deps: TellDeps, p: Told): Promise<{ to: string; line: Line }[]> {
  const desk = deps.desk;
  if (p.kind === 'auto-closed') return [{ to: p.requesterId, line: { p, text: (lang) => say(lang, 'tickets.autoClosed', { number: p.number }) } }];
  const target = p.target!;
  const due = (lang: Lang) => when(new Date(p.due!), lang, deps.timeZone);
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
    const text = (lang: Lang) => say(lang, 'tickets.slaBreach', { number: p.number, title: p.title, target: say(lang, `tickets.${target}`), due: due(lang) }) + (movedTo ? say(lang, 'tickets.slaEscalatedTo', { group: movedTo.name }) : '');
    return [...new Set([...agents, ...managers].filter((x): x is string => Boolean(x) && x !== p.requesterId))].map((to) => ({ to, line: { p, text } }));
  }
  // 75 %: the assignee (or the group's manager) and the requester.
  const staff = p.assigneeId ?? (await desk.groupManager(p.groupId));
  const out: { to: string; line: Line }[] = [];
  if (staff) out.push({ to: staff, line: { p, text: (lang) => say(lang, 'tickets.slaWarning', { number: p.number, title: p.title, target: say(lang, `tickets.${target}`), due: due(lang) }) } });
  if (staff !== p.requesterId) out.push({ to: p.requesterId, line: { p, text: (lang) => say(lang, 'tickets.slaRisk', { number: p.number }) } });
  return out;
}

/** The kind of change the desk's owner hears of, per firing. */
const changeOf = (p: Told) => (p.kind === 'auto-closed' ? 'closed' : p.kind === 'sla-breach' ? (p.movedTo ? 'escalated' : 'sla-breach') : 'sla-warning');

/** Runs a tell job (TELL_QUEUE): each person one step, one message for all their tickets of the job. */
export async function tell(deps: TellDeps, payload: Record<string, unknown>, ctx: Pick<JobContext, 'step'>): Promise<void> {
  const raw = payload as unknown as TellPayload;
  const tickets = 'tickets' in raw ? raw.tickets : [raw];
  const what = tickets.length === 1 ? `SLA ${tickets[0]!.kind} of ticket #${tickets[0]!.number}` : `SLA firings of ${tickets.length} tickets from #${tickets[0]?.number}`;
  const steps = stepsOf(ctx, what);
  const byPerson = new Map<string, Line[]>();
  for (const p of tickets) {
    for (const { to, line } of await linesOf(deps, p)) byPerson.set(to, [...(byPerson.get(to) ?? []), line]);
  }
  for (const [to, lines] of byPerson) {
    await steps.attempt(`to:${personStep(to)}`, async () => {
      // One ticket: its message and its card, as ever; several: one digest, each ticket a line.
      if (lines.length === 1) {
        const [only] = lines;
        const card = await deps.desk.ticketCard(only!.p.number);
        return deps.desk.deliver(to, (lang) => [{ type: 'text', text: only!.text(lang) }, ...card(lang)]);
      }
      return deps.desk.deliver(to, (lang): OutboundMessage[] => [{ type: 'text', text: [say(lang, 'tickets.slaDigest', { count: lines.length }), ...lines.map((l) => `• ${l.text(lang)}`)].join('\n') }]);
    });
  }
  // The owner's card of each ticket, refreshed in place (again on a retry: harmless); a failure fails the step after the others.
  await steps.attempt('changed', async () => {
    const failed: string[] = [];
    for (const p of tickets) await deps.desk.changedOrThrow(p.number, changeOf(p)).catch((err: unknown) => void failed.push(`#${p.number}: ${err instanceof Error ? err.message : String(err)}`));
    if (failed.length > 0) throw new Error(`after the SLA firings: ${failed.join('; ')}`);
  });
  steps.settle();
}
