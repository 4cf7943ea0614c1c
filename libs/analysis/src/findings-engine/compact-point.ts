import type { SeriesPoint, ZonePoint } from '../trends/series-point';

/**
 * A SeriesPoint as small JSON, for the bounded window the findings engine keeps per host.
 * Slab caches under `minCacheBytes` are left out: every per-cache figure of the trend detectors
 * ignores caches under 1 MiB, and a cache absent from a point counts as 0, so the error is below
 * the detectors' own floor. Counters are strings (they pass 2^53 on long-lived hosts).
 */
export interface CompactPoint {
  readonly t: number;
  readonly mt: number;
  readonly ma?: number;
  readonly mf?: number;
  readonly sr?: number;
  readonly su?: number;
  readonly sb?: number;
  readonly c?: Record<string, number>;
  readonly ds?: string;
  readonly dp?: string;
  readonly cs?: string;
  readonly cf?: string;
  readonly pf?: string;
  readonly up?: number;
  readonly bi?: string;
  readonly ps?: number;
  /** [node, zone, freeBlocks, min?, low?, high?]; null = watermark unknown. */
  readonly z?: readonly ZoneTuple[];
}

type Mark = number | null;
type ZoneTuple =
  | readonly [number, string, readonly number[]]
  | readonly [number, string, readonly number[], Mark, Mark, Mark];

export const COMPACT_MIN_CACHE_BYTES = 256 * 1024;

const str = (v: bigint | undefined) => (v === undefined ? undefined : v.toString());
const big = (v: string | undefined) => (v === undefined ? undefined : BigInt(v));

export function toCompactPoint(
  p: SeriesPoint,
  minCacheBytes = COMPACT_MIN_CACHE_BYTES,
): CompactPoint {
  let c: Record<string, number> | undefined;
  if (p.caches) {
    c = {};
    for (const [name, bytes] of p.caches) if (bytes >= minCacheBytes) c[name] = bytes;
  }
  const out: Record<string, unknown> = {
    t: p.at.getTime(),
    mt: p.memTotalBytes,
    ma: p.memAvailableBytes,
    mf: p.memFreeBytes,
    sr: p.sReclaimableBytes,
    su: p.sUnreclaimBytes,
    sb: p.slabBytes,
    c,
    ds: str(p.dropSlab),
    dp: str(p.dropPagecache),
    cs: str(p.compactStall),
    cf: str(p.compactFail),
    pf: str(p.pgfault),
    up: p.uptimeSeconds,
    bi: p.bootId,
    ps: p.pageSize,
    // JSON has no undefined: watermarks are all left out, or null where one is unknown.
    z: p.zones?.map((z): ZoneTuple =>
      z.minPages === undefined && z.lowPages === undefined && z.highPages === undefined
        ? [z.node, z.zone, z.freeBlocks]
        : [
            z.node,
            z.zone,
            z.freeBlocks,
            z.minPages ?? null,
            z.lowPages ?? null,
            z.highPages ?? null,
          ],
    ),
  };
  // Absent stays absent (never 0): drop undefined keys so JSON round-trips exactly.
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as CompactPoint;
}

export function fromCompactPoint(c: CompactPoint): SeriesPoint {
  const zones: ZonePoint[] | undefined = c.z?.map(([node, zone, freeBlocks, min, low, high]) => ({
    node,
    zone,
    freeBlocks,
    ...(typeof min === 'number' ? { minPages: min } : {}),
    ...(typeof low === 'number' ? { lowPages: low } : {}),
    ...(typeof high === 'number' ? { highPages: high } : {}),
  }));
  return {
    at: new Date(c.t),
    memTotalBytes: c.mt,
    memAvailableBytes: c.ma,
    memFreeBytes: c.mf,
    sReclaimableBytes: c.sr,
    sUnreclaimBytes: c.su,
    slabBytes: c.sb,
    caches: c.c ? new Map(Object.entries(c.c)) : undefined,
    dropSlab: big(c.ds),
    dropPagecache: big(c.dp),
    compactStall: big(c.cs),
    compactFail: big(c.cf),
    pgfault: big(c.pf),
    uptimeSeconds: c.up,
    bootId: c.bi,
    pageSize: c.ps,
    zones,
  };
}
