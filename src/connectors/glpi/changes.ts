/**
 * What GLPI must hear of a change of a local ticket, queued in the outbox inside the unit of work
 * that makes the change (the ticket store calls `queueChange` for each timeline event it appends,
 * with a GlpiStore and the job outbox on the same transaction): the change, its items and their
 * delivery jobs are committed together, or none is. The jobs (outbox.ts) deliver after the commit.
 * Keys are the event's, so a change is queued once.
 */
import { createHash } from 'node:crypto';
import type { TicketView } from '../../core/tickets.ts';
import type { GlpiMapping } from './mapping.ts';
import type { CreatePayload } from './outbox.ts';
import type { GlpiStore } from './ports.ts';
import { resolvedInGlpiKey } from './keys.ts';

/** What the change's unit of work can read: the ticket as it is now, and its requester's e-mail. */
export interface UnitReader {
  view(number: number): Promise<TicketView | undefined>;
  person(id: string): Promise<{ email: string | null } | undefined>;
}

/** A timeline event just appended (its stored id makes the outbox keys unique). */
export interface AppendedEvent {
  id: string;
  kind: string;
  actorKind: string;
  data: Record<string, unknown>;
  at: Date;
}

/** Event kinds that reach GLPI. */
export const QUEUED_KINDS: readonly string[] = ['created', 'files', 'info', 'confirmed', 'reopened'];

/** Queues the outbox items of one event, telling `queued` of each new one (its job is written then); returns how many were queued. */
export async function queueChange(store: GlpiStore, reader: UnitReader, mapping: GlpiMapping, number: number, event: AppendedEvent, queued: (key: string) => Promise<void>): Promise<number> {
  if (!QUEUED_KINDS.includes(event.kind)) return 0;
  const at = event.at;
  let count = 0;
  const add = async (key: string, kind: 'create-ticket' | 'followup' | 'document' | 'solution-answer', payload: Record<string, unknown>) => {
    if (!(await store.enqueue({ key, ticketNumber: number, kind, payload }, at))) return;
    await queued(key);
    count++;
  };
  if (event.kind === 'created') {
    const view = await reader.view(number);
    if (!view) return 0;
    const person = await reader.person(view.requester.id);
    await store.ensureLink(number, markerOf(number, view.createdAt));
    await add(`create:${number}`, 'create-ticket', createPayloadOf(view, person?.email ?? null, mapping));
    return count;
  }
  const link = await store.link(number);
  if (!link) return 0;
  if (event.kind === 'files' || event.kind === 'info') {
    const text = typeof event.data.text === 'string' ? event.data.text : '';
    if (event.kind === 'info' && text) await add(`info:${event.id}`, 'followup', { text });
    const files = Array.isArray(event.data.files) ? (event.data.files as { name?: unknown; url?: unknown }[]) : [];
    for (const [j, f] of files.entries()) {
      if (typeof f.name === 'string' && typeof f.url === 'string') await add(`${event.kind}-file:${event.id}:${j}`, 'document', { name: f.name, url: f.url });
    }
    return count;
  }
  // "confirmed" / "reopened": the requester's answer to a resolution that came from GLPI.
  const fromGlpi = link.solutionId !== null || (await store.getValue(resolvedInGlpiKey(number))) !== undefined;
  if (!fromGlpi) return 0;
  const reason = typeof event.data.comment === 'string' && event.data.comment.trim() ? event.data.comment.trim() : undefined;
  await add(`answer:${link.solutionId ?? `event-${event.id}`}`, 'solution-answer', { accepted: event.kind === 'confirmed', ...(reason ? { reason } : {}) });
  return count;
}

function createPayloadOf(view: TicketView, email: string | null, mapping: GlpiMapping): CreatePayload {
  return {
    name: view.title,
    content: view.description ?? view.title,
    type: view.type,
    urgency: mapping.level(view.urgency),
    impact: mapping.level(view.impact),
    category: view.category,
    groupId: view.group?.id ?? null,
    requesterEmail: email,
  };
}

/** "[guichet:<12 hex>]": unique per local ticket, searchable in GLPI's content. */
export function markerOf(number: number, createdAt: string): string {
  return `[guichet:${createHash('sha256').update(`${number}|${createdAt}`).digest('hex').slice(0, 12)}]`;
}
