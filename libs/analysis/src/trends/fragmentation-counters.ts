import type { SeriesPoint } from './series-point';

export interface CompactionRates {
  readonly stallPerHour: number | null;
  readonly failPerHour: number | null;
  readonly observedSeconds: number;
}

/**
 * compact_stall (a task compacted synchronously, i.e. waited) and compact_fail per hour, from
 * deltas between neighbours of the same boot. A counter that fell means a reset the segment split
 * missed; that interval is skipped rather than read as a huge negative rate.
 */
export function compactionRates(segments: readonly (readonly SeriesPoint[])[]): CompactionRates {
  let stall = 0n;
  let fail = 0n;
  let seconds = 0;
  let seen = false;
  for (const seg of segments) {
    for (let i = 1; i < seg.length; i++) {
      const a = seg[i - 1] as SeriesPoint;
      const b = seg[i] as SeriesPoint;
      if (a.compactStall === undefined || b.compactStall === undefined) continue;
      if (b.compactStall < a.compactStall) continue;
      const failDelta =
        a.compactFail !== undefined && b.compactFail !== undefined && b.compactFail >= a.compactFail
          ? b.compactFail - a.compactFail
          : 0n;
      stall += b.compactStall - a.compactStall;
      fail += failDelta;
      seconds += (b.at.getTime() - a.at.getTime()) / 1000;
      seen = true;
    }
  }
  if (!seen || seconds <= 0) return { stallPerHour: null, failPerHour: null, observedSeconds: 0 };
  const hours = seconds / 3600;
  return {
    stallPerHour: Number(stall) / hours,
    failPerHour: Number(fail) / hours,
    observedSeconds: seconds,
  };
}

/** MemFree against the sum of the buddy free lists, at the latest point that has both. */
export interface FreeOutsideBuddy {
  readonly at: Date;
  readonly memFreeBytes: number;
  readonly buddyFreeBytes: number;
  /** MemFree - buddy total; positive is normal. */
  readonly differenceBytes: number;
  readonly note: string;
}

/**
 * MemFree routinely exceeds what buddyinfo lists: pages on the per-CPU free lists (pcp) are
 * counted free but sit outside the buddy free lists. On some VMs the gap is far larger (the 6.18
 * timeline VM: MemFree 22.9 GiB, buddy lists 11.1 GiB, vmstat nr_free_pages agreeing with
 * buddyinfo). Fragmentation is judged on the buddy lists alone, so this difference is reported,
 * never used. The two files are separate reads: a small negative difference is a race.
 */
export function freeOutsideBuddy(
  points: readonly SeriesPoint[],
  defaultPageSize: number,
): FreeOutsideBuddy | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i] as SeriesPoint;
    if (p.memFreeBytes === undefined || !p.zones || p.zones.length === 0) continue;
    const pageSize = p.pageSize ?? defaultPageSize;
    let pages = 0;
    for (const z of p.zones) z.freeBlocks.forEach((count, order) => (pages += count * 2 ** order));
    const buddy = pages * pageSize;
    const diff = p.memFreeBytes - buddy;
    return {
      at: p.at,
      memFreeBytes: p.memFreeBytes,
      buddyFreeBytes: buddy,
      differenceBytes: diff,
      note:
        diff >= 0
          ? 'MemFree counts free memory the buddy lists do not show (per-CPU lists; on some VMs ' +
            'much more); fragmentation is judged on buddyinfo alone'
          : 'buddyinfo shows more than MemFree: the files were read at different instants',
    };
  }
  return null;
}
