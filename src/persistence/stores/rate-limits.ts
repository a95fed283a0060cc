/**
 * The abuse limits' counts in the database (rate-limiter-flexible's Prisma store, table RateLimit),
 * so that every instance on one PostgreSQL database shares them. SQLite runs one instance: its
 * counts stay in memory (src/server/rate-limits.ts), and this gives none.
 *
 * A request is counted in one direct statement (../direct-sql.ts) per limiter: the Prisma store sends
 * two Prisma queries one after the other (the key's expired row deleted, then an upsert that
 * increments), two round trips before every web chat turn. The statement does both at once, atomic:
 * an expired row starts a new window, any other is incremented. The rest (reading, deleting a key,
 * a forced expiry) stays the library's.
 */
import { RateLimiterPrisma } from 'rate-limiter-flexible';
import type { Database } from '../database.ts';
import type { DirectSql } from '../direct-sql.ts';
import { portable } from './raw-sql.ts';

/** A limiter of `points` requests per `duration` seconds, counted in the database. */
export type DatabaseLimiterStore = (options: { keyPrefix: string; points: number; duration: number }) => { consume(key: string, points?: number): Promise<unknown> };

/** The count of `key` after adding `points`, and when its window ends: one statement (PostgreSQL). */
const COUNT = portable(
  'postgres',
  `INSERT INTO "RateLimit" AS r ("key", "points", "expire") VALUES (?, ?, ?t)
   ON CONFLICT ("key") DO UPDATE SET
     "points" = CASE WHEN r."expire" <= ?t THEN EXCLUDED."points" ELSE r."points" + EXCLUDED."points" END,
     "expire" = CASE WHEN r."expire" <= ?t THEN EXCLUDED."expire" ELSE r."expire" END
   RETURNING "points", "expire"`,
);

type Upsert = (key: string, points: number, msDuration: number, forceExpire?: boolean) => Promise<{ points: number; expire: Date | null }>;

/** RateLimiterPrisma whose counting (the library's `_upsert`, which every `consume` calls) is one statement. */
class OneStatementLimiter extends RateLimiterPrisma {
  constructor(
    options: ConstructorParameters<typeof RateLimiterPrisma>[0],
    private readonly direct: DirectSql,
  ) {
    super(options);
  }

  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<{ points: number; expire: Date | null }> {
    if (forceExpire) return (RateLimiterPrisma.prototype as unknown as { _upsert: Upsert })._upsert.call(this, key, points, msDuration, true);
    const now = new Date();
    const expire = msDuration > 0 ? new Date(now.getTime() + msDuration) : null;
    const [row] = await this.direct.all(COUNT, [key, points, expire, now, now]);
    return { points: Number(row!.points), expire: (row!.expire as Date | null) ?? null };
  }
}

export function databaseLimiterStore(db: Database): DatabaseLimiterStore | undefined {
  if (db.provider !== 'postgres') return undefined;
  // An expired row is reset by the next request with its key; no timer of the library's (it would log outside pino).
  return (options) => new OneStatementLimiter({ ...options, storeClient: db.client, tableName: 'rateLimit', clearExpiredByTimeout: false }, db.direct);
}
