-- CreateTable
CREATE TABLE "IncidentNoticeWindow" (
    "userId" TEXT NOT NULL,
    "toldAt" TIMESTAMP(3),
    "heldUntil" TIMESTAMP(3),

    CONSTRAINT "IncidentNoticeWindow_pkey" PRIMARY KEY ("userId")
);
