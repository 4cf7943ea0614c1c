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

// shmem, hugetlbfs and mqueue inodes live as long as their files: no SLAB_RECLAIM_ACCOUNT.
const PINNED_INODES = /^(shmem|hugetlbfs|mqueue)_inode_cache$/;

const RECLAIMABLE: readonly RegExp[] = [
  /^dentry(_cache)?$/,
  /(^|_)inode_cache$/,
  /^(xfs|btrfs|fuse|ovl|f2fs)_inode$/,
  /^buffer_head$/,
  /^radix_tree_node$/,
  /^kmalloc-rcl-/,
  /^ext4_extent_status$/,
  /^mbcache$/,
];

const UNRECLAIMABLE: readonly RegExp[] = [
  /^(dma-)?kmalloc-/,
  /^size-\d+(\(DMA\))?$/,
  /^(task_struct|mm_struct|vm_area_struct|anon_vma|anon_vma_chain|filp|files_cache|fs_cache)$/,
  /^(signal_cache|sighand_cache|cred_jar|pid|kmem_cache|kmem_cache_node|names_cache)$/,
  /^skbuff_/,
];

export function classifyCacheByName(name: string): CacheReclaimClass {
  if (PINNED_INODES.test(name)) return 'unreclaimable';
  if (RECLAIMABLE.some((re) => re.test(name))) return 'reclaimable';
  if (UNRECLAIMABLE.some((re) => re.test(name))) return 'unreclaimable';
  return 'unknown';
}
