import { performance } from 'node:perf_hooks';
import type { ParsedSnapshot } from '@memfleet/procfs';
import type { PrismaClient } from '@memfleet/db';

/**
 * The representations the compact codec is measured against, on the same snapshots:
 * - one row per slab cache per snapshot (slabinfo only, so a lower bound of that design);
 * - the whole parsed snapshot as one JSONB value (PostgreSQL compresses it in TOAST).
 */
export async function baselineBytesPerSnapshot(
  prisma: PrismaClient,
  sample: readonly ParsedSnapshot[],
): Promise<{ rowPerCache: number; json: number; jsonPerSecond: number }> {
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS bench_slab_row, bench_snapshot_json`);
  await prisma.$executeRawUnsafe(`CREATE TABLE bench_slab_row (
    snapshot_id bigint NOT NULL, name text NOT NULL, active_objs bigint, num_objs bigint, obj_size int,
    obj_per_slab int, pages_per_slab int, active_slabs bigint, num_slabs bigint,
    PRIMARY KEY (snapshot_id, name))`);
  await prisma.$executeRawUnsafe(`CREATE TABLE bench_snapshot_json (
    id bigserial PRIMARY KEY, host_id int NOT NULL, collected_at timestamptz NOT NULL, data jsonb NOT NULL,
    UNIQUE (host_id, collected_at))`);

  for (let i = 0; i < sample.length; i++) {
    const p = sample[i] as ParsedSnapshot;
    if (p.slabinfo.kind !== 'ok') continue;
    const caches = p.slabinfo.value.caches.filter(
      (c, k, all) => all.findIndex((o) => o.name === c.name) === k,
    );
    await prisma.$executeRaw`INSERT INTO bench_slab_row SELECT ${i}, * FROM unnest(
      ${caches.map((c) => c.name)}::text[], ${caches.map((c) => c.activeObjs)}::bigint[], ${caches.map((c) => c.numObjs)}::bigint[],
      ${caches.map((c) => c.objSize)}::int[], ${caches.map((c) => c.objPerSlab)}::int[], ${caches.map((c) => c.pagesPerSlab)}::int[],
      ${caches.map((c) => c.activeSlabs ?? null)}::bigint[], ${caches.map((c) => c.numSlabs ?? null)}::bigint[])`;
  }
  const json = sample.map((p) =>
    JSON.stringify(p, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v,
    ),
  );
  const t0 = performance.now();
  for (let i = 0; i < json.length; i += 100) {
    const chunk = json.slice(i, i + 100);
    await prisma.$executeRaw`INSERT INTO bench_snapshot_json (host_id, collected_at, data)
      SELECT 1, to_timestamp(${i} + n), d::jsonb FROM unnest(${chunk}::text[]) WITH ORDINALITY AS t(d, n)`;
  }
  const jsonSeconds = (performance.now() - t0) / 1000;
  const [sizes] = await prisma.$queryRaw<{ rows: bigint; json: bigint }[]>`
    SELECT pg_total_relation_size('bench_slab_row') AS rows, pg_total_relation_size('bench_snapshot_json') AS json`;
  await prisma.$executeRawUnsafe(`DROP TABLE bench_slab_row, bench_snapshot_json`);
  return {
    rowPerCache: Number(sizes?.rows ?? 0) / sample.length,
    json: Number(sizes?.json ?? 0) / sample.length,
    jsonPerSecond: sample.length / jsonSeconds,
  };
}
