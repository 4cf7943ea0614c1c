import type { SnapshotBundle } from '@memfleet/procfs';
import { COMMAND_SECTIONS, SECTION_ORDER } from './command';
import type { SplitSection } from './split-output';

export interface BundleResult {
  readonly bundle: SnapshotBundle;
  /** Section name (a /proc path, or clock/ps/pagesize/kernel) -> why it is absent from the bundle. */
  readonly sectionErrors: Record<string, string>;
}

export type ToBundleResult =
  ({ readonly ok: true } & BundleResult) | { readonly ok: false; readonly reason: string };

/**
 * Turns split sections into the snapshot bundle. A section whose command failed (permission
 * denied, sudo wants a password, a tunable this kernel lacks) is left out of the bundle and named
 * in sectionErrors: the rest of the snapshot is still good. A section missing from the output is
 * different: the fixed command always prints every one, so the output is not trustworthy.
 */
export function toBundle(sections: ReadonlyMap<string, SplitSection>): ToBundleResult {
  const missing = SECTION_ORDER.filter((n) => !sections.has(n));
  if (missing.length > 0) return { ok: false, reason: `sections missing: ${missing.join(', ')}` };
  const unknown = [...sections.keys()].filter((n) => !SECTION_ORDER.includes(n));
  if (unknown.length > 0) return { ok: false, reason: `unknown sections: ${unknown.join(', ')}` };

  const sectionErrors: Record<string, string> = {};
  const good = (name: string): string | undefined => {
    const s = sections.get(name);
    if (!s) return undefined;
    if (s.status === 0) return s.content;
    sectionErrors[name] = `exit status ${s.status}${s.reason ? `: ${s.reason}` : ''}`;
    return undefined;
  };

  const files: Record<string, string> = {};
  for (const name of SECTION_ORDER) {
    if (!name.startsWith('/proc/')) continue;
    const content = good(name);
    if (content !== undefined) files[name] = content;
  }

  const bundle: {
    -readonly [K in keyof SnapshotBundle]: SnapshotBundle[K];
  } = { files };
  const ps = good(COMMAND_SECTIONS.ps);
  if (ps !== undefined) bundle.ps = ps;

  const pageSizeText = good(COMMAND_SECTIONS.pageSize);
  if (pageSizeText !== undefined) {
    const n = Number(pageSizeText.trim());
    if (Number.isInteger(n) && n >= 1024 && n <= 1 << 20 && (n & (n - 1)) === 0)
      bundle.pageSize = n;
    else sectionErrors[COMMAND_SECTIONS.pageSize] = 'not a power-of-two page size';
  }

  const release = good(COMMAND_SECTIONS.kernelRelease)?.trim();
  if (release !== undefined) {
    if (release.length > 0 && release.length <= 256) bundle.kernelRelease = release;
    else sectionErrors[COMMAND_SECTIONS.kernelRelease] = 'empty or overlong kernel release';
  }

  const clock = good(COMMAND_SECTIONS.clock);
  if (clock !== undefined) {
    const at = parseClock(clock);
    if (at) bundle.collectedAt = at;
    else sectionErrors[COMMAND_SECTIONS.clock] = 'unreadable host clock';
  }
  return { ok: true, bundle, sectionErrors };
}

/** `date +%s.%N` output. busybox without %N prints a literal `N`: seconds alone are enough. */
export function parseClock(text: string): string | undefined {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,9}))?/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * 1000 + Math.floor(Number(`0.${m[2] ?? '0'}`) * 1000);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
