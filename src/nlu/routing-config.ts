/**
 * The turn router's settings from the configuration folder: the directory of
 * other services (config/other-services.yml, "not IT, go there") and the
 * security incident settings (config/security.yml). Both files are optional;
 * a file that exists is validated and a mistake stops the start, naming the
 * file and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { fold } from '../core/commands.ts';
import { GuichetError } from '../core/errors.ts';
import type { RoutingSettings } from '../core/turn/router.ts';
import { describeIssue } from '../core/zod-issue.ts';

const localized = z.object({ fr: z.string().min(1), en: z.string().min(1) }).strict();
const words = z.array(z.string().min(1));

const otherServicesSchema = z
  .object({
    services: z.array(
      z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/), name: localized, where: localized, keywords: z.object({ fr: words, en: words }).strict() }).strict(),
    ),
  })
  .strict();

const level = z.enum(['low', 'medium', 'high']);
const securitySchema = z
  .object({
    /** The service of config/services.yml security tickets are filed under (its group receives them). */
    service: z.string().min(1),
    /** The support group (config/groups.yml) that receives them instead of the service's group. */
    group: z.string().min(1).optional(),
    category: z.string().min(1).default('security'),
    impact: level.default('high'),
    /** Urgency per kind of incident; `default` for the others. */
    urgency: z.record(z.enum(['phishing', 'malware', 'lost-device', 'mfa-prompt', 'compromised', 'default']), level).default({}),
    /** Kinds a guide of dialogs/ handles (its id): the guide starts, urgent, after the advice. */
    guides: z.record(z.enum(['phishing', 'malware', 'lost-device', 'mfa-prompt', 'compromised']), z.string().min(1)).default({}),
  })
  .strict();

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new GuichetError('nlu.invalid-config', `nlu: ${file} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Reads other-services.yml and security.yml from `configDir` (each optional). */
export function loadRoutingSettings(configDir: string): RoutingSettings {
  const settings: RoutingSettings = { otherServices: [] };
  const others = join(configDir, 'other-services.yml');
  if (existsSync(others)) {
    const parsed = otherServicesSchema.safeParse(readYaml(others));
    if (!parsed.success) throw new GuichetError('nlu.invalid-config', `nlu: ${others}: ${describeIssue(parsed.error)}`);
    settings.otherServices = parsed.data.services.map((s) => ({
      id: s.id,
      name: s.name,
      where: s.where,
      keywords: [...new Set([...s.keywords.fr, ...s.keywords.en].map(fold).filter(Boolean))],
    }));
  }
  const security = join(configDir, 'security.yml');
  if (existsSync(security)) {
    const parsed = securitySchema.safeParse(readYaml(security));
    if (!parsed.success) throw new GuichetError('nlu.invalid-config', `nlu: ${security}: ${describeIssue(parsed.error)}`);
    const { urgency, ...rest } = parsed.data;
    settings.security = { ...rest, urgency: { default: 'high', ...urgency } };
  }
  return settings;
}
