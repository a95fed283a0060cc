/**
 * Building one raw statement for many rows, on either provider. Prisma's createMany and updateMany
 * compile their query on every call, at a cost that grows with the rows (measured: 100 jobs with
 * their JSON payloads, 180 ms to 2 s; the same rows in one raw INSERT, 10 to 60 ms), so the SLA
 * clock's batch writes and the job outbox use raw statements.
 */
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
