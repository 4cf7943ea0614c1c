import type { SlabCache } from '@memfleet/procfs';
import { computeSlab, topCaches } from './slab';
import { classifyCacheByName } from './slab-classify';
import { meminfoFromKb } from './test-helpers';

const cache = (name: string, v: number[]): SlabCache => {
  const [activeObjs, numObjs, objSize, objPerSlab, pagesPerSlab, activeSlabs, numSlabs] = v as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { name, activeObjs, numObjs, objSize, objPerSlab, pagesPerSlab, activeSlabs, numSlabs };
};

// node_exporter's 4-cache excerpt; slabtop -o on it prints CACHE SIZE 1408K, 216K, 80K, 1184K and
// "Active / Total Size (% used) : 2593.38K / 2882.50K".
const excerpt = {
  version: '2.1' as const,
  caches: [
    cache('tw_sock_TCP', [704, 864, 256, 32, 2, 27, 27]),
    cache('dmaengine-unmap-128', [1206, 1320, 1088, 30, 8, 44, 44]),
    cache('kmalloc-8192', [132, 148, 8192, 4, 8, 37, 37]),
    cache('kmem_cache', [320, 320, 256, 32, 2, 10, 10]),
  ],
};

describe('computeSlab', () => {
  it('sizes caches as slabtop does: num_slabs x pages_per_slab x page size', () => {
    const s = computeSlab(excerpt, 4096);
    expect(s.caches.map((c) => [c.name, c.sizeBytes! / 1024])).toEqual([
      ['dmaengine-unmap-128', 1408],
      ['kmalloc-8192', 1184],
      ['tw_sock_TCP', 216],
      ['kmem_cache', 80],
    ]);
    expect(s.activeObjBytes / 1024).toBeCloseTo(2593.375, 10);
    expect(s.totalObjBytes / 1024).toBe(2882.5);
    expect(s.activeObjs).toBe(2362);
    expect(s.numObjs).toBe(2652);
    expect(s.sizeBytes).toBe((1408 + 1184 + 216 + 80) * 1024);
  });

  it('uses the page size it is given', () => {
    expect(computeSlab(excerpt, 65536).caches[0]!.sizeBytes).toBe(44 * 8 * 65536);
  });

  it('leaves the size unknown for a line without slabdata', () => {
    const bare: SlabCache = {
      name: 'x',
      activeObjs: 1,
      numObjs: 2,
      objSize: 64,
      objPerSlab: 64,
      pagesPerSlab: 1,
    };
    const s = computeSlab({ version: '2.1', caches: [bare] }, 4096);
    expect(s.caches[0]!.sizeBytes).toBeNull();
    expect(s.sizeBytes).toBeNull();
    expect(s.totalObjBytes).toBe(128);
  });

  it('splits sizes by name and carries the kernel totals from meminfo', () => {
    const s = computeSlab(
      {
        version: '2.1',
        caches: [
          cache('dentry', [1, 1, 192, 21, 1, 1, 10]),
          cache('kmalloc-64', [1, 1, 64, 64, 1, 1, 3]),
        ],
      },
      4096,
      meminfoFromKb({ Slab: 100, SReclaimable: 60, SUnreclaim: 40 }),
    );
    expect(s.byName).toEqual({
      classification: 'by name',
      reclaimableBytes: 10 * 4096,
      unreclaimableBytes: 3 * 4096,
      unknownBytes: 0,
    });
    expect(s.meminfo).toEqual({
      slabBytes: 102400,
      reclaimableBytes: 61440,
      unreclaimableBytes: 40960,
    });
    expect(topCaches(s, 1).map((c) => c.name)).toEqual(['dentry']);
  });
});

describe('classifyCacheByName', () => {
  it.each([
    ['dentry', 'reclaimable'],
    ['ext4_inode_cache', 'reclaimable'],
    ['xfs_inode', 'reclaimable'],
    ['buffer_head', 'reclaimable'],
    ['kmalloc-rcl-128', 'reclaimable'],
    ['kmalloc-64', 'unreclaimable'],
    ['kmalloc-cg-1k', 'unreclaimable'],
    ['size-4096(DMA)', 'unreclaimable'],
    ['shmem_inode_cache', 'unreclaimable'],
    ['nvidia_p2p_page_cache', 'unknown'],
  ])('%s is %s', (name, expected) => {
    expect(classifyCacheByName(name)).toBe(expected);
  });
});
