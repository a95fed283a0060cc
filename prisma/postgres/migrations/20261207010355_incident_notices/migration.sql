-- CreateTable
CREATE TABLE "IncidentNotice" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "notice" JSONB NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "claimedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IncidentNotice_key_key" ON "IncidentNotice"("key");

-- CreateIndex
CREATE INDEX "IncidentNotice_userId_claimedBy_idx" ON "IncidentNotice"("userId", "claimedBy");
