/**
 * The chat cells of the authorization table (src/core/authorization.ts) as runnable cases: for each
 * action a chat can do, how to prepare a fresh ticket in the state it needs, what the person sends,
 * and how to tell from the database (or, for reads, from the reply) that it was done. The core,
 * Slack and Teams tests run them with their own way of sending; the expected outcome of each cell
 * is read from the table itself, so the tests and the table cannot drift apart.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIONS, ROLES, type Action, type AuthzRole } from '../../src/core/authorization.ts';
import type { TicketDeskService } from '../../src/ticketing/desk/ticket-desk.ts';
import type { Database } from '../../src/persistence/database.ts';
import { handoff } from '../../src/texts/handoff.ts';
import { tickets } from '../../src/texts/tickets.ts';

/** Who plays each role (config/ people; the service-desk lead is set to Isabelle in the test's groups.yml). */
export const ROLE_PEOPLE: Record<Exclude<AuthzRole, 'system'>, { email: string; name: string }> = {
  employee: { email: 'chloe.bernard@example.org', name: 'Chloé Bernard' },
  requester: { email: 'alice.martin@example.org', name: 'Alice Martin' },
  'group-agent': { email: 'camille.roux@example.org', name: 'Camille Roux' },
  'other-agent': { email: 'nadia.benali@example.org', name: 'Nadia Benali' },
  'group-manager': { email: 'olivier.garnier@example.org', name: 'Olivier Garnier' },
  'desk-lead': { email: 'isabelle.mercier@example.org', name: 'Isabelle Mercier' },
  admin: { email: 'claire.fontaine@example.org', name: 'Claire Fontaine' },
};
/** Another agent of the ticket's group (Workplace), who takes tickets for the cases that need it live. */
export const HELPER_AGENT = { email: 'hugo.lambert@example.org', name: 'Hugo Lambert' };
/** Someone of the CMDB who plays no role: agents open tickets for him. */
export const OTHER_PERSON = 'david.nguyen@example.org';
export const PERSON_ROLES = ROLES.filter((r): r is Exclude<AuthzRole, 'system'> => r !== 'system');

export type ChatInput = { text: string } | { action: { verb: string; data: Record<string, string | number> } };

export interface World {
  db: Database;
  desk: TicketDeskService;
  /** User id by e-mail. */
  id(email: string): Promise<string>;
  /** Sends as the person (a personal conversation); resolves with the replies as plain text. */
  send(email: string, input: ChatInput): Promise<string[]>;
}

export interface ChatCell {
  action: Action;
  /** The ticket the action is about, prepared fresh (undefined for actions on no ticket). */
  prepare(w: World): Promise<Prepared>;
  input(p: Prepared): ChatInput;
  /** Whether the action was done, from the database or the replies. */
  done(w: World, p: Prepared, replies: string[], who: string): Promise<boolean>;
}

export interface Prepared {
  number: number;
  title: string;
}

let unique = 0;

/** A new ticket of Alice's on a Workplace service (its group: Camille and Hugo; its manager: Olivier). */
export async function openTicket(w: World): Promise<Prepared> {
  const title = `Dock ${++unique} ${Date.now().toString(36)} flickers`;
  const alice = await w.id(ROLE_PEOPLE.requester.email);
  const { ticket } = await w.desk.create({
    type: 'incident',
    title,
    description: 'The dock flickers every few minutes.',
    category: 'workstation',
    serviceId: 'workstation',
    impact: 3,
    urgency: 2,
    requesterId: alice,
    origin: `authz-test:${title}`,
    createdBy: { id: alice, kind: 'user' },
  });
  if (ticket.group?.id !== 'workplace') throw new Error(`test setup: ticket #${ticket.number} went to ${ticket.group?.id ?? 'no group'}, not workplace`);
  return { number: ticket.number, title };
}

async function resolvedTicket(w: World): Promise<Prepared> {
  const p = await openTicket(w);
  const hugo = { id: await w.id(HELPER_AGENT.email), role: 'agent' as const };
  await w.desk.take(p.number, hugo);
  await w.desk.resolve(p.number, hugo, 'Dock firmware updated');
  return p;
}

async function closedTicket(w: World): Promise<Prepared> {
  const p = await resolvedTicket(w);
  await w.desk.confirmResolution(p.number, { id: await w.id(ROLE_PEOPLE.requester.email), role: 'employee' }, true, `authz-test:close:${p.number}`);
  return p;
}

/** Taken by Hugo through the chat, so the relay is live. */
async function liveTicket(w: World): Promise<Prepared> {
  const p = await openTicket(w);
  await w.send(HELPER_AGENT.email, { text: `take #${p.number}` });
  return p;
}

/** No ticket: a word to recognise what this cell's message created. */
const noTicket = async (): Promise<Prepared> => ({ number: 0, title: `zq${++unique}${Date.now().toString(36)}` });
const row = (w: World, n: number) => w.db.client.ticket.findUniqueOrThrow({ where: { number: n }, include: { group: true } });
const events = async (w: World, n: number, kind: string) => w.db.client.ticketEvent.count({ where: { ticket: { number: n }, kind } });

/** Whether a reply is the text of `key` in French or English, whatever its variables. */
export function saidKey(replies: string[], key: `handoff.${keyof typeof handoff & string}` | `tickets.${keyof typeof tickets & string}`): boolean {
  const [area, name] = key.split('.') as [string, string];
  const entry = ((area === 'handoff' ? handoff : tickets) as Record<string, { fr: string; en: string }>)[name]!;
  const patterns = [entry.fr, entry.en].map((t) => new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}|\{\w+\}/g, '[\\s\\S]*')}$`));
  return replies.some((r) => patterns.some((p) => p.test(r.trim())));
}

export const CHAT_CELLS: ChatCell[] = [
  {
    action: 'tickets.own',
    prepare: noTicket,
    input: () => ({ text: 'my tickets' }),
    done: async (_w, _p, replies) => saidKey(replies, 'tickets.noTickets') || replies.some((r) => r.includes(tickets.myTickets.fr) || r.includes(tickets.myTickets.en)),
  },
  {
    action: 'ticket.open',
    prepare: noTicket,
    input: (p) => ({ text: `open a ticket: my second monitor ${p.title} stays black on the dock` }),
    done: async (w, p, _r, who) => (await w.db.client.ticket.count({ where: { requesterId: await w.id(who), title: { contains: p.title } } })) > 0,
  },
  { action: 'ticket.read', prepare: openTicket, input: (p) => ({ text: `status #${p.number}` }), done: async (_w, p, replies) => replies.some((r) => r.includes(p.title)) },
  {
    action: 'ticket.add-info',
    prepare: openTicket,
    input: (p) => ({ text: `add to #${p.number}: it also happens on the spare dock` }),
    done: async (w, p) => (await events(w, p.number, 'info')) > 0,
  },
  {
    action: 'ticket.escalate',
    prepare: openTicket,
    input: (p) => ({ text: `escalate #${p.number}: I have a client demo at 2 pm` }),
    done: async (w, p) => (await w.db.client.ticketEvent.count({ where: { ticket: { number: p.number }, kind: 'escalated' } })) > 0,
  },
  { action: 'ticket.confirm', prepare: resolvedTicket, input: (p) => ({ text: `#${p.number} fixed` }), done: async (w, p) => (await row(w, p.number)).status === 'closed' },
  // The same through the "is it fixed?" card's button (its data comes back untrusted).
  {
    action: 'ticket.confirm',
    prepare: resolvedTicket,
    input: (p) => ({ action: { verb: 'ticket.confirm', data: { number: p.number, fixed: 'false' } } }),
    done: async (w, p) => (await row(w, p.number)).status === 'in-progress',
  },
  {
    action: 'ticket.rate',
    prepare: closedTicket,
    input: (p) => ({ action: { verb: 'ticket.rate', data: { number: p.number, score: 5, comment: 'quick' } } }),
    done: async (w, p) => (await row(w, p.number)).csatScore === 5,
  },
  // The agents' card names the requester (their contact record); the requester's own view of the ticket (ticket.read) does not.
  {
    action: 'ticket.card',
    prepare: openTicket,
    input: (p) => ({ text: `ticket #${p.number}` }),
    done: async (_w, p, replies) => replies.some((r) => r.includes(p.title) && r.includes(ROLE_PEOPLE.requester.name)),
  },
  { action: 'ticket.take', prepare: openTicket, input: (p) => ({ text: `take #${p.number}` }), done: async (w, p) => (await row(w, p.number)).assigneeId !== null },
  // The escalation card's "Take" button.
  { action: 'ticket.take', prepare: openTicket, input: (p) => ({ action: { verb: 'ticket.take', data: { number: p.number } } }), done: async (w, p) => (await row(w, p.number)).assigneeId !== null },
  { action: 'ticket.note', prepare: openTicket, input: (p) => ({ text: `note #${p.number}: checked the cable` }), done: async (w, p) => (await events(w, p.number, 'note')) > 0 },
  { action: 'ticket.ask', prepare: liveTicket, input: (p) => ({ text: `ask #${p.number}: which dock model is it?` }), done: async (w, p) => (await row(w, p.number)).status === 'pending-user' },
  {
    action: 'ticket.reassign',
    prepare: openTicket,
    input: (p) => ({ text: `reassign #${p.number} to ${HELPER_AGENT.email}` }),
    done: async (w, p) => (await row(w, p.number)).assigneeId === (await w.id(HELPER_AGENT.email)),
  },
  { action: 'ticket.resolve', prepare: liveTicket, input: (p) => ({ text: `resolve #${p.number}: firmware updated` }), done: async (w, p) => (await row(w, p.number)).status === 'resolved' },
  { action: 'ticket.escalate-level', prepare: openTicket, input: (p) => ({ text: `escalate #${p.number} L3` }), done: async (w, p) => (await row(w, p.number)).group?.level === 3 },
  { action: 'ticket.priority', prepare: openTicket, input: (p) => ({ text: `priority #${p.number} P1` }), done: async (w, p) => (await row(w, p.number)).priority === 1 },
  {
    action: 'ticket.handback',
    prepare: liveTicket,
    input: (p) => ({ text: `hand back #${p.number}` }),
    done: async (w, p) => (await row(w, p.number)).relay === 'bot',
  },
  { action: 'ticket.add-faq', prepare: resolvedTicket, input: (p) => ({ text: `faq #${p.number}` }), done: async (_w, _p, replies) => saidKey(replies, 'handoff.faqDrafted') },
  { action: 'queue.read', prepare: noTicket, input: () => ({ text: 'my queue' }), done: async (_w, _p, replies) => saidKey(replies, 'handoff.queueEmpty') || replies.some((r) => /^(?:Your queue|Votre file) \(\d+\)/m.test(r)) },
  { action: 'agent.availability', prepare: noTicket, input: () => ({ text: 'available' }), done: async (_w, _p, replies) => saidKey(replies, 'handoff.available') },
  {
    action: 'ticket.open-for',
    prepare: noTicket,
    input: (p) => ({ text: `open a ticket for ${OTHER_PERSON}: badge reader ${p.title} refuses my badge` }),
    done: async (w, p) => (await w.db.client.ticket.count({ where: { requesterId: await w.id(OTHER_PERSON), title: { contains: p.title } } })) > 0,
  },
  { action: 'knowledge.curate', prepare: noTicket, input: () => ({ text: 'kb search vpn' }), done: async (_w, _p, replies) => replies.some((r) => /^- `?[A-Z]+-\d+`? \((?:fr|en), (?:published|draft)\)/m.test(r)) },
];

/** What the table says of a cell. */
export const expected = (action: Action, role: AuthzRole): boolean => (ACTIONS[action].allowed as readonly AuthzRole[]).includes(role);

/** The shipped configuration, with a service-desk lead who is nobody's admin (Isabelle), so the lead's column is hers alone. */
export function configWithLead(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-authz-'));
  cpSync('config', dir, { recursive: true });
  const groups = join(dir, 'groups.yml');
  writeFileSync(groups, readFileSync(groups, 'utf8').replace(/^serviceDeskLead: .*$/m, `serviceDeskLead: ${ROLE_PEOPLE['desk-lead'].email}`));
  return dir;
}

