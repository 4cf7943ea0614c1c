import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundle, type ParsedSnapshot, type SnapshotBundle } from '@memfleet/procfs';

const FIXTURES = join(__dirname, '..', 'fixtures');

/**
 * A real heavily fragmented EC2 buddyinfo (DMA32 and Normal: ~2.9 GiB free, almost none of it in
 * blocks of order >= 4) with a meminfo consistent with it: 16 GiB RAM, MemFree = the buddy free
 * total, plenty available. Without zoneinfo the watermarks are unknown, so only the index judges.
 */
export const FRAGMENTED_BUDDYINFO = readFileSync(
  join(FIXTURES, 'procfs', 'buddyinfo', 'linghuazaii-ec2-xen-heavily-fragmented.txt'),
  'utf8',
);

/** Free pages of every zone of a buddyinfo text, in kB. */
function buddyFreeKb(text: string): number {
  let pages = 0;
  for (const line of text.trim().split('\n')) {
    const counts = line.trim().split(/\s+/).slice(4).map(Number);
    counts.forEach((n, k) => (pages += n * 2 ** k));
  }
  return pages * 4;
}

export function meminfoText(
  freeKb: number,
  totalKb = 16 * 1024 * 1024,
  sUnreclaimKb = 100_000,
): string {
  const lines: [string, number][] = [
    ['MemTotal', totalKb],
    ['MemFree', freeKb],
    ['MemAvailable', Math.round(totalKb / 2)],
    ['Buffers', 200_000],
    ['Cached', Math.round(totalKb / 3)],
    ['SwapCached', 0],
    ['Active', Math.round(totalKb / 4)],
    ['Inactive', Math.round(totalKb / 4)],
    ['SwapTotal', 0],
    ['SwapFree', 0],
    ['Slab', 300_000 + sUnreclaimKb],
    ['SReclaimable', 300_000],
    ['SUnreclaim', sUnreclaimKb],
    ['KernelStack', 10_000],
    ['PageTables', 20_000],
  ];
  return lines.map(([k, v]) => `${k}:${' '.repeat(16 - k.length)}${v} kB`).join('\n') + '\n';
}

export interface BundleOptions {
  readonly at: Date;
  readonly buddyinfo?: string;
  readonly vfsCachePressure?: number;
  readonly swappiness?: number;
  readonly sUnreclaimKb?: number;
}

/** A push bundle; without `buddyinfo` a healthy one (large free blocks). */
export function bundle(o: BundleOptions): SnapshotBundle {
  const buddy =
    o.buddyinfo ??
    'Node 0, zone      DMA      1      1      1      1      1      1      1      1      1      1      3\n' +
      'Node 0, zone   Normal    100    100    100    100    100    100    100    100    100    100    700\n';
  return {
    collectedAt: o.at.toISOString(),
    files: {
      '/proc/meminfo': meminfoText(buddyFreeKb(buddy), undefined, o.sUnreclaimKb),
      '/proc/buddyinfo': buddy,
      '/proc/sys/vm/swappiness': `${o.swappiness ?? 60}\n`,
      '/proc/sys/vm/vfs_cache_pressure': `${o.vfsCachePressure ?? 100}\n`,
    },
    pageSize: 4096,
    kernelRelease: '6.1.0',
  };
}

export const parsedBundle = (o: BundleOptions): ParsedSnapshot => parseBundle(bundle(o));
