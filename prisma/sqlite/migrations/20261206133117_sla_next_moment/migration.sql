-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "nextSlaAt" DATETIME;

-- CreateIndex
CREATE INDEX "Ticket_nextSlaAt_idx" ON "Ticket"("nextSlaAt");

-- Backfill: every open or resolved ticket is due at once (the epoch); the SLA clock's first tick
-- re-derives each one, in batches, and stores its real next moment (sla-moment.ts).
UPDATE "Ticket" SET "nextSlaAt" = '1970-01-01T00:00:00.000+00:00' WHERE "status" IN ('new', 'assigned', 'in-progress', 'pending-user', 'resolved');
