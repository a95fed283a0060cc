/**
 * What the desk configuration (config.ts) says about people, before it is written to the database
 * (src/persistence/stores/desk-config.ts, `syncDeskConfig`): everyone the files name, by e-mail,
 * with the highest role any file gives them. Pure; the database writes are in persistence.
 */
import type { DeskConfig } from './config.ts';

export type ConfigRole = 'agent' | 'admin' | 'employee';
/** How roles rank: a higher one wins when several files name a person. */
export const ROLE_RANK: Record<string, number> = { employee: 0, agent: 1, admin: 2 };

export interface ConfigSyncReport {
  groups: number;
  people: number;
  services: number;
  items: number;
  /** Items that left cmdb.yml and were marked retired by this run. */
  retiredItems: number;
  /** Groups that left groups.yml and were emptied by this run. */
  retiredGroups: number;
  /** Agents no longer in any group, made employees by this run. */
  demotedAgents: number;
  /** Rows created, updated or deleted by this run (0 when the database already matched the files). */
  changes: number;
}

/** Every person the files name, by e-mail: admins, group members (agents), CMDB people, managers and owners (employees). */
export function peopleOf(config: DeskConfig): Map<string, { name: string; role: ConfigRole }> {
  const people = new Map<string, { name: string; role: ConfigRole }>();
  const want = (email: string, name: string | undefined, role: ConfigRole) => {
    const existing = people.get(email);
    people.set(email, { name: existing?.name ?? name ?? email.split('@')[0]!, role: existing && ROLE_RANK[existing.role]! >= ROLE_RANK[role]! ? existing.role : role });
  };
  for (const a of config.admins) want(a.email, a.name, 'admin');
  for (const g of config.groups) for (const m of g.members) want(m.email, m.name, 'agent');
  for (const p of config.cmdb.people) want(p.email, p.name, 'employee');
  for (const g of config.groups) if (g.manager) want(g.manager, undefined, 'employee');
  if (config.serviceDeskLead) want(config.serviceDeskLead, undefined, 'employee');
  for (const p of config.cmdb.people) if (p.manager) want(p.manager, undefined, 'employee');
  for (const i of config.cmdb.items) if (i.owner) want(i.owner, undefined, 'employee');
  return people;
}
