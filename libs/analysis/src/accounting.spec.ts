import { computeAccounting, NO_PS_NOTE } from './accounting';
import { meminfoFromKb, processesFromKb } from './test-helpers';

const KiB = 1024;

const modern = {
  MemTotal: 1_000_000,
  MemFree: 200_000,
  MemAvailable: 600_000,
  Buffers: 10_000,
  Cached: 300_000,
  Shmem: 20_000,
  Slab: 150_000,
  SReclaimable: 100_000,
  SUnreclaim: 50_000,
  KernelStack: 5_000,
  PageTables: 7_000,
  SecPageTables: 1_000,
  VmallocUsed: 4_000,
  Percpu: 3_000,
  HugePages_Total: 10,
  Hugepagesize: 2048,
};

describe('computeAccounting: the free -w columns', () => {
  it('computes used as MemTotal - MemAvailable and cache as Cached + SReclaimable', () => {
    const a = computeAccounting(meminfoFromKb(modern));
    expect(a).not.toBeNull();
    expect(a!.totalBytes).toBe(1_000_000 * KiB);
    expect(a!.usedBytes).toBe(400_000 * KiB);
    expect(a!.freeBytes).toBe(200_000 * KiB);
    expect(a!.sharedBytes).toBe(20_000 * KiB);
    expect(a!.buffersBytes).toBe(10_000 * KiB);
    expect(a!.cacheBytes).toBe(400_000 * KiB);
    expect(a!.availableBytes).toBe(600_000 * KiB);
    expect(a!.availableSource).toBe('MemAvailable');
  });

  it('falls back to MemFree for available when MemAvailable is absent, as procps does', () => {
    const { MemAvailable: _drop, ...old } = modern;
    const a = computeAccounting(meminfoFromKb(old))!;
    expect(a.availableBytes).toBe(200_000 * KiB);
    expect(a.usedBytes).toBe(800_000 * KiB);
    expect(a.availableSource).toBe('MemFree');
    expect(a.gap.basis).toBe('MemTotal - MemFree');
  });

  it('treats MemAvailable 0 like an absent line (procps cannot tell them apart)', () => {
    const a = computeAccounting(meminfoFromKb({ ...modern, MemAvailable: 0 }))!;
    expect(a.availableBytes).toBe(200_000 * KiB);
  });

  it('replaces an available larger than total with MemFree (the lxc clamp)', () => {
    const a = computeAccounting(meminfoFromKb({ ...modern, MemAvailable: 2_000_000 }))!;
    expect(a.availableBytes).toBe(200_000 * KiB);
    expect(a.usedBytes).toBe(800_000 * KiB);
  });

  it('reports shared as unknown, not 0, when the kernel has no Shmem line', () => {
    const { Shmem: _drop, ...noShmem } = modern;
    expect(computeAccounting(meminfoFromKb(noShmem))!.sharedBytes).toBeNull();
  });

  it('computes the procps 3.2 used that counts slab as used', () => {
    const a = computeAccounting(meminfoFromKb(modern))!;
    expect(a.legacyUsedBytes).toBe((1_000_000 - 200_000 - 10_000 - 300_000) * KiB);
  });

  it('returns null without MemTotal', () => {
    expect(computeAccounting(meminfoFromKb({ MemFree: 5 }))).toBeNull();
  });
});

describe('computeAccounting: the gap between used and processes', () => {
  it('subtracts process RSS and kernel counters from used', () => {
    const a = computeAccounting(meminfoFromKb(modern), processesFromKb([100_000, 50_000, 0]))!;
    expect(a.processRssBytes).toBe(150_000 * KiB);
    expect(a.processCount).toBe(3);
    const g = a.gap;
    expect(g.slabReclaimableBytes).toBe(0);
    expect(g.slabUnreclaimableBytes).toBe(50_000 * KiB);
    expect(g.pageTablesBytes).toBe(8_000 * KiB);
    expect(g.hugetlbBytes).toBe(10 * 2048 * KiB);
    expect(g.fileCacheBytes).toBe(0);
    const explainedKb = 150_000 + 50_000 + 20_000 + 5_000 + 8_000 + 4_000 + 3_000 + 20_480;
    expect(g.unexplainedBytes).toBe((400_000 - explainedKb) * KiB);
  });

  it('prefers the Hugetlb line, which also counts 1 GiB pages', () => {
    const a = computeAccounting(meminfoFromKb({ ...modern, Hugetlb: 1_048_576 + 20_480 }))!;
    expect(a.gap.hugetlbBytes).toBe((1_048_576 + 20_480) * KiB);
  });

  it('puts all slab and page cache inside used when MemAvailable is absent', () => {
    const { MemAvailable: _drop, ...old } = modern;
    const g = computeAccounting(meminfoFromKb(old), processesFromKb([0]))!.gap;
    expect(g.slabReclaimableBytes).toBe(100_000 * KiB);
    expect(g.fileCacheBytes).toBe((10_000 + 300_000 - 20_000) * KiB);
  });

  it('subtracts the unsplit Slab on kernels without SReclaimable/SUnreclaim', () => {
    const a = computeAccounting(
      meminfoFromKb({ MemTotal: 1000, MemFree: 100, Buffers: 0, Cached: 0, Slab: 700 }),
      processesFromKb([50]),
    )!;
    expect(a.gap.slabUnreclaimableBytes).toBeNull();
    expect(a.gap.unexplainedBytes).toBe((900 - 700 - 50) * KiB);
  });

  it('leaves the remainder unknown without a process list', () => {
    const a = computeAccounting(meminfoFromKb(modern))!;
    expect(a.processRssBytes).toBeNull();
    expect(a.gap.unexplainedBytes).toBeNull();
    expect(a.rssNote).toBe(NO_PS_NOTE);
  });

  it('says so when the RSS sum overstates and the remainder goes negative', () => {
    const a = computeAccounting(meminfoFromKb(modern), processesFromKb([900_000]))!;
    expect(a.gap.unexplainedBytes).toBeLessThan(0);
    expect(a.gap.notes.join(' ')).toMatch(/negative/);
  });
});
