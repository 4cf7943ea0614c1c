import { okValue as value, readFixture } from '../testing/fixtures';
import { parseMeminfo } from './meminfo.parser';
import type { Meminfo } from './types';

const KB = 1024;

const fieldsOf = (name: string): Meminfo['fields'] =>
  value(parseMeminfo(readFixture('meminfo', name))).fields;

describe('parseMeminfo: values asserted by upstream projects', () => {
  it('matches prometheus/procfs on its ttar capture (kB -> bytes, MemAvailable absent)', () => {
    const f = fieldsOf('procfs-ttar-16g-percpu-zswap.txt');
    expect(f).toMatchObject({
      MemTotal: 16042172416,
      MemFree: 450891776,
      Buffers: 1044611072,
      Cached: 12295823360,
      SwapCached: 0,
      Active: 6923546624,
      Inactive: 6689492992,
      'Active(anon)': 273670144,
      'Inactive(anon)': 274432,
      'Active(file)': 6649876480,
      'Inactive(file)': 6689218560,
      Zswap: 22951936,
      Zswapped: 10754048,
      Dirty: 786432,
      AnonPages: 272605184,
      Mapped: 45264896,
      Shmem: 1339392,
      Slab: 1850638336,
      SReclaimable: 1779838976,
      SUnreclaim: 70799360,
      KernelStack: 1654784,
      PageTables: 5414912,
      CommitLimit: 8021086208,
      Committed_AS: 543584256,
      VmallocTotal: 35184372087808,
      VmallocUsed: 37474304,
      VmallocChunk: 35184269148160,
      Percpu: 26804224,
      AnonHugePages: 12582912,
      HugePages_Total: 0,
      HugePages_Free: 0,
      HugePages_Rsvd: 0,
      HugePages_Surp: 0,
      Hugepagesize: 2097152,
      DirectMap4k: 93323264,
      DirectMap2M: 16424894464,
    });
    expect(f.MemAvailable).toBeUndefined();
  });

  it('matches node_exporter (bytes) on a swap-using 4 GB host', () => {
    expect(fieldsOf('node-exporter-4g-swap-used.txt')).toMatchObject({
      MemTotal: 3831959552,
      DirectMap2M: 3787456512,
      'Active(anon)': 2068484096,
      Buffers: 22568960,
      Cached: 953229312,
      CommitLimit: 6210940928,
      Committed_AS: 8023486464,
      DirectMap4k: 190115840,
      Hugepagesize: 2097152,
      MemFree: 230883328,
      SReclaimable: 45846528,
      SUnreclaim: 55459840,
      Slab: 101306368,
      SwapFree: 3231088640,
      SwapTotal: 4294963200,
      VmallocChunk: 35183963009024,
      VmallocTotal: 35184372087808,
    });
  });

  it('matches gopsutil on the Intel Core i5 capture', () => {
    expect(fieldsOf('gopsutil-intelcorei5-16g-directmap1g.txt')).toMatchObject({
      MemTotal: 16502300672,
      MemAvailable: 11495358464,
      MemFree: 8783491072,
      Active: 4347392000,
      Inactive: 2938834944,
      Buffers: 212496384,
      Dirty: 176128,
      Shmem: 1222402048,
      Slab: 253771776,
      SReclaimable: 186470400,
      SUnreclaim: 67301376,
      PageTables: 65241088,
      CommitLimit: 16509730816,
      Committed_AS: 12360818688,
      SwapTotal: 8258580480,
      SwapFree: 8258580480,
      Mapped: 1172627456,
      VmallocTotal: 35184372087808,
      Hugepagesize: 2097152,
      'Active(file)': 1121992 * KB,
      'Inactive(file)': 1683344 * KB,
      'Active(anon)': 3123508 * KB,
      'Inactive(anon)': 1186612 * KB,
      Unevictable: 32 * KB,
      Percpu: 19136 * KB,
      KernelStack: 14224 * KB,
    });
  });

  it('skips the 2.4-style total:/Mem:/Swap: header and finds MemAvailable out of its usual place', () => {
    const m = value(
      parseMeminfo(readFixture('meminfo', 'gopsutil-issue1002-32bit-highmem-legacy-header.txt')),
    );
    expect(m.fields).toMatchObject({
      MemTotal: 260579328,
      MemAvailable: 215199744,
      MemFree: 124506112,
      Active: 108785664,
      Inactive: 8581120,
      Buffers: 4915200,
      Slab: 9293824,
      SReclaimable: 2764800,
      SUnreclaim: 6529024,
      PageTables: 405504,
      CommitLimit: 130289664,
      Committed_AS: 25567232,
      HighTotal: 134217728,
      HighFree: 67784704,
      LowTotal: 126361600,
      LowFree: 56721408,
      Mapped: 38793216,
      VmallocTotal: 1996488704,
      'Active(file)': 88280 * KB,
      'Inactive(file)': 8380 * KB,
      'Active(anon)': 17956 * KB,
      KernelStack: 624 * KB,
    });
    expect(m.fields.Mem).toBeUndefined();
    expect(m.fields.Swap).toBeUndefined();
    expect(m.fields.Hugepagesize).toBeUndefined();
    expect(Object.keys(m.fields).indexOf('MemAvailable')).toBeGreaterThan(
      Object.keys(m.fields).indexOf('Inactive'),
    );
  });

  it('reads a 4-line excerpt without a final newline', () => {
    const m = value(
      parseMeminfo(readFixture('meminfo', 'gopsutil-anonhugepages-4-line-excerpt-no-eol.txt')),
    );
    expect(m.fields).toEqual({
      MemTotal: 260799420 * KB,
      MemFree: 119443248 * KB,
      MemAvailable: 127880216 * KB,
      AnonHugePages: 50409472 * KB,
    });
  });

  it('converts every field of the insights-core RHEL 7.1 capture exactly, in file order', () => {
    // insights-core asserts value x 1024 for all 43; the four HugePages_* lines carry no unit,
    // so here they stay page counts.
    const text = readFixture('meminfo', 'insights-core-rhel71-8g-slab-25pct.txt');
    const expected = [...text.matchAll(/^(\S+):\s+(\d+)( kB)?$/gm)].map(([, k, v, kb]) => [
      k,
      Number(v) * (kb ? KB : 1),
    ]);
    expect(expected).toHaveLength(43);
    expect(Object.entries(value(parseMeminfo(text)).fields)).toEqual(expected);
  });

  it('matches telegraf, including Hugetlb != HugePages_Total x Hugepagesize with 1 GiB pages', () => {
    expect(fieldsOf('telegraf-16g-kreclaimable-percpu.txt')).toMatchObject({
      'Active(anon)': 5765169152,
      'Inactive(anon)': 1082245120,
      'Active(file)': 3535425536,
      'Inactive(file)': 4421992448,
      Unevictable: 143360,
      Percpu: 5767168,
    });
    const m = value(parseMeminfo(readFixture('meminfo', 'telegraf-256g-hugetlb-2m-and-1g.txt')));
    expect(m.fields).toMatchObject({
      AnonHugePages: 0,
      ShmemHugePages: 0,
      FileHugePages: 0,
      HugePages_Total: 2048,
      HugePages_Free: 883,
      HugePages_Rsvd: 0,
      HugePages_Surp: 0,
      Hugepagesize: 2048 * KB,
      Hugetlb: 12582912 * KB,
    });
    expect([...m.countFields].sort()).toEqual([
      'HugePages_Free',
      'HugePages_Rsvd',
      'HugePages_Surp',
      'HugePages_Total',
    ]);
    expect(m.fields.Hugetlb).not.toBe(
      (m.fields.HugePages_Total as number) * (m.fields.Hugepagesize as number),
    );
  });

  it('matches nagios-plugins-linux and leaves the fields it lacks absent, not 0', () => {
    const f = fieldsOf('nagios-plugins-linux-16g-cma.txt');
    const kb = {
      Active: 3090692,
      'Active(file)': 2021912,
      AnonPages: 1008780,
      Buffers: 384876,
      Cached: 2741476,
      Committed_AS: 3678828,
      Dirty: 92,
      Inactive: 1044404,
      'Inactive(file)': 716976,
      MemAvailable: 14564424,
      MemFree: 11918208,
      MemTotal: 16384256,
      SReclaimable: 152528,
      Shmem: 387476,
      Slab: 202816,
      SwapCached: 1024,
      SwapFree: 8387580,
      SwapTotal: 8388604,
    };
    for (const [k, v] of Object.entries(kb)) expect(f[k]).toBe(v * KB);
    for (const k of [
      'HighTotal',
      'Inact_clean',
      'Inact_dirty',
      'Inact_laundry',
      'LowFree',
      'LowTotal',
    ]) {
      expect(f[k]).toBeUndefined();
    }
  });

  it('matches proc_sys_parser on an arm64 6.x capture: 12-digit VmallocTotal, no DirectMap, no final newline', () => {
    const f = fieldsOf('proc-sys-parser-arm64-6x-rpi-like-no-directmap-no-eol.txt');
    expect(f).toMatchObject({
      MemTotal: 3997876 * KB,
      VmallocTotal: 133141626880 * KB,
      ShadowCallStack: 828 * KB,
      CmaTotal: 32768 * KB,
      CmaFree: 31232 * KB,
      Hugetlb: 0,
    });
    expect(f.DirectMap4k).toBeUndefined();
    expect(f.DirectMap2M).toBeUndefined();
  });

  it.each([
    ['001-i7-16g', 16022140, 12881060, 4650860, 1339256, 1063556, 275700],
    ['002-xeon-e5-2690-128g-2node', 131831052, 118425544, 87287012, 1452008, 1242872, 209136],
    ['004-haswell-vm-4g', 4020980, 3391008, 3264460, 109736, 48840, 60896],
    ['005-i7-16g-movable-device', 16050940, 10749228, 2496772, 694056, 550708, 143348],
    ['006-nehalem-vm-4g-sunreclaim', 3871596, 2879076, 2524972, 425060, 99864, 325196],
    ['007-i7-8g-2node-kreclaimable', 8141728, 7202848, 4211712, 298464, 133744, 164720],
  ])('matches PCP qa/821 for meminfo-root-%s', (set, total, avail, free, slab, srec, sunrec) => {
    expect(fieldsOf(`pcp-meminfo-root-${set}.txt`)).toMatchObject({
      MemTotal: total * KB,
      MemAvailable: avail * KB,
      MemFree: free * KB,
      Slab: slab * KB,
      SReclaimable: srec * KB,
      SUnreclaim: sunrec * KB,
    });
  });

  it('has KReclaimable and Percpu only where the kernel printed them (PCP 007 vs 001)', () => {
    expect(fieldsOf('pcp-meminfo-root-007-i7-8g-2node-kreclaimable.txt')).toMatchObject({
      KReclaimable: 133744 * KB,
      Percpu: 5280 * KB,
    });
    const old = fieldsOf('pcp-meminfo-root-001-i7-16g.txt');
    expect(old.KReclaimable).toBeUndefined();
    expect(old.Percpu).toBeUndefined();
  });
});
