/**
 * Who a major incident reaches, from the CMDB (config/cmdb.yml): the services it names and the
 * services that need them (`dependencies`), the items it names and the items that need them
 * (`dependsOn`), then the people — owners of an affected item in use, subscribers of an affected
 * service, departments using an affected item — kept to the incident's sites when it names some.
 * Shared items (kind "application") provide services: the VPN gateway down is the VPN down for the
 * devices using it; a service down as a whole (named without items, or needed by another) reaches
 * every item providing it; an incident naming items (SAP only) reaches those and what needs them.
 */
import type { CmdbFile } from './config.ts';

/** What an incident touches; `services` holds at least the incident's own service. */
export interface IncidentScope {
  services: string[];
  items: string[];
  sites: string[];
}

export interface Affected {
  /** Services reached, the named ones first. */
  services: string[];
  /** Item tags reached. */
  items: string[];
  /** E-mails (lowercase) of the people reached. */
  people: string[];
}

const SHARED_KINDS = new Set(['application']);

export function affectedBy(cmdb: CmdbFile, scope: IncidentScope): Affected {
  const items = cmdb.items.filter((i) => i.status !== 'retired' && i.status !== 'lost');
  const shared = (i: { kind: string }) => SHARED_KINDS.has(i.kind);
  // Services down as a whole reach every shared item providing them; an incident naming items is about those only.
  const whole = new Set(scope.items.length > 0 ? scope.services.filter((s) => !items.some((i) => shared(i) && i.services.includes(s))) : scope.services);
  const services = new Set(scope.services);
  const tags = new Set(scope.items.filter((t) => items.some((i) => i.tag === t)));
  for (const tag of tags) {
    const item = items.find((i) => i.tag === tag);
    if (item && shared(item)) for (const s of item.services) services.add(s);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of cmdb.dependencies) {
      if (!services.has(d.service) && d.dependsOn.some((s) => services.has(s))) {
        services.add(d.service);
        whole.add(d.service);
        grew = true;
      }
    }
    for (const item of items) {
      if (tags.has(item.tag)) continue;
      const needs = item.dependsOn.some((t) => tags.has(t));
      const uses = !shared(item) && item.services.some((s) => services.has(s));
      const provides = shared(item) && item.services.some((s) => whole.has(s));
      if (!needs && !uses && !provides) continue;
      tags.add(item.tag);
      grew = true;
      if (shared(item)) for (const s of item.services) services.add(s);
    }
  }
  const reached = items.filter((i) => tags.has(i.tag));
  const departments = new Set(reached.flatMap((i) => i.departments.map((d) => d.toLowerCase())));
  const owners = new Set(reached.filter((i) => i.status === 'in-use' && i.owner && !shared(i)).map((i) => i.owner!));
  const sites = new Set(scope.sites.map((s) => s.toLowerCase()));
  const people = cmdb.people
    .filter((p) => owners.has(p.email) || p.subscriptions.some((s) => services.has(s)) || (p.department !== undefined && departments.has(p.department.toLowerCase())))
    .filter((p) => sites.size === 0 || (p.site !== undefined && sites.has(p.site.toLowerCase())))
    .map((p) => p.email);
  return { services: [...services], items: [...tags], people };
}
