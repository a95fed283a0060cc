/**
 * Database URLs: which provider a URL names, where a SQLite file lives, and how to show a URL in a
 * message without its password.
 *
 * Accepted forms: `file:./data/guichet.db`, `file:/abs/path.db` or a plain path → SQLite (relative
 * paths are relative to the working directory, like Prisma's); `postgresql://…` or `postgres://…`
 * → PostgreSQL.
 */
import { resolve } from 'node:path';
import { GuichetError } from '../core/errors.ts';

export type Provider = 'sqlite' | 'postgres';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
/** Any other scheme (mysql://, http://…) is a mistake, not a file name. */
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export const isPostgresUrl = (url: string | undefined): url is string => url !== undefined && POSTGRES_URL.test(url.trim());

export function providerOf(url: string): Provider {
  const trimmed = url.trim();
  if (trimmed === '') throw new GuichetError('database.bad-url', 'database: empty database URL');
  if (POSTGRES_URL.test(trimmed)) return 'postgres';
  if (trimmed.startsWith('file:') || !OTHER_SCHEME.test(trimmed)) return 'sqlite';
  throw new GuichetError(
    'database.bad-url',
    `database: unsupported database URL "${redactUrl(trimmed)}" (expected file:…, a path, or postgresql://…)`,
  );
}

/** Absolute path of the SQLite file a `file:` URL or plain path names (query string dropped). */
export function sqlitePath(url: string): string {
  const path = url.trim().replace(/^file:(\/\/(?=\/))?/, '').replace(/\?.*$/, '');
  if (path === '' || path === ':memory:') {
    throw new GuichetError('database.bad-url', `database: "${url}" names no SQLite file (in-memory databases are not supported)`);
  }
  return resolve(path);
}

/** The URL fit for logs and error messages: PostgreSQL password removed; SQLite as its path. */
export function redactUrl(url: string): string {
  if (!POSTGRES_URL.test(url.trim())) return url.trim();
  try {
    const parsed = new URL(url.trim());
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // An unparsable URL may still hold a password: show only its scheme.
    return 'postgresql://(unparsable URL)';
  }
}

/** The same PostgreSQL server URL pointing at another database (user, password, options kept). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url.trim());
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Name of the database a PostgreSQL URL points at ('' when the URL names none). */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url.trim()).pathname.replace(/^\//, ''));
}
