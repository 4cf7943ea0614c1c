/**
 * Whether a slab cache is reclaimable, guessed from its name. /proc/slabinfo does not say: the
 * kernel knows it per cache (SLAB_RECLAIM_ACCOUNT, set by the code that creates the cache) and
 * only reports the totals (meminfo SReclaimable / SUnreclaim). So this is a heuristic, always
 * labelled "by name", built from the caches that set the flag in mainline:
 *   - fs/dcache.c "dentry" (and 2.6-era "dentry_cache"); the inode caches of filesystems
 *     (`*_inode_cache`, `xfs_inode`, `inode_cache`, `sock_inode_cache`, ...) except shmem,
 *     hugetlbfs and mqueue inodes;
 *   - fs/buffer.c "buffer_head"; lib/radix-tree.c "radix_tree_node";
 *   - mm/slab_common.c `kmalloc-rcl-*` (KMALLOC_RECLAIM);
 *   - ext4's "ext4_extent_status" and "mbcache" (both shrinker-backed).
 * and those that do not: the generic `kmalloc-*`, `kmalloc-cg-*`, `dma-kmalloc-*`, SLAB's
 * `size-N`, and objects that live as long as their owner (tasks, mms, VMAs, open files, ...).
 * Anything else is "unknown", not a guess.
 */
export type CacheReclaimClass = 'reclaimable' | 'unreclaimable' | 'unknown';

/**
 * Whole names with a fixed class. shmem, hugetlbfs and mqueue inodes live as long as their files:
 * no SLAB_RECLAIM_ACCOUNT, so they are unreclaimable whatever the `inode_cache` rule says below.
 * No name here matches a reclaimable pattern below, so looking it up first changes no answer.
 */
const FIXED: readonly (readonly [string, CacheReclaimClass])[] = [
  ...['shmem', 'hugetlbfs', 'mqueue'].map((fs): [string, CacheReclaimClass] => [
    `${fs}_inode_cache`,
    'unreclaimable',
  ]),
  ...[
    'dentry',
    'dentry_cache',
    ...['xfs', 'btrfs', 'fuse', 'ovl', 'f2fs'].map((fs) => `${fs}_inode`),
    'buffer_head',
    'radix_tree_node',
    'ext4_extent_status',
    'mbcache',
  ].map((n): [string, CacheReclaimClass] => [n, 'reclaimable']),
  ...[
    'task_struct',
    'mm_struct',
    'vm_area_struct',
    'anon_vma',
    'anon_vma_chain',
    'filp',
    'files_cache',
    'fs_cache',
    'signal_cache',
    'sighand_cache',
    'cred_jar',
    'pid',
    'kmem_cache',
    'kmem_cache_node',
    'names_cache',
  ].map((n): [string, CacheReclaimClass] => [n, 'unreclaimable']),
];

/**
 * FIXED by name length, flattened as [name, class, name, class, ...]: a cache name is a fresh
 * string in every snapshot, so a Map lookup would hash it first; comparing with the one to three
 * names of the same length is cheaper.
 */
const FIXED_BY_LENGTH: (readonly string[] | undefined)[] = [];
for (const [name, cls] of FIXED) {
  FIXED_BY_LENGTH[name.length] = [...(FIXED_BY_LENGTH[name.length] ?? []), name, cls];
}

const SIZE_N = /^size-\d+(\(DMA\))?$/;
const INODE_CACHE = 'inode_cache';

/**
 * Runs for every cache of every snapshot (250+ names), so prefixes and suffixes are compared
 * directly rather than with a dozen regexes per name; slab-classify.spec checks it against the
 * regex form of the same rules.
 */
export function classifyCacheByName(name: string): CacheReclaimClass {
  const n = name.length;
  const fixed = n < FIXED_BY_LENGTH.length ? FIXED_BY_LENGTH[n] : undefined;
  if (fixed !== undefined) {
    for (let i = 0; i < fixed.length; i += 2) {
      if (fixed[i] === name) return fixed[i + 1] as CacheReclaimClass;
    }
  }
  // (^|_)inode_cache$: `inode_cache` itself or any `<fs>_inode_cache`.
  if (
    n >= INODE_CACHE.length &&
    name.charCodeAt(n - 1) === 101 && // 'e'
    name.endsWith(INODE_CACHE) &&
    (n === INODE_CACHE.length || name.charCodeAt(n - 12) === 95) // '_'
  ) {
    return 'reclaimable';
  }
  switch (name.charCodeAt(0)) {
    case 107: // 'k'
      if (name.startsWith('kmalloc-'))
        return name.startsWith('rcl-', 8) ? 'reclaimable' : 'unreclaimable';
      break;
    case 100: // 'd'
      if (name.startsWith('dma-kmalloc-')) return 'unreclaimable';
      break;
    case 115: // 's'
      if (name.startsWith('skbuff_')) return 'unreclaimable';
      if (name.startsWith('size-') && SIZE_N.test(name)) return 'unreclaimable';
      break;
  }
  return 'unknown';
}
