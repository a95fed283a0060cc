/**
 * How long each kind of data is kept (config/retention.yml, validated with zod; the file is optional and
 * every kind has a default). A period is a number of days, or `forever`. The store deletes what is older
 * (src/persistence/stores/privacy.ts `applyRetention`); `retentionJob` runs it on a timer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';

/** The kinds of data with a retention period, and what each covers. */
export const RETENTION_KINDS = {
  transcripts: 'chat transcripts (Message) and conversations left without any',
  gaps: 'questions no article answered (UnansweredQuery)',
  ratings: 'answer ratings (AnswerFeedback)',
  audit: 'the audit log (AuditLog)',
  deliveries: 'processed platform deliveries kept to answer retries (ProcessedDelivery)',
  outbox: 'GLPI calls delivered or given up (GlpiOutbox, status done or dead)',
  sessions: 'portal sessions that ended (PortalSession, expired or revoked), counted from their end',
  rateLimits: 'abuse-limit counts whose window ended (RateLimit, keyed by person, e-mail or IP), counted from the end',
} as const;
export type RetentionKind = keyof typeof RETENTION_KINDS;

/** Days per kind; null keeps forever. */
export type RetentionPeriods = Record<RetentionKind, number | null>;

export const DEFAULT_RETENTION: RetentionPeriods = { transcripts: 365, gaps: 180, ratings: 730, audit: 1825, deliveries: 30, outbox: 90, sessions: 30, rateLimits: 1 };

const period = z.union([z.literal('forever').transform(() => null), z.number().int().min(1).max(36_500)]);

export const retentionFileSchema = z
  .object({
    transcripts: period.optional(),
    gaps: period.optional(),
    ratings: period.optional(),
    audit: period.optional(),
    // A retried delivery must still find its first answer: platforms retry for minutes to hours.
    deliveries: z.number().int().min(1, 'must keep processed deliveries at least 1 day (platform retries)').max(36_500).optional(),
    outbox: period.optional(),
    sessions: period.optional(),
    // A count whose window ended is never read again (the next request starts a new one): it only holds an IP or a person.
    rateLimits: z.number().int().min(1).max(36_500).optional(),
    /** How often the job runs, in minutes. */
    everyMinutes: z.number().int().min(1).max(10_080).default(60),
  })
  .strict();

export interface RetentionSettings {
  periods: RetentionPeriods;
  everyMinutes: number;
}

/** Validates a parsed retention file; errors name `file` and the field. */
export function parseRetention(data: unknown, file = 'retention.yml'): RetentionSettings {
  const parsed = retentionFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `field "${i.path.join('.') || '(file)'}": ${i.message}`);
    throw new GuichetError('privacy.invalid-retention', `privacy: ${file}: ${problems.join('; ')}`);
  }
  const { everyMinutes, ...given } = parsed.data;
  const periods = { ...DEFAULT_RETENTION };
  for (const kind of Object.keys(RETENTION_KINDS) as RetentionKind[]) if (given[kind] !== undefined) periods[kind] = given[kind];
  return { periods, everyMinutes };
}

/** config/retention.yml of `configDir`, or the defaults when there is none. */
export function loadRetention(configDir: string): RetentionSettings {
  const file = join(configDir, 'retention.yml');
  if (!existsSync(file)) return parseRetention({}, file);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new GuichetError('privacy.invalid-retention', `privacy: ${file}: not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  return parseRetention(data, file);
}

/** The instant before which `kind` is deleted at `now`; undefined when kept forever. */
export function cutoff(now: Date, days: number | null): Date | undefined {
  return days === null ? undefined : new Date(now.getTime() - days * 86_400_000);
}
