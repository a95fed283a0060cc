-- CreateTable
CREATE TABLE "DirectoryAudit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "requester" TEXT NOT NULL,
    "accountId" TEXT,
    "action" TEXT NOT NULL,
    "group" TEXT,
    "result" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "DirectoryChallenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "attemptsLeft" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "DirectoryResetToken" (
    "hash" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DirectoryActionRun" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "outcome" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DirectoryGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "until" DATETIME NOT NULL,
    "ticketNumber" INTEGER NOT NULL,
    "removedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "DirectoryAudit_accountId_action_result_at_idx" ON "DirectoryAudit"("accountId", "action", "result", "at");

-- CreateIndex
CREATE INDEX "DirectoryGrant_removedAt_until_idx" ON "DirectoryGrant"("removedAt", "until");

-- CreateIndex
CREATE UNIQUE INDEX "DirectoryGrant_ticketNumber_group_key" ON "DirectoryGrant"("ticketNumber", "group");
