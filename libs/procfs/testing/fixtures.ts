import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotBundle } from '../src/bundle';
import type { Parsed, ProcfsParseError } from '../src/parse-result';

/** Test-only helpers: read the real captures copied into test/fixtures (never shared/ at run time). */
export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');
export const PROCFS_FIXTURES = join(FIXTURES, 'procfs');
export const TIMELINE = join(FIXTURES, 'timelines', 'rsync-drop-regrowth', 'snapshots');

export const readFixture = (kind: string, name: string): string =>
  readFileSync(join(PROCFS_FIXTURES, kind, name), 'utf8');

/** Every capture of one kind, as [file name, text]. */
export const allFixtures = (kind: string): [string, string][] =>
  readdirSync(join(PROCFS_FIXTURES, kind))
    .sort()
    .map((name) => [name, readFixture(kind, name)]);

export const timelineSnapshots = (): string[] => readdirSync(TIMELINE).sort();

export const readTimeline = (snapshot: string, file: string): string =>
  readFileSync(join(TIMELINE, snapshot, file), 'utf8');

/**
 * A full-size bundle from real captures: the timeline's meminfo/vmstat/buddyinfo, its slabinfo
 * topped up to `caches` caches with lines of the 300-cache procfs capture, a 4.18 zoneinfo and
 * pagetypeinfo, the tunables, and its ps listing repeated (with fresh pids) to `processes` lines.
 */
export function sampleBundle(caches = 250, processes = 300): SnapshotBundle {
  const snap = '00030';
  const slabLines = readTimeline(snap, 'slabinfo').trimEnd().split('\n');
  const extra = readFixture('slabinfo', 'procfs-ttar-300-slabs-slub-nvidia.txt')
    .trimEnd()
    .split('\n')
    .slice(2);
  for (let i = 0; slabLines.length - 2 < caches && i < extra.length; i++)
    slabLines.push(extra[i] as string);
  const psLines = readTimeline(snap, 'ps').trimEnd().split('\n');
  const ps: string[] = [];
  for (let i = 0; ps.length < processes; i++) {
    const line = psLines[i % psLines.length] as string;
    const m = /^\s*\d+(\s+\d+\s.*)$/.exec(line);
    ps.push(`${String(1000 + i).padStart(7)}${m ? m[1] : ' 0 ?'}`);
  }
  return {
    collectedAt: '2026-11-25T09:00:00Z',
    files: {
      '/proc/meminfo': readTimeline(snap, 'meminfo'),
      '/proc/slabinfo': `${slabLines.join('\n')}\n`,
      '/proc/buddyinfo': readTimeline(snap, 'buddyinfo'),
      '/proc/zoneinfo': readFixture('zoneinfo', 'rhcos-4.18-el8-master.txt'),
      '/proc/pagetypeinfo': readFixture('pagetypeinfo', 'rhcos-4.18-el8-master.txt'),
      '/proc/vmstat': readTimeline(snap, 'vmstat'),
      '/proc/sys/vm/vfs_cache_pressure': '100\n',
      '/proc/sys/vm/min_free_kbytes': '67584\n',
      '/proc/sys/vm/swappiness': '60\n',
      '/proc/sys/vm/overcommit_memory': '0\n',
      '/proc/sys/vm/overcommit_ratio': '50\n',
      '/proc/sys/vm/watermark_scale_factor': '10\n',
      '/proc/sys/vm/zone_reclaim_mode': '0\n',
      '/proc/sys/vm/compaction_proactiveness': '20\n',
      '/proc/sys/vm/extfrag_threshold': '500\n',
    },
    ps: `${ps.join('\n')}\n`,
    pageSize: 4096,
    kernelRelease: '6.18.0',
  };
}

/** The value of an `ok` result; fails the test with the whole result otherwise. */
export function okValue<T>(r: Parsed<T>): T {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
}

/** The error of an `error` result; fails the test otherwise. */
export function errorOf<T>(r: Parsed<T>): ProcfsParseError {
  if (r.kind !== 'error') throw new Error(`expected error, got ${r.kind}`);
  return r.error;
}
