-- DropIndex
DROP INDEX "Ticket_nextSlaAt_idx";

-- CreateIndex
CREATE INDEX "Ticket_nextSlaAt_number_idx" ON "Ticket"("nextSlaAt", "number");
