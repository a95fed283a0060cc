/**
 * One error type for the whole of Guichet: a stable string `code` that callers
 * and tests can match on (e.g. "config.invalid", "database.migration-failed"),
 * a message that names the module and the offending value, and the original
 * error kept as `cause`. Expected outcomes (no answer, duplicate delivery) are
 * values, not errors. Codes are listed per module in error-codes.ts; an unlisted
 * code does not compile.
 */
import { say, type TextKey, type TextVars } from '../texts/index.ts';
import type { GuichetErrorCode } from './error-codes.ts';
import type { Lang } from './lang.ts';

/** What to tell a user about an error, in their language (the message itself is for logs and developers). */
export interface UserText {
  key: TextKey;
  /** The placeholders, the same in every language or per language (a status label, a nested sentence). */
  vars?: TextVars | ((lang: Lang) => TextVars);
}

export class GuichetError extends Error {
  override readonly name = 'GuichetError';
  /** The sentence a user sees when this error refuses what they asked; see userMessage(). */
  readonly user?: UserText;

  constructor(
    readonly code: GuichetErrorCode,
    message: string,
    options?: { cause?: unknown; user?: UserText },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.user) this.user = options.user;
  }
}

export const isGuichetError = (e: unknown): e is GuichetError => e instanceof GuichetError;

/**
 * The refusal in the user's language: the error's own sentence, or one by the kind of its code (never the
 * English developer message, which stays in logs).
 */
export function userMessage(err: GuichetError, lang: Lang): string {
  if (err.user) return say(lang, err.user.key, typeof err.user.vars === 'function' ? err.user.vars(lang) : err.user.vars);
  const kind = err.code.slice(err.code.indexOf('.') + 1);
  if (kind === 'not-found') return say(lang, 'core.refusedNotFound');
  if (kind === 'forbidden') return say(lang, 'core.refusedForbidden');
  if (kind === 'illegal-transition' || kind === 'conflict') return say(lang, 'core.refusedState');
  if (kind.startsWith('invalid')) return say(lang, 'core.refusedInvalid');
  return say(lang, 'core.refusedOther');
}
