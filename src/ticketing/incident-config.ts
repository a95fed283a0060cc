/**
 * Major incidents' settings (config/incidents.yml, optional): who hears of a declaration, how notices
 * respect attention (a digest window, quiet hours), when a report is linked without asking, and what
 * monitoring alerts do. A problem names the file and the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';

const hhmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
export const SEVERITIES = ['info', 'warning', 'minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const incidentSettingsSchema = z
  .object({
    /** "affected": everyone the CMDB says is affected; "recent": only those of them who talked to Guichet in the last `recentHours`. */
    audience: z.enum(['affected', 'recent']).default('affected'),
    recentHours: z.number().int().min(1).max(720).default(24),
    /** A person in a guide of an affected service, active within this many minutes, is told at once and offered to join. */
    guideMinutes: z.number().int().min(1).max(1440).default(120),
    /** Open tickets of the affected services scoring at least this (0..1, words shared with the incident) are linked at once; the others are suggested to the agent. */
    linkSimilarity: z.number().min(0).max(1).default(0.2),
    notices: z
      .object({
        /** Notices to one person within this many seconds of the previous one are grouped into one digest. */
        digestSeconds: z.number().int().min(0).max(3600).default(120),
        /** Non-urgent notices wait for the end of quiet hours (the desk's time zone). */
        quietHours: z.object({ from: hhmm, to: hhmm }).strict().optional(),
      })
      .strict()
      .default({}),
    alerts: z
      .object({
        /** Labels that name the service in an Alertmanager alert, tried in order. */
        serviceLabels: z.array(z.string().min(1)).min(1).default(['service', 'guichet_service']),
        /** Alerts from this severity up suggest a major incident to the desk lead. */
        suggestFrom: z.enum(SEVERITIES).default('warning'),
        /** Alerts from this severity up declare it directly. */
        declareFrom: z.enum(SEVERITIES).default('critical'),
        /** An alert firing again within this many minutes of resolving is flapping: no new proposal. */
        flapMinutes: z.number().int().min(1).max(1440).default(15),
      })
      .strict()
      .default({}),
  })
  .strict();

export type IncidentSettings = z.output<typeof incidentSettingsSchema>;

export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = incidentSettingsSchema.parse({});

/** Reads `<configDir>/incidents.yml` (defaults when absent); a problem is GuichetError `config.invalid` naming file and field. */
export function loadIncidentSettings(configDir: string): IncidentSettings {
  const file = join(configDir, 'incidents.yml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_INCIDENT_SETTINGS;
    throw new GuichetError('config.unreadable', `config: ${file}: cannot read: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (cause) {
    throw new GuichetError('config.invalid', `config: ${file}: not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const parsed = incidentSettingsSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length > 0 ? `field "${i.path.join('.')}": ` : ''}${i.message}`);
    throw new GuichetError('config.invalid', `config: ${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
