/**
 * The conversation reference a channel's sender is handed back by the core's Notifier: stored JSON,
 * so checked before use, with one wording for a reference that will not do.
 */
import type { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { describeIssue } from '../../core/zod-issue.ts';

/** `reference` read with `schema`; throws GuichetError('<platform>.invalid-reference') naming the bad field. */
export function parseReference<S extends z.ZodTypeAny>(platform: string, schema: S, reference: unknown): z.output<S> {
  const parsed = schema.safeParse(reference);
  if (parsed.success) return parsed.data;
  throw new GuichetError(`${platform}.invalid-reference`, `${platform}: cannot send to this conversation reference: ${describeIssue(parsed.error)}`, { cause: parsed.error });
}
