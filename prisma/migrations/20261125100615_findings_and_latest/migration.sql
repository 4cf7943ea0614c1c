-- CreateEnum
CREATE TYPE "finding_kind" AS ENUM ('slab_regrowth', 'sunreclaim_leak', 'fragmentation', 'memory_gap', 'low_memory', 'tunable_risk', 'collection_failing');

-- CreateEnum
CREATE TYPE "finding_severity" AS ENUM ('info', 'warning', 'critical');

-- CreateTable
CREATE TABLE "finding" (
    "id" BIGSERIAL NOT NULL,
    "host_id" UUID NOT NULL,
    "kind" "finding_kind" NOT NULL,
    "subject" TEXT NOT NULL,
    "severity" "finding_severity" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "cleared_at" TIMESTAMPTZ(3),
    "misses" INTEGER NOT NULL DEFAULT 0,
    "summary" TEXT NOT NULL,
    "advice" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "fingerprint" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "host_latest" (
    "host_id" UUID NOT NULL,
    "collected_at" TIMESTAMPTZ(3) NOT NULL,
    "tunables" JSONB,

    CONSTRAINT "host_latest_pkey" PRIMARY KEY ("host_id")
);

-- CreateTable
CREATE TABLE "host_zone_latest" (
    "host_id" UUID NOT NULL,
    "node" SMALLINT NOT NULL,
    "zone" TEXT NOT NULL,
    "collected_at" TIMESTAMPTZ(3) NOT NULL,
    "unusable" REAL[],
    "free_bytes" BIGINT NOT NULL,

    CONSTRAINT "host_zone_latest_pkey" PRIMARY KEY ("host_id","node","zone")
);

-- CreateIndex
CREATE UNIQUE INDEX "finding_open_fingerprint_key" ON "finding"("fingerprint");

-- CreateIndex
CREATE INDEX "finding_host_started_at_idx" ON "finding"("host_id", "started_at");

-- CreateIndex
CREATE INDEX "finding_open_kind_idx" ON "finding"("ended_at", "kind", "severity");

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host_latest" ADD CONSTRAINT "host_latest_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host_zone_latest" ADD CONSTRAINT "host_zone_latest_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
