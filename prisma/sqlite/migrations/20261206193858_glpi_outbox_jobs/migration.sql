-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_GlpiOutbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "ticketNumber" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME
);
INSERT INTO "new_GlpiOutbox" ("attempts", "createdAt", "doneAt", "id", "key", "kind", "lastError", "payload", "status", "ticketNumber") SELECT "attempts", "createdAt", "doneAt", "id", "key", "kind", "lastError", "payload", "status", "ticketNumber" FROM "GlpiOutbox";
DROP TABLE "GlpiOutbox";
ALTER TABLE "new_GlpiOutbox" RENAME TO "GlpiOutbox";
CREATE UNIQUE INDEX "GlpiOutbox_key_key" ON "GlpiOutbox"("key");
CREATE INDEX "GlpiOutbox_ticketNumber_status_idx" ON "GlpiOutbox"("ticketNumber", "status");
CREATE INDEX "GlpiOutbox_status_idx" ON "GlpiOutbox"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
