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
const BY_NAME: ReadonlyMap<string, CacheReclaimClass> = new Map<string, CacheReclaimClass>([
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
]);

const SIZE_N = /^size-\d+(\(DMA\))?$/;
const INODE_CACHE = 'inode_cache';

/**
 * Runs for every cache of every snapshot (250+ names), so prefixes and suffixes are compared
 * with startsWith/endsWith rather than a dozen regexes per name; slab.spec checks it against the
 * regex form of the same rules.
 */
export function classifyCacheByName(name: string): CacheReclaimClass {
  const fixed = BY_NAME.get(name);
  if (fixed !== undefined) return fixed;
  // (^|_)inode_cache$: `inode_cache` itself or any `<fs>_inode_cache`.
  if (
    name.endsWith(INODE_CACHE) &&
    (name.length === INODE_CACHE.length || name.charCodeAt(name.length - 12) === 95) // '_'
  ) {
    return 'reclaimable';
  }
  if (name.startsWith('kmalloc-'))
    return name.startsWith('rcl-', 8) ? 'reclaimable' : 'unreclaimable';
  if (name.startsWith('dma-kmalloc-') || name.startsWith('skbuff_')) return 'unreclaimable';
  if (name.startsWith('size-') && SIZE_N.test(name)) return 'unreclaimable';
  return 'unknown';
}
