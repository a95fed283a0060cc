/**
 * Changes made in GLPI, brought to the conversation's mirror of the ticket: public follow-ups
 * reach the user (a technician's reply), a waiting solution asks the user "is it fixed?", a ticket
 * solved or closed by its technician is resolved or closed here, the assignment group, status and
 * urgency × impact follow. Found by polling (search on date_mod past a cursor) or named by a
 * GLPI webhook; each change is applied once (marks), tickets in date_mod order.
 */
import { z } from 'zod';
import type { Level } from '../../core/tickets.ts';
import { errorText, plainText, type GlpiContext } from './context.ts';
import { GLPI } from './outbox.ts';
import { knownGroupKey, resolvedInGlpiKey } from './keys.ts';
import { localizeEntry } from '../../texts/define.ts';
import { connectors } from '../../texts/connectors.ts';

const num = z.coerce.number().int();
const ticketRow = z.object({ id: num, status: num, urgency: num, impact: num, date_mod: z.string().nullable().optional() }).passthrough();
const followupRow = z.object({ id: num, content: z.string().nullable(), is_private: num.default(0) }).passthrough();
const solutionRow = z.object({ id: num, content: z.string().nullable(), status: num }).passthrough();
const groupRow = z.object({ id: num, groups_id: num, type: num }).passthrough();

/** GLPI search options of Ticket: 2 id, 19 last update (date_mod). */
const ID = '2';
const DATE_MOD = '19';

/** One poll: tickets changed since the cursor, oldest change first; the cursor moves after each. */
export async function poll(ctx: GlpiContext): Promise<number> {
  const cursor = (await ctx.store.getValue('cursor')) ?? (await firstCursor(ctx));
  const rows = await ctx.client.search('Ticket', {
    'criteria[0][field]': Number(DATE_MOD),
    'criteria[0][searchtype]': 'morethan',
    // One second back: changes in the cursor's own second are seen again (marks make that harmless).
    'criteria[0][value]': secondBefore(cursor),
    'forcedisplay[0]': Number(ID),
    'forcedisplay[1]': Number(DATE_MOD),
    sort: Number(DATE_MOD),
    order: 'ASC',
    range: '0-99',
  });
  let applied = 0;
  for (const row of rows) {
    const glpiId = Number(row[ID]);
    const modified = String(row[DATE_MOD] ?? '');
    if (!Number.isInteger(glpiId)) continue;
    if (await applyTicket(ctx, glpiId)) applied++;
    if (modified > cursor) await ctx.store.setValue('cursor', modified, ctx.clock.now());
  }
  return applied;
}

/**
 * Where a first poll starts: with no ticket of Guichet's in GLPI yet, at GLPI's latest change (its
 * history is none of Guichet's business); otherwise from the beginning (marks skip what was applied).
 */
async function firstCursor(ctx: GlpiContext): Promise<string> {
  const start = '1970-01-01 00:00:00';
  if ((await ctx.store.linked()).length > 0) return start;
  const latest = await ctx.client.search('Ticket', { 'forcedisplay[0]': Number(ID), 'forcedisplay[1]': Number(DATE_MOD), sort: Number(DATE_MOD), order: 'DESC', range: '0-0' });
  const at = String(latest[0]?.[DATE_MOD] ?? start);
  await ctx.store.setValue('cursor', at, ctx.clock.now());
  return at;
}

/** Brings one GLPI ticket's changes over; false when it is not one of Guichet's. */
export async function applyTicket(ctx: GlpiContext, glpiId: number): Promise<boolean> {
  const link = await ctx.store.linkByGlpiId(glpiId);
  if (!link) return false;
  const ticket = await ctx.client.getItem('Ticket', glpiId, ticketRow);
  if (!ticket) return false;
  const number = link.ticketNumber;
  const followups = (await ctx.client.getItems(`Ticket/${glpiId}/ITILFollowup`, followupRow, { range: '0-999' })).sort((a, b) => a.id - b.id);
  for (const f of followups) {
    if (f.is_private) continue;
    await once(ctx, `fu:${f.id}`, async () => {
      const text = plainText(f.content ?? '');
      if (text) await ctx.desk.reply(number, ctx.agent, text);
    });
  }
  const solutions = (await ctx.client.getItems(`Ticket/${glpiId}/ITILSolution`, solutionRow, { range: '0-999' })).sort((a, b) => a.id - b.id);
  const waiting = solutions.filter((s) => s.status === GLPI.solution.waiting).at(-1);
  if (waiting) {
    await once(ctx, `sol:${waiting.id}`, async () => {
      await ctx.store.setLink(number, { solutionId: waiting.id });
      await ctx.desk.resolve(number, ctx.agent, plainText(waiting.content ?? '') || '—');
    });
  }
  // A solution waiting for the user's answer is the one way to resolve with approval; without one, a
  // solved or closed GLPI ticket was closed by its technician.
  if (!waiting) await followClosure(ctx, number, glpiId, ticket.status, solutions);
  await followGroup(ctx, number, glpiId);
  await followStatus(ctx, number, ticket.status);
  await followPriority(ctx, number, ticket.urgency, ticket.impact);
  return true;
}

const OPEN = ['new', 'assigned', 'in-progress', 'pending-user'];

/**
 * Solved or closed in GLPI by the technician, without a solution waiting for approval: resolved here
 * (with the latest solution's text, else "closed in GLPI"), and closed when GLPI closed it. The
 * requester is told as for any resolution; their answer still goes back to GLPI (changes.ts).
 */
async function followClosure(ctx: GlpiContext, number: number, glpiId: number, glpiStatus: number, solutions: z.infer<typeof solutionRow>[]): Promise<void> {
  const to = ctx.mapping.status(glpiStatus);
  if (to !== 'resolved' && to !== 'closed') return;
  const view = await ctx.desk.view(number, ctx.agent);
  if (!view) return;
  try {
    if (OPEN.includes(view.status)) {
      const last = solutions.filter((s) => s.status !== GLPI.solution.refused).at(-1);
      const text = plainText(last?.content ?? '') || localizeEntry(connectors.glpiClosedByTechnician, ctx.defaultLang, { glpiId });
      await ctx.store.setValue(resolvedInGlpiKey(number), String(glpiStatus), ctx.clock.now());
      await ctx.desk.resolve(number, ctx.agent, text);
    }
    if (to === 'closed' && (await ctx.desk.view(number, ctx.agent))?.status === 'resolved') {
      await ctx.desk.setStatus(number, ctx.agent, 'closed');
      await ctx.store.setLink(number, { solutionId: null });
    }
  } catch (err) {
    ctx.onError(err, `GLPI ${glpiStatus === GLPI.status.closed ? 'closure' : 'solution'} of #${number}`);
  }
}

/**
 * GLPI's assignment group (the latest Group_Ticket of type "assigned") when it changed in GLPI since
 * Guichet last knew it (the group sent at creation, then each one applied): moved here when the
 * mapping names it. A group changed here later is not overwritten by an old assignment in GLPI.
 */
async function followGroup(ctx: GlpiContext, number: number, glpiId: number): Promise<void> {
  const rows = await ctx.client.getItems(`Ticket/${glpiId}/Group_Ticket`, groupRow, { range: '0-999' });
  const assigned = rows.filter((r) => r.type === GLPI.actor.assigned).sort((a, b) => a.id - b.id).at(-1);
  if (!assigned || String(assigned.groups_id) === (await ctx.store.getValue(knownGroupKey(glpiId)))) return;
  const groupId = ctx.mapping.groupOf(assigned.groups_id);
  const view = groupId ? await ctx.desk.view(number, ctx.agent) : undefined;
  try {
    if (groupId && view && view.group?.id !== groupId && OPEN.includes(view.status)) await ctx.desk.setGroup(number, ctx.agent, groupId, `GLPI group ${assigned.groups_id}`);
  } catch (err) {
    ctx.onError(err, `GLPI group ${assigned.groups_id} on #${number}`);
    return;
  }
  await ctx.store.setValue(knownGroupKey(glpiId), String(assigned.groups_id), ctx.clock.now());
}

/** Applies a change once: skipped when its mark exists; marked only after it was applied. */
async function once(ctx: GlpiContext, key: string, apply: () => Promise<void>): Promise<void> {
  if ((await ctx.store.getValue(`mark:${key}`)) !== undefined) return;
  try {
    await apply();
  } catch (err) {
    ctx.onError(err, `applying GLPI change ${key}: ${errorText(err)}`);
    return;
  }
  await ctx.store.mark(key, ctx.clock.now());
}

/** Pending (waiting for the user) and back to work follow GLPI; resolution goes through solutions. */
async function followStatus(ctx: GlpiContext, number: number, glpiStatus: number): Promise<void> {
  const to = ctx.mapping.status(glpiStatus);
  if (to !== 'pending-user' && to !== 'in-progress') return;
  const view = await ctx.desk.view(number, ctx.agent);
  if (!view || view.status === to || !['new', 'assigned', 'in-progress', 'pending-user'].includes(view.status)) return;
  try {
    await ctx.desk.setStatus(number, ctx.agent, to);
  } catch (err) {
    ctx.onError(err, `GLPI status ${glpiStatus} on #${number}`);
  }
}

async function followPriority(ctx: GlpiContext, number: number, urgency: number, impact: number): Promise<void> {
  const view = await ctx.desk.view(number, ctx.agent);
  if (!view || !['new', 'assigned', 'in-progress', 'pending-user'].includes(view.status)) return;
  const u = nearestLevel(ctx, urgency);
  const i = nearestLevel(ctx, impact);
  if (u === view.urgency && i === view.impact) return;
  try {
    await ctx.desk.setPriority(number, ctx.agent, i, u);
  } catch (err) {
    ctx.onError(err, `GLPI urgency ${urgency} × impact ${impact} on #${number}`);
  }
}

/** The Guichet level (1 high … 3 low) whose GLPI value is nearest to `value` (ties: the higher level). */
function nearestLevel(ctx: GlpiContext, value: number): Level {
  const levels: Level[] = [1, 2, 3];
  return levels.reduce((best, l) => (Math.abs(ctx.mapping.level(l) - value) < Math.abs(ctx.mapping.level(best) - value) ? l : best));
}

/** "YYYY-MM-DD HH:MM:SS" one second earlier (GLPI's dates, compared as written). */
export function secondBefore(date: string): string {
  const t = Date.parse(`${date.replace(' ', 'T')}Z`);
  if (Number.isNaN(t)) return date;
  return new Date(t - 1_000).toISOString().slice(0, 19).replace('T', ' ');
}
