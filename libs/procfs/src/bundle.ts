import { z } from 'zod';
import type { Parsed } from './parse-result';
import type {
  Buddyinfo,
  Meminfo,
  Pagetypeinfo,
  ProcessList,
  Slabinfo,
  Tunables,
  Vmstat,
  Zoneinfo,
} from './types';

/**
 * The snapshot bundle: the one exchange format of memfleet. `memfleet inspect --bundle`, push
 * ingest (`POST /hosts/{id}/snapshots`) and the SSH collector all produce or consume it.
 *
 * {
 *   "collectedAt": "2026-11-25T09:00:00Z",          // optional, ISO-8601
 *   "files": { "/proc/meminfo": "...", "/proc/slabinfo": "...", "/proc/buddyinfo": "...",
 *              "/proc/zoneinfo": "...", "/proc/pagetypeinfo": "...", "/proc/vmstat": "...",
 *              "/proc/sys/vm/swappiness": "60\n", ... },
 *   "ps": "<ps -eo pid=,rss=,comm= output>",         // optional
 *   "pageSize": 4096,                                 // optional, bytes
 *   "kernelRelease": "6.1.0-18-amd64"                 // optional, uname -r
 * }
 */
export const BUNDLE_FILES = {
  meminfo: '/proc/meminfo',
  slabinfo: '/proc/slabinfo',
  buddyinfo: '/proc/buddyinfo',
  zoneinfo: '/proc/zoneinfo',
  pagetypeinfo: '/proc/pagetypeinfo',
  vmstat: '/proc/vmstat',
} as const;

/** Tunables are carried as one file each: `/proc/sys/vm/<name>`. */
export const TUNABLES_DIR = '/proc/sys/vm/';

export const snapshotBundleSchema = z
  .object({
    collectedAt: z.iso.datetime({ offset: true }).optional(),
    files: z.record(z.string().startsWith('/proc/'), z.string()),
    ps: z.string().optional(),
    pageSize: z
      .number()
      .int()
      .refine((n) => n >= 1024 && n <= 1 << 20 && (n & (n - 1)) === 0, {
        message: 'pageSize must be a power of two between 1024 and 1048576 bytes',
      })
      .optional(),
    kernelRelease: z.string().max(256).optional(),
  })
  .strict();

export type SnapshotBundle = z.infer<typeof snapshotBundleSchema>;

/** A bundle after parsing: each section parsed on its own, so one bad file never hides the rest. */
export interface ParsedSnapshot {
  readonly collectedAt?: Date;
  readonly pageSize: number;
  readonly kernelRelease?: string;
  readonly meminfo: Parsed<Meminfo>;
  readonly slabinfo: Parsed<Slabinfo>;
  readonly buddyinfo: Parsed<Buddyinfo>;
  readonly zoneinfo: Parsed<Zoneinfo>;
  readonly pagetypeinfo: Parsed<Pagetypeinfo>;
  readonly vmstat: Parsed<Vmstat>;
  readonly tunables: Parsed<Tunables>;
  readonly ps: Parsed<ProcessList>;
}

export const DEFAULT_PAGE_SIZE = 4096;

/** The parsed sections of a snapshot, in the order reports list them. */
export const SNAPSHOT_SECTIONS = [
  'meminfo',
  'slabinfo',
  'buddyinfo',
  'zoneinfo',
  'pagetypeinfo',
  'vmstat',
  'tunables',
  'ps',
] as const satisfies readonly (keyof ParsedSnapshot)[];
