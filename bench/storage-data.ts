import type { ParsedSnapshot, ProcessMemory, SlabCache } from '@memfleet/procfs';

/**
 * Realistic evolving snapshots for the storage bench, from the real timeline: a steady host
 * whose ~250 slab caches mostly stay put while a few dozen move a little each interval, meminfo
 * jitters, vmstat counters grow, and the top processes' RSS drift. Deterministic (seeded).
 */
export function* steadyHost(
  start: ParsedSnapshot,
  seed: number,
  t0: Date,
): Generator<ParsedSnapshot, never> {
  let rnd = seed >>> 0 || 1;
  const random = (): number => {
    rnd ^= rnd << 13;
    rnd ^= rnd >>> 17;
    rnd ^= rnd << 5;
    return (rnd >>> 0) / 2 ** 32;
  };
  const jitter = (v: number, span: number): number =>
    Math.max(0, Math.round(v + (random() - 0.5) * 2 * span));
  let cur = start;
  for (let i = 0; ; i++) {
    cur = step(cur, random, jitter, new Date(t0.getTime() + i * 60_000));
    yield cur;
  }
}

/** The real timeline over and over, 3 s apart, as a host that repeats the workload. */
export function* replayed(
  timeline: readonly ParsedSnapshot[],
  t0: Date,
): Generator<ParsedSnapshot, never> {
  for (let i = 0; ; i++) {
    yield {
      ...(timeline[i % timeline.length] as ParsedSnapshot),
      collectedAt: new Date(t0.getTime() + i * 3000),
    };
  }
}

function step(
  p: ParsedSnapshot,
  random: () => number,
  jitter: (v: number, span: number) => number,
  collectedAt: Date,
): ParsedSnapshot {
  const slabinfo: ParsedSnapshot['slabinfo'] =
    p.slabinfo.kind !== 'ok'
      ? p.slabinfo
      : {
          kind: 'ok',
          value: {
            ...p.slabinfo.value,
            caches: p.slabinfo.value.caches.map((c): SlabCache => {
              if (random() > 0.12 || c.objPerSlab === 0) return c;
              const numObjs = jitter(c.numObjs, 3 * c.objPerSlab);
              const slabs = Math.ceil(numObjs / c.objPerSlab);
              return {
                ...c,
                numObjs,
                activeObjs: Math.min(numObjs, jitter(c.activeObjs, 3 * c.objPerSlab)),
                activeSlabs: slabs,
                numSlabs: slabs,
              };
            }),
          },
        };
  const meminfo: ParsedSnapshot['meminfo'] =
    p.meminfo.kind !== 'ok'
      ? p.meminfo
      : {
          kind: 'ok',
          value: {
            ...p.meminfo.value,
            fields: Object.fromEntries(
              Object.entries(p.meminfo.value.fields).map(([k, v]) =>
                k === 'MemTotal' || random() > 0.5 ? [k, v] : [k, jitter(v / 4096, 200) * 4096],
              ),
            ),
          },
        };
  const vmstat: ParsedSnapshot['vmstat'] =
    p.vmstat.kind !== 'ok'
      ? p.vmstat
      : {
          kind: 'ok',
          value: {
            counters: new Map(
              [...p.vmstat.value.counters].map(([k, v]) => [
                k,
                random() < 0.3 ? v + BigInt(Math.floor(random() * 5000)) : v,
              ]),
            ),
          },
        };
  const ps: ParsedSnapshot['ps'] =
    p.ps.kind !== 'ok'
      ? p.ps
      : {
          kind: 'ok',
          value: {
            processes: p.ps.value.processes.map((proc): ProcessMemory =>
              random() < 0.2
                ? { ...proc, rssBytes: jitter(proc.rssBytes / 1024, 64) * 1024 }
                : proc,
            ),
          },
        };
  return { ...p, collectedAt, slabinfo, meminfo, vmstat, ps };
}
