/**
 * Cost of diagnosing one snapshot, relative to merely decoding it.
 *
 *   npm run bench        (from the repository root: TypeScript via @swc-node/register)
 *
 * (a) baseline: JSON.parse of the bundle text, the least any consumer of a bundle must do;
 * (b) JSON.parse + parseBundle + diagnoseSnapshot: what `memfleet inspect --bundle` and ingest do.
 * Both run in the same process, interleaved round by round (alternating which goes first), after
 * a warm-up, so JIT tiers, GC and CPU frequency affect both alike. Goals: (b)/(a) <= 2 and
 * >= 5,000 snapshots/s on one core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  BUNDLE_FILES,
  TUNABLES_DIR,
  decodeBundle,
  parseBuddyinfo,
  parseBundle,
  parseMeminfo,
  parsePagetypeinfo,
  parsePs,
  parseSlabinfo,
  parseTunables,
  parseVmstat,
  parseZoneinfo,
  type SnapshotBundle,
} from '@memfleet/procfs';
import { diagnoseSnapshot } from '@memfleet/analysis';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'procfs');
const read = (relative: string): string => readFileSync(join(FIXTURES, relative), 'utf8');

const SLAB_CACHES = 250;
const PROCESSES = 300;

/** First `n` caches of the real 300-cache SLUB file (header lines kept). */
function slabinfo250(): string {
  const lines = read('slabinfo/procfs-ttar-300-slabs-slub-nvidia.txt').split('\n');
  return lines.slice(0, 2 + SLAB_CACHES).join('\n') + '\n';
}

/**
 * ~300 processes as `ps -eo pid=,rss=,comm=` prints them, from the real process table of the
 * same RHCOS sosreport (132 processes, `ps auxwww`), cycled with fresh pids to reach 300.
 */
function ps300(): string {
  const rows = read('ps/rhcos-4.18-el8-master-ps_auxwww.txt')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      const command = cols.slice(10).join(' ');
      const comm = command.startsWith('[')
        ? command.slice(1, -1)
        : ((command.split(' ')[0] ?? '').split('/').pop() ?? '');
      return { rss: Number(cols[5]), comm: comm.slice(0, 15) };
    });
  const out: string[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    const r = rows[i % rows.length];
    if (r) out.push(`${String(i + 1).padStart(7)} ${String(r.rss).padStart(6)} ${r.comm}`);
  }
  return out.join('\n') + '\n';
}

/** A full bundle of one real machine (RHCOS 4.18, 8 GB) with a 250-cache slabinfo. */
function buildBundle(): SnapshotBundle {
  const tunables = {
    vfs_cache_pressure: 100,
    min_free_kbytes: 67584,
    swappiness: 60,
    overcommit_memory: 0,
    overcommit_ratio: 50,
    watermark_scale_factor: 10,
    zone_reclaim_mode: 0,
    compaction_proactiveness: 20,
    extfrag_threshold: 500,
  };
  const files: Record<string, string> = {
    '/proc/meminfo': read('meminfo/rhcos-4.18-el8-master.txt'),
    '/proc/slabinfo': slabinfo250(),
    '/proc/buddyinfo': read('buddyinfo/rhcos-4.18-el8-master-trailing-space.txt'),
    '/proc/zoneinfo': read('zoneinfo/rhcos-4.18-el8-master.txt'),
    '/proc/pagetypeinfo': read('pagetypeinfo/rhcos-4.18-el8-master.txt'),
    '/proc/vmstat': read('vmstat/rhcos-4.18-el8-master.txt'),
  };
  for (const [name, value] of Object.entries(tunables)) files[TUNABLES_DIR + name] = `${value}\n`;
  return {
    collectedAt: '2026-11-25T09:00:00Z',
    files,
    ps: ps300(),
    pageSize: 4096,
    kernelRelease: '4.18.0-80.11.2.el8_0.x86_64',
  };
}

const PARSERS: Record<keyof typeof BUNDLE_FILES, (text: string) => unknown> = {
  meminfo: parseMeminfo,
  slabinfo: parseSlabinfo,
  buddyinfo: parseBuddyinfo,
  zoneinfo: parseZoneinfo,
  pagetypeinfo: parsePagetypeinfo,
  vmstat: parseVmstat,
};

let sink = 0;

function baseline(text: string): void {
  const json = JSON.parse(text) as SnapshotBundle;
  sink += json.files['/proc/meminfo']?.length ?? 0;
}

function full(text: string): void {
  const parsed = parseBundle(JSON.parse(text) as SnapshotBundle);
  const d = diagnoseSnapshot(parsed);
  sink += d.findings.length;
}

/** Nanoseconds per call, averaged over a batch long enough for the timer's resolution. */
function sample(fn: (t: string) => void, text: string, batch: number): number {
  const start = performance.now();
  for (let i = 0; i < batch; i++) fn(text);
  return ((performance.now() - start) * 1e6) / batch;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

function main(): void {
  const bundle = buildBundle();
  const text = JSON.stringify(bundle);
  const parsed = parseBundle(bundle);
  const check = (k: keyof typeof parsed): string => {
    const p = parsed[k] as { kind?: string };
    return `${String(k)}=${p.kind ?? '-'}`;
  };
  const sections = [
    'meminfo',
    'slabinfo',
    'buddyinfo',
    'zoneinfo',
    'pagetypeinfo',
    'vmstat',
    'tunables',
    'ps',
  ] as const;
  const notOk = sections.filter((k) => (parsed[k] as { kind: string }).kind !== 'ok');
  if (notOk.length > 0)
    throw new Error(`bench bundle does not parse cleanly: ${notOk.map(check).join(', ')}`);

  const batch = 50;
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 200);
  for (let i = 0; i < 40; i++) {
    sample(baseline, text, batch);
    sample(full, text, batch);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      a.push(sample(baseline, text, batch));
      b.push(sample(full, text, batch));
    } else {
      b.push(sample(full, text, batch));
      a.push(sample(baseline, text, batch));
    }
  }
  const ma = median(a);
  const mb = median(b);
  const us = (ns: number): string => `${(ns / 1000).toFixed(1)} µs`;
  const perSec = (ns: number): string => Math.round(1e9 / ns).toLocaleString('en-US');
  const rows = [
    ['', 'median/snapshot', 'snapshots/s (1 core)', 'best round (less noise on a busy host)'],
    ['(a) JSON.parse', us(ma), perSec(ma), us(Math.min(...a))],
    ['(b) JSON.parse + parseBundle + diagnoseSnapshot', us(mb), perSec(mb), us(Math.min(...b))],
  ];
  const w0 = Math.max(...rows.map((r) => r[0]?.length ?? 0));
  const w1 = Math.max(...rows.map((r) => r[1]?.length ?? 0));
  console.log(
    `bundle: ${(text.length / 1024).toFixed(1)} KiB JSON, ${SLAB_CACHES} slab caches, ${PROCESSES} processes; ` +
      `${rounds} interleaved rounds x ${batch} calls, node ${process.version}`,
  );
  for (const r of rows) {
    console.log(
      `${(r[0] ?? '').padEnd(w0)}  ${(r[1] ?? '').padStart(w1)}  ${(r[2] ?? '').padEnd(20)}  ${r[3] ?? ''}`,
    );
  }
  const ratio = mb / ma;
  const rate = 1e9 / mb;
  console.log(`ratio (b)/(a): ${ratio.toFixed(2)}x (goal <= 2x)  ${ratio <= 2 ? 'PASS' : 'MISS'}`);
  console.log(
    `throughput (b): ${perSec(mb)} snapshots/s (goal >= 5,000)  ${rate >= 5000 ? 'PASS' : 'MISS'}`,
  );
  breakdown(bundle, batch, Math.max(20, rounds >> 2));
  if (sink === 42) console.log('');
}

/**
 * Where (b)'s time goes, for whoever optimises it: each parser on its own file, then each step
 * of the diagnosis on the parsed snapshot. Medians of separate runs, so they need not add up.
 */
function breakdown(bundle: SnapshotBundle, batch: number, rounds: number): void {
  const parsed = parseBundle(bundle);
  const json: unknown = JSON.parse(JSON.stringify(bundle));
  const steps: [string, () => unknown][] = [
    ['parseBundle (all sections)', () => parseBundle(bundle)],
    ...Object.entries(BUNDLE_FILES).map(([name, path]): [string, () => unknown] => {
      const text = bundle.files[path] ?? '';
      const parse = PARSERS[name as keyof typeof BUNDLE_FILES];
      return [`  ${name} (${(text.length / 1024).toFixed(1)} KiB)`, () => parse(text)];
    }),
    ['  ps', () => parsePs(bundle.ps ?? '')],
    ['  tunables', () => parseTunables(bundle.files)],
    ['diagnoseSnapshot (all)', () => diagnoseSnapshot(parsed)],
    // Not in (b): what validating untrusted JSON against the bundle schema adds (CLI, ingest).
    ['decodeBundle (zod schema)', () => decodeBundle(json)],
  ];
  console.log('breakdown (median per call):');
  for (const [label, fn] of steps) {
    const run = (): void => {
      sink += fn() === undefined ? 0 : 1;
    };
    for (let i = 0; i < 10; i++) sample(run, '', batch);
    const xs: number[] = [];
    for (let r = 0; r < rounds; r++) xs.push(sample(run, '', batch));
    console.log(`  ${label.padEnd(30)} ${(median(xs) / 1000).toFixed(1).padStart(7)} µs`);
  }
}

main();
