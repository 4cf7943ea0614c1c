import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotBundle } from '@memfleet/procfs';

export const REPO = join(__dirname, '..', '..');
export const PROCFS = join(REPO, 'test/fixtures/procfs');
export const TIMELINE = join(REPO, 'test/fixtures/timelines/rsync-drop-regrowth/snapshots');

const read = (path: string): string => readFileSync(path, 'utf8');

/**
 * The bundle of one snapshot of the rsync timeline (Linux 6.18, 4 KiB pages), as the collector
 * would have sent it: the capture's meminfo, slabinfo, buddyinfo, vmstat and ps, byte for byte.
 */
export function timelineBundle(snapshot: string): SnapshotBundle {
  const dir = join(TIMELINE, snapshot);
  const seconds = Number(read(join(dir, 'ts')).trim());
  return {
    collectedAt: new Date(Math.round(seconds * 1000)).toISOString(),
    files: {
      '/proc/meminfo': read(join(dir, 'meminfo')),
      '/proc/slabinfo': read(join(dir, 'slabinfo')),
      '/proc/buddyinfo': read(join(dir, 'buddyinfo')),
      '/proc/vmstat': read(join(dir, 'vmstat')),
    },
    ps: read(join(dir, 'ps')),
    pageSize: 4096,
    kernelRelease: '6.18',
  };
}

/** Files of one real sosreport (RHCOS 4.18.0-80 el8, 8 GB VM) as `--root` expects them. */
export const RHCOS_TREE: Readonly<Record<string, string>> = {
  'proc/meminfo': 'meminfo/rhcos-4.18-el8-master.txt',
  'proc/slabinfo': 'slabinfo/rhcos-4.18-el8-master-slub.txt',
  'proc/buddyinfo': 'buddyinfo/rhcos-4.18-el8-master-trailing-space.txt',
  'proc/zoneinfo': 'zoneinfo/rhcos-4.18-el8-master.txt',
  'proc/pagetypeinfo': 'pagetypeinfo/rhcos-4.18-el8-master.txt',
  'proc/vmstat': 'vmstat/rhcos-4.18-el8-master.txt',
  ps: 'ps/rhcos-4.18-el8-master-ps_auxwww.txt',
};

export const fixture = (relative: string): string => read(join(PROCFS, relative));
