/**
 * Building one raw statement for many rows, on either provider. Prisma's createMany and updateMany
 * compile their query on every call, at a cost that grows with the rows (measured: 100 jobs with
 * their JSON payloads, 180 ms to 2 s; the same rows in one raw INSERT, 10 to 60 ms), so the SLA
 * clock's batch writes and the job outbox use raw statements.
 */
import { randomBytes } from 'node:crypto';
import type { Provider } from '../database.ts';

/** Rows per raw statement (well under both drivers' parameter limits). */
export const RAW_CHUNK = 500;

/** Placeholders of a raw statement and their arguments: `?` on SQLite, `$n` (with a cast when given) on PostgreSQL. */
export function rawSql(provider: Provider): { p: (value: unknown, cast?: string) => string; args: unknown[] } {
  const args: unknown[] = [];
  return {
    args,
    p(value, cast) {
      args.push(value);
      return provider === 'postgres' ? `$${args.length}${cast ? `::${cast}` : ''}` : '?';
    },
  };
}

/**
 * A statement written with `?` placeholders for either provider: kept on SQLite, `$1…$n` on PostgreSQL,
 * where `?j` is cast to jsonb and `?t` to timestamp(3) (a Date bound there is sent as UTC ISO text).
 */
export function portable(provider: Provider, sql: string): string {
  if (provider === 'sqlite') return sql.replace(/\?[jt]/g, '?');
  let n = 0;
  return sql.replace(/\?([jt]?)/g, (_match, cast: string) => `$${++n}${cast === 'j' ? '::jsonb' : cast === 't' ? '::timestamp(3)' : ''}`);
}

/**
 * PostgreSQL: a subquery that makes the statement's own transaction commit without waiting for its
 * WAL flush (`synchronous_commit = off` for that transaction only: `set_config(…, true)` ends with
 * it; the connection keeps the server's setting). A commit that waits is an fdatasync, 2-3 ms on the
 * shared machine, most of what a turn's write costs; without the wait, some 0.15 ms.
 *
 * Only for a write that nothing outside the database acts on before a later synchronous commit of
 * the same work: the WAL is sequential, so that commit's flush makes this one durable too. A server
 * crash in between loses it with the work that was to follow (a first contact's user and
 * conversation before the turn's commit; a job's claim, a lease, before the job's end), or loses
 * what a retry redoes without harm: a job's end, whose messages were each recorded as a step by a
 * synchronous commit before it (a job run again after such a loss skips them and sends nothing).
 * Never for a turn's commit, a ticket's opening or a job's step, which a reply or a message follows.
 */
export const NO_FLUSH_WAIT = `(SELECT set_config('synchronous_commit', 'off', true))`;

/** A date column as a direct statement returns it: ISO text on SQLite, a Date (read as UTC) on PostgreSQL; null stays null. */
export function readDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value));
}

/** A Json column's value as read by a direct statement: JSON text on SQLite, already parsed on PostgreSQL. */
export function readJson(provider: Provider, value: unknown): unknown {
  return provider === 'sqlite' && typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

/** A Json value to bind: the text Prisma would store for `toJson(value)` (undefined fields dropped, undefined → null). */
export const jsonText = (value: unknown): string => JSON.stringify(value ?? null);

const PROCESS_TAG = randomBytes(4).toString('hex');
let rowSeq = 0;
/**
 * An id for a row written by a direct statement, in place of Prisma's cuid: ids increase in the order
 * written (time, then a counter), as cuids do, and the process's random tag keeps instances apart.
 */
export function rowId(): string {
  rowSeq = (rowSeq + 1) % 36 ** 4;
  return `c${Date.now().toString(36).padStart(9, '0')}${rowSeq.toString(36).padStart(4, '0')}${PROCESS_TAG}`;
}
