/**
 * Logging with pino: JSON lines on stdout. Message bodies are never logged at
 * info level; secrets are redacted wherever they appear in a logged object, and
 * any text that looks like a password, a code or a token (src/core/secrets.ts) is
 * masked in every logged string.
 * Lines written while a request or a turn runs carry its id (`reqId`, `turnId`):
 * the server opens that context with `withLogContext`, and every logger made
 * here adds it (ids only, never personal data).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger } from 'pino';
import { maskDeep, maskSecrets } from './core/secrets.ts';

export type { Logger } from 'pino';

/** Ids of what is running (a request, a turn), added to each line logged meanwhile. */
export type LogContext = Readonly<Record<string, string | number>>;

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` added (over the enclosing context's) to every line logged meanwhile. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** A logger at `level` (the server passes its LOG_LEVEL setting, read by loadConfig); `destination` for tests. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app: 'guichet' },
    mixin: () => context.getStore() ?? {},
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
