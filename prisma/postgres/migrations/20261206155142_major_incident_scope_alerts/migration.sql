-- AlterTable
ALTER TABLE "MajorIncident" ADD COLUMN     "scope" JSONB;

-- CreateTable
CREATE TABLE "MajorIncidentFollower" (
    "id" TEXT NOT NULL,
    "majorIncidentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MajorIncidentFollower_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitoringAlert" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "flaps" INTEGER NOT NULL DEFAULT 0,
    "repeats" INTEGER NOT NULL DEFAULT 0,
    "decision" TEXT,
    "incidentNumber" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonitoringAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MajorIncidentFollower_majorIncidentId_userId_key" ON "MajorIncidentFollower"("majorIncidentId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "MonitoringAlert_number_key" ON "MonitoringAlert"("number");

-- CreateIndex
CREATE UNIQUE INDEX "MonitoringAlert_fingerprint_key" ON "MonitoringAlert"("fingerprint");

-- CreateIndex
CREATE INDEX "MonitoringAlert_serviceId_status_idx" ON "MonitoringAlert"("serviceId", "status");

-- AddForeignKey
ALTER TABLE "MajorIncidentFollower" ADD CONSTRAINT "MajorIncidentFollower_majorIncidentId_fkey" FOREIGN KEY ("majorIncidentId") REFERENCES "MajorIncident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
