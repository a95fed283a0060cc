/**
 * One message per person per tick of the SLA clock: a mass breach of 20,000 tickets is fired in
 * hundreds of units of work (a batch each, sla-carry.ts), and each unit records its firings in its
 * "sla.tell" job (sla-tell.ts), which waits FALLBACK_MS. Once the tick has carried out every batch,
 * it writes, in ONE unit of work:
 * - for each tell job, its claim: the "sla.changed" job keyed by the tell job (it refreshes the
 *   owner's cards of its tickets); a claim already there means that tell job told its people itself;
 * - for each person told of the claimed firings, ONE "sla.digest" job (key: the tick and a digest
 *   of the person, so a tick's digests are written once) carrying their first DIGEST_LINES entries
 *   and how many there are, sent in their language as one step.
 * A tell job that comes due (the tick died before its digests, or took longer than FALLBACK_MS)
 * tries the same claim, in the same way: when it wins, the unit of work that writes its claim also
 * writes one digest job per person of its own batch (digestFallback); when the tick's digests have
 * its tickets, it does nothing. A claim never commits without the digests it promises, so each
 * firing is told by exactly one of them, whichever instance runs (or dies running) what.
 */
import { createHash } from 'node:crypto';
import { personStep, stepsOf, type JobContext, type JobOutbox, type NewJob } from '../core/jobs.ts';
import { DIGEST_LINES, entriesByPerson, refreshCards, tellPerson, toldOf, type Entry, type TellDeps } from './sla-tell.ts';

/** The queue of a person's digest of one tick. */
export const DIGEST_QUEUE = 'sla.digest';
/** The queue of the claims of tell jobs: each refreshes the owner's cards of its job's tickets. */
export const CHANGED_QUEUE = 'sla.changed';

interface DigestPayload {
  to: string;
  /** Their first DIGEST_LINES entries. */
  entries: Entry[];
  /** How many entries they have in this tick. */
  total: number;
}

/** The claim of the tell job `key`: the job refreshing its tickets' cards (the same key wherever it is written). */
const changedJob = (key: string, payload: Record<string, unknown>, now: Date): NewJob => ({ queue: CHANGED_QUEUE, key: `${CHANGED_QUEUE}:${key}`, payload: { tickets: toldOf(payload) } as unknown as Record<string, unknown>, runAt: now });

/**
 * The tick's digests: who hears of the firings of each tell job the tick wrote (`written`, all
 * committed) is read first (the directory, outside any unit of work), then in ONE unit of work
 * (`transaction`) each job is claimed and each person told of the claimed ones gets one digest
 * job. Returns the digest jobs' keys. `tick` names the tick (its instant); `pace` is called
 * between two jobs (the tick's yields to the event loop).
 */
export async function writeDigests(
  deps: TellDeps,
  transaction: <T>(work: (tx: JobOutbox) => Promise<T>) => Promise<T>,
  written: readonly NewJob[],
  tick: string,
  now: Date,
  pace: () => Promise<void> = async () => {},
): Promise<string[]> {
  const heard = new Map<string, Map<string, Entry[]>>();
  for (const job of written) {
    heard.set(job.key, await entriesByPerson(deps, toldOf(job.payload)));
    await pace();
  }
  return transaction(async (tx) => {
    const claimed: NewJob[] = [];
    // One at a time: the count written says whether this claim is the tick's.
    for (const job of written) {
      if ((await tx.enqueue([changedJob(job.key, job.payload, now)], now)) > 0) claimed.push(job);
      await pace();
    }
    if (claimed.length === 0) return [];
    // Each person's first DIGEST_LINES entries and their count (a mass breach: 20,000 entries for a manager, 20 kept).
    const byPerson = new Map<string, { entries: Entry[]; total: number }>();
    for (const job of claimed) {
      for (const [to, entries] of heard.get(job.key)!) {
        const known = byPerson.get(to) ?? { entries: [], total: 0 };
        known.entries.push(...entries.slice(0, DIGEST_LINES - known.entries.length));
        known.total += entries.length;
        byPerson.set(to, known);
      }
    }
    // Two ticks of one instant (two instances, tests) claim disjoint jobs: their digests are told apart by what they claimed.
    const of = createHash('sha256').update(claimed.map((j) => j.key).join('\n')).digest('hex').slice(0, 12);
    const jobs = [...byPerson].map(([to, { entries, total }]): NewJob => {
      const payload: DigestPayload = { to, entries, total };
      return { queue: DIGEST_QUEUE, key: `${DIGEST_QUEUE}:${tick}:${of}:${personStep(to)}`, payload: payload as unknown as Record<string, unknown>, runAt: now };
    });
    await tx.enqueue(jobs, now);
    return jobs.map((j) => j.key);
  });
}

/** Runs a digest job (DIGEST_QUEUE): the person's one message, one step. */
export async function runDigest(deps: TellDeps, payload: Record<string, unknown>, ctx: Pick<JobContext, 'step'>): Promise<void> {
  const { to, entries, total } = payload as unknown as DigestPayload;
  const steps = stepsOf(ctx, `SLA digest of ${total} firing(s)`);
  await steps.attempt(`to:${personStep(to)}`, () => tellPerson(deps, to, entries, total));
  steps.settle();
}

/** Runs a claim's job (CHANGED_QUEUE): the owner's cards of its tickets refreshed. */
export const runChanged = (deps: TellDeps, payload: Record<string, unknown>): Promise<void> => refreshCards(deps, toldOf(payload));

/**
 * A tick's tell job come due (TellDeps.fallback): the tick's digests of its own batch, written as
 * the tick writes them (writeDigests): its claim and one digest job per person it tells of, in ONE
 * unit of work. After any crash, its retry finds the claim with those digest jobs (it does nothing
 * more) or no claim (it tries again): its firings are told once. Nothing is written when the tick's
 * digests have its tickets. Returns the digest jobs' keys.
 */
export function digestFallback(deps: TellDeps, transaction: <T>(work: (tx: JobOutbox) => Promise<T>) => Promise<T>, ctx: Pick<JobContext, 'job'>, now: Date): Promise<string[]> {
  const { key, queue, payload } = ctx.job;
  return writeDigests(deps, transaction, [{ queue, key, payload }], String(payload.tick), now);
}
