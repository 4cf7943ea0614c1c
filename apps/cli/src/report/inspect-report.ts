import type { Parsed, ParsedSnapshot } from '@memfleet/procfs';
import type { SnapshotDiagnosis } from '@memfleet/analysis';
import type { InputSource } from '../args';
import { InputError } from '../errors';
import type { SnapshotInput } from '../sources/snapshot-input';
import type {
  FragmentationReport,
  InputName,
  InspectReport,
  SectionStatus,
  SlabReport,
} from './inspect-report.types';

const INPUT_FILE: Readonly<Record<InputName, string>> = {
  meminfo: '/proc/meminfo',
  slabinfo: '/proc/slabinfo',
  buddyinfo: '/proc/buddyinfo',
  zoneinfo: '/proc/zoneinfo',
  pagetypeinfo: '/proc/pagetypeinfo',
  vmstat: '/proc/vmstat',
  tunables: '/proc/sys/vm/',
  ps: 'ps',
};
const INPUT_NAMES = Object.keys(INPUT_FILE) as InputName[];

/**
 * Turns the parsed snapshot and its diagnosis into the report both outputs print. This is the one
 * place that decides the --json field names; renderers only read the report.
 */
export function buildReport(
  input: SnapshotInput,
  parsed: ParsedSnapshot,
  diagnosis: SnapshotDiagnosis,
  source: InputSource,
  top: number,
): InspectReport {
  const inputs = {} as Record<InputName, SectionStatus>;
  for (const name of INPUT_NAMES) inputs[name] = inputStatus(name, parsed[name], input);
  // The input's own status says most (who could not read what); the analysis says the rest.
  const because = (name: InputName, what: string | undefined): SectionStatus => {
    const st = inputs[name];
    return st.available ? { available: false, reason: what ?? `${name} gave no data` } : st;
  };
  const u = diagnosis.unavailable;
  const present = (v: unknown, fallback: SectionStatus): SectionStatus =>
    v === null || v === undefined ? fallback : { available: true };

  const slab = diagnosis.slab ? slabReport(diagnosis.slab, top) : null;
  const fragmentation = diagnosis.fragmentation
    ? fragmentationReport(diagnosis.fragmentation, parsed.pageSize)
    : null;
  const vmstat =
    parsed.vmstat.kind === 'ok' ? Object.fromEntries(parsed.vmstat.value.counters) : null;
  const tunables = parsed.tunables.kind === 'ok' ? parsed.tunables.value : null;
  return {
    schemaVersion: 1,
    source: {
      kind: source.kind,
      path: source.kind === 'root' ? source.dir : source.kind === 'bundle' ? source.path : null,
    },
    collectedAt: parsed.collectedAt?.toISOString() ?? null,
    kernelRelease: parsed.kernelRelease ?? null,
    pageSize: parsed.pageSize,
    sections: {
      accounting: present(diagnosis.accounting, because('meminfo', u.accounting)),
      slab: present(slab, because('slabinfo', u.slab)),
      fragmentation: present(fragmentation, because('buddyinfo', u.fragmentation)),
      tunables: inputs.tunables,
      vmstat: inputs.vmstat,
    },
    inputs,
    accounting: diagnosis.accounting,
    slab,
    fragmentation,
    tunables,
    vmstat,
    findings: diagnosis.findings,
    notes: input.notes,
  };
}

function inputStatus(name: InputName, p: Parsed<unknown>, input: SnapshotInput): SectionStatus {
  if (p.kind === 'ok') return { available: true };
  if (p.kind === 'error') {
    return { available: false, reason: toInputError(p.error, input).message };
  }
  // The reader knows why a file is absent (permission denied, ps missing); the parser only
  // knows it was not in the bundle.
  const reason =
    name === 'tunables'
      ? [...input.missing].find(([path]) => path.startsWith(INPUT_FILE.tunables))?.[1]
      : input.missing.get(INPUT_FILE[name]);
  return { available: false, reason: reason ?? p.reason };
}

function toInputError(
  e: { readonly file: string; readonly line: number; readonly reason: string },
  input: SnapshotInput,
): InputError {
  return new InputError(input.displayName(e.file), e.line > 0 ? e.line : undefined, e.reason);
}

/** Every input that is not what the kernel prints: each makes the exit status 3. */
export function inputErrors(parsed: ParsedSnapshot, input: SnapshotInput): InputError[] {
  const out: InputError[] = [];
  for (const name of INPUT_NAMES) {
    const p = parsed[name];
    if (p.kind === 'error') out.push(toInputError(p.error, input));
  }
  return out;
}

function slabReport(summary: NonNullable<SnapshotDiagnosis['slab']>, top: number): SlabReport {
  const { caches, ...totals } = summary;
  let activeCacheCount = 0;
  for (const c of caches) if (c.activeObjs > 0) activeCacheCount++;
  return { ...totals, activeCacheCount, caches: caches.slice(0, top) };
}

function fragmentationReport(
  f: NonNullable<SnapshotDiagnosis['fragmentation']>,
  pageSize: number,
): FragmentationReport {
  return {
    zones: f.zones.map((z) => ({
      node: z.node,
      zone: z.zone,
      subject: z.subject,
      freePages: z.freePages,
      freeBytes: z.freePages * pageSize,
      freeBlocks: z.freeBlocks,
      highestFreeOrder: z.highestFreeOrder,
      // The analysis keeps integer thousandths, as the kernel computes them; users read 0.035.
      unusableIndex: z.orders.map((o) => o.unusableFreeIndex / 1000),
      fragmentationIndex: z.orders.map((o) => o.fragmentationIndex / 1000),
    })),
    compaction: f.compaction,
  };
}
