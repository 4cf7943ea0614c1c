import type { Parsed, ParsedSnapshot } from '@memfleet/procfs';

/**
 * Sections of a parsed snapshot, in the order reasons are reported, each with the name the
 * collector uses for it in `sectionErrors`.
 */
const SECTIONS = [
  ['meminfo', '/proc/meminfo'],
  ['slabinfo', '/proc/slabinfo'],
  ['buddyinfo', '/proc/buddyinfo'],
  ['zoneinfo', '/proc/zoneinfo'],
  ['pagetypeinfo', '/proc/pagetypeinfo'],
  ['vmstat', '/proc/vmstat'],
  ['tunables', undefined],
  ['ps', 'ps'],
] as const satisfies readonly (readonly [keyof ParsedSnapshot, string | undefined])[];

export interface CollectionHealth {
  readonly state: 'ok' | 'degraded';
  /** One line per section that did not parse, e.g. `slabinfo: unavailable (Permission denied)`. */
  readonly reasons: readonly string[];
}

/** lastError is shown in lists and problem+json: keep it one readable line. */
const MAX_ERROR_CHARS = 500;

/**
 * A collection that reached the host is `ok` only when every section parsed. A section that was
 * unreadable (slabinfo without sudo) or not what the kernel prints makes it `degraded`: the
 * snapshot is still stored, because the other sections are still true. A tunable this kernel
 * lacks is not a problem: tunables are degraded only when none could be read.
 */
export function assessSnapshot(
  snapshot: ParsedSnapshot,
  sectionErrors: Readonly<Record<string, string>> = {},
): CollectionHealth {
  const reasons: string[] = [];
  for (const [name, collectorName] of SECTIONS) {
    const section = snapshot[name];
    // "not collected" says less than the collector's own reason (exit status, permission denied).
    const collectorReason = collectorName === undefined ? undefined : sectionErrors[collectorName];
    const reason =
      section.kind === 'unavailable' && collectorReason !== undefined
        ? `unreadable (${collectorReason})`
        : problemOf(section);
    if (reason !== undefined) reasons.push(`${name}: ${reason}`);
  }
  return { state: reasons.length === 0 ? 'ok' : 'degraded', reasons };
}

export function summarizeReasons(reasons: readonly string[]): string | null {
  if (reasons.length === 0) return null;
  const line = reasons.join('; ').replace(/\s+/g, ' ');
  return line.length <= MAX_ERROR_CHARS ? line : `${line.slice(0, MAX_ERROR_CHARS - 1)}…`;
}

function problemOf(section: Parsed<unknown>): string | undefined {
  switch (section.kind) {
    case 'ok':
      return undefined;
    case 'unavailable':
      return `unavailable (${section.reason})`;
    case 'error':
      return `invalid (${section.error.message})`;
  }
}
