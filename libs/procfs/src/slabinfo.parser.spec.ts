import {
  allFixtures,
  errorOf,
  okValue,
  readFixture,
  readTimeline,
  timelineSnapshots,
} from '../testing/fixtures';
import { parseSlabinfo } from './slabinfo.parser';
import type { SlabCache, Slabinfo } from './types';

const slab = (name: string): Slabinfo =>
  okValue(parseSlabinfo(readFixture('slabinfo', name), name));
const cache = (s: Slabinfo, name: string): SlabCache => {
  const c = s.caches.find((x) => x.name === name);
  if (!c) throw new Error(`no cache ${name}`);
  return c;
};
const HEADER =
  'slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n';

describe('parseSlabinfo on every real capture', () => {
  it.each(allFixtures('slabinfo').filter(([n]) => !n.includes('EMPTY')))(
    'parses %s',
    (name, text) => {
      const s = okValue(parseSlabinfo(text, name));
      const lines = text
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.startsWith('slabinfo') && !l.startsWith('#'));
      expect(s.caches).toHaveLength(lines.length);
      expect(s.caches.every((c) => c.name.length > 0 && !/\s/.test(c.name))).toBe(true);
    },
  );

  it.each(timelineSnapshots())('parses timeline snapshot %s without anomalies', (snap) => {
    const s = okValue(parseSlabinfo(readTimeline(snap, 'slabinfo')));
    expect(s.caches.length).toBeGreaterThan(200);
    expect(s.anomalies).toEqual([]);
  });
});

describe('parseSlabinfo: values asserted by upstream projects', () => {
  it('matches prometheus/procfs: 300 caches, pid_3 first', () => {
    const s = slab('procfs-ttar-300-slabs-slub-nvidia.txt');
    expect(s.version).toBe('2.1');
    expect(s.caches).toHaveLength(300);
    expect(s.caches[0]).toEqual({
      name: 'pid_3',
      activeObjs: 375,
      numObjs: 532,
      objSize: 576,
      objPerSlab: 28,
      pagesPerSlab: 4,
      limit: 0,
      batchCount: 0,
      sharedFactor: 0,
      activeSlabs: 19,
      numSlabs: 19,
      sharedAvail: 0,
    });
    expect(cache(s, 'nvidia_p2p_page_cache').objSize).toBe(368);
  });

  it.each([
    ['tw_sock_TCP', 704, 864, 256, 32, 2],
    ['dmaengine-unmap-128', 1206, 1320, 1088, 30, 8],
    ['kmalloc-8192', 132, 148, 8192, 4, 8],
    ['kmem_cache', 320, 320, 256, 32, 2],
  ])('matches node_exporter for %s', (name, active, num, size, perSlab, pages) => {
    expect(cache(slab('node-exporter-excerpt-4-slabs.txt'), name)).toMatchObject({
      activeObjs: active,
      numObjs: num,
      objSize: size,
      objPerSlab: perSlab,
      pagesPerSlab: pages,
    });
  });

  it('matches telegraf sizes (num_objs x objsize) on an excerpt without a final newline', () => {
    const s = slab('telegraf-excerpt-kmalloc-no-eol.txt');
    const size = Object.fromEntries(
      s.caches.map((c) => [c.name.replace(/-/g, '_'), c.numObjs * c.objSize]),
    );
    expect(size).toEqual({
      ext4_allocation_context: 16384,
      ext4_extent_status: 8160,
      ext4_free_data: 0,
      ext4_inode_cache: 491520,
      ext4_io_end: 4032,
      ext4_xattr: 0,
      kmalloc_1024: 239927296,
      kmalloc_128: 5586944,
      kmalloc_16: 17002496,
      kmalloc_192: 4015872,
      kmalloc_2048: 3309568,
      kmalloc_256: 5423104,
      kmalloc_32: 3657728,
      kmalloc_4096: 2359296,
      kmalloc_512: 41435136,
      kmalloc_64: 8536064,
      kmalloc_8: 229376,
      kmalloc_8192: 1048576,
      kmalloc_96: 12378240,
      kmem_cache: 81920,
      kmem_cache_node: 36864,
    });
    expect(cache(s, 'kmalloc-16').activeObjs).toBe(885605);
  });

  it('matches insights-core, reads names that run into numbers, and flags the upstream-edited line', () => {
    const s = slab('insights-core-rhel7-xfs-2-lines-edited.txt');
    expect(s.version).toBe('2.1');
    expect(s.caches).toHaveLength(103);
    expect(cache(s, 'kcopyd_job').objSize).toBe(3312);
    expect(cache(s, 'kmalloc-16').objSize).toBe(16);
    expect(cache(s, 'fsnotify_mark_connector')).toMatchObject({
      activeObjs: 136680,
      numObjs: 136680,
      objSize: 24,
    });
    expect(cache(s, 'nf_conntrack_ffffffffaf313a40')).toMatchObject({
      limit: 10,
      batchCount: 20,
      sharedFactor: 30,
      activeSlabs: 40,
      numSlabs: 50,
      sharedAvail: 60,
    });
    // Kept, not rejected: the line is impossible (active > total) but the other 102 are good.
    expect(cache(s, 'kmem_cache')).toMatchObject({ activeObjs: 112, numObjs: 111 });
    expect(s.anomalies).toEqual([
      { line: 105, name: 'kmem_cache', reason: 'active_objs 112 > num_objs 111' },
    ]);
  });

  it.each([
    ['buffer_head', 6365463, 6365463, 104, 163217, 163217, 39, 1],
    ['dentry', 540173, 540456, 192, 12868, 12868, 42, 2],
    ['inode_cache', 35310, 35310, 592, 642, 642, 55, 8],
    ['kmalloc-64', 729033, 730816, 64, 11419, 11419, 64, 1],
    ['xfs_inode', 317289, 317370, 1088, 10579, 10579, 30, 8],
  ])(
    'matches PCP qa/821 for %s on the 128 GB host',
    (name, active, num, size, aSlabs, nSlabs, perSlab, pages) => {
      expect(cache(slab('pcp-meminfo-root-002-xeon-e5-2690-128g-2node.txt'), name)).toMatchObject({
        activeObjs: active,
        numObjs: num,
        objSize: size,
        activeSlabs: aSlabs,
        numSlabs: nSlabs,
        objPerSlab: perSlab,
        pagesPerSlab: pages,
      });
    },
  );
});

describe('parseSlabinfo: format edge cases', () => {
  it('reads version 2.0: labels say <batchcount> <limit> but values are limit then batchcount', () => {
    const s = slab('lkml-2004-heskett-2.6.8-rc4-v2.0-huge-dentry-ext3-inode.txt');
    expect(s.version).toBe('2.0');
    expect(cache(s, 'unix_sock')).toMatchObject({ limit: 54, batchCount: 27, sharedFactor: 0 });
    expect(cache(s, 'biovec-(256)')).toMatchObject({
      activeObjs: 256,
      objSize: 3072,
      limit: 24,
      batchCount: 12,
    });
    expect(cache(s, 'dentry_cache')).toMatchObject({ activeObjs: 1061172, numSlabs: 37899 });
  });

  it('reads SLAB on 2.6.30: non-zero sharedavail, 7-digit objsize, size-N(DMA) names out of order', () => {
    const s = slab('lkml-2009-piszcz-2.6.30.1-slab-rsync-xfs.txt');
    expect(cache(s, 'xfs_inode')).toMatchObject({
      activeObjs: 191742,
      numObjs: 193644,
      sharedFactor: 8,
      sharedAvail: 172,
    });
    expect(cache(s, 'size-4194304(DMA)')).toMatchObject({
      objSize: 4194304,
      objPerSlab: 1,
      pagesPerSlab: 1024,
    });
    expect(cache(s, 'size-64(DMA)').objSize).toBe(64);
    expect(cache(s, 'buffer_head').activeObjs).toBe(1086394);
  });

  it('reads the 6-digit objsize of size-131072 on 2.6.16', () => {
    expect(cache(slab('d2000-arm720t-2.6.16-slab-size-N.txt'), 'size-131072')).toMatchObject({
      objSize: 131072,
      objPerSlab: 1,
      pagesPerSlab: 32,
    });
  });

  it('reads the 7-digit kmalloc-64 counts of the 2010 SUnreclaim leak', () => {
    expect(cache(slab('linux-mm-2010-webb-slub-kmalloc64-leak.txt'), 'kmalloc-64')).toMatchObject({
      activeObjs: 7030122,
      numObjs: 7455232,
      activeSlabs: 116488,
    });
  });

  it('reads uppercase names and a name that fills its column', () => {
    expect(cache(slab('insights-core-rhel7-xfs-2-lines-edited.txt'), 'TCPv6')).toMatchObject({
      activeObjs: 15,
      objSize: 2112,
    });
    expect(
      cache(slab('procfs-ttar-300-slabs-slub-nvidia.txt'), 'nvidia_p2p_page_cache'),
    ).toMatchObject({ activeObjs: 0, objPerSlab: 22 });
  });

  it('rejects the HarmonyOS "version: 2.0" layout (five slabdata columns) instead of misreading it', () => {
    const text =
      'slabinfo - version: 2.0\n#name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : slabdata <active_slabs> <num_slabs> <sharedavail> <a> <b>\n' +
      'kmalloc-64 10 64 64 64 1 : slabdata 1 1 0 0 0\n';
    expect(errorOf(parseSlabinfo(text)).line).toBe(3);
  });

  it.each([
    ['an empty read', ''],
    ['only whitespace', ' \n\t\n'],
    ['only NULs', '\0\0\0'],
  ])('reports %s as unavailable: slabinfo is root-only', (_why, text) => {
    expect(parseSlabinfo(text)).toEqual({
      kind: 'unavailable',
      reason: 'empty: /proc/slabinfo is root-only (mode 0400); read it as root or with sudo',
    });
  });

  it('leaves tunables and slabdata absent when a line has no such group', () => {
    const s = okValue(parseSlabinfo(`${HEADER}foo 1 2 3 4 5\nbar 1 2 3 4 5 : slabdata 1 1 0\n`));
    expect(s.caches[0]).toEqual({
      name: 'foo',
      activeObjs: 1,
      numObjs: 2,
      objSize: 3,
      objPerSlab: 4,
      pagesPerSlab: 5,
    });
    expect(s.caches[0]?.limit).toBeUndefined();
    expect(s.caches[1]).toMatchObject({ activeSlabs: 1, numSlabs: 1, sharedAvail: 0 });
    expect(s.caches[1]?.batchCount).toBeUndefined();
  });

  it('reads 2.1 (statistics) lines and skips their globalstat and cpustat groups', () => {
    const text =
      'slabinfo - version: 2.1 (statistics)\n' +
      'size-64 10 59 64 59 1 : tunables 120 60 8 : slabdata 1 1 0 : globalstat 100 59 1 0 0 0 0 0 0 : cpustat 90 10 80 0\n';
    const s = okValue(parseSlabinfo(text));
    expect(s.version).toBe('2.1 (statistics)');
    expect(s.caches[0]).toMatchObject({ name: 'size-64', limit: 120, batchCount: 60, numSlabs: 1 });
  });

  it('takes a name containing a blank as everything before the last five numbers', () => {
    const s = okValue(
      parseSlabinfo(`${HEADER}my cache 7 8 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n`),
    );
    expect(s.caches[0]).toMatchObject({ name: 'my cache', activeObjs: 7, numObjs: 8 });
  });

  it('flags active_slabs > num_slabs and more objects than the slabs can hold', () => {
    const s = okValue(parseSlabinfo(`${HEADER}x 1 100 8 10 1 : tunables 0 0 0 : slabdata 5 4 0\n`));
    expect(s.anomalies?.map((a) => a.reason)).toEqual([
      'active_slabs 5 > num_slabs 4',
      'num_objs 100 > num_slabs 4 x objperslab 10',
    ]);
  });

  it.each([
    ['an unsupported version', 'slabinfo - version: 1.1\nfoo 1 2 3 4 5\n', 1, /version 1.1/],
    ['no version header', 'foo 1 2 3 4 5\n', 1, /slabinfo - version/],
    ['four numbers', `${HEADER}foo 1 2 3 4 : tunables 0 0 0\n`, 3, /five numbers/],
    ['a short group', `${HEADER}foo 1 2 3 4 5 : slabdata 1 1\n`, 3, /five numbers|groups of three/],
    ['text in a number', `${HEADER}ok 1 2 3 4 5\nfoo 1 2x 3 4 5\n`, 4, /./],
  ])('rejects %s, naming the line', (_why, text, line, reason) => {
    const e = errorOf(parseSlabinfo(text, '/proc/slabinfo'));
    expect(e.file).toBe('/proc/slabinfo');
    expect(e.line).toBe(line);
    expect(e.reason).toMatch(reason);
  });
});
