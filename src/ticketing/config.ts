/**
 * The service desk's configuration from files: support groups and people
 * (groups.yml), SLA policies, calendars and the priority matrix (sla.yml),
 * configuration items (cmdb.yml), and the service catalogue (services.yml).
 * Everything is validated with zod and cross-checked (a service naming an
 * unknown group, a policy an unknown calendar…); a problem names the file,
 * the entry and the field. `syncDeskConfig` writes it to the database,
 * idempotently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import type { Priority } from '../core/tickets.ts';
import { loadServices, type ServiceDefinition } from '../catalog/services.ts';
import { calendarSchema, type BusinessCalendar } from './calendar.ts';
import { DEFAULT_MATRIX, matrixSchema, type PriorityMatrix } from './priority.ts';

const email = z.string().trim().toLowerCase().email();
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');
const person = z.object({ email, name: z.string().trim().min(1) }).strict();

const groupsFileSchema = z
  .object({
    serviceDeskLead: email.optional(),
    groups: z
      .array(
        z
          .object({
            id,
            name: z.string().trim().min(1),
            level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
            manager: email.optional(),
            escalatesTo: id.optional(),
            members: z.array(person).default([]),
            channels: z
              .array(z.object({ platform: z.enum(['teams', 'slack']), address: z.record(z.string()) }).strict())
              .default([]),
          })
          .strict(),
      )
      .min(1),
    admins: z.array(person).default([]),
  })
  .strict();

const targets = z.object({ responseMinutes: z.number().int().positive(), resolutionMinutes: z.number().int().positive() }).strict();
const priorityKey = z.enum(['1', '2', '3', '4', '5']);

const slaFileSchema = z
  .object({
    calendars: z.array(calendarSchema).min(1),
    policies: z
      .array(
        z
          .object({
            id,
            name: z.string().trim().min(1),
            calendar: id,
            pauseOnPending: z.boolean().default(true),
            targets: z.record(priorityKey, targets).refine((t) => priorityKey.options.every((p) => t[p]), 'needs targets for priorities 1 to 5'),
          })
          .strict(),
      )
      .min(1),
    rules: z
      .array(
        z
          .object({
            when: z
              .object({
                vip: z.boolean().optional(),
                priority: z.number().int().min(1).max(5).optional(),
                criticality: z.array(z.enum(['low', 'medium', 'high', 'critical'])).optional(),
              })
              .strict()
              .default({}),
            policy: id,
          })
          .strict(),
      )
      .min(1),
    matrix: matrixSchema.default(DEFAULT_MATRIX),
    autoCloseBusinessDays: z.number().int().min(1).max(30).default(3),
    majorIncidentSuggestion: z
      .object({ windowMinutes: z.number().int().min(1).max(1440), threshold: z.number().int().min(2).max(100) })
      .strict()
      .default({ windowMinutes: 30, threshold: 3 }),
  })
  .strict();

const cmdbFileSchema = z
  .object({
    people: z
      .array(
        z
          .object({
            email,
            name: z.string().trim().min(1),
            department: z.string().trim().optional(),
            jobTitle: z.string().trim().optional(),
            vip: z.boolean().default(false),
            manager: email.optional(),
            /** Where they work (an incident may touch some sites only). */
            site: z.string().trim().min(1).optional(),
            /** Services they use without owning a device for them (a business application…). */
            subscriptions: z.array(id).default([]),
          })
          .strict(),
      )
      .default([]),
    items: z
      .array(
        z
          .object({
            tag: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,40}$/, 'must be an uppercase tag like LT-004211'),
            kind: z.string().trim().min(1),
            name: z.string().trim().min(1),
            owner: email.optional(),
            status: z.enum(['in-use', 'in-stock', 'repair', 'retired', 'lost']).default('in-use'),
            services: z.array(id).default([]),
            /** Where it stands (printers, network gear). */
            site: z.string().trim().min(1).optional(),
            /** Departments that use it (an application): their people are affected when it is. */
            departments: z.array(z.string().trim().min(1)).default([]),
            /** Items it needs to work (tags): an outage of one of them reaches it. */
            dependsOn: z.array(z.string().trim().min(1)).default([]),
          })
          .strict(),
      )
      .default([]),
    /** Services that need other services ("vpn needs identity"): an outage of the needed one reaches them. */
    dependencies: z.array(z.object({ service: id, dependsOn: z.array(id).min(1) }).strict()).default([]),
  })
  .strict();

export type GroupsFile = z.output<typeof groupsFileSchema>;
export type CmdbFile = z.output<typeof cmdbFileSchema>;
export type SlaRule = z.output<typeof slaFileSchema>['rules'][number];

export interface SlaPolicyConfig {
  id: string;
  name: string;
  calendarId: string;
  pauseOnPending: boolean;
  targets: Record<'1' | '2' | '3' | '4' | '5', { responseMinutes: number; resolutionMinutes: number }>;
}

export interface DeskConfig {
  services: ServiceDefinition[];
  groups: GroupsFile['groups'];
  serviceDeskLead?: string;
  admins: GroupsFile['admins'];
  calendars: BusinessCalendar[];
  policies: SlaPolicyConfig[];
  rules: SlaRule[];
  matrix: PriorityMatrix;
  autoCloseBusinessDays: number;
  majorIncidentSuggestion: { windowMinutes: number; threshold: number };
  cmdb: CmdbFile;
}

function readYaml<S extends z.ZodTypeAny>(file: string, schema: S, optional = false): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if (optional && (cause as NodeJS.ErrnoException).code === 'ENOENT') return schema.parse({});
    throw new GuichetError('config.unreadable', `config: ${file}: cannot read: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (cause) {
    throw new GuichetError('config.invalid', `config: ${file}: not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${entryOf(data, i.path)}${i.path.length > 0 ? `field "${i.path.join('.')}": ` : ''}${i.message}`);
    throw new GuichetError('config.invalid', `config: ${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** `entry "service-desk", ` for an issue inside a list entry that has an id, tag or e-mail; '' otherwise. */
function entryOf(data: unknown, path: (string | number)[]): string {
  const index = path.findIndex((p) => typeof p === 'number');
  if (index < 0) return '';
  let entry: unknown = data;
  for (const key of path.slice(0, index + 1)) entry = (entry as Record<string | number, unknown> | undefined)?.[key];
  if (typeof entry !== 'object' || entry === null) return '';
  const { id, tag, email } = entry as { id?: unknown; tag?: unknown; email?: unknown };
  const name = [id, tag, email].find((v) => typeof v === 'string');
  return name ? `entry "${name as string}", ` : '';
}

/** Loads and cross-checks the whole configuration folder. */
export function loadDeskConfig(configDir: string): DeskConfig {
  const services = loadServices(configDir);
  const groupsFile = readYaml(join(configDir, 'groups.yml'), groupsFileSchema);
  const sla = readYaml(join(configDir, 'sla.yml'), slaFileSchema);
  const cmdb = readYaml(join(configDir, 'cmdb.yml'), cmdbFileSchema, true);

  const problems: string[] = [];
  const unique = (file: string, kind: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const value of ids) {
      if (seen.has(value)) problems.push(`${file}: duplicate ${kind} "${value}"`);
      seen.add(value);
    }
  };
  unique('groups.yml', 'group id', groupsFile.groups.map((g) => g.id));
  unique('sla.yml', 'calendar id', sla.calendars.map((c) => c.id));
  unique('sla.yml', 'policy id', sla.policies.map((p) => p.id));
  unique('cmdb.yml', 'item tag', cmdb.items.map((i) => i.tag));
  unique('cmdb.yml', 'person e-mail', cmdb.people.map((p) => p.email));
  const groupIds = new Set(groupsFile.groups.map((g) => g.id));
  const levelOf = new Map(groupsFile.groups.map((g) => [g.id, g.level]));
  for (const g of groupsFile.groups) {
    if (g.escalatesTo && !groupIds.has(g.escalatesTo)) problems.push(`groups.yml: group "${g.id}", field "escalatesTo": unknown group "${g.escalatesTo}"`);
    else if (g.escalatesTo === g.id) problems.push(`groups.yml: group "${g.id}" escalates to itself`);
    // Escalation goes up a level, so it can never loop.
    else if (g.escalatesTo && levelOf.get(g.escalatesTo)! <= g.level) {
      problems.push(`groups.yml: group "${g.id}", field "escalatesTo": group "${g.escalatesTo}" is level ${levelOf.get(g.escalatesTo)}, not above level ${g.level}`);
    }
    unique('groups.yml', `member of group "${g.id}"`, g.members.map((m) => m.email));
    unique('groups.yml', `channel platform of group "${g.id}"`, g.channels.map((c) => c.platform));
  }
  for (const s of services) {
    if (!groupIds.has(s.group)) problems.push(`services.yml: service "${s.id}", field "group": unknown group "${s.group}" (see groups.yml)`);
  }
  const calendarIds = new Set(sla.calendars.map((c) => c.id));
  const policyIds = new Set(sla.policies.map((p) => p.id));
  for (const p of sla.policies) {
    if (!calendarIds.has(p.calendar)) problems.push(`sla.yml: policy "${p.id}", field "calendar": unknown calendar "${p.calendar}"`);
  }
  sla.rules.forEach((r, i) => {
    if (!policyIds.has(r.policy)) problems.push(`sla.yml: rules.${i}, field "policy": unknown policy "${r.policy}"`);
  });
  if (Object.keys(sla.rules.at(-1)?.when ?? {}).length > 0) problems.push('sla.yml: the last rule must have no "when" (the default policy)');
  const serviceIds = new Set(services.map((s) => s.id));
  for (const item of cmdb.items) {
    for (const s of item.services) if (!serviceIds.has(s)) problems.push(`cmdb.yml: item "${item.tag}", field "services": unknown service "${s}"`);
    for (const t of item.dependsOn) if (!cmdb.items.some((i) => i.tag === t)) problems.push(`cmdb.yml: item "${item.tag}", field "dependsOn": unknown item "${t}"`);
  }
  for (const p of cmdb.people) {
    for (const s of p.subscriptions) if (!serviceIds.has(s)) problems.push(`cmdb.yml: person "${p.email}", field "subscriptions": unknown service "${s}"`);
  }
  cmdb.dependencies.forEach((d, i) => {
    for (const s of [d.service, ...d.dependsOn]) if (!serviceIds.has(s)) problems.push(`cmdb.yml: dependencies.${i}: unknown service "${s}"`);
  });
  if (problems.length > 0) throw new GuichetError('config.invalid', `config: ${configDir}: ${problems.join('; ')}`);

  return {
    services,
    groups: groupsFile.groups,
    serviceDeskLead: groupsFile.serviceDeskLead,
    admins: groupsFile.admins,
    calendars: sla.calendars as BusinessCalendar[],
    policies: sla.policies.map((p) => ({ id: p.id, name: p.name, calendarId: p.calendar, pauseOnPending: p.pauseOnPending, targets: p.targets as SlaPolicyConfig['targets'] })),
    rules: sla.rules,
    matrix: sla.matrix as PriorityMatrix,
    autoCloseBusinessDays: sla.autoCloseBusinessDays,
    majorIncidentSuggestion: sla.majorIncidentSuggestion,
    cmdb,
  };
}

/** The policy for a new ticket: the first rule whose conditions all hold. */
export function policyFor(config: Pick<DeskConfig, 'rules' | 'policies'>, facts: { vip: boolean; priority: Priority; criticality: string | null }): SlaPolicyConfig {
  const rule = config.rules.find(({ when }) => {
    if (when.vip !== undefined && when.vip !== facts.vip) return false;
    if (when.priority !== undefined && when.priority !== facts.priority) return false;
    if (when.criticality && (!facts.criticality || !when.criticality.includes(facts.criticality as never))) return false;
    return true;
  });
  const policy = config.policies.find((p) => p.id === rule?.policy) ?? config.policies[0];
  if (!policy) throw new GuichetError('config.invalid', 'sla.yml: no SLA policy');
  return policy;
}
