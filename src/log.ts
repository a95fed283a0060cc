/**
 * Logging with pino: JSON lines on stdout. Message bodies are never logged at
 * info level; secrets are redacted wherever they appear in a logged object, and
 * any text that looks like a password, a code or a token (src/core/secrets.ts) is
 * masked in every logged string.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { maskDeep, maskSecrets } from './core/secrets.ts';

export type { Logger } from 'pino';

/** A logger at `level` (the server passes its LOG_LEVEL setting, read by loadConfig); `destination` for tests. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app: 'guichet' },
    redact: {
      paths: ['*.password', '*.token', '*.secret', 'req.headers.authorization', 'req.headers.cookie', '*.MicrosoftAppPassword', '*.SLACK_BOT_TOKEN', '*.SLACK_SIGNING_SECRET'],
      censor: '[redacted]',
    },
    formatters: { log: (object: Record<string, unknown>) => maskDeep(object) },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskSecrets(a).text : a)));
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
