/**
 * Storage cost and ingest throughput of snapshots in PostgreSQL.
 *
 *   npm run bench:storage
 *   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/memfleet_bench_storage: a database
 *    this bench owns; it is emptied first. BENCH_HOSTS, BENCH_STEPS, BENCH_BATCH tune the size.)
 *
 * Bytes per snapshot = growth of pg_total_relation_size (heap + TOAST + every index) of
 * `snapshot` and `snapshot_dictionary`, divided by the snapshots inserted. Ingest rate = time
 * spent inside PrismaSnapshotRepository.ingestMany only: snapshots are generated batch by batch
 * (as a worker receives them) outside the clock, and parsing is benched in procfs-parse.bench.ts.
 * Goals: <= 2,048 B/snapshot with the full slabinfo kept, >= 2,000 snapshots/s. Baselines on
 * the same data: one row per slab cache per snapshot, and the parsed snapshot as JSONB.
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
import { replayed, steadyHost } from './storage-data';
import { baselineBytesPerSnapshot } from './storage-baselines';

const url =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/memfleet_bench_storage';
const HOSTS = Number(process.env.BENCH_HOSTS ?? 20);
const STEPS = Number(process.env.BENCH_STEPS ?? 250);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);

interface Scenario {
  readonly name: string;
  /** One endless series per host. */
  readonly hosts: Iterator<ParsedSnapshot>[];
  readonly steps: number;
}

interface Outcome {
  count: number;
  bytes: number;
  perSecond: number;
  getMs: number;
  /** CPU microseconds per snapshot: this process, and PostgreSQL (all backends, other users' included). */
  nodeCpuUs: number;
  postgresCpuUs: number;
  sample: ParsedSnapshot[];
}

/** CPU seconds used so far by this process and by every local postgres process. */
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

async function tablesBytes(prisma: PrismaClient): Promise<number> {
  const [r] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT pg_total_relation_size('snapshot') + pg_total_relation_size('snapshot_dictionary') AS n`;
  return Number(r?.n ?? 0);
}

async function run(prisma: PrismaClient, scenario: Scenario): Promise<Outcome> {
  const hosts = new PrismaHostRepository(prisma);
  const snapshots = new PrismaSnapshotRepository(prisma);
  const ids = await Promise.all(
    scenario.hosts.map(() => hosts.create(hostData()).then((h) => h.id)),
  );
  const receivedAt = new Date();
  const total = scenario.hosts.length * scenario.steps;
  const sample: ParsedSnapshot[] = [];
  const probes: { hostId: string; snapshotId: string }[] = [];
  let count = 0;
  let seconds = 0;
  let nodeCpu = 0;
  let postgresCpu = 0;
  const before = await tablesBytes(prisma);
  while (count < total) {
    // Interleaved by time, as a fleet reports: every host's step s before any host's step s+1.
    const batch: SnapshotIngestItem[] = [];
    for (let k = count; k < Math.min(total, count + BATCH); k++) {
      const h = k % ids.length;
      const parsed = (scenario.hosts[h] as Iterator<ParsedSnapshot>).next().value as ParsedSnapshot;
      if (sample.length < 500) sample.push(parsed);
      batch.push({ hostId: ids[h] as string, parsed, receivedAt });
    }
    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    const results = await snapshots.ingestMany(batch);
    seconds += (performance.now() - t0) / 1000;
    const cpu1 = cpuSeconds();
    nodeCpu += cpu1.node - cpu0.node;
    postgresCpu += cpu1.postgres - cpu0.postgres;
    probes.push({
      hostId: (batch[0] as SnapshotIngestItem).hostId,
      snapshotId: (results[0] as { snapshotId: string }).snapshotId,
    });
    count += batch.length;
  }
  const after = await tablesBytes(prisma);
  // Reading back: decode snapshots through their chains.
  const t1 = performance.now();
  for (const p of probes) await snapshots.get(p.hostId, p.snapshotId);
  return {
    count,
    bytes: (after - before) / count,
    perSecond: count / seconds,
    getMs: (performance.now() - t1) / probes.length,
    nodeCpuUs: (nodeCpu * 1e6) / count,
    postgresCpuUs: (postgresCpu * 1e6) / count,
    sample,
  };
}

async function main(): Promise<void> {
  if (!/bench/.test(new URL(url).pathname)) {
    throw new Error(`refusing to empty ${url}: its database name must contain "bench"`);
  }
  const migrate = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'db-migrate.js')], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`${migrate.stdout}${migrate.stderr}`);
  const prisma = createPrismaClient(url, { poolSize: 4 });
  await prisma.$executeRawUnsafe('TRUNCATE host CASCADE');

  const timeline = timelineSnapshots();
  const t0 = new Date('2026-01-01T00:00:00Z');
  const last = timeline[timeline.length - 1] as ParsedSnapshot;
  const hostsOf = (make: (h: number) => Iterator<ParsedSnapshot>): Iterator<ParsedSnapshot>[] =>
    Array.from({ length: HOSTS }, (_, h) => make(h));
  const scenarios: Scenario[] = [
    {
      name: `steady hosts (${HOSTS} x ${STEPS}, ~250 caches, ~12% move per step)`,
      hosts: hostsOf((h) => steadyHost(last, h + 1, t0)),
      steps: STEPS,
    },
    {
      name: `rsync timeline replayed (${HOSTS} x ${STEPS}, drop + regrowth every 58)`,
      hosts: hostsOf(() => replayed(timeline, t0)),
      steps: STEPS,
    },
  ];

  // Warm-up (not reported): JIT tiers and the pg pool settle before measuring.
  await run(prisma, {
    name: 'warm-up',
    hosts: Array.from({ length: 4 }, () => replayed(timeline, t0)),
    steps: 100,
  });
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `memfleet storage bench: ${url}, batches of ${BATCH}, load average ${load} on ${cpus().length} CPUs`,
  );
  for (const scenario of scenarios) {
    const r = await run(prisma, scenario);
    const base = await baselineBytesPerSnapshot(prisma, r.sample);
    const core = 1e6 / Math.max(r.nodeCpuUs, r.postgresCpuUs);
    console.log(`\n${scenario.name}: ${r.count} snapshots`);
    console.log(
      `  compact (memfleet)     ${r.bytes.toFixed(0).padStart(7)} B/snapshot   ${r.perSecond.toFixed(0).padStart(6)} snapshots/s   get ${r.getMs.toFixed(1)} ms`,
    );
    console.log(
      `  CPU per snapshot: node ${r.nodeCpuUs.toFixed(0)} us, postgres ${r.postgresCpuUs.toFixed(0)} us -> ${core.toFixed(0)} snapshots/s with a core each (encoding overlaps inserting)`,
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
