import type { Parsed, ProcfsParseError } from '@memfleet/procfs';
import type { SnapshotDetail } from './snapshot.types';

/** A section as JSON: the value, or why it is missing. */
export type SectionJson<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'unavailable'; readonly reason: string }
  | { readonly status: 'error'; readonly error: { file: string; line: number; reason: string } };

function section<T, J>(p: Parsed<T>, toJson: (v: T) => J): SectionJson<J> {
  if (p.kind === 'ok') return { status: 'ok', value: toJson(p.value) };
  if (p.kind === 'unavailable') return { status: 'unavailable', reason: p.reason };
  const e: ProcfsParseError = p.error;
  return { status: 'error', error: { file: e.file, line: e.line, reason: e.reason } };
}

const same = <T>(v: T): T => v;

/**
 * SnapshotDetail as plain JSON for HTTP: vmstat counters become decimal strings (they exceed
 * 2^53 on long-lived hosts) and each section says whether it parsed and, if not, why.
 */
export function snapshotToJson(d: SnapshotDetail) {
  return {
    ...d.summary,
    collectedAt: d.summary.collectedAt.toISOString(),
    receivedAt: d.summary.receivedAt.toISOString(),
    pageSize: d.pageSize,
    kernelRelease: d.kernelRelease ?? null,
    meminfo: section(d.meminfo, (m) => ({ fields: { ...m.fields }, countFields: m.countFields })),
    slabinfo: section(d.slabinfo, same),
    buddyinfo: section(d.buddyinfo, same),
    zoneinfo: section(d.zoneinfo, same),
    pagetypeinfo: section(d.pagetypeinfo, same),
    vmstat: section(d.vmstat, (v) =>
      Object.fromEntries([...v.counters].map(([k, n]) => [k, n.toString()])),
    ),
    tunables: section(d.tunables, same),
    processes: section(d.processes, same),
  };
}
