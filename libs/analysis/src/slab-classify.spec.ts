import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyCacheByName, type CacheReclaimClass } from './slab-classify';

// The rules as first written, one regex each, in priority order: the fast classifier must give
// the same answer for every name.
const PINNED = /^(shmem|hugetlbfs|mqueue)_inode_cache$/;
const RECLAIMABLE = [
  /^dentry(_cache)?$/,
  /(^|_)inode_cache$/,
  /^(xfs|btrfs|fuse|ovl|f2fs)_inode$/,
  /^buffer_head$/,
  /^radix_tree_node$/,
  /^kmalloc-rcl-/,
  /^ext4_extent_status$/,
  /^mbcache$/,
];
const UNRECLAIMABLE = [
  /^(dma-)?kmalloc-/,
  /^size-\d+(\(DMA\))?$/,
  /^(task_struct|mm_struct|vm_area_struct|anon_vma|anon_vma_chain|filp|files_cache|fs_cache)$/,
  /^(signal_cache|sighand_cache|cred_jar|pid|kmem_cache|kmem_cache_node|names_cache)$/,
  /^skbuff_/,
];
function byRegex(name: string): CacheReclaimClass {
  if (PINNED.test(name)) return 'unreclaimable';
  if (RECLAIMABLE.some((re) => re.test(name))) return 'reclaimable';
  if (UNRECLAIMABLE.some((re) => re.test(name))) return 'unreclaimable';
  return 'unknown';
}

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'procfs', 'slabinfo');

/** Every cache name of every slabinfo capture: the first token of each data line. */
function fixtureNames(): string[] {
  const names = new Set<string>();
  for (const f of readdirSync(FIXTURES)) {
    for (const line of readFileSync(join(FIXTURES, f), 'latin1').split('\n')) {
      const name = line.split(/\s+/)[0];
      if (name && !line.startsWith('slabinfo') && !line.startsWith('#')) names.add(name);
    }
  }
  return [...names];
}

const EDGE_CASES = [
  'inode_cache',
  '_inode_cache',
  'xinode_cache',
  'sock_inode_cache',
  'shmem_inode_cache',
  'shmem_inode_cachex',
  'xshmem_inode_cache',
  'dentry',
  'dentry_cache',
  'dentryx',
  'kmalloc-rcl-64',
  'kmalloc-rcl',
  'kmalloc-',
  'kmalloc',
  'dma-kmalloc-rcl-64',
  'dma-kmalloc-',
  'size-',
  'size-32',
  'size-32(DMA)',
  'size-32(DMA)x',
  'size-x',
  'skbuff_',
  'skbuff',
  'kmem_cache',
  'kmem_cache_node',
  'kmem_cache_nodex',
  'pid',
  'pid_2',
  'xfs_inode',
  'xfs_inodex',
  'kmalloc-foo_inode_cache',
  'skbuff_inode_cache',
  '',
  'a',
];

describe('classifyCacheByName (fast form)', () => {
  it('agrees with the regex rules on every cache name of the captures', () => {
    const names = fixtureNames();
    expect(names.length).toBeGreaterThan(200);
    const differ = names.filter((n) => classifyCacheByName(n) !== byRegex(n));
    expect(differ).toEqual([]);
  });

  it('agrees with the regex rules on prefix, suffix and near-miss names', () => {
    for (const n of EDGE_CASES) expect([n, classifyCacheByName(n)]).toEqual([n, byRegex(n)]);
  });
});
