-- CreateTable
CREATE TABLE "GlpiTicketLink" (
    "ticketNumber" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "glpiId" INTEGER,
    "marker" TEXT NOT NULL,
    "solutionId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "GlpiOutbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "ticketNumber" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME
);

-- CreateTable
CREATE TABLE "GlpiSyncMark" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "GlpiTicketLink_glpiId_key" ON "GlpiTicketLink"("glpiId");

-- CreateIndex
CREATE UNIQUE INDEX "GlpiTicketLink_marker_key" ON "GlpiTicketLink"("marker");

-- CreateIndex
CREATE UNIQUE INDEX "GlpiOutbox_key_key" ON "GlpiOutbox"("key");

-- CreateIndex
CREATE INDEX "GlpiOutbox_status_nextAttemptAt_idx" ON "GlpiOutbox"("status", "nextAttemptAt");
