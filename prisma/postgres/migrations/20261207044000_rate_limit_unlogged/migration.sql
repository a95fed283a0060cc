-- The abuse limits' counts (rate-limiter-flexible's Prisma store) are written on every web chat
-- message and API call. They are worth nothing after a crash (a window of a minute starts again), so
-- the table is unlogged: its writes skip the WAL, and a transaction that writes only there commits
-- without waiting for a WAL flush (a synchronous commit on every request otherwise).
ALTER TABLE "RateLimit" SET UNLOGGED;
