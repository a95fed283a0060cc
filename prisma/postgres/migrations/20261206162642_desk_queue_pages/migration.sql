-- CreateTable
CREATE TABLE "DeskQueueEntry" (
    "ticketNumber" INTEGER NOT NULL,
    "deskId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "queuedAt" TIMESTAMP(3) NOT NULL,
    "userId" TEXT NOT NULL,
    "userName" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "toldPosition" INTEGER,
    "callbackAt" TIMESTAMP(3),
    "messageRef" JSONB,

    CONSTRAINT "DeskQueueEntry_pkey" PRIMARY KEY ("ticketNumber")
);

-- CreateTable
CREATE TABLE "DeskWait" (
    "id" SERIAL NOT NULL,
    "ticketNumber" INTEGER NOT NULL,
    "deskId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "queuedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "DeskWait_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeskHandling" (
    "id" SERIAL NOT NULL,
    "ticketNumber" INTEGER NOT NULL,
    "groupId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "minutes" DOUBLE PRECISION,

    CONSTRAINT "DeskHandling_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OncallPage" (
    "key" TEXT NOT NULL,
    "ticketNumber" INTEGER NOT NULL,
    "summary" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "deskId" TEXT NOT NULL,
    "order" JSONB NOT NULL,
    "attempt" INTEGER NOT NULL,
    "pagedAt" TIMESTAMP(3) NOT NULL,
    "acknowledgedBy" TEXT,
    "closed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "OncallPage_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "DeskWait_endedAt_idx" ON "DeskWait"("endedAt");

-- CreateIndex
CREATE INDEX "DeskHandling_ticketNumber_endedAt_idx" ON "DeskHandling"("ticketNumber", "endedAt");

-- CreateIndex
CREATE INDEX "DeskHandling_groupId_endedAt_idx" ON "DeskHandling"("groupId", "endedAt");

-- CreateIndex
CREATE INDEX "OncallPage_closed_idx" ON "OncallPage"("closed");
