-- CreateTable
CREATE TABLE "IncidentNoticeWindow" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "toldAt" DATETIME,
    "heldUntil" DATETIME
);
