/**
 * Fleet query latency: every /api/v1/fleet endpoint over HTTP against a seeded fleet, next to a
 * naive answer to the same question from the snapshot history.
 *
 *   npm run bench:query
 *   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/memfleet_bench_query: a database
 *    this bench owns and empties. BENCH_HOSTS (1000) x BENCH_SNAPSHOTS (1000) are seeded through
 *    PrismaSnapshotRepository.ingestMany; BENCH_REUSE=1 keeps an already seeded database.
 *    BENCH_RUNS (200) timed requests per endpoint.)
 *
 * Findings and the per-host latest rows are written by FindingsUpdater.afterIngest on each host's
 * newest snapshot, exactly as after a real ingest; its p50/p95 is the per-ingest cost of findings.
 * Goal: fleet endpoints p95 <= 50 ms at 1,000 hosts.
 *
 * Run of 2026-11-25, 1,000 hosts x 1,000 snapshots (1M rows, seeded at ~1,000/s), 2 vCPU shared
 * with other jobs (load 2-5), 200 requests each, ms p50 / p95:
 *   /fleet/fragmentation?order=4 6.3 / 16.7; ?order=2&zone=Normal&label=env=prod 6.0 / 12.9;
 *   /fleet/findings 3.8 / 11.6; ?kind=fragmentation&label=env=prod 2.7 / 7.4;
 *   /fleet/summary 2.2 / 8.1; /fleet/tunables 22.1 / 34.1; ?label=rack=r3 2.9 / 7.1.
 * Naive: latest snapshot per host with DISTINCT ON over the history 906 / 1,371 (order 4 only);
 * decoding and diagnosing every host's latest snapshot 4,527 / 5,066.
 * FindingsUpdater.afterIngest: steady state 17.8 / 36.3; bootstrap (no stored window) 226 / 435.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { diagnoseSnapshot } from '@memfleet/analysis';
import {
  FindingsUpdater,
  PrismaHostRepository,
  PrismaSnapshotRepository,
  createPrismaClient,
  type PrismaClient,
  type SnapshotDetail,
  type SnapshotIngestItem,
} from '@memfleet/db';
import type { ParsedSnapshot } from '@memfleet/procfs';
import { startApi } from '../test/api/api-harness';
import { timelineSnapshots } from '../test/db/fixtures';
import { hostData } from '../test/db/test-db';
import { hostStart, labelsOf, percentile, timeIt } from './query-data';
import { steadyHost } from './storage-data';

const url =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/memfleet_bench_query';
const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const SNAPSHOTS = Number(process.env.BENCH_SNAPSHOTS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const REUSE = process.env.BENCH_REUSE === '1';
const BATCH = 1000;

const log = (s: string) => process.stdout.write(`${s}\n`);

async function seed(prisma: PrismaClient, snapshots: PrismaSnapshotRepository): Promise<void> {
  await prisma.$executeRawUnsafe('TRUNCATE host CASCADE');
  const hosts = new PrismaHostRepository(prisma);
  const ids: string[] = [];
  for (let i = 0; i < HOSTS; i += 50) {
    const chunk = Array.from({ length: Math.min(50, HOSTS - i) }, (_, k) =>
      hosts.create(
        hostData({ name: `bench-${String(i + k).padStart(5, '0')}`, labels: labelsOf(i + k) }),
      ),
    );
    ids.push(...(await Promise.all(chunk)).map((h) => h.id));
  }
  const base = timelineSnapshots()[0] as ParsedSnapshot;
  const t0 = new Date(Date.now() - SNAPSHOTS * 60_000);
  const series = ids.map((_, i) => steadyHost(hostStart(base, i), i + 1, t0));
  const total = HOSTS * SNAPSHOTS;
  const receivedAt = new Date();
  const started = performance.now();
  for (let done = 0; done < total;) {
    // Interleaved by time, as a fleet reports: every host's step s before any host's step s+1.
    const batch: SnapshotIngestItem[] = [];
    for (let k = done; k < Math.min(total, done + BATCH); k++) {
      const h = k % HOSTS;
      const parsed = series[h]?.next().value as ParsedSnapshot;
      batch.push({ hostId: ids[h] as string, parsed, receivedAt });
    }
    await snapshots.ingestMany(batch);
    done += batch.length;
    if (done % 50_000 === 0 || done === total) {
      const s = (performance.now() - started) / 1000;
      log(`  seeded ${done}/${total} snapshots, ${Math.round(done / s)}/s`);
    }
  }
}

/** The newest stored snapshot of a host, decoded: what the naive answers and the updater read. */
async function latest(
  snapshots: PrismaSnapshotRepository,
  hostId: string,
): Promise<SnapshotDetail> {
  const page = await snapshots.list(hostId, { limit: 1 });
  const id = page.items[0]?.id;
  if (!id) throw new Error(`host ${hostId} has no snapshot`);
  return snapshots.get(hostId, id);
}

const asParsed = (d: SnapshotDetail): ParsedSnapshot => ({
  ...d,
  collectedAt: d.summary.collectedAt,
  ps: { kind: 'unavailable', reason: 'bench' },
});

async function main(): Promise<void> {
  const migrate = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'db-migrate.js')], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`${migrate.stdout}${migrate.stderr}`);
  const prisma = createPrismaClient(url, { poolSize: 8 });
  const snapshots = new PrismaSnapshotRepository(prisma, { cachedHosts: HOSTS + 10 });
  log(`query bench: ${HOSTS} hosts x ${SNAPSHOTS} snapshots, load ${loadavg()[0]?.toFixed(1)}`);
  if (!REUSE) await seed(prisma, snapshots);
  await prisma.$executeRawUnsafe('VACUUM ANALYZE');
  const ids = (await prisma.host.findMany({ select: { id: true }, orderBy: { name: 'asc' } })).map(
    (h) => h.id,
  );

  // Findings at ingest: the updater on each host's newest snapshot.
  const updater = new FindingsUpdater(prisma, snapshots);
  const newest = new Map<string, ParsedSnapshot>();
  for (const id of ids) newest.set(id, asParsed(await latest(snapshots, id)));
  // First call per host: no stored window yet, so it decodes the newest snapshots (bootstrap).
  // Second call: the steady state after every ingest, reading the compact window rows.
  for (const label of ['bootstrap (decodes the window)', 'steady state (compact window)']) {
    const ms: number[] = [];
    for (const id of ids) {
      const p = newest.get(id) as ParsedSnapshot;
      const t = performance.now();
      await updater.afterIngest(id, p, p.collectedAt as Date);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    log(
      `FindingsUpdater.afterIngest, ${label}: p50 ${percentile(ms, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(ms, 95).toFixed(1)} ms`,
    );
  }

  const api = await startApi({ DATABASE_URL: url });
  const get = async (path: string) => {
    const res = await fetch(`${api.url}/api/v1${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  log('\n| endpoint | p50 ms | p95 ms |\n|---|---|---|');
  for (const path of [
    '/fleet/fragmentation?order=4',
    '/fleet/fragmentation?order=2&zone=Normal&label=env=prod',
    '/fleet/findings',
    '/fleet/findings?kind=fragmentation&label=env=prod',
    '/fleet/summary',
    '/fleet/tunables',
    '/fleet/tunables?label=rack=r3',
  ]) {
    const r = await timeIt(() => get(path), RUNS);
    log(`| GET ${path} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`);
  }
  await api.close();

  // Naive answers to the same questions from the history.
  log('\n| naive equivalent | p50 ms | p95 ms |\n|---|---|---|');
  const frag = await timeIt(
    () => prisma.$queryRaw`
      SELECT * FROM (SELECT DISTINCT ON (host_id) host_id, frag_unusable_order4 FROM snapshot
                     ORDER BY host_id, collected_at DESC) x
      ORDER BY frag_unusable_order4 DESC NULLS LAST LIMIT 50`,
    10,
    2,
  );
  log(
    `| fragmentation: DISTINCT ON latest snapshot per host (order 4 column only) | ${frag.p50.toFixed(1)} | ${frag.p95.toFixed(1)} |`,
  );
  const decodeAll = await timeIt(
    async () => {
      for (const id of ids) diagnoseSnapshot(asParsed(await latest(snapshots, id)));
    },
    3,
    0,
  );
  log(
    `| findings / summary / tunables: decode + diagnose every host's latest snapshot | ${decodeAll.p50.toFixed(0)} | ${decodeAll.p95.toFixed(0)} |`,
  );
  await prisma.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
