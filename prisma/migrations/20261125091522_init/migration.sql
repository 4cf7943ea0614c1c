-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "collection_mode" AS ENUM ('ssh', 'push');

-- CreateEnum
CREATE TYPE "host_state" AS ENUM ('never_collected', 'ok', 'degraded', 'unreachable', 'auth_failed', 'host_key_mismatch');

-- CreateEnum
CREATE TYPE "host_key_policy" AS ENUM ('tofu', 'pinned');

-- CreateEnum
CREATE TYPE "host_auth_type" AS ENUM ('privateKey', 'password');

-- CreateTable
CREATE TABLE "host" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "collection" "collection_mode" NOT NULL,
    "address" TEXT,
    "port" INTEGER NOT NULL DEFAULT 22,
    "username" TEXT,
    "auth_type" "host_auth_type",
    "auth_secret_key_id" TEXT,
    "auth_secret_ciphertext" TEXT,
    "use_sudo" BOOLEAN NOT NULL DEFAULT false,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "interval_seconds" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "host_key_policy" "host_key_policy" NOT NULL DEFAULT 'tofu',
    "host_key_fingerprint" TEXT,
    "presented_host_key_fingerprint" TEXT,
    "state" "host_state" NOT NULL DEFAULT 'never_collected',
    "last_success_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snapshot" (
    "id" BIGSERIAL NOT NULL,
    "host_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "keyframe" BOOLEAN NOT NULL,
    "collected_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" BYTEA NOT NULL,
    "missing_sections" SMALLINT NOT NULL DEFAULT 0,
    "mem_total_bytes" BIGINT,
    "mem_available_bytes" BIGINT,
    "s_reclaimable_bytes" BIGINT,
    "s_unreclaim_bytes" BIGINT,
    "slab_bytes" BIGINT,
    "process_rss_bytes" BIGINT,
    "process_count" INTEGER,
    "drop_slab" BIGINT,
    "drop_pagecache" BIGINT,
    "compact_stall" BIGINT,
    "compact_fail" BIGINT,
    "frag_unusable_order4" REAL,
    "frag_max_free_order" SMALLINT,

    CONSTRAINT "snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snapshot_dictionary" (
    "host_id" UUID NOT NULL,
    "size" INTEGER NOT NULL,
    "entries" BYTEA NOT NULL,

    CONSTRAINT "snapshot_dictionary_pkey" PRIMARY KEY ("host_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "host_name_key" ON "host"("name");

-- CreateIndex
CREATE INDEX "host_labels_idx" ON "host" USING GIN ("labels" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "host_state_idx" ON "host"("state");

-- CreateIndex
CREATE UNIQUE INDEX "snapshot_host_collected_at_key" ON "snapshot"("host_id", "collected_at");

-- CreateIndex
CREATE UNIQUE INDEX "snapshot_host_seq_key" ON "snapshot"("host_id", "seq");

-- AddForeignKey
ALTER TABLE "snapshot" ADD CONSTRAINT "snapshot_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshot_dictionary" ADD CONSTRAINT "snapshot_dictionary_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
