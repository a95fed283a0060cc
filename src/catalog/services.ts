/**
 * The service catalogue (config/services.yml): the services users report about, with their names,
 * support group, criticality and keywords. Knowledge articles name their ids and ticketing routes
 * tickets by them, so the catalogue is its own module below both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';

const localized = z.object({ fr: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();
const keywords = z.object({ fr: z.array(z.string().trim().min(1)), en: z.array(z.string().trim().min(1)) }).strict();

export const serviceSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lowercase kebab-case id'),
    name: localized,
    group: z.string().trim().min(1),
    criticality: z.enum(['low', 'medium', 'high', 'critical']),
    keywords,
    /**
     * Resources of the service granted by membership of a directory group: an approved access request
     * whose resource names one of `match` (case-insensitive) gets `group` (src/directory, when a directory is connected).
     */
    access: z.array(z.object({ group: z.string().trim().min(1), match: z.array(z.string().trim().min(1)).min(1) }).strict()).optional(),
  })
  .strict();

export type ServiceDefinition = z.infer<typeof serviceSchema>;

const catalogueSchema = z
  .array(serviceSchema)
  .min(1, 'expected at least one service')
  .superRefine((services, ctx) => {
    const seen = new Set<string>();
    services.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate service id "${s.id}"` });
      seen.add(s.id);
    });
  });

/** Reads and checks `<configDir>/services.yml`; a problem is GuichetError `config.services`, naming the file and the field. */
export function loadServices(configDir: string): ServiceDefinition[] {
  const file = join(configDir, 'services.yml');
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new GuichetError('config.services', `config: ${file}: cannot read: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const parsed = catalogueSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length > 0 ? `field "${i.path.join('.')}": ` : ''}${i.message}`);
    throw new GuichetError('config.services', `config: ${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The service ids of `<configDir>/services.yml`, in file order. */
export function loadServiceIds(configDir: string): string[] {
  return loadServices(configDir).map((s) => s.id);
}
