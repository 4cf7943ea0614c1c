import type { Parsed, ParsedSnapshot } from '@memfleet/procfs';
import { computeAccounting, type MemoryAccounting } from './accounting';
import {
  DEFAULT_FRAGMENTATION_THRESHOLDS,
  fragmentationFindings,
  type FragmentationThresholds,
} from './diagnose-fragmentation';
import {
  DEFAULT_MEMORY_THRESHOLDS,
  lowMemoryFindings,
  memoryGapFindings,
  type MemoryThresholds,
} from './diagnose-memory';
import type { Finding } from './finding';
import { analyzeFragmentation, type FragmentationReport } from './fragmentation';
import { computeSlab, type SlabSummary } from './slab';
import { auditTunables } from './tunables-audit';
import { DEFAULT_TUNABLE_THRESHOLDS, type TunableThresholds } from './tunables-common';

export interface DiagnosisThresholds {
  readonly memory: MemoryThresholds;
  readonly fragmentation: FragmentationThresholds;
  readonly tunables: TunableThresholds;
}

export const DEFAULT_DIAGNOSIS_THRESHOLDS: DiagnosisThresholds = {
  memory: DEFAULT_MEMORY_THRESHOLDS,
  fragmentation: DEFAULT_FRAGMENTATION_THRESHOLDS,
  tunables: DEFAULT_TUNABLE_THRESHOLDS,
};

/** Overrides per group: `{ memory: { kernelHeldRatio: 0.3 } }` keeps every other default. */
export interface DiagnosisThresholdOverrides {
  readonly memory?: Partial<MemoryThresholds>;
  readonly fragmentation?: Partial<FragmentationThresholds>;
  readonly tunables?: Partial<TunableThresholds>;
}

/** Why a section is null (or, for ps/tunables, why it was left out). Absent key = it is there. */
export interface UnavailableSections {
  readonly accounting?: string;
  readonly slab?: string;
  readonly fragmentation?: string;
  readonly tunables?: string;
  readonly ps?: string;
}

export interface SnapshotDiagnosis {
  readonly accounting: MemoryAccounting | null;
  readonly slab: SlabSummary | null;
  readonly fragmentation: FragmentationReport | null;
  readonly unavailable: UnavailableSections;
  readonly findings: readonly Finding[];
}

/** The reason a section cannot be used: the parser's own words, prefixed with the file. */
function why(p: Parsed<unknown>, what: string): string | undefined {
  if (p.kind === 'ok') return undefined;
  return p.kind === 'unavailable' ? `${what}: ${p.reason}` : `${what}: ${p.error.message}`;
}

const value = <T>(p: Parsed<T>): T | undefined => (p.kind === 'ok' ? p.value : undefined);

/**
 * Diagnoses one snapshot. Each section stands alone: a missing or unreadable file makes its
 * section null with a reason and every other section is still reported.
 */
export function diagnoseSnapshot(
  parsed: ParsedSnapshot,
  overrides: DiagnosisThresholdOverrides = {},
): SnapshotDiagnosis {
  const th: DiagnosisThresholds = {
    memory: { ...DEFAULT_MEMORY_THRESHOLDS, ...overrides.memory },
    fragmentation: { ...DEFAULT_FRAGMENTATION_THRESHOLDS, ...overrides.fragmentation },
    tunables: { ...DEFAULT_TUNABLE_THRESHOLDS, ...overrides.tunables },
  };
  const unavailable: Record<string, string> = {};
  const note = (key: keyof UnavailableSections, reason: string | undefined) => {
    if (reason !== undefined) unavailable[key] = reason;
  };
  const meminfo = value(parsed.meminfo);
  const ps = value(parsed.ps);
  const tunables = value(parsed.tunables);
  const zoneinfo = value(parsed.zoneinfo);
  note('ps', why(parsed.ps, 'ps'));
  note('tunables', why(parsed.tunables, '/proc/sys/vm'));

  const accounting = meminfo ? computeAccounting(meminfo, ps) : null;
  note('accounting', why(parsed.meminfo, '/proc/meminfo'));
  if (meminfo && !accounting) note('accounting', '/proc/meminfo: no MemTotal line');

  const slabinfo = value(parsed.slabinfo);
  const slab = slabinfo ? computeSlab(slabinfo, parsed.pageSize, meminfo) : null;
  note('slab', why(parsed.slabinfo, '/proc/slabinfo'));

  const buddy = value(parsed.buddyinfo);
  const fragmentation = buddy
    ? analyzeFragmentation(buddy, {
        zoneinfo,
        pageSize: parsed.pageSize,
        compactionProactiveness: tunables?.compaction_proactiveness,
      })
    : null;
  note('fragmentation', why(parsed.buddyinfo, '/proc/buddyinfo'));

  const findings: Finding[] = [];
  if (accounting && meminfo) {
    findings.push(...memoryGapFindings(accounting, meminfo, slab, th.memory));
    findings.push(...lowMemoryFindings(accounting, th.memory));
  }
  if (fragmentation) {
    findings.push(
      ...fragmentationFindings(fragmentation, parsed.pageSize, zoneinfo, th.fragmentation),
    );
  }
  if (tunables) findings.push(...auditTunables(tunables, meminfo, th.tunables));
  return { accounting, slab, fragmentation, unavailable, findings };
}
