-- AlterTable
ALTER TABLE "MajorIncident" ADD COLUMN "scope" JSONB;

-- CreateTable
CREATE TABLE "MajorIncidentFollower" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "majorIncidentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MajorIncidentFollower_majorIncidentId_fkey" FOREIGN KEY ("majorIncidentId") REFERENCES "MajorIncident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MonitoringAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME,
    "flaps" INTEGER NOT NULL DEFAULT 0,
    "repeats" INTEGER NOT NULL DEFAULT 0,
    "decision" TEXT,
    "incidentNumber" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "MajorIncidentFollower_majorIncidentId_userId_key" ON "MajorIncidentFollower"("majorIncidentId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "MonitoringAlert_number_key" ON "MonitoringAlert"("number");

-- CreateIndex
CREATE UNIQUE INDEX "MonitoringAlert_fingerprint_key" ON "MonitoringAlert"("fingerprint");

-- CreateIndex
CREATE INDEX "MonitoringAlert_serviceId_status_idx" ON "MonitoringAlert"("serviceId", "status");
