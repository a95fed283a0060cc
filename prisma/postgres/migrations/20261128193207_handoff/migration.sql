-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "relay" TEXT NOT NULL DEFAULT 'bot';

-- CreateTable
CREATE TABLE "EscalationPost" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "post" JSONB NOT NULL,
    "threadKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EscalationPost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EscalationPost_threadKey_key" ON "EscalationPost"("threadKey");

-- CreateIndex
CREATE UNIQUE INDEX "EscalationPost_ticketId_platform_key" ON "EscalationPost"("ticketId", "platform");

-- AddForeignKey
ALTER TABLE "EscalationPost" ADD CONSTRAINT "EscalationPost_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
