/**
 * Reads config/desks.yml and config/oncall.yml, validates them (zod, then cross-checks against the
 * groups and calendars of the ticketing configuration) and names the file, the entry and the field
 * of the first problems. `watchDesks` tells when they change, to reload them without a restart.
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import type { BusinessCalendar } from '../ticketing/calendar.ts';
import { desksFileSchema, oncallFileSchema, type DeskOrganisation } from './schema.ts';

export interface DeskReferences {
  /** Group ids of groups.yml. */
  groupIds: Iterable<string>;
  /** Calendars of sla.yml. */
  calendars: BusinessCalendar[];
  /** Service ids of services.yml. */
  serviceIds?: Iterable<string>;
}

function readFile<S extends z.ZodTypeAny>(file: string, schema: S, optional: boolean): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if (optional && (cause as NodeJS.ErrnoException).code === 'ENOENT') return schema.parse({});
    throw new GuichetError('config.unreadable', `desks: ${file}: cannot read: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (cause) {
    throw new GuichetError('config.invalid', `desks: ${file}: not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const parsed = schema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((i) => `${entryOf(data, i.path)}field "${i.path.join('.')}": ${i.message}`);
  throw new GuichetError('config.invalid', `desks: ${file}: ${problems.join('; ')}`);
}

/** `entry "paris", ` for an issue inside a list entry that has an id; '' otherwise. */
function entryOf(data: unknown, path: PropertyKey[]): string {
  const index = path.findIndex((p) => typeof p === 'number');
  if (index < 0) return '';
  let entry: unknown = data;
  for (const key of path.slice(0, index + 1)) entry = (entry as Record<PropertyKey, unknown> | undefined)?.[key];
  const name = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
  return typeof name === 'string' ? `entry "${name}", ` : '';
}

/** Loads both files of `configDir`; oncall.yml is optional (nobody is paged without it). */
export function loadDesks(configDir: string, refs: DeskReferences): DeskOrganisation {
  const desksPath = join(configDir, 'desks.yml');
  const oncallPath = join(configDir, 'oncall.yml');
  const file = readFile(desksPath, desksFileSchema, false);
  const oncall = readFile(oncallPath, oncallFileSchema, true);
  const calendars = new Map<string, BusinessCalendar>(refs.calendars.map((c) => [c.id, c]));
  for (const c of file.calendars as BusinessCalendar[]) calendars.set(c.id, c);
  const groups = new Set(refs.groupIds);
  const services = refs.serviceIds ? new Set(refs.serviceIds) : undefined;
  const siteIds = new Set(file.sites.map((s) => s.id));
  const deskIds = new Set(file.desks.map((d) => d.id));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const desk of file.desks) {
    const at = (field: string) => `${desksPath}: desk "${desk.id}", field "${field}"`;
    if (seen.has(desk.id)) problems.push(`${desksPath}: duplicate desk id "${desk.id}"`);
    seen.add(desk.id);
    for (const cal of desk.hours) if (!calendars.has(cal)) problems.push(`${at('hours')}: unknown calendar "${cal}" (see sla.yml or this file's calendars)`);
    for (const site of desk.serves.sites) if (!siteIds.has(site)) problems.push(`${at('serves.sites')}: unknown site "${site}"`);
    desk.groups.forEach((g, i) => {
      if (!groups.has(g.id)) problems.push(`${at(`groups.${i}.id`)}: unknown group "${g.id}" (see groups.yml)`);
      for (const s of g.skills.services) if (services && !services.has(s)) problems.push(`${at(`groups.${i}.skills.services`)}: unknown service "${s}" (see services.yml)`);
    });
    if (desk.type !== 'self-service' && desk.groups.length === 0) problems.push(`${at('groups')}: a ${desk.type} desk needs at least one group`);
  }
  if (!deskIds.has(file.defaultDesk)) problems.push(`${desksPath}: field "defaultDesk": unknown desk "${file.defaultDesk}"`);
  else if (file.desks.find((d) => d.id === file.defaultDesk)!.type === 'self-service') problems.push(`${desksPath}: field "defaultDesk": desk "${file.defaultDesk}" is self-service, nobody would answer`);
  oncall.rotas.forEach((r) => {
    for (const d of r.desks) if (!deskIds.has(d)) problems.push(`${oncallPath}: rota "${r.id}", field "desks": unknown desk "${d}"`);
  });
  const rotaIds = new Set(oncall.rotas.map((r) => r.id));
  oncall.overrides.forEach((o, i) => {
    if (!rotaIds.has(o.rota)) problems.push(`${oncallPath}: field "overrides.${i}.rota": unknown rota "${o.rota}"`);
  });
  if (problems.length > 0) throw new GuichetError('config.invalid', `desks: ${problems.slice(0, 8).join('; ')}`);
  return {
    defaultDesk: file.defaultDesk,
    defaultHandlingMinutes: file.defaultHandlingMinutes,
    handlingSamples: file.handlingSamples,
    sites: file.sites,
    desks: file.desks,
    calendars,
    oncall,
  };
}

/**
 * Calls `changed` when desks.yml or oncall.yml changes (debounced), so the desks apply without a
 * restart; `changed` reloads (a broken file keeps the previous organisation: its error goes to
 * `onError`). Returns the stop function.
 */
export function watchDesks(configDir: string, changed: () => Promise<void>, onError: (err: unknown) => void, debounceMs = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      changed().catch(onError);
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const name of ['desks.yml', 'oncall.yml']) {
    try {
      watchers.push(watch(join(configDir, name), reload));
    } catch (err) {
      // oncall.yml may not exist: nothing to watch, nothing wrong.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError(err);
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
