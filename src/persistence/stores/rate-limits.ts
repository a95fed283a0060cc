/**
 * The abuse limits' counts in the database (rate-limiter-flexible's Prisma store, table RateLimit),
 * so that every instance on one PostgreSQL database shares them. SQLite runs one instance: its
 * counts stay in memory (src/server/rate-limits.ts), and this gives none.
 */
import { RateLimiterPrisma } from 'rate-limiter-flexible';
import type { Database } from '../database.ts';

/** A limiter of `points` requests per `duration` seconds, counted in the database. */
export type DatabaseLimiterStore = (options: { keyPrefix: string; points: number; duration: number }) => { consume(key: string, points?: number): Promise<unknown> };

export function databaseLimiterStore(db: Database): DatabaseLimiterStore | undefined {
  if (db.provider !== 'postgres') return undefined;
  // An expired row is reset by the next request with its key; no timer of the library's (it would log outside pino).
  return (options) => new RateLimiterPrisma({ ...options, storeClient: db.client, tableName: 'rateLimit', clearExpiredByTimeout: false });
}
