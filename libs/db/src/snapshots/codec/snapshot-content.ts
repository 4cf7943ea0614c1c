import type { Parsed, ParsedSnapshot, ProcessMemory } from '@memfleet/procfs';

/** How many of the largest processes a stored snapshot keeps (the sum covers all of them). */
export const TOP_PROCESSES = 10;

/** What a stored snapshot keeps of `ps`: the full list is too big and churns every time. */
export interface ProcessSummary {
  readonly count: number;
  readonly rssSumBytes: number;
  /** The TOP_PROCESSES largest by RSS, largest first (ties: lower pid first). */
  readonly top: readonly ProcessMemory[];
}

/**
 * Everything a snapshot row keeps: the parsed snapshot with `ps` reduced to a ProcessSummary.
 * Each section keeps its outcome, so "why is slabinfo missing" survives storage.
 */
export interface SnapshotContent extends Omit<ParsedSnapshot, 'collectedAt' | 'ps'> {
  readonly processes: Parsed<ProcessSummary>;
}

/** Section order in frames and bit order of the `missing_sections` column. */
export const SECTION_ORDER = [
  'meminfo',
  'slabinfo',
  'buddyinfo',
  'zoneinfo',
  'pagetypeinfo',
  'vmstat',
  'tunables',
  'processes',
] as const;
export type SectionName = (typeof SECTION_ORDER)[number];

export function summarizeProcesses(processes: readonly ProcessMemory[]): ProcessSummary {
  const byRss = [...processes].sort((a, b) => b.rssBytes - a.rssBytes || a.pid - b.pid);
  return {
    count: processes.length,
    rssSumBytes: processes.reduce((sum, p) => sum + p.rssBytes, 0),
    top: byRss
      .slice(0, TOP_PROCESSES)
      .map((p) => ({ pid: p.pid, rssBytes: p.rssBytes, comm: p.comm })),
  };
}

/** The content a row stores for a parsed snapshot: exactly what `get` gives back. */
export function toSnapshotContent(parsed: ParsedSnapshot): SnapshotContent {
  const { ps } = parsed;
  return {
    pageSize: parsed.pageSize,
    ...(parsed.kernelRelease !== undefined ? { kernelRelease: parsed.kernelRelease } : {}),
    meminfo: parsed.meminfo,
    slabinfo: parsed.slabinfo,
    buddyinfo: parsed.buddyinfo,
    zoneinfo: parsed.zoneinfo,
    pagetypeinfo: parsed.pagetypeinfo,
    vmstat: parsed.vmstat,
    tunables: parsed.tunables,
    processes:
      ps.kind === 'ok' ? { kind: 'ok', value: summarizeProcesses(ps.value.processes) } : ps,
  };
}

/** Bit mask of sections that did not parse (`unavailable` or `error`), in SECTION_ORDER. */
export function missingSectionMask(content: SnapshotContent): number {
  return SECTION_ORDER.reduce(
    (mask, s, i) => (content[s].kind === 'ok' ? mask : mask | (1 << i)),
    0,
  );
}

export function missingSectionNames(mask: number): SectionName[] {
  return SECTION_ORDER.filter((_, i) => (mask & (1 << i)) !== 0);
}
