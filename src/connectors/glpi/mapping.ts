/**
 * config/glpi-mapping.yml: categories, groups, levels and statuses between Guichet and GLPI,
 * validated once at start-up (an error names the file and the field).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { TICKET_STATUSES, type Level, type TicketStatus } from '../../core/tickets.ts';
import { firstIssue } from '../../core/zod-issue.ts';

const glpiId = z.number().int().min(0);
const glpiLevel = z.number().int().min(1).max(5);

const mappingSchema = z
  .object({
    entity: glpiId.default(0),
    categories: z.record(z.string(), glpiId).default({}),
    groups: z.record(z.string(), glpiId).default({}),
    levels: z.object({ 1: glpiLevel, 2: glpiLevel, 3: glpiLevel }).strict(),
    statuses: z.object({ 1: z.enum(TICKET_STATUSES), 2: z.enum(TICKET_STATUSES), 3: z.enum(TICKET_STATUSES), 4: z.enum(TICKET_STATUSES), 5: z.enum(TICKET_STATUSES), 6: z.enum(TICKET_STATUSES) }).strict(),
  })
  .strict()
  // Changes come back from GLPI too: one GLPI group must name one Guichet group.
  .superRefine((m, issues) => {
    const seen = new Map<number, string>();
    for (const [group, id] of Object.entries(m.groups)) {
      const other = seen.get(id);
      if (other !== undefined && id !== 0) issues.addIssue({ code: 'custom', path: ['groups', group], message: `maps to GLPI group ${id}, already mapped from "${other}" (a GLPI group must name one Guichet group)` });
      seen.set(id, group);
    }
    for (const [group, id] of Object.entries(m.groups)) if (id === 0) issues.addIssue({ code: 'custom', path: ['groups', group], message: 'is 0: a GLPI group id starts at 1' });
  });

export type GlpiMappingFile = z.infer<typeof mappingSchema>;

/** The mapping as the connector uses it. */
export interface GlpiMapping {
  entity: number;
  /** GLPI ITILCategory id of a Guichet category (0: none). */
  category(category: string): number;
  /** GLPI Group id of a Guichet support group, if mapped. */
  group(groupId: string | null): number | undefined;
  /** The Guichet support group of a GLPI Group id, if mapped. */
  groupOf(glpiGroupId: number): string | undefined;
  /** The Guichet support groups the mapping names. */
  groupIds(): string[];
  /** GLPI's 1–5 scale for a Guichet level. */
  level(level: Level): number;
  /** Guichet status of a GLPI status (1–6). */
  status(glpiStatus: number): TicketStatus | undefined;
}

export function mappingOf(file: GlpiMappingFile): GlpiMapping {
  return {
    entity: file.entity,
    category: (category) => file.categories[category] ?? file.categories.default ?? 0,
    group: (groupId) => (groupId === null ? undefined : file.groups[groupId]),
    groupOf: (glpiGroupId) => Object.entries(file.groups).find(([, id]) => id === glpiGroupId)?.[0],
    groupIds: () => Object.keys(file.groups),
    level: (level) => file.levels[level],
    status: (glpiStatus) => (file.statuses as Record<number, TicketStatus | undefined>)[glpiStatus],
  };
}

/** Validates a parsed mapping; `source` names the file in errors. */
export function parseMapping(raw: unknown, source: string): GlpiMapping {
  const parsed = mappingSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    throw new GuichetError('connectors.glpi-mapping', `connectors: ${source}: "${issue.field || '(root)'}" ${issue.message}`);
  }
  return mappingOf(parsed.data);
}

/** Every support group the mapping names must exist in groups.yml (an error names the file and the field). */
export function assertKnownGroups(mapping: GlpiMapping, groupIds: readonly string[], source: string): void {
  const unknown = mapping.groupIds().find((g) => !groupIds.includes(g));
  if (unknown !== undefined) throw new GuichetError('connectors.glpi-mapping', `connectors: ${source}: "groups.${unknown}" names no support group of groups.yml (known: ${groupIds.join(', ')})`);
}

export function loadMapping(path: string): GlpiMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GuichetError('connectors.glpi-mapping', `connectors: cannot read the GLPI mapping ${path} (${(err as Error).message})`, { cause: err });
  }
  return parseMapping(parse(text), path);
}
