/**
 * One error type for the whole of Guichet: a stable string `code` that callers
 * and tests can match on (e.g. "config.invalid", "database.migration-failed"),
 * a message that names the module and the offending value, and the original
 * error kept as `cause`. Expected outcomes (no answer, duplicate delivery) are
 * values, not errors. Codes are listed per module in error-codes.ts; an unlisted
 * code does not compile.
 */
import type { GuichetErrorCode } from './error-codes.ts';

export class GuichetError extends Error {
  override readonly name = 'GuichetError';

  constructor(
    readonly code: GuichetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isGuichetError = (e: unknown): e is GuichetError => e instanceof GuichetError;
