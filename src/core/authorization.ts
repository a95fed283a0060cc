/**
 * Who may do what: the one authorization table of Guichet (docs/security.md renders it). Roles are
 * relations of a person to a ticket (its requester, an agent of its group…) or, for actions on no
 * ticket, the person's own role; a person can hold several (an agent who asked for a ticket is its
 * requester too) and may act when any of their roles may. Every action of the chat commands, the
 * card buttons, the portal API and the admin console is a row; the server decides from the
 * database (the desk's `access`, the handoff's membership check, the portal's guards) and never
 * from what a card or a page sends. Tests run every cell (test/integration/authorization-*.test.ts).
 */

export const ROLES = ['employee', 'requester', 'group-agent', 'other-agent', 'group-manager', 'desk-lead', 'admin', 'system'] as const;
export type AuthzRole = (typeof ROLES)[number];

/** How each role is written in the table's header. */
export const ROLE_TITLES: Record<AuthzRole, string> = {
  employee: 'employee',
  requester: 'requester of this ticket',
  'group-agent': "agent of the ticket's group",
  'other-agent': 'agent of another group',
  'group-manager': "manager of the ticket's group",
  'desk-lead': 'service-desk lead',
  admin: 'admin',
  system: 'system',
};

export interface ActionSpec {
  /** Whether the action is about one ticket (roles are relations to it) or about none (the person's own role). */
  on: 'ticket' | 'none';
  /** Where people do it: chat words, card verbs, portal routes, console pages. */
  where: string;
  allowed: readonly AuthzRole[];
}

const REQUESTER = ['requester'] as const;
const READERS = ['requester', 'group-agent', 'group-manager', 'desk-lead', 'admin', 'system'] as const;
const WORKERS = ['group-agent', 'admin'] as const;
const WORKERS_AND_SYSTEM = ['group-agent', 'admin', 'system'] as const;
const PEOPLE = ['employee', 'requester', 'group-agent', 'other-agent', 'group-manager', 'desk-lead', 'admin'] as const;
const STAFF = ['group-agent', 'other-agent', 'admin'] as const;
const ADMINS = ['admin'] as const;

/** The table. Rows on no ticket: "requester" and "employee" are the same person's role, as are the two agents'. */
export const ACTIONS = {
  'tickets.own': { on: 'none', where: 'chat `my tickets`, `all my tickets`; portal `GET /portal/api/tickets`, `GET /portal/api/events`', allowed: PEOPLE },
  'ticket.open': { on: 'none', where: 'chat `open a ticket: …`, a guide’s ticket, files sent alone', allowed: PEOPLE },
  'ticket.read': { on: 'ticket', where: 'chat `status #N`; portal `GET /portal/api/tickets/N` (public timeline)', allowed: READERS },
  'ticket.add-info': { on: 'ticket', where: 'chat `add to #N: …`, files for #N, the answer to an agent’s question; portal `POST /portal/api/tickets/N/info`', allowed: REQUESTER },
  'ticket.escalate': { on: 'ticket', where: 'chat `escalate #N: reason`', allowed: REQUESTER },
  'ticket.confirm': { on: 'ticket', where: 'chat `#N fixed` / `#N not fixed`, yes/no to “is it fixed?”, card `ticket.confirm`; portal `POST /portal/api/tickets/N/confirm`', allowed: REQUESTER },
  'ticket.rate': { on: 'ticket', where: 'chat survey score and comment, card `ticket.rate`', allowed: REQUESTER },
  'ticket.card': { on: 'ticket', where: 'chat `ticket #N` (escalation card with the contact record)', allowed: WORKERS_AND_SYSTEM },
  'ticket.take': { on: 'ticket', where: 'chat `take #N`, card `ticket.take`', allowed: WORKERS },
  'ticket.note': { on: 'ticket', where: 'chat `note #N: …`, a message in the card’s thread, card `ticket.note`', allowed: WORKERS },
  'ticket.ask': { on: 'ticket', where: 'chat `ask #N: …`', allowed: WORKERS },
  'ticket.reassign': { on: 'ticket', where: 'chat `reassign #N to …`, card `ticket.assign`', allowed: WORKERS },
  'ticket.resolve': { on: 'ticket', where: 'chat `resolve #N: …`, card `ticket.resolve`; a major incident’s resolution', allowed: WORKERS_AND_SYSTEM },
  'ticket.escalate-level': { on: 'ticket', where: 'chat `escalate #N L2`, card `ticket.escalate`; the SLA clock on a breach', allowed: WORKERS_AND_SYSTEM },
  'ticket.priority': { on: 'ticket', where: 'chat `priority #N P2`, card `ticket.priority`', allowed: WORKERS },
  'ticket.handback': { on: 'ticket', where: 'chat `hand back #N`, card `ticket.handback`', allowed: WORKERS },
  'ticket.add-faq': { on: 'ticket', where: 'chat `faq #N`, card `ticket.add-faq`', allowed: WORKERS },
  'queue.read': { on: 'none', where: 'chat `my queue`, `next`; console `GET /portal/admin/queue`', allowed: STAFF },
  'agent.availability': { on: 'none', where: 'chat `available` / `away`', allowed: STAFF },
  'ticket.open-for': { on: 'none', where: 'chat `open a ticket for someone@…: …`', allowed: STAFF },
  'incidents.manage': { on: 'none', where: 'console `/portal/admin/incidents`, `GET|POST /portal/api/admin/incidents…`', allowed: STAFF },
  'analytics.read': { on: 'none', where: 'console `/portal/admin/analytics`, `GET /portal/api/admin/metrics`', allowed: STAFF },
  'knowledge.curate': { on: 'none', where: 'console `/portal/admin/knowledge`, `/portal/admin/gaps`, `/portal/api/admin/{articles,export,import,preview}`; chat `kb …`', allowed: ADMINS },
  'config.read': { on: 'none', where: 'console `/portal/admin/config`', allowed: ADMINS },
  'kb.search': { on: 'none', where: 'chat questions; portal `/portal/kb`, `GET /portal/api/kb`, `POST /portal/api/kb/ID/feedback`', allowed: PEOPLE },
} as const satisfies Record<string, ActionSpec>;

export type Action = keyof typeof ACTIONS;
export type TicketAction = { [A in Action]: (typeof ACTIONS)[A]['on'] extends 'ticket' ? A : never }[Action];
export type GlobalAction = Exclude<Action, TicketAction>;

/** A person as the server knows them: their id and their own role. The system (the SLA clock, major incidents) is `SYSTEM_ID`. */
export interface Subject {
  id: string;
  role: 'employee' | 'agent' | 'admin';
}

export const SYSTEM_ID = 'system';

/** What the server knows of a person's relation to a ticket (from the database, never from the request). */
export interface TicketFacts {
  requesterId: string;
  /** The person belongs to the ticket's support group. */
  memberOfGroup: boolean;
  /** The person manages the ticket's support group. */
  managerOfGroup: boolean;
  /** The person is the service-desk lead (groups.yml `serviceDeskLead`). */
  deskLead: boolean;
}

/** The person's roles on a ticket. */
export function rolesOnTicket(subject: Subject, facts: TicketFacts): AuthzRole[] {
  if (subject.id === SYSTEM_ID) return ['system'];
  const roles: AuthzRole[] = [ownRole(subject, facts.memberOfGroup)];
  if (subject.id === facts.requesterId) roles.push('requester');
  if (facts.managerOfGroup) roles.push('group-manager');
  if (facts.deskLead) roles.push('desk-lead');
  return roles;
}

/** The person's role on no ticket: their own (an agent is an agent, whatever the group). */
export function globalRoles(subject: Subject): AuthzRole[] {
  if (subject.id === SYSTEM_ID) return ['system'];
  return [ownRole(subject, false)];
}

function ownRole(subject: Subject, member: boolean): AuthzRole {
  if (subject.role === 'admin') return 'admin';
  if (subject.role === 'agent') return member ? 'group-agent' : 'other-agent';
  return 'employee';
}

/** Whether any of these roles may do the action. */
export function allows(roles: readonly AuthzRole[], action: Action): boolean {
  const allowed: readonly AuthzRole[] = ACTIONS[action].allowed;
  return roles.some((role) => allowed.includes(role));
}

/** Whether the person may do an action on a ticket, from the facts. */
export function mayOnTicket(subject: Subject, facts: TicketFacts, action: TicketAction): boolean {
  return allows(rolesOnTicket(subject, facts), action);
}

/** Whether the person may do an action on no ticket. */
export function mayGlobally(subject: Subject, action: GlobalAction): boolean {
  return allows(globalRoles(subject), action);
}

/** The table as Markdown (docs/security.md holds this exact text; a test compares them). */
export function authorizationTableMarkdown(): string {
  const header = `| action | where | ${ROLES.map((r) => ROLE_TITLES[r]).join(' | ')} |`;
  const rule = `|---|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = (Object.entries(ACTIONS) as [Action, ActionSpec][]).map(
    ([action, spec]) => `| \`${action}\` | ${spec.where} | ${ROLES.map((r) => (spec.allowed.includes(r) ? '✅' : '—')).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
