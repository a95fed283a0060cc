/**
 * GLPI's deliveries on the job queue: each outbox item has its job (`glpi.deliver`, written in the
 * unit of work that queues the item), which delivers it, idempotent on retry. The job queue runs,
 * retries (exponential backoff, the connector's attempts) and dead-letters them; per ticket the
 * items go in order: an item whose ticket has earlier items pending, or is not in GLPI yet, waits
 * (no failed attempt), and the item before it, once delivered or given up, runs the next one at once;
 * a delivered item's transaction makes the next item's job due (durable: an instance dying between
 * the two leaves it due, not waiting for its "not ready" delay).
 * GLPI down, slow or failing on its side → retried later; GLPI refusing (rights, a missing
 * category) or too many attempts → the item is dead: admins are told with GLPI's own words, and
 * nothing is dropped (`glpi retry` revives it with its job).
 */
import { z } from 'zod';
import { JobGiveUp, JobNotReady, type JobQueue, type JobRecord } from '../../core/jobs.ts';
import { localizeEntry } from '../../texts/define.ts';
import { connectors } from '../../texts/connectors.ts';
import { isTransient } from './client.ts';
import { errorText, htmlOf, type GlpiContext } from './context.ts';
import type { OutboxItem } from './ports.ts';
import { knownGroupKey } from './keys.ts';
import { GuichetError } from '../../core/errors.ts';

/** GLPI constants (apirest.md and GLPI's CommonITILObject / CommonITILActor / CommonITILValidation). */
export const GLPI = {
  ticketType: { incident: 1, request: 2 },
  status: { new: 1, assigned: 2, planned: 3, waiting: 4, solved: 5, closed: 6 },
  actor: { requester: 1, assigned: 2, observer: 3 },
  solution: { waiting: 2, accepted: 3, refused: 4 },
} as const;

export const createPayload = z.object({
  name: z.string(),
  content: z.string(),
  type: z.enum(['incident', 'request']),
  urgency: z.number().int(),
  impact: z.number().int(),
  category: z.string(),
  groupId: z.string().nullable(),
  requesterEmail: z.string().nullable(),
});
export type CreatePayload = z.infer<typeof createPayload>;

const followupPayload = z.object({ text: z.string() });
const documentPayload = z.object({ name: z.string(), url: z.string() });
const answerPayload = z.object({ accepted: z.boolean(), reason: z.string().optional() });

const idRow = z.object({ id: z.number().int() }).passthrough();
const followupRow = z.object({ id: z.number().int(), content: z.string().nullable() }).passthrough();

/** The job queue's queue of GLPI deliveries. */
export const DELIVERY_QUEUE = 'glpi.deliver';

/** The job delivering the outbox item `itemKey`. */
export const deliveryJob = (itemKey: string) => ({ queue: DELIVERY_QUEUE, key: `glpi:${itemKey}`, payload: { item: itemKey } });

const deliveryPayload = z.object({ item: z.string() });

/** What the deliveries need of the job queue. */
export type DeliveryJobs = Pick<JobQueue, 'handle' | 'runNow' | 'graceMs'>;

/**
 * Registers the deliveries on `jobs`, with GLPI's retry policy; `delivered` is told of each item
 * delivered (its failure is logged, the item stays delivered).
 */
export function handleDeliveries(ctx: GlpiContext, jobs: DeliveryJobs, delivered: (item: OutboxItem) => Promise<void>): void {
  jobs.handle(
    DELIVERY_QUEUE,
    async (payload, { job }) => {
      const settled = await deliverItem(ctx, jobs, deliveryPayload.parse(payload).item, job.attempts);
      if (!settled) return;
      const { item, next } = settled;
      await delivered(item).catch((err: unknown) => ctx.onError(err, `GLPI: after delivering ${item.kind} of #${item.ticketNumber}`));
      if (next) await jobs.runNow([next]);
      else await runNext(ctx, jobs, item.ticketNumber);
    },
    { maxAttempts: ctx.retry.maxAttempts, backoffMs: ctx.retry.baseMs, maxBackoffMs: ctx.retry.maxMs, onDead: (job) => gaveUp(ctx, jobs, job) },
  );
}

/**
 * Delivers the item `key` when it is its ticket's next; returns it (and the job of the item after
 * it, made due in the transaction that marked it done), or undefined when it was no longer pending.
 */
async function deliverItem(ctx: GlpiContext, jobs: DeliveryJobs, key: string, attempts: number): Promise<{ item: OutboxItem; next?: string } | undefined> {
  const item = await ctx.store.item(key);
  if (!item || item.status === 'done') return undefined;
  // A dead item's job runs only once an admin revived it (`npm run jobs -- retry`): the item goes with it.
  if (item.status === 'dead') await ctx.store.revive(item.id);
  // Waiting is no failed attempt; the item before it runs this one once it is delivered or given up.
  const wait = () => new Date(ctx.clock.now().getTime() + ctx.retry.maxMs);
  const earlier = (await ctx.store.pendingOf(item.ticketNumber)).find((o) => o.id < item.id);
  if (earlier) throw new JobNotReady(`GLPI: ${item.kind} of #${item.ticketNumber} waits for its ${earlier.kind}`, wait());
  let ready: boolean;
  try {
    ready = await deliver(ctx, item);
  } catch (err) {
    await ctx.store.markFailed(item.id, attempts + 1, errorText(err));
    if (isTransient(err)) throw err;
    throw new JobGiveUp(`GLPI refused ${item.kind} of #${item.ticketNumber}: ${errorText(err)}`, err);
  }
  if (!ready) throw new JobNotReady(`GLPI: ${item.kind} of #${item.ticketNumber} waits for the ticket to reach GLPI`, wait());
  const now = ctx.clock.now();
  if (!ctx.store.markDoneThen) {
    await ctx.store.markDone(item.id, now);
    return { item };
  }
  // The next item's job due (after the grace left to this process's runNow) in the same transaction: an instance dying now loses no time.
  const next = await ctx.store.markDoneThen(item.id, now, { jobKey: (o) => deliveryJob(o.key).key, runAt: new Date(now.getTime() + jobs.graceMs) });
  return { item, next };
}

/** Runs the job of the ticket's next pending item now (it waits behind the one just settled). */
async function runNext(ctx: GlpiContext, jobs: DeliveryJobs, ticketNumber: number): Promise<void> {
  const next = (await ctx.store.pendingOf(ticketNumber))[0];
  if (next) await jobs.runNow([deliveryJob(next.key).key]);
}

/** One item; false when it cannot go yet (its ticket is not in GLPI). */
async function deliver(ctx: GlpiContext, item: OutboxItem): Promise<boolean> {
  if (item.kind === 'create-ticket') {
    await createTicket(ctx, item);
    return true;
  }
  const link = await ctx.store.link(item.ticketNumber);
  if (!link?.glpiId) return false;
  if (item.kind === 'followup') await addFollowup(ctx, link.glpiId, htmlOf(followupPayload.parse(item.payload).text));
  else if (item.kind === 'document') await addDocumentLink(ctx, item, link.glpiId);
  else await answerSolution(ctx, item, link.glpiId, link.solutionId);
  return true;
}

/**
 * The GLPI ticket, its requester and nothing twice: the ticket is first looked for by its marker
 * (an earlier attempt may have reached GLPI without its answer reaching us); the requester is added once.
 */
async function createTicket(ctx: GlpiContext, item: OutboxItem): Promise<void> {
  const p = createPayload.parse(item.payload);
  const link = await ctx.store.link(item.ticketNumber);
  if (!link) throw new GuichetError('connectors.glpi-no-link', `connectors: GLPI outbox: ticket #${item.ticketNumber} has no link`);
  let glpiId = link.glpiId;
  if (glpiId === null) {
    // Always looked for first: an attempt cut short (timeout, crash) may have created it.
    const found = await findByMarker(ctx, link.marker);
    glpiId = found ?? (await ctx.client.add('Ticket', ticketInput(ctx, p, link.marker)));
    await ctx.store.setLink(item.ticketNumber, { glpiId });
    // The group it was created with is no change of GLPI's to bring back (sync-in.ts).
    const group = ctx.mapping.group(p.groupId);
    if (group !== undefined) await ctx.store.setValue(knownGroupKey(glpiId), String(group), ctx.clock.now());
  }
  if ((await ctx.store.getValue(`requester:${glpiId}`)) === undefined) {
    await ctx.client.add('Ticket_User', await requesterInput(ctx, glpiId, p.requesterEmail));
    await ctx.store.setValue(`requester:${glpiId}`, '1', ctx.clock.now());
  }
}

export function ticketInput(ctx: GlpiContext, p: CreatePayload, marker: string): Record<string, unknown> {
  const group = ctx.mapping.group(p.groupId);
  return {
    name: p.name.slice(0, 255),
    content: `${htmlOf(p.content)}<p>${marker}</p>`,
    type: GLPI.ticketType[p.type],
    urgency: p.urgency,
    impact: p.impact,
    itilcategories_id: ctx.mapping.category(p.category),
    entities_id: ctx.mapping.entity,
    ...(group !== undefined ? { _groups_id_assign: group } : {}),
  };
}

async function findByMarker(ctx: GlpiContext, marker: string): Promise<number | undefined> {
  const rows = await ctx.client.getItems('Ticket', idRow, { 'searchText[content]': marker, range: '0-1', is_deleted: 0 });
  return rows[0]?.id;
}

/** The requester as a GLPI user found by e-mail, else by e-mail alone (GLPI notifies that address). */
async function requesterInput(ctx: GlpiContext, glpiId: number, email: string | null): Promise<Record<string, unknown>> {
  const base = { tickets_id: glpiId, type: GLPI.actor.requester };
  if (!email) return { ...base, users_id: 0 };
  const users = await ctx.client.search('User', { 'criteria[0][field]': 5, 'criteria[0][searchtype]': 'equals', 'criteria[0][value]': email, 'forcedisplay[0]': 2, range: '0-1' });
  const userId = Number(users[0]?.['2']);
  if (Number.isInteger(userId) && userId > 0) return { ...base, users_id: userId };
  return { ...base, users_id: 0, alternative_email: email, use_notification: 1 };
}

/** A public follow-up; after an attempt that may have reached GLPI, one with the same content counts as done. */
export async function addFollowup(ctx: GlpiContext, glpiId: number, content: string): Promise<void> {
  const existing = await ctx.client.getItems(`Ticket/${glpiId}/ITILFollowup`, followupRow, { range: '0-999' });
  const same = existing.find((f) => f.content === content);
  const id = same?.id ?? (await ctx.client.add('ITILFollowup', { itemtype: 'Ticket', items_id: glpiId, content, is_private: 0 }));
  // Ours: the poller must not bring it back to the user.
  await ctx.store.mark(`fu:${id}`, ctx.clock.now());
}

/**
 * A file the user sent, as a GLPI Document holding its link (Guichet keeps links, not bytes),
 * attached to the ticket with Document_Item. The document's id is kept, so a retry attaches it once.
 */
async function addDocumentLink(ctx: GlpiContext, item: OutboxItem, glpiId: number): Promise<void> {
  const file = documentPayload.parse(item.payload);
  const key = `document:${item.key}`;
  let documentId = Number(await ctx.store.getValue(key));
  if (!Number.isInteger(documentId) || documentId <= 0) {
    documentId = await ctx.client.add('Document', { name: file.name.slice(0, 255), link: file.url, entities_id: ctx.mapping.entity });
    await ctx.store.setValue(key, String(documentId), ctx.clock.now());
  }
  const attached = await ctx.client.getItems(`Ticket/${glpiId}/Document_Item`, idRow.extend({ documents_id: z.coerce.number().int() }), { range: '0-999' });
  if (!attached.some((d) => d.documents_id === documentId)) await ctx.client.add('Document_Item', { documents_id: documentId, itemtype: 'Ticket', items_id: glpiId });
}

/** The requester's answer to a solution: accepted → solution accepted, ticket closed; refused → refused, reopened with the reason. */
async function answerSolution(ctx: GlpiContext, item: OutboxItem, glpiId: number, solutionId: number | null): Promise<void> {
  const answer = answerPayload.parse(item.payload);
  if (solutionId !== null) await ctx.client.update('ITILSolution', solutionId, { status: answer.accepted ? GLPI.solution.accepted : GLPI.solution.refused });
  if (answer.accepted) {
    await ctx.client.update('Ticket', glpiId, { status: GLPI.status.closed });
  } else {
    const reason = answer.reason?.trim() || localizeEntry(connectors.glpiNoReason, ctx.defaultLang);
    await addFollowup(ctx, glpiId, htmlOf(localizeEntry(connectors.glpiRefusedReason, ctx.defaultLang, { reason })));
    await ctx.client.update('Ticket', glpiId, { status: GLPI.status.assigned });
  }
  await ctx.store.setLink(item.ticketNumber, { solutionId: null });
}

/** A delivery the job queue gave up (too many attempts, or GLPI refused it): the item is dead, admins are told, the ticket's next item goes. */
async function gaveUp(ctx: GlpiContext, jobs: DeliveryJobs, job: JobRecord): Promise<void> {
  const item = await ctx.store.item(deliveryPayload.parse(job.payload).item);
  if (item?.status !== 'pending') return;
  const error = item.lastError ?? job.lastError ?? '';
  await ctx.store.markDead(item.id, job.attempts, error);
  ctx.onError(new GuichetError('connectors.glpi-refused', error), `GLPI outbox item ${item.id} (${item.kind} of #${item.ticketNumber}) given up`);
  for (const admin of await ctx.admins()) {
    await ctx.notifier
      .notify(admin, [{ type: 'text', text: localizeEntry(connectors.glpiFailedForAdmin, ctx.defaultLang, { kind: item.kind, number: item.ticketNumber, attempts: job.attempts, error }) }])
      .catch((e: unknown) => ctx.onError(e, `telling admin ${admin} of a GLPI failure`));
  }
  await runNext(ctx, jobs, item.ticketNumber);
}
