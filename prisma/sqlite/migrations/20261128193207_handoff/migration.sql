-- CreateTable
CREATE TABLE "EscalationPost" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "post" JSONB NOT NULL,
    "threadKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "EscalationPost_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ticket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "serviceId" TEXT,
    "impact" INTEGER NOT NULL,
    "urgency" INTEGER NOT NULL,
    "priority" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "requesterId" TEXT NOT NULL,
    "assigneeId" TEXT,
    "groupId" TEXT,
    "level" INTEGER NOT NULL DEFAULT 1,
    "slaPolicyId" TEXT,
    "responseDueAt" DATETIME,
    "resolutionDueAt" DATETIME,
    "firstResponseAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "responseWarnedAt" DATETIME,
    "resolutionWarnedAt" DATETIME,
    "responseBreached" BOOLEAN NOT NULL DEFAULT false,
    "resolutionBreached" BOOLEAN NOT NULL DEFAULT false,
    "slaPausedAt" DATETIME,
    "slaPausedMinutes" INTEGER NOT NULL DEFAULT 0,
    "diagnosis" JSONB NOT NULL,
    "resolution" TEXT,
    "knownErrorId" TEXT,
    "majorIncidentId" TEXT,
    "duplicateOfId" TEXT,
    "csatScore" INTEGER,
    "csatComment" TEXT,
    "conversationId" TEXT,
    "originKey" TEXT,
    "relay" TEXT NOT NULL DEFAULT 'bot',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Ticket_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "SupportGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_slaPolicyId_fkey" FOREIGN KEY ("slaPolicyId") REFERENCES "SlaPolicy" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_majorIncidentId_fkey" FOREIGN KEY ("majorIncidentId") REFERENCES "MajorIncident" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_duplicateOfId_fkey" FOREIGN KEY ("duplicateOfId") REFERENCES "Ticket" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Ticket" ("assigneeId", "category", "closedAt", "conversationId", "createdAt", "csatComment", "csatScore", "description", "diagnosis", "duplicateOfId", "firstResponseAt", "groupId", "id", "impact", "knownErrorId", "level", "majorIncidentId", "number", "originKey", "priority", "requesterId", "resolution", "resolutionBreached", "resolutionDueAt", "resolutionWarnedAt", "resolvedAt", "responseBreached", "responseDueAt", "responseWarnedAt", "serviceId", "slaPausedAt", "slaPausedMinutes", "slaPolicyId", "status", "title", "type", "updatedAt", "urgency") SELECT "assigneeId", "category", "closedAt", "conversationId", "createdAt", "csatComment", "csatScore", "description", "diagnosis", "duplicateOfId", "firstResponseAt", "groupId", "id", "impact", "knownErrorId", "level", "majorIncidentId", "number", "originKey", "priority", "requesterId", "resolution", "resolutionBreached", "resolutionDueAt", "resolutionWarnedAt", "resolvedAt", "responseBreached", "responseDueAt", "responseWarnedAt", "serviceId", "slaPausedAt", "slaPausedMinutes", "slaPolicyId", "status", "title", "type", "updatedAt", "urgency" FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");
CREATE UNIQUE INDEX "Ticket_originKey_key" ON "Ticket"("originKey");
CREATE INDEX "Ticket_requesterId_status_idx" ON "Ticket"("requesterId", "status");
CREATE INDEX "Ticket_groupId_status_idx" ON "Ticket"("groupId", "status");
CREATE INDEX "Ticket_status_resolutionDueAt_idx" ON "Ticket"("status", "resolutionDueAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "EscalationPost_threadKey_key" ON "EscalationPost"("threadKey");

-- CreateIndex
CREATE UNIQUE INDEX "EscalationPost_ticketId_platform_key" ON "EscalationPost"("ticketId", "platform");
