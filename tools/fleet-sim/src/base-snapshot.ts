import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The real capture every virtual host starts from (tools/fleet-sim/base: snapshot 0 of the
 * rsync-drop-regrowth timeline, Linux 6.18, 24 GiB, 235 slab caches). Parsed once per process and
 * shared read-only by all hosts; a host only keeps its scenario parameters.
 */
export interface SlabCacheRow {
  readonly name: string;
  readonly activeObjs: number;
  readonly numObjs: number;
  readonly objSize: number;
  readonly objPerSlab: number;
  readonly pagesPerSlab: number;
}

export interface BuddyRow {
  readonly node: number;
  readonly zone: string;
  readonly counts: readonly number[];
}

export interface BaseSnapshot {
  /** meminfo in file order: [field, value]; kB fields keep kB, HugePages_* are counts. */
  readonly meminfo: readonly (readonly [string, number])[];
  readonly slabHeader: string;
  readonly slabs: readonly SlabCacheRow[];
  /** slabinfo lines as the kernel printed them, reused verbatim for caches nobody changes. */
  readonly slabLines: readonly string[];
  readonly buddy: readonly BuddyRow[];
  readonly vmstat: readonly (readonly [string, string])[];
  readonly ps: string;
  readonly pageSize: number;
}

function baseDir(): string {
  const candidates = [
    resolve(__dirname, '../base'),
    // compiled: dist/tools/fleet-sim/src -> repo root
    resolve(__dirname, '../../../../tools/fleet-sim/base'),
  ];
  const dir = candidates.find((d) => existsSync(join(d, 'meminfo')));
  if (!dir)
    throw new Error(`fleet-sim base capture not found (looked in ${candidates.join(', ')})`);
  return dir;
}

let cached: BaseSnapshot | undefined;

export function loadBaseSnapshot(): BaseSnapshot {
  if (cached) return cached;
  const dir = baseDir();
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');

  const meminfo = read('meminfo')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^(\S+):\s+(\d+)/.exec(l);
      if (!m) throw new Error(`base meminfo: bad line ${l}`);
      return [m[1] ?? '', Number(m[2])] as const;
    });

  const slabText = read('slabinfo').split('\n').filter(Boolean);
  const slabLines = slabText.slice(2);
  const slabs = slabLines.map((l) => {
    const f = l.split(/\s+/);
    return {
      name: f[0] ?? '',
      activeObjs: Number(f[1]),
      numObjs: Number(f[2]),
      objSize: Number(f[3]),
      objPerSlab: Number(f[4]),
      pagesPerSlab: Number(f[5]),
    };
  });

  const buddy = read('buddyinfo')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^Node (\d+), zone\s+(\S+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`base buddyinfo: bad line ${l}`);
      return {
        node: Number(m[1]),
        zone: m[2] ?? '',
        counts: (m[3] ?? '').trim().split(/\s+/).map(Number),
      };
    });

  const vmstat = read('vmstat')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [k, v] = l.split(' ');
      return [k ?? '', v ?? '0'] as const;
    });

  cached = {
    meminfo,
    slabHeader: `${slabText[0]}\n${slabText[1]}\n`,
    slabs,
    slabLines,
    buddy,
    vmstat,
    ps: read('ps'),
    pageSize: 4096,
  };
  return cached;
}
