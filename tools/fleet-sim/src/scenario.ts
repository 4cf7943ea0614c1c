/**
 * What each scenario does to a host's kernel memory, as pure functions of virtual time (seconds
 * since the host started, already multiplied by timeScale). Pure so the same t always renders the
 * same numbers, and so the curves can be unit tested without a server.
 */
export const SCENARIOS = [
  'healthy',
  'rsync',
  'leak',
  'fragmenting',
  'flaky',
  'hanging',
  'flooding',
  'garbage',
  'hostkey-change',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s);
}

/** Virtual-time constants: with timeScale 60, an rsync cycle plays out in one real minute. */
export const SCENARIO_TIMING = {
  /** rsync: one cycle = growth, plateau, then `echo 2 > drop_caches` at the end. */
  rsyncPeriodS: 3600,
  /** Fraction of the cycle spent growing before the plateau. */
  rsyncGrowthShare: 0.7,
  rsyncDentryGrowth: 1_500_000,
  rsyncInodeGrowth: 500_000,
  /** What survives a drop: dentries mostly go, inodes pinned by page cache mostly stay. */
  rsyncDentryKeep: 0.02,
  rsyncInodeKeep: 0.3,
  /** leak: objects per virtual second added to the leaking cache (128 B each ~ 92 MB/h). */
  leakObjsPerS: 200,
  leakCache: 'kmalloc-128',
  /** fragmenting: high orders decay as exp(-t/tau); stalls every stallEveryS. */
  fragmentTauS: 1800,
  compactStallEveryS: 30,
  compactFailShare: 0.85,
} as const;

export interface ScenarioState {
  /** Slab cache name -> object count, for caches the scenario changes. */
  readonly slabObjs: ReadonlyMap<string, number>;
  /** vmstat drop_slab increments since the base capture. */
  readonly dropSlab: number;
  readonly compactStall: number;
  readonly compactFail: number;
  /** 0..1: share of high-order (>= 4) free blocks split into low orders. */
  readonly fragmentation: number;
}

/** A small deterministic wobble so healthy hosts are not flat lines and hosts differ. */
function wobble(t: number, seed: number, periodS: number): number {
  return Math.sin((2 * Math.PI * t) / periodS + seed);
}

export function scenarioState(
  scenario: ScenarioName,
  t: number,
  seed: number,
  base: (cache: string) => number,
): ScenarioState {
  const T = SCENARIO_TIMING;
  const slabObjs = new Map<string, number>();
  const dentry0 = base('dentry');
  slabObjs.set('dentry', Math.round(dentry0 * (1 + 0.02 * wobble(t, seed, 600))));
  let dropSlab = 0;
  let compactStall = 0;
  let compactFail = 0;
  let fragmentation = 0;

  if (scenario === 'rsync') {
    const cycle = Math.floor(t / T.rsyncPeriodS);
    const phase = (t - cycle * T.rsyncPeriodS) / T.rsyncPeriodS;
    const grown = Math.min(1, phase / T.rsyncGrowthShare);
    const inode0 = base('ext4_inode_cache');
    const peakD = dentry0 + T.rsyncDentryGrowth;
    const peakI = inode0 + T.rsyncInodeGrowth;
    const fromD = cycle === 0 ? dentry0 : peakD * T.rsyncDentryKeep;
    const fromI = cycle === 0 ? inode0 : peakI * T.rsyncInodeKeep;
    slabObjs.set('dentry', Math.round(fromD + (peakD - fromD) * grown));
    slabObjs.set('ext4_inode_cache', Math.round(fromI + (peakI - fromI) * grown));
    dropSlab = cycle;
  } else if (scenario === 'leak') {
    slabObjs.set(T.leakCache, Math.round(base(T.leakCache) + T.leakObjsPerS * t));
  } else if (scenario === 'fragmenting') {
    fragmentation = 1 - Math.exp(-t / T.fragmentTauS);
    compactStall = Math.floor(t / T.compactStallEveryS);
    compactFail = Math.floor(compactStall * T.compactFailShare);
  }
  return { slabObjs, dropSlab, compactStall, compactFail, fragmentation };
}

/** Stable 32-bit seed from a host name, so a host's wobble survives restarts. */
export function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}
