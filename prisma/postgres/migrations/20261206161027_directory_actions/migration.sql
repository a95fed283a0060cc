-- CreateTable
CREATE TABLE "DirectoryAudit" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "requester" TEXT NOT NULL,
    "accountId" TEXT,
    "action" TEXT NOT NULL,
    "group" TEXT,
    "result" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,

    CONSTRAINT "DirectoryAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectoryChallenge" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "attemptsLeft" INTEGER NOT NULL,

    CONSTRAINT "DirectoryChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectoryResetToken" (
    "hash" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DirectoryResetToken_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "DirectoryActionRun" (
    "key" TEXT NOT NULL,
    "outcome" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectoryActionRun_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "DirectoryGrant" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "ticketNumber" INTEGER NOT NULL,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "DirectoryGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DirectoryAudit_accountId_action_result_at_idx" ON "DirectoryAudit"("accountId", "action", "result", "at");

-- CreateIndex
CREATE INDEX "DirectoryGrant_removedAt_until_idx" ON "DirectoryGrant"("removedAt", "until");

-- CreateIndex
CREATE UNIQUE INDEX "DirectoryGrant_ticketNumber_group_key" ON "DirectoryGrant"("ticketNumber", "group");
