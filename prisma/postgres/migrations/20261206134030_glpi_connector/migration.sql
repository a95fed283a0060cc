-- CreateTable
CREATE TABLE "GlpiTicketLink" (
    "ticketNumber" INTEGER NOT NULL,
    "glpiId" INTEGER,
    "marker" TEXT NOT NULL,
    "solutionId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GlpiTicketLink_pkey" PRIMARY KEY ("ticketNumber")
);

-- CreateTable
CREATE TABLE "GlpiOutbox" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "ticketNumber" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "GlpiOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GlpiSyncMark" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GlpiSyncMark_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "GlpiTicketLink_glpiId_key" ON "GlpiTicketLink"("glpiId");

-- CreateIndex
CREATE UNIQUE INDEX "GlpiTicketLink_marker_key" ON "GlpiTicketLink"("marker");

-- CreateIndex
CREATE UNIQUE INDEX "GlpiOutbox_key_key" ON "GlpiOutbox"("key");

-- CreateIndex
CREATE INDEX "GlpiOutbox_status_nextAttemptAt_idx" ON "GlpiOutbox"("status", "nextAttemptAt");
