/**
 * One error type for the whole of Guichet: a stable string `code` that callers
 * and tests can match on (e.g. "config.invalid", "database.migration-failed"),
 * a message that names the module and the offending value, and the original
 * error kept as `cause`. Expected outcomes (no answer, duplicate delivery) are
 * values, not errors.
 */
export class GuichetError extends Error {
  override readonly name = 'GuichetError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isGuichetError = (e: unknown): e is GuichetError => e instanceof GuichetError;
