import type { ParsedSnapshot } from '@memfleet/procfs';
import { unusableIndex } from '../snapshots/snapshot-columns';

/** Orders 0..MAX_ORDER of the unusable index kept per zone (MAX_PAGE_ORDER is 10 on x86). */
export const MAX_ORDER = 10;

export interface ZoneLatest {
  readonly node: number;
  readonly zone: string;
  /** unusable[k] = unusable free space index at order k, 0..1. */
  readonly unusable: readonly number[];
  readonly freeBytes: number;
}

/** What fleet queries keep of a host's newest snapshot. null = that section was not collected. */
export interface HostLatestData {
  readonly collectedAt: Date;
  readonly tunables: Readonly<Record<string, number>> | null;
  readonly zones: readonly ZoneLatest[] | null;
}

export function hostLatestOf(parsed: ParsedSnapshot, collectedAt: Date): HostLatestData {
  const t = parsed.tunables.kind === 'ok' ? parsed.tunables.value : null;
  const tunables = t && Object.keys(t).length > 0 ? (t as Record<string, number>) : null;
  const zones =
    parsed.buddyinfo.kind === 'ok'
      ? parsed.buddyinfo.value.zones.map((z) => ({
          node: z.node,
          zone: z.zone,
          unusable: Array.from({ length: MAX_ORDER + 1 }, (_, k) => unusableIndex(z.freeBlocks, k)),
          freeBytes: z.freeBlocks.reduce((s, n, k) => s + n * 2 ** k, 0) * parsed.pageSize,
        }))
      : null;
  return { collectedAt, tunables, zones };
}
