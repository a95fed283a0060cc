/**
 * Which desk and group answer an escalation: the desk that serves the requester's site or
 * department (a local desk), else the default desk (central); inside it, the group whose skills
 * fit the ticket's category, service and language; tickets that page (P1, security: oncall.yml's
 * `pageWhen`) prefer a desk that is open now among those that serve the requester (follow the sun).
 */
import type { DeskDefinition, DeskGroup, DeskOrganisation } from './schema.ts';
import { isOpen } from './hours.ts';
import { pages } from './oncall.ts';

export interface RoutingFacts {
  email: string | null;
  department: string | null;
  lang: 'fr' | 'en';
  category: string;
  serviceId: string | null;
  priority: number;
  /** The group ticketing chose from the service (kept when the desk has it and it fits). */
  ticketGroupId: string | null;
}

export interface Route {
  desk: DeskDefinition;
  group: DeskGroup | undefined;
  site: string | undefined;
  /** Why this desk: its site or department, or the default. */
  reason: 'site' | 'department' | 'default';
}

/** The requester's site: the site listing their e-mail, else the one listing their department. */
export function siteOf(org: Pick<DeskOrganisation, 'sites'>, email: string | null, department: string | null): string | undefined {
  const mail = email?.toLowerCase();
  const byPerson = mail ? org.sites.find((s) => s.people.includes(mail)) : undefined;
  if (byPerson) return byPerson.id;
  const dept = department?.trim().toLowerCase();
  return dept ? org.sites.find((s) => s.departments.some((d) => d.toLowerCase() === dept))?.id : undefined;
}

const staffed = (d: DeskDefinition) => d.type !== 'self-service' && d.groups.length > 0;

export function route(org: DeskOrganisation, facts: RoutingFacts, now: Date): Route {
  const site = siteOf(org, facts.email, facts.department);
  const dept = facts.department?.trim().toLowerCase();
  const bySite = site ? org.desks.filter((d) => staffed(d) && d.serves.sites.includes(site)) : [];
  const byDept = dept ? org.desks.filter((d) => staffed(d) && d.serves.departments.some((x) => x.toLowerCase() === dept)) : [];
  const fallback = org.desks.find((d) => d.id === org.defaultDesk)!;
  const speaks = (d: DeskDefinition) => d.languages.includes(facts.lang);
  let candidates: { desk: DeskDefinition; reason: Route['reason'] }[] = [
    ...bySite.filter(speaks).map((desk) => ({ desk, reason: 'site' as const })),
    ...byDept.filter(speaks).map((desk) => ({ desk, reason: 'department' as const })),
  ];
  if (candidates.length === 0) candidates = [{ desk: fallback, reason: 'default' }];
  // Urgent tickets (those that page, oncall.yml's pageWhen) go to a desk open now when one serves them, else the default if open.
  if (pages(org, facts)) {
    const open = [...candidates, { desk: fallback, reason: 'default' as const }].find((c) => isOpen(org, c.desk, now));
    if (open) candidates = [open];
  }
  const chosen = candidates[0]!;
  return { desk: chosen.desk, group: groupFor(chosen.desk, facts), site, reason: chosen.reason };
}

/** The desk's group whose skills fit best: the ticket's own group when it fits, then the most specific match. */
export function groupFor(desk: DeskDefinition, facts: Pick<RoutingFacts, 'category' | 'serviceId' | 'lang' | 'ticketGroupId'>): DeskGroup | undefined {
  const fits = (g: DeskGroup) =>
    (g.skills.categories.length === 0 || g.skills.categories.includes(facts.category)) &&
    (g.skills.services.length === 0 || (facts.serviceId !== null && g.skills.services.includes(facts.serviceId))) &&
    (g.skills.languages.length === 0 || g.skills.languages.includes(facts.lang));
  const fitting = desk.groups.filter(fits);
  const own = fitting.find((g) => g.id === facts.ticketGroupId);
  if (own) return own;
  // More named skills = more specific.
  const weight = (g: DeskGroup) => g.skills.categories.length + g.skills.services.length + g.skills.languages.length;
  return [...fitting].sort((a, b) => weight(b) - weight(a))[0] ?? desk.groups[0];
}
