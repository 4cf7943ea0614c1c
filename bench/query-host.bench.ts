/**
 * Latency of the per-host trend endpoints over a 30-day range of one host (8,640 snapshots,
 * 5-minute interval), through the real HTTP API, against a naive baseline that decodes every
 * snapshot of the range (PrismaSnapshotRepository.getRange, in windows of 2,000) and runs the
 * same analysis on the points.
 *
 *   node -r @swc-node/register bench/query-host.bench.ts
 *   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/memfleet_bench_query_host: a
 *    database this bench owns; its hosts are deleted first. BENCH_RUNS: timed runs per endpoint.)
 *
 * Goal (issue): every host endpoint p95 <= 150 ms. `first` is the untimed first request of each
 * endpoint: for drops and leak it decodes the sample, which the timed runs then find cached.
 * BENCH_SKIP_NAIVE=1 leaves out the naive baseline (minutes on a loaded machine).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  assessFragmentationSeries,
  assessLeak,
  detectSlabDrops,
  seriesPointFromSnapshot,
  type SeriesPoint,
} from '@memfleet/analysis';
import { loadConfig } from '@memfleet/config';
import {
  PrismaHostRepository,
  PrismaSnapshotRepository,
  createPrismaClient,
  type SnapshotDetail,
} from '@memfleet/db';
import type { ParsedSnapshot } from '@memfleet/procfs';
import { createApp } from '../apps/api/src/create-app';
import { createLogger } from '../apps/api/src/platform/logger';
import { timelineSnapshots } from '../test/db/fixtures';
import { hostData } from '../test/db/test-db';
import { steadyHost } from './storage-data';

const url =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/memfleet_bench_query_host';
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const NAIVE_RUNS = Math.max(3, Math.round(RUNS / 6));
const SNAPSHOTS = 8640;
const STEP_MS = 300_000;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const fmt = (xs: number[]): string =>
  `p50 ${pct(xs, 50).toFixed(1).padStart(7)} ms  p95 ${pct(xs, 95).toFixed(1).padStart(7)} ms`;

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm: connection pool, dictionary, JIT
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * steadyHost grows every vmstat counter, drop_slab too, which would make each interval a
 * drop_caches event. A real host drops caches rarely: hold drop_slab/drop_pagecache, and write
 * `echo 2` three times in the month.
 */
function withDrops(parsed: ParsedSnapshot, i: number, base: ParsedSnapshot): ParsedSnapshot {
  if (parsed.vmstat.kind !== 'ok' || base.vmstat.kind !== 'ok') return parsed;
  const counters = new Map(parsed.vmstat.value.counters);
  const drops = [SNAPSHOTS / 3, SNAPSHOTS / 2, SNAPSHOTS - 200].filter((at) => i >= at).length;
  counters.set('drop_slab', (base.vmstat.value.counters.get('drop_slab') ?? 0n) + BigInt(drops));
  counters.set('drop_pagecache', base.vmstat.value.counters.get('drop_pagecache') ?? 0n);
  return { ...parsed, vmstat: { kind: 'ok', value: { counters } } };
}

async function seed(hostId: string, snapshots: PrismaSnapshotRepository, t0: Date): Promise<void> {
  const start = timelineSnapshots()[0] as ParsedSnapshot;
  // steadyHost steps a minute apart; re-time them onto the 5-minute grid.
  const series = steadyHost(start, 7, t0);
  const t = performance.now();
  for (let i = 0; i < SNAPSHOTS;) {
    const batch = [];
    for (let j = 0; j < 500 && i < SNAPSHOTS; j++, i++) {
      const parsed = withDrops(series.next().value as ParsedSnapshot, i, start);
      const at = new Date(t0.getTime() + i * STEP_MS);
      batch.push({ hostId, parsed: { ...parsed, collectedAt: at }, receivedAt: at });
    }
    await snapshots.ingestMany(batch);
  }
  console.log(`seeded ${SNAPSHOTS} snapshots in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/** The baseline: decode every snapshot of the range. */
async function decodeAll(
  repo: PrismaSnapshotRepository,
  hostId: string,
  from: Date,
  to: Date,
): Promise<SnapshotDetail[]> {
  const out: SnapshotDetail[] = [];
  let cursor = from;
  for (;;) {
    const page = await repo.getRange(hostId, { from: cursor, to, limit: 2000 });
    out.push(...page);
    const last = page[page.length - 1];
    if (page.length < 2000 || !last) return out;
    cursor = new Date(last.summary.collectedAt.getTime() + 1);
  }
}

const pointsOf = (all: readonly SnapshotDetail[]): SeriesPoint[] =>
  all.flatMap(
    (d) =>
      seriesPointFromSnapshot({
        ...d,
        collectedAt: d.summary.collectedAt,
        ps: { kind: 'unavailable', reason: 'summary only' },
      } as ParsedSnapshot) ?? [],
  );

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
  const snapshots = new PrismaSnapshotRepository(prisma);
  const host = await new PrismaHostRepository(prisma).create(
    hostData({
      collection: 'push',
      address: null,
      username: null,
      authType: null,
      authSecret: null,
    }),
  );
  const to = new Date(Math.floor(Date.now() / 1000) * 1000);
  const from = new Date(to.getTime() - SNAPSHOTS * STEP_MS);
  await seed(host.id, snapshots, new Date(from.getTime() + STEP_MS));
  await prisma.$executeRawUnsafe('ANALYZE snapshot');

  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL: 'redis://127.0.0.1:6379/12',
    MEMFLEET_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, createLogger(config.logLevel));
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const range = `from=${from.toISOString()}&to=${to.toISOString()}`;
  const endpoints = [
    'accounting',
    `memory/series?${range}`,
    `slab/series?${range}`,
    `slab/drops?${range}`,
    `slab/leak?${range}`,
    `fragmentation?${range}`,
  ];
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${RUNS} runs each`,
  );
  for (const path of endpoints) {
    const target = `${base}/api/v1/hosts/${host.id}/${path}`;
    // The first request finds nothing decoded yet (drops/leak keep a decode cache): shown apart.
    const t0 = performance.now();
    const res = await fetch(target);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const body = await res.text();
    const first = performance.now() - t0;
    const ms = await time(RUNS, async () => {
      const r = await fetch(target);
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    });
    const bytes = body.length;
    if (process.env.BENCH_SHOW) console.log(body.slice(0, 600));
    console.log(
      `${path.split('?')[0]?.padEnd(16)} ${fmt(ms)}  first ${first.toFixed(1).padStart(6)} ms  (${bytes} B)`,
    );
  }
  await app.close();
  if (process.env.BENCH_SKIP_NAIVE) return prisma.$disconnect();

  let all: SnapshotDetail[] = [];
  const decode = await time(NAIVE_RUNS, async () => {
    all = await decodeAll(snapshots, host.id, from, to);
  });
  console.log(`naive: decode ${all.length} snapshots  ${fmt(decode)}`);
  let points: SeriesPoint[] = [];
  const build = await time(NAIVE_RUNS, async () => {
    points = pointsOf(all);
  });
  const analyses: [string, () => unknown][] = [
    ['slab/drops', () => detectSlabDrops(points)],
    ['slab/leak', () => assessLeak(points)],
    ['fragmentation', () => assessFragmentationSeries(points)],
  ];
  console.log(`naive: series points of them     ${fmt(build)}`);
  for (const [name, run] of analyses) {
    const ms = await time(NAIVE_RUNS, async () => run());
    console.log(
      `naive: ${name.padEnd(14)} decode + points + analysis ≈ p50 ` +
        `${(pct(decode, 50) + pct(build, 50) + pct(ms, 50)).toFixed(0)} ms (analysis ${fmt(ms)})`,
    );
  }
  await prisma.$disconnect();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
