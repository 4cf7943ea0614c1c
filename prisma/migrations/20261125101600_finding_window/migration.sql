-- CreateTable
CREATE TABLE "finding_window_point" (
    "host_id" UUID NOT NULL,
    "collected_at" TIMESTAMPTZ(3) NOT NULL,
    "point" JSONB NOT NULL,

    CONSTRAINT "finding_window_point_pkey" PRIMARY KEY ("host_id","collected_at")
);

-- AddForeignKey
ALTER TABLE "finding_window_point" ADD CONSTRAINT "finding_window_point_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
