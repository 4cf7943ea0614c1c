import { seriesPointFromSnapshot, type SeriesPoint } from '@memfleet/analysis';
import type { ColumnPoint, DecodedSnapshot } from '@memfleet/db';
import type { ParsedSnapshot } from '@memfleet/procfs';

/**
 * Adapters from what libs/db stores to the SeriesPoint the trend analyses take. Two sources:
 * the derived columns (every snapshot, cheap) and decoded payloads (a sample, for per-cache and
 * per-zone figures). Both give the same numbers for the fields they share.
 */

/** A decoded snapshot as the parsed bundle the analyses know (ps is summarized in storage). */
export function parsedOf(d: DecodedSnapshot): ParsedSnapshot {
  return {
    ...d.content,
    collectedAt: d.collectedAt,
    ps: { kind: 'unavailable', reason: 'stored snapshots keep a process summary only' },
  } as ParsedSnapshot;
}

export function pointOfDecoded(d: DecodedSnapshot): SeriesPoint | null {
  return seriesPointFromSnapshot(parsedOf(d));
}

const big = (v: bigint | null): bigint | undefined => v ?? undefined;
const opt = (v: number | null): number | undefined => v ?? undefined;

/**
 * A point from the columns, with the caches of the decoded snapshot at the same seq when there
 * is one. Slab is SReclaimable + SUnreclaim (meminfo's Slab is exactly their sum): the
 * `slab_bytes` column sums /proc/slabinfo instead, a different figure.
 */
export function pointOfColumns(c: ColumnPoint, decoded?: SeriesPoint | null): SeriesPoint | null {
  if (c.memTotalBytes === null) return null;
  const slab =
    c.sReclaimableBytes !== null && c.sUnreclaimBytes !== null
      ? c.sReclaimableBytes + c.sUnreclaimBytes
      : undefined;
  return {
    at: c.collectedAt,
    memTotalBytes: c.memTotalBytes,
    memAvailableBytes: opt(c.memAvailableBytes),
    sReclaimableBytes: opt(c.sReclaimableBytes),
    sUnreclaimBytes: opt(c.sUnreclaimBytes),
    slabBytes: slab,
    dropSlab: big(c.dropSlab),
    dropPagecache: big(c.dropPagecache),
    compactStall: big(c.compactStall),
    compactFail: big(c.compactFail),
    ...(decoded
      ? {
          caches: decoded.caches,
          pgfault: decoded.pgfault,
          memFreeBytes: decoded.memFreeBytes,
          pageSize: decoded.pageSize,
          zones: decoded.zones,
        }
      : {}),
  };
}

/** Column points of a range, each enriched with its decoded twin when one was decoded. */
export function mergePoints(
  columns: readonly ColumnPoint[],
  decoded: readonly DecodedSnapshot[],
): SeriesPoint[] {
  const bySeq = new Map(decoded.map((d) => [d.seq, pointOfDecoded(d)]));
  const out: SeriesPoint[] = [];
  for (const c of columns) {
    const p = pointOfColumns(c, bySeq.get(c.seq));
    if (p) out.push(p);
  }
  return out;
}
