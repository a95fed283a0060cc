-- DropIndex
DROP INDEX "GlpiOutbox_status_nextAttemptAt_idx";

-- AlterTable
ALTER TABLE "GlpiOutbox" DROP COLUMN "nextAttemptAt";

-- CreateIndex
CREATE INDEX "GlpiOutbox_ticketNumber_status_idx" ON "GlpiOutbox"("ticketNumber", "status");

-- CreateIndex
CREATE INDEX "GlpiOutbox_status_idx" ON "GlpiOutbox"("status");
