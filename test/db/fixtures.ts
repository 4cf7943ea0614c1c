import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundle, type ParsedSnapshot, type SnapshotBundle } from '@memfleet/procfs';

/** Real captures from test/fixtures as ParsedSnapshots, for codec and repository tests. */
const FIXTURES = join(__dirname, '..', 'fixtures');
const TIMELINE = join(FIXTURES, 'timelines', 'rsync-drop-regrowth', 'snapshots');

const PROCFS_DIRS: Record<string, string> = {
  meminfo: '/proc/meminfo',
  slabinfo: '/proc/slabinfo',
  buddyinfo: '/proc/buddyinfo',
  zoneinfo: '/proc/zoneinfo',
  pagetypeinfo: '/proc/pagetypeinfo',
  vmstat: '/proc/vmstat',
};

/** The 58 snapshots of the rsync drop-and-regrowth run, in capture order. */
export function timelineSnapshots(): ParsedSnapshot[] {
  return readdirSync(TIMELINE)
    .sort()
    .map((dir) => {
      const read = (f: string): string => readFileSync(join(TIMELINE, dir, f), 'utf8');
      const bundle: SnapshotBundle = {
        collectedAt: new Date(Number(read('ts').trim()) * 1000).toISOString(),
        files: {
          '/proc/meminfo': read('meminfo'),
          '/proc/slabinfo': read('slabinfo'),
          '/proc/buddyinfo': read('buddyinfo'),
          '/proc/vmstat': read('vmstat'),
          '/proc/sys/vm/swappiness': '60\n',
          '/proc/sys/vm/vfs_cache_pressure': '100\n',
        },
        ps: read('ps'),
        pageSize: 4096,
        kernelRelease: '6.18.0',
      };
      return parseBundle(bundle);
    });
}

/**
 * One snapshot per capture name under test/fixtures/procfs: every section captured under that
 * name (e.g. pcp-meminfo-root-001-i7-16g.txt has meminfo, slabinfo, vmstat, zoneinfo, buddyinfo),
 * the rest unavailable. Covers odd formats, empty files (unavailable) and parse errors.
 */
export function procfsFixtureSnapshots(): { name: string; parsed: ParsedSnapshot }[] {
  const byName = new Map<string, Record<string, string>>();
  for (const [dir, path] of Object.entries(PROCFS_DIRS)) {
    const full = join(FIXTURES, 'procfs', dir);
    if (!existsSync(full)) continue;
    for (const file of readdirSync(full)) {
      const files = byName.get(file) ?? {};
      files[path] = readFileSync(join(full, file), 'utf8');
      byName.set(file, files);
    }
  }
  const psDir = join(FIXTURES, 'procfs', 'ps');
  const psFiles = existsSync(psDir) ? readdirSync(psDir) : [];
  return [...byName.entries()].sort().map(([name, files], i) => {
    const ps = psFiles[i % Math.max(psFiles.length, 1)];
    return {
      name,
      parsed: parseBundle({
        files: { ...files, '/proc/sys/vm/min_free_kbytes': `${67584 + i}\n` },
        ...(ps !== undefined && i % 3 === 0 ? { ps: readFileSync(join(psDir, ps), 'utf8') } : {}),
        ...(i % 2 === 0 ? { kernelRelease: `5.${i}.0-test` } : {}),
      }),
    };
  });
}
