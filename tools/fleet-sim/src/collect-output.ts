import {
  COMMAND_SECTIONS,
  ROOT_ONLY_FILES,
  SECTION_ORDER,
  encodeCollectOutput,
  type EncodedSection,
} from '@memfleet/collector';
import type { TunableName } from '@memfleet/procfs';
import type { BaseSnapshot } from './base-snapshot';
import { renderFiles } from './render';
import type { ScenarioState } from './scenario';

/** A stock kernel's vm.* defaults (24 GiB guest). */
const TUNABLES: Record<TunableName, number> = {
  vfs_cache_pressure: 100,
  min_free_kbytes: 67584,
  swappiness: 60,
  overcommit_memory: 0,
  overcommit_ratio: 50,
  watermark_scale_factor: 10,
  zone_reclaim_mode: 0,
  compaction_proactiveness: 20,
  extfrag_threshold: 500,
};
const BOOT_UPTIME_S = 86_400;
export const SIM_KERNEL_RELEASE = '6.18.0-memfleet-sim';

export interface RenderOptions {
  readonly nonce: string;
  /** Virtual seconds since the host started. */
  readonly t: number;
  /** Wall clock (ms) the host reports as its time. */
  readonly now: number;
  /** Set when reading the root-only files fails (no sudo, or sudo wants a password). */
  readonly rootRead?: { readonly status: number; readonly reason: string };
}

/**
 * The exact bytes the collection command prints on a real host in this state, in the command's
 * own section order, through the collector's own encoder.
 */
export function renderCollectOutput(
  base: BaseSnapshot,
  st: ScenarioState,
  o: RenderOptions,
): Buffer {
  const files = renderFiles(base, st, o.t);
  const uptime = BOOT_UPTIME_S + o.t;
  const secs = Math.floor(o.now / 1000);
  const nanos = String((o.now % 1000) * 1_000_000).padStart(9, '0');
  const content: Record<string, string> = {
    [COMMAND_SECTIONS.clock]: `${secs}.${nanos}\n`,
    '/proc/uptime': `${uptime.toFixed(2)} ${(uptime * 1.9).toFixed(2)}\n`,
    '/proc/meminfo': files.meminfo,
    '/proc/slabinfo': files.slabinfo,
    '/proc/buddyinfo': files.buddyinfo,
    '/proc/zoneinfo': files.zoneinfo,
    '/proc/pagetypeinfo': files.pagetypeinfo,
    '/proc/vmstat': files.vmstat,
    [COMMAND_SECTIONS.ps]: base.ps,
    [COMMAND_SECTIONS.pageSize]: `${base.pageSize}\n`,
    [COMMAND_SECTIONS.kernelRelease]: `${SIM_KERNEL_RELEASE}\n`,
  };
  for (const [name, value] of Object.entries(TUNABLES))
    content[`/proc/sys/vm/${name}`] = `${value}\n`;

  const sections: EncodedSection[] = SECTION_ORDER.map((name) => {
    if (o.rootRead && (ROOT_ONLY_FILES as readonly string[]).includes(name)) {
      const reason = o.rootRead.reason.startsWith('sudo:')
        ? o.rootRead.reason
        : `cat: ${name}: ${o.rootRead.reason}`;
      return { name, status: o.rootRead.status, reason, content: '' };
    }
    return { name, status: 0, content: content[name] ?? '' };
  });
  return encodeCollectOutput(o.nonce, sections);
}
