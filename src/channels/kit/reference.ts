/**
 * The references a channel is handed back (a conversation reference from the core's Notifier, an
 * agents' channel address or a card's post reference from the handoff): stored JSON, so checked
 * before use, with one wording for one that will not do.
 */
import type { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { describeIssue } from '../../core/zod-issue.ts';

/**
 * `reference` read with `schema`; throws GuichetError(`code`) naming `what` and the bad field:
 * "<platform>.invalid-reference" by default, "teams.invalid-address" for agents' channels and their posts on Teams.
 */
export function parseReference<S extends z.ZodTypeAny>(
  platform: 'slack' | 'teams',
  schema: S,
  reference: unknown,
  what = 'conversation reference',
  code: `${typeof platform}.invalid-reference` | 'teams.invalid-address' = `${platform}.invalid-reference`,
): z.output<S> {
  const parsed = schema.safeParse(reference);
  if (parsed.success) return parsed.data;
  throw new GuichetError(code, `${platform}: cannot reach this ${what}: ${describeIssue(parsed.error)}`, { cause: parsed.error });
}
