-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "nextSlaAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Ticket_nextSlaAt_idx" ON "Ticket"("nextSlaAt");

-- Backfill: every open or resolved ticket is due at once (the epoch); the SLA clock's first tick
-- re-derives each one, in batches, and stores its real next moment (sla-moment.ts).
UPDATE "Ticket" SET "nextSlaAt" = '1970-01-01 00:00:00' WHERE "status" IN ('new', 'assigned', 'in-progress', 'pending-user', 'resolved');

-- Ticket numbers: a sequence (nextval takes no row lock, so concurrent creations do not queue on the
-- "ticket" counter row), continuing after the highest number used so far; the first ticket is 1001.
CREATE SEQUENCE "ticket_number_seq";
SELECT setval('"ticket_number_seq"', GREATEST(1000, COALESCE((SELECT MAX("number") FROM "Ticket"), 0), COALESCE((SELECT "value" FROM "Counter" WHERE "name" = 'ticket'), 0)));
