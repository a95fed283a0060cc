-- CreateTable
CREATE TABLE "IncidentNotice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "notice" JSONB NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "claimedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "IncidentNotice_key_key" ON "IncidentNotice"("key");

-- CreateIndex
CREATE INDEX "IncidentNotice_userId_claimedBy_idx" ON "IncidentNotice"("userId", "claimedBy");
