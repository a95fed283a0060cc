-- CreateTable
CREATE TABLE "DeskQueueEntry" (
    "ticketNumber" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "deskId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "queuedAt" DATETIME NOT NULL,
    "userId" TEXT NOT NULL,
    "userName" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "toldPosition" INTEGER,
    "callbackAt" DATETIME,
    "messageRef" JSONB
);

-- CreateTable
CREATE TABLE "DeskWait" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketNumber" INTEGER NOT NULL,
    "deskId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "queuedAt" DATETIME NOT NULL,
    "endedAt" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "DeskHandling" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketNumber" INTEGER NOT NULL,
    "groupId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "minutes" REAL
);

-- CreateTable
CREATE TABLE "OncallPage" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "ticketNumber" INTEGER NOT NULL,
    "summary" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "deskId" TEXT NOT NULL,
    "order" JSONB NOT NULL,
    "attempt" INTEGER NOT NULL,
    "pagedAt" DATETIME NOT NULL,
    "acknowledgedBy" TEXT,
    "closed" BOOLEAN NOT NULL DEFAULT false
);

-- CreateIndex
CREATE INDEX "DeskWait_endedAt_idx" ON "DeskWait"("endedAt");

-- CreateIndex
CREATE INDEX "DeskHandling_ticketNumber_endedAt_idx" ON "DeskHandling"("ticketNumber", "endedAt");

-- CreateIndex
CREATE INDEX "DeskHandling_groupId_endedAt_idx" ON "DeskHandling"("groupId", "endedAt");

-- CreateIndex
CREATE INDEX "OncallPage_closed_idx" ON "OncallPage"("closed");
