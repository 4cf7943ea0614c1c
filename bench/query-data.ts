import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuddyinfo, type ParsedSnapshot, type Tunables } from '@memfleet/procfs';

/**
 * The fleet of the query bench: hosts that differ the way real fleets do. Most share the
 * distribution defaults; a few drift (swappiness 10, vfs_cache_pressure 0 or 200), a few are
 * heavily fragmented (the real EC2 buddyinfo from test/fixtures). Deterministic by host index.
 */
const FRAGMENTED = readFileSync(
  join(
    __dirname,
    '..',
    'test',
    'fixtures',
    'procfs',
    'buddyinfo',
    'linghuazaii-ec2-xen-heavily-fragmented.txt',
  ),
  'utf8',
);

export const labelsOf = (i: number): Record<string, string> => ({
  env: i % 10 === 0 ? 'staging' : 'prod',
  rack: `r${i % 20}`,
});

function tunablesOf(i: number): Tunables {
  return {
    swappiness: i % 20 === 3 ? 10 : 60,
    vfs_cache_pressure: i % 100 === 7 ? 0 : i % 50 === 9 ? 200 : 100,
    min_free_kbytes: i % 25 === 4 ? 1_048_576 : 67_584,
    overcommit_memory: 0,
    overcommit_ratio: 50,
    watermark_scale_factor: 10,
    zone_reclaim_mode: 0,
    compaction_proactiveness: 20,
    extfrag_threshold: 500,
  };
}

/** Host i's first snapshot: the real base capture with this host's tunables and free lists. */
export function hostStart(base: ParsedSnapshot, i: number): ParsedSnapshot {
  const fragmented = i % 33 === 5;
  const buddy = fragmented ? parseBuddyinfo(FRAGMENTED) : base.buddyinfo;
  return { ...base, tunables: { kind: 'ok', value: tunablesOf(i) }, buddyinfo: buddy };
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const k = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, k)] as number;
}

/** p50 / p95 in ms of `runs` sequential calls after `warmup` unmeasured ones. */
export async function timeIt(
  fn: () => Promise<unknown>,
  runs: number,
  warmup = Math.min(10, runs),
): Promise<{ p50: number; p95: number; runs: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), runs };
}
