/**
 * Disposable PostgreSQL databases on a server: shadow databases for `diff`, fresh databases for
 * tests. The server is reached through any database URL on it (its own database is not touched).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { GuichetError } from '../../core/errors.ts';
import { databaseName, redactUrl, withDatabase } from '../database-url.ts';

/** Databases we may create and drop: a fixed prefix, then lowercase letters, digits, underscores. */
const DISPOSABLE = /^guichet_[a-z0-9_]+$/;

/** A fresh, unique database name such as `guichet_shadow_3f9a1c0b2d4e`. */
export const disposableName = (purpose: string): string => `guichet_${purpose}_${randomBytes(6).toString('hex')}`;

/**
 * Runs `sql` on the server through the maintenance database `postgres` when the URL names the very
 * database being created or dropped; otherwise through the URL's own database.
 */
async function onServer(serverUrl: string, avoid: string, sql: string): Promise<void> {
  const via = databaseName(serverUrl) === avoid || databaseName(serverUrl) === '' ? withDatabase(serverUrl, 'postgres') : serverUrl;
  const client = new pg.Client({ connectionString: via });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined); // already broken: the query's error is the one to report
  }
}

function checkName(name: string): void {
  if (!DISPOSABLE.test(name)) {
    throw new GuichetError('migrate.bad-database-name', `migrate: refusing to create or drop database "${name}" (not guichet_…)`);
  }
}

/** Creates database `name` on the server of `serverUrl`; returns the URL of the new database. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  checkName(name);
  try {
    await onServer(serverUrl, name, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } catch (cause) {
    throw new GuichetError(
      'migrate.create-database-failed',
      `migrate: cannot create database "${name}" on ${redactUrl(serverUrl)}: ${(cause as Error).message}`,
      { cause },
    );
  }
  return withDatabase(serverUrl, name);
}

/**
 * Drops database `name` if it exists, closing other sessions on it first (WITH (FORCE): PostgreSQL
 * 13 or later), so a leaked connection cannot leave it behind.
 */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  checkName(name);
  try {
    await onServer(serverUrl, name, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } catch (cause) {
    throw new GuichetError(
      'migrate.drop-database-failed',
      `migrate: cannot drop database "${name}" on ${redactUrl(serverUrl)}: ${(cause as Error).message}`,
      { cause },
    );
  }
}
