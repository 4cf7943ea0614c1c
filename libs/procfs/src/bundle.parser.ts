import { BUNDLE_FILES, DEFAULT_PAGE_SIZE, TUNABLES_DIR, snapshotBundleSchema } from './bundle';
import type { ParsedSnapshot, SnapshotBundle } from './bundle';
import { parseBuddyinfo } from './buddyinfo.parser';
import { parseMeminfo } from './meminfo.parser';
import { parsePagetypeinfo } from './pagetypeinfo.parser';
import { ProcfsParseError, ok, unavailable, type Parsed } from './parse-result';
import { parsePs } from './ps.parser';
import { parseSlabinfo } from './slabinfo.parser';
import { parseTunables } from './tunables.parser';
import type { Tunables } from './types';
import { parseVmstat } from './vmstat.parser';
import { parseZoneinfo } from './zoneinfo.parser';

const NOT_COLLECTED = 'not collected';

/** One invalid field of a snapshot bundle: its path (`files./proc/meminfo`) and what is wrong. */
export interface BundleIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A bundle that is not a valid SnapshotBundle. `line` is 0: the problem is in the JSON document's
 * structure, not in a line of a /proc file. `issues` lists every bad field, not just the first.
 */
export class BundleDecodeError extends ProcfsParseError {
  constructor(readonly issues: readonly BundleIssue[]) {
    super('bundle', 0, issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '));
  }
}

/** Validates untrusted JSON (push ingest, CLI input) as a SnapshotBundle. Never throws. */
export function decodeBundle(json: unknown): Parsed<SnapshotBundle> {
  const r = snapshotBundleSchema.safeParse(json);
  if (r.success) return ok(r.data);
  const issues = r.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
  return { kind: 'error', error: new BundleDecodeError(issues) };
}

/**
 * Parses each section of a bundle on its own: a broken zoneinfo never hides a good slabinfo.
 * A file absent from the bundle is `unavailable` ("not collected"); tunables are unavailable only
 * when no /proc/sys/vm/ file was collected at all.
 */
export function parseBundle(bundle: SnapshotBundle): ParsedSnapshot {
  const f = bundle.files;
  const section = <T>(
    path: string,
    parse: (text: string, file: string) => Parsed<T>,
  ): Parsed<T> => {
    const text = f[path];
    return text === undefined ? unavailable(NOT_COLLECTED) : parse(text, path);
  };
  return {
    collectedAt: bundle.collectedAt === undefined ? undefined : new Date(bundle.collectedAt),
    pageSize: bundle.pageSize ?? DEFAULT_PAGE_SIZE,
    kernelRelease: bundle.kernelRelease,
    meminfo: section(BUNDLE_FILES.meminfo, parseMeminfo),
    slabinfo: section(BUNDLE_FILES.slabinfo, parseSlabinfo),
    buddyinfo: section(BUNDLE_FILES.buddyinfo, parseBuddyinfo),
    zoneinfo: section(BUNDLE_FILES.zoneinfo, parseZoneinfo),
    pagetypeinfo: section(BUNDLE_FILES.pagetypeinfo, parsePagetypeinfo),
    vmstat: section(BUNDLE_FILES.vmstat, parseVmstat),
    tunables: parseBundleTunables(f),
    ps: bundle.ps === undefined ? unavailable(NOT_COLLECTED) : parsePs(bundle.ps, 'ps'),
  };
}

function parseBundleTunables(files: Readonly<Record<string, string>>): Parsed<Tunables> {
  for (const key in files) {
    if (key.startsWith(TUNABLES_DIR)) return parseTunables(files);
  }
  return unavailable(NOT_COLLECTED);
}
