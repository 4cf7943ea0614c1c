/**
 * Storage cost and ingest throughput of snapshots in PostgreSQL.
 *
 *   node -r @swc-node/register bench/storage.bench.ts
 *   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/memfleet_bench: a database
 *    this bench owns; it is emptied first. BENCH_HOSTS, BENCH_STEPS, BENCH_BATCH tune the size.)
 *
 * Bytes per snapshot = growth of pg_total_relation_size (heap + TOAST + every index) of
 * `snapshot` and `snapshot_dictionary`, divided by the snapshots inserted. Ingest rate = wall
 * time of PrismaSnapshotRepository.ingestMany over pre-parsed snapshots (parsing excluded: it is
 * benched in procfs-parse.bench.ts). Goals: <= 2,048 B/snapshot with the full slabinfo kept,
 * >= 2,000 snapshots/s. Baselines, same data: one row per slab cache per snapshot, and the
 * parsed snapshot as JSONB (TOAST-compressed by PostgreSQL).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ParsedSnapshot } from '@memfleet/procfs';
import {
  PrismaHostRepository,
  PrismaSnapshotRepository,
  createPrismaClient,
  type PrismaClient,
  type SnapshotIngestItem,
} from '@memfleet/db';
import { hostData } from '../test/db/test-db';
import { timelineSnapshots } from '../test/db/fixtures';
import { steadyHostSeries } from './storage-data';
import { baselineBytesPerSnapshot } from './storage-baselines';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/memfleet_bench';
const HOSTS = Number(process.env.BENCH_HOSTS ?? 20);
const STEPS = Number(process.env.BENCH_STEPS ?? 250);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);

interface Scenario {
  readonly name: string;
  /** snapshots[h][s]: host h's snapshot at step s. */
  readonly series: ParsedSnapshot[][];
}

async function tablesBytes(prisma: PrismaClient): Promise<number> {
  const [r] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT pg_total_relation_size('snapshot') + pg_total_relation_size('snapshot_dictionary') AS n`;
  return Number(r?.n ?? 0);
}

/** CPU seconds used so far by this process and by every local postgres process (clock ticks of 10 ms). */
function cpuSeconds(): { node: number; postgres: number } {
  const { user, system } = process.cpuUsage();
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return { node: (user + system) / 1e6, postgres: ticks / 100 };
}

interface Outcome {
  count: number;
  bytes: number;
  perSecond: number;
  getMs: number;
  /** CPU microseconds per snapshot: this process, and PostgreSQL (all backends, other users' included). */
  nodeCpuUs: number;
  postgresCpuUs: number;
}

async function run(prisma: PrismaClient, scenario: Scenario): Promise<Outcome> {
  const hosts = new PrismaHostRepository(prisma);
  const snapshots = new PrismaSnapshotRepository(prisma);
  const ids = await Promise.all(
    scenario.series.map(() => hosts.create(hostData()).then((h) => h.id)),
  );
  const receivedAt = new Date();
  // Interleaved by time, as a fleet reports: every host's step s before any host's step s+1.
  const items: SnapshotIngestItem[] = [];
  const steps = Math.max(...scenario.series.map((s) => s.length));
  for (let s = 0; s < steps; s++) {
    scenario.series.forEach((series, h) => {
      const parsed = series[s];
      if (parsed) items.push({ hostId: ids[h] as string, parsed, receivedAt });
    });
  }
  const before = await tablesBytes(prisma);
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const results = [];
  for (let i = 0; i < items.length; i += BATCH)
    results.push(...(await snapshots.ingestMany(items.slice(i, i + BATCH))));
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds();
  const after = await tablesBytes(prisma);
  // Reading back: decode a few random snapshots through their chains.
  const t1 = performance.now();
  const probes = 50;
  for (let i = 0; i < probes; i++) {
    const k = Math.floor((i * 7919) % results.length);
    await snapshots.get(
      (items[k] as SnapshotIngestItem).hostId,
      (results[k] as { snapshotId: string }).snapshotId,
    );
  }
  return {
    count: items.length,
    bytes: (after - before) / items.length,
    perSecond: items.length / seconds,
    getMs: (performance.now() - t1) / probes,
    nodeCpuUs: ((cpu1.node - cpu0.node) * 1e6) / items.length,
    postgresCpuUs: ((cpu1.postgres - cpu0.postgres) * 1e6) / items.length,
  };
}

async function main(): Promise<void> {
  if (!/bench/.test(new URL(url).pathname))
    throw new Error(`refusing to empty ${url}: its database name must contain "bench"`);
  const migrate = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'db-migrate.js')], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`${migrate.stdout}${migrate.stderr}`);
  const prisma = createPrismaClient(url, { poolSize: 4 });
  await prisma.$executeRawUnsafe('TRUNCATE host CASCADE');

  const timeline = timelineSnapshots();
  const cycles = Math.max(1, Math.round(STEPS / timeline.length));
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const cycled = (h: number): ParsedSnapshot[] =>
    Array.from({ length: cycles * timeline.length }, (_, i) => ({
      ...(timeline[i % timeline.length] as ParsedSnapshot),
      collectedAt: new Date(t0 + h * 1000 + i * 3000),
    }));
  const last = timeline[timeline.length - 1] as ParsedSnapshot;
  const scenarios: Scenario[] = [
    {
      name: `steady hosts (${HOSTS} x ${STEPS}, ~250 caches, ~12% move per step)`,
      series: Array.from({ length: HOSTS }, (_, h) =>
        steadyHostSeries(last, STEPS, h + 1, new Date(t0)),
      ),
    },
    {
      name: `rsync timeline replayed (${HOSTS} x ${cycles * timeline.length}, drop + regrowth)`,
      series: Array.from({ length: HOSTS }, (_, h) => cycled(h)),
    },
  ];

  // Warm-up (not measured): JIT tiers and the pg pool settle before the clock starts.
  await run(prisma, {
    name: 'warm-up',
    series: Array.from({ length: 4 }, (_, h) => cycled(h).slice(0, 100)),
  });
  console.log(
    `memfleet storage bench: ${url}, batches of ${BATCH}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs`,
  );
  for (const scenario of scenarios) {
    const r = await run(prisma, scenario);
    const sample = scenario.series.flat().slice(0, 500);
    const base = await baselineBytesPerSnapshot(prisma, sample);
    console.log(`\n${scenario.name}: ${r.count} snapshots`);
    console.log(
      `  compact (memfleet)     ${r.bytes.toFixed(0).padStart(7)} B/snapshot   ${r.perSecond.toFixed(0).padStart(6)} snapshots/s   get ${r.getMs.toFixed(1)} ms`,
    );
    console.log(
      `  CPU per snapshot: node ${r.nodeCpuUs.toFixed(0)} us, postgres ${r.postgresCpuUs.toFixed(0)} us -> ${(1e6 / Math.max(r.nodeCpuUs, r.postgresCpuUs)).toFixed(0)} snapshots/s with a core each (encoding overlaps inserting)`,
    );
    console.log(
      `  row per slab cache     ${base.rowPerCache.toFixed(0).padStart(7)} B/snapshot   (slabinfo only; ${(base.rowPerCache / r.bytes).toFixed(1)}x)`,
    );
    console.log(
      `  JSONB of the snapshot  ${base.json.toFixed(0).padStart(7)} B/snapshot   ${base.jsonPerSecond.toFixed(0).padStart(6)} snapshots/s   (${(base.json / r.bytes).toFixed(1)}x)`,
    );
    console.log(
      `  goals: <= 2048 B/snapshot ${r.bytes <= 2048 ? 'MET' : 'MISSED'}, >= 2000 snapshots/s ${r.perSecond >= 2000 ? 'MET' : 'MISSED'}`,
    );
  }
  await prisma.$disconnect();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
