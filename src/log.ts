/**
 * Logging with pino: JSON lines on stdout. Message bodies are never logged at
 * info level; secrets are redacted wherever they appear in a logged object.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** A logger at `level` (the server passes its LOG_LEVEL setting, read by loadConfig). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'guichet' },
    redact: {
      paths: ['*.password', '*.token', '*.secret', 'req.headers.authorization', 'req.headers.cookie', '*.MicrosoftAppPassword', '*.SLACK_BOT_TOKEN', '*.SLACK_SIGNING_SECRET'],
      censor: '[redacted]',
    },
  });
}
