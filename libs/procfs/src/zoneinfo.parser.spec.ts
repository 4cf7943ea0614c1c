import { allFixtures, errorOf, okValue, readFixture } from '../testing/fixtures';
import { parseZoneinfo } from './zoneinfo.parser';
import type { Zoneinfo, ZoneinfoZone } from './types';

const zi = (name: string): Zoneinfo => okValue(parseZoneinfo(readFixture('zoneinfo', name), name));
const zone = (z: Zoneinfo, name: string, node = 0): ZoneinfoZone => {
  const found = z.zones.find((x) => x.zone === name && x.node === node);
  if (!found) throw new Error(`no zone ${node}/${name}`);
  return found;
};

describe('parseZoneinfo on every real capture', () => {
  it.each(allFixtures('zoneinfo'))(
    'parses %s: one entry per Node line, watermarks on each',
    (_name, text) => {
      const z = okValue(parseZoneinfo(text));
      expect(z.zones).toHaveLength(text.match(/^Node /gm)?.length ?? -1);
      for (const x of z.zones) {
        expect(x.freePages).toBeGreaterThanOrEqual(0);
        expect(x.min).toBeDefined();
        expect(x.high).toBeGreaterThanOrEqual(x.low ?? Infinity);
        expect(x.present).toBeDefined();
      }
      // per-node stats appear exactly when the kernel printed the block (>= 4.8)
      expect(z.nodeStats).toHaveLength(text.match(/per-node stats/g)?.length ?? 0);
    },
  );
});

describe('parseZoneinfo: values asserted by prometheus/procfs (>= 4.8 layout)', () => {
  const z = zi('procfs-ttar-x86-movable-device.txt');

  it('reads zone fields and counters', () => {
    expect(z.zones).toHaveLength(5);
    expect(zone(z, 'DMA')).toMatchObject({
      freePages: 3952,
      min: 33,
      low: 41,
      high: 49,
      spanned: 4095,
      present: 3975,
      managed: 3956,
      protection: [0, 2877, 7826, 7826, 7826],
    });
    expect(zone(z, 'DMA').counters).toMatchObject({
      nr_free_pages: 3952,
      numa_hit: 1,
      numa_local: 1,
      numa_miss: 0,
      numa_foreign: 0,
      numa_interleave: 0,
      numa_other: 0,
      nr_kernel_stack: 0,
    });
    expect(zone(z, 'DMA32')).toMatchObject({
      min: 19510,
      low: 21059,
      high: 22608,
      spanned: 1044480,
      present: 759231,
      managed: 742806,
      protection: [0, 0, 4949, 4949, 4949],
    });
    expect(zone(z, 'DMA32').counters).toMatchObject({
      nr_free_pages: 204252,
      nr_kernel_stack: 2208,
      numa_hit: 113952967,
      numa_local: 113952967,
    });
    expect(zone(z, 'Normal')).toMatchObject({
      min: 11176,
      low: 13842,
      high: 16508,
      spanned: 1308160,
      present: 1308160,
      managed: 1268711,
      protection: [0, 0, 0, 0, 0],
    });
    expect(zone(z, 'Normal').counters).toMatchObject({
      nr_free_pages: 18553,
      nr_kernel_stack: 15136,
      numa_hit: 162718019,
      numa_interleave: 26812,
    });
  });

  it('keeps per-node stats out of the DMA zone and reports them for node 0', () => {
    expect(z.nodeStats).toEqual([
      {
        node: 0,
        counters: expect.objectContaining({
          nr_active_anon: 547580,
          nr_inactive_anon: 230981,
          nr_isolated_anon: 0,
          nr_anon_pages: 795576,
          nr_anon_transparent_hugepages: 0,
          nr_active_file: 346282,
          nr_inactive_file: 316904,
          nr_isolated_file: 0,
          nr_file_pages: 761874,
          nr_slab_reclaimable: 131220,
          nr_slab_unreclaimable: 47320,
          nr_mapped: 215483,
          nr_dirty: 908,
          nr_writeback: 0,
          nr_unevictable: 115467,
          nr_shmem: 224925,
          nr_dirtied: 8007423,
          nr_written: 7752121,
        }),
      },
    ]);
    expect(zone(z, 'DMA').counters.nr_active_anon).toBeUndefined();
    expect(zone(z, 'DMA').counters.nr_slab_reclaimable).toBeUndefined();
  });

  it.each(['Movable', 'Device'])(
    'reads the empty %s zone: zeros as printed, no nr_free_pages',
    (name) => {
      const e = zone(z, name);
      expect(e).toMatchObject({
        freePages: 0,
        min: 0,
        low: 0,
        high: 0,
        spanned: 0,
        present: 0,
        managed: 0,
        protection: [0, 0, 0, 0, 0],
      });
      expect(e.counters.nr_free_pages).toBeUndefined();
      expect(e.counters).toEqual({});
    },
  );
});

describe('parseZoneinfo: other layouts', () => {
  it('matches node_exporter on a capture without a final newline', () => {
    const z = zi('node-exporter-x86-30g.txt');
    expect(zone(z, 'DMA')).toMatchObject({
      min: 8,
      low: 11,
      high: 14,
      spanned: 4095,
      present: 3997,
      managed: 3973,
      protection: [0, 2039, 31932, 31932, 31932],
    });
    expect(zone(z, 'DMA').counters).toMatchObject({ nr_free_pages: 2949, numa_hit: 1 });
    expect(zone(z, 'Normal')).toMatchObject({
      min: 15809,
      low: 23461,
      high: 31113,
      spanned: 7806976,
      present: 7806976,
      managed: 7654794,
    });
    expect(zone(z, 'Normal').counters).toMatchObject({
      nr_free_pages: 4539739,
      nr_kernel_stack: 18864,
      numa_hit: 62836441,
      numa_interleave: 23174,
    });
    expect(zone(z, 'DMA32')).toMatchObject({ min: 1078, managed: 530339 });
    expect(zone(z, 'Device').protection).toEqual([0, 0, 0, 0, 0]);
    expect(z.nodeStats?.[0]?.counters).toMatchObject({
      nr_active_anon: 1175853,
      nr_inactive_anon: 95612,
      nr_active_file: 688810,
      nr_inactive_file: 723339,
      nr_unevictable: 213111,
      nr_slab_reclaimable: 121763,
      nr_slab_unreclaimable: 56182,
      nr_anon_pages: 1156608,
      nr_mapped: 423143,
      nr_file_pages: 1740118,
      nr_dirty: 103,
      nr_shmem: 330517,
      nr_dirtied: 1189097,
      nr_written: 1181554,
    });
  });

  it('reads the pre-4.8 layout: all counters belong to the zone, 2 nodes, no node stats', () => {
    const z = zi('pcp-meminfo-root-002-xeon-e5-2690-128g-2node.txt');
    expect(z.nodeStats).toEqual([]);
    expect(new Set(z.zones.map((x) => x.node))).toEqual(new Set([0, 1]));
    expect(zone(z, 'Normal', 1).counters.nr_active_anon).toBeGreaterThan(0);
    expect(zone(z, 'DMA').counters.scanned).toBe(0);
  });

  it('reads the 2.6.16 layout: active/inactive per zone, scanned with (a: i:), cpu/pcp pagesets', () => {
    const z = zi('d2000-arm720t-2.6.16-old-format.txt');
    const dma = zone(z, 'DMA');
    expect(dma).toMatchObject({
      freePages: 5410,
      min: 181,
      low: 226,
      high: 271,
      spanned: 8192,
      present: 8192,
      protection: [0, 0, 0, 0],
    });
    expect(dma.managed).toBeUndefined();
    expect(dma.counters).toEqual({
      active: 367,
      inactive: 720,
      scanned: 0,
      all_unreclaimable: 0,
      prev_priority: 12,
      temp_priority: 12,
      start_pfn: 196608,
    });
  });

  it('skips the nameless per-node value printed by RHEL 8.0 kernels', () => {
    const z = zi('rhcos-4.18-el8-master.txt');
    expect(z.nodeStats?.[0]?.counters.nr_written).toBe(260861);
    expect(Object.values(z.nodeStats?.[0]?.counters ?? {})).not.toContain(537792);
  });

  it("attributes each node's per-node stats to that node (2 nodes x 5 zones)", () => {
    const z = zi('pcp-meminfo-root-007-i7-8g-2node-kreclaimable.txt');
    expect(z.zones).toHaveLength(10);
    expect(z.nodeStats?.map((n) => n.node)).toEqual([0, 1]);
  });

  it.each([
    ['empty text', '', 1],
    ['a counter before any zone', '  pages free 1\n', 1],
    ['a bad protection list', 'Node 0, zone DMA\n  pages free 1\n        protection: (0, x)\n', 3],
    ['a word for a value', 'Node 0, zone DMA\n  pages free 1\n        min lots\n', 3],
  ])('rejects %s, naming the line', (_why, text, line) => {
    const e = errorOf(parseZoneinfo(text, '/proc/zoneinfo'));
    expect(e.file).toBe('/proc/zoneinfo');
    expect(e.line).toBe(line);
  });
});
