import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundle, type SnapshotBundle } from '@memfleet/procfs';
import { diagnoseSnapshot } from './diagnose';

const FIXTURES = join(__dirname, '../../../test/fixtures');
const procfs = (dir: string, file: string) =>
  readFileSync(join(FIXTURES, 'procfs', dir, file), 'utf8');
const timeline = (snap: string, file: string) =>
  readFileSync(join(FIXTURES, 'timelines/rsync-drop-regrowth/snapshots', snap, file), 'utf8');

function diagnose(files: Record<string, string>, extra: Partial<SnapshotBundle> = {}) {
  return diagnoseSnapshot(parseBundle({ files, ...extra }));
}

describe('diagnoseSnapshot', () => {
  it('reports slab dominating RAM on the 2.6.8 updatedb host and names the top caches', () => {
    const d = diagnose({
      '/proc/meminfo': procfs('meminfo', 'lkml-2004-heskett-2.6.8-rc4-i386-highmem-slab71pct.txt'),
      '/proc/slabinfo': procfs(
        'slabinfo',
        'lkml-2004-heskett-2.6.8-rc4-v2.0-huge-dentry-ext3-inode.txt',
      ),
    });
    const gap = d.findings.filter((f) => f.kind === 'memory_gap');
    expect(gap).toHaveLength(1);
    expect(gap[0]!.summary).toMatch(/The kernel holds .* of RAM/);
    expect(gap[0]!.summary).toMatch(/Largest slab caches: ext3_inode_cache .*, dentry_cache/);
    expect(gap[0]!.evidence.every((e) => e.unit !== undefined)).toBe(true);
    expect(d.slab!.caches[0]!.name).toBe('ext3_inode_cache');
    // No SReclaimable/SUnreclaim split on 2.6.8: severity cannot lean on SUnreclaim.
    expect(gap[0]!.severity).toBe('info');
  });

  it('tells the free-vs-ps story on the RHEL 6 style 60 % slab host', () => {
    const d = diagnose({
      '/proc/meminfo': procfs('meminfo', 'perf-tools-issue78-rhel6-style-slab-60pct.txt'),
    });
    const gap = d.findings.find((f) => f.kind === 'memory_gap')!;
    // procps 3.2: 24592560 - 532324 - 236832 - 459252 kB = 22.3 GiB, 14.2 GiB of it slab.
    expect(gap.summary).toMatch(/Old free \(procps 3\.2, .*\) shows 22\.3 GiB used, slab included/);
    expect(gap.summary).toMatch(/14\.2 GiB of it slab/);
    expect(gap.advice).toMatch(/Reclaimable slab .* is a cache/);
    expect(d.accounting!.availableSource).toBe('MemFree');
  });

  it('finds nothing alarming in the rsync timeline peak, and reports every section', () => {
    const d = diagnose(
      {
        '/proc/meminfo': timeline('00011', 'meminfo'),
        '/proc/slabinfo': timeline('00011', 'slabinfo'),
        '/proc/buddyinfo': timeline('00011', 'buddyinfo'),
      },
      { ps: timeline('00011', 'ps') },
    );
    expect(d.findings).toEqual([]);
    expect(d.accounting!.processCount).toBeGreaterThan(10);
    expect(d.accounting!.gap.unexplainedBytes).not.toBeNull();
    expect(d.slab!.caches.slice(0, 2).map((c) => c.name)).toEqual(['ext4_inode_cache', 'dentry']);
    expect(d.fragmentation!.zones.map((z) => z.subject)).toEqual([
      'node0/DMA',
      'node0/DMA32',
      'node0/Normal',
    ]);
    expect(d.fragmentation!.compaction).toBeNull();
    expect(d.unavailable).toEqual({ tunables: '/proc/sys/vm: not collected' });
  });

  it('flags fragmentation in zones with plenty free but no large blocks', () => {
    const d = diagnose({
      '/proc/buddyinfo': procfs('buddyinfo', 'linghuazaii-ec2-xen-heavily-fragmented.txt'),
    });
    const frag = d.findings.filter((f) => f.kind === 'fragmentation');
    expect(frag.map((f) => [f.subject, f.severity])).toEqual([
      ['node0/DMA32', 'warning'],
      ['node0/Normal', 'critical'],
    ]);
    expect(frag[1]!.evidence).toContainEqual({
      name: 'unusable free index order 4',
      value: 0.999,
      unit: 'index',
    });
    expect(d.accounting).toBeNull();
    expect(d.unavailable.accounting).toBe('/proc/meminfo: not collected');
  });

  it('does not count pre-4.4 VmallocUsed (ioremap address space) as RAM held by the kernel', () => {
    // The 94 MB ZTE router reports VmallocUsed 190 MB: address space, not memory.
    const d = diagnose({
      '/proc/meminfo': procfs('meminfo', 'zte-router-4.1.25-armv7-94m-lowmem.txt'),
      '/proc/slabinfo': procfs('slabinfo', 'zte-router-4.1.25-armv7-94m-lowmem.txt'),
    });
    for (const f of d.findings.filter((x) => x.kind === 'memory_gap')) {
      const held = f.summary.match(/\((\d+) % of RAM\)/);
      if (held) expect(Number(held[1])).toBeLessThanOrEqual(100);
    }
  });

  it('does not call a zone short of free memory fragmented', () => {
    const d = diagnose({
      '/proc/buddyinfo': procfs('buddyinfo', 'zte-router-4.1.25-armv7-94m-lowmem.txt'),
      '/proc/zoneinfo': procfs('zoneinfo', 'zte-router-4.1.25-armv7-94m-lowmem.txt'),
    });
    expect(d.findings.filter((f) => f.kind === 'fragmentation')).toEqual([]);
    expect(d.fragmentation!.compaction!.nodes[0]!.zones[0]!.zone).toBe('Normal');
  });

  it('reports a zone at its min watermark as low_memory, not fragmentation', () => {
    const buddy =
      'Node 0, zone   Normal    100      0      0      0      0      0      0      0      0      0      0 \n';
    const zoneinfo =
      'Node 0, zone   Normal\n  pages free     100\n        min      306\n        low      382\n        high     459\n        spanned  32768\n        present  32768\n        managed  23603\n';
    const d = diagnose({ '/proc/buddyinfo': buddy, '/proc/zoneinfo': zoneinfo });
    expect(d.findings.map((f) => [f.kind, f.subject])).toEqual([['low_memory', 'node0/Normal']]);
  });

  it('keeps going when slabinfo was read without root', () => {
    const d = diagnose({
      '/proc/meminfo': procfs('meminfo', 'debian11-5.10-2g-vm.txt'),
      '/proc/slabinfo': procfs('slabinfo', 'debian11-5.10-2g-vm-EMPTY-nonroot.txt'),
      '/proc/buddyinfo': procfs('buddyinfo', 'debian11-5.10-2g-vm.txt'),
    });
    expect(d.slab).toBeNull();
    expect(d.unavailable.slab).toMatch(/^\/proc\/slabinfo: .*root/);
    expect(d.accounting).not.toBeNull();
    expect(d.fragmentation).not.toBeNull();
  });

  it('audits tunables and reads compaction_proactiveness for the kcompactd watermarks', () => {
    const d = diagnose({
      '/proc/buddyinfo': timeline('00011', 'buddyinfo'),
      '/proc/sys/vm/vfs_cache_pressure': '0\n',
      '/proc/sys/vm/compaction_proactiveness': '20\n',
    });
    expect(d.findings.map((f) => [f.kind, f.subject, f.severity])).toEqual([
      ['tunable_risk', 'vm.vfs_cache_pressure', 'critical'],
    ]);
  });

  it('reports low memory on a host with almost nothing available', () => {
    const d = diagnose({
      '/proc/meminfo':
        'MemTotal: 1000000 kB\nMemFree: 10000 kB\nMemAvailable: 15000 kB\nBuffers: 0 kB\nCached: 0 kB\n',
    });
    expect(d.findings.map((f) => [f.kind, f.severity])).toEqual([['low_memory', 'critical']]);
  });

  it('accepts threshold overrides per group', () => {
    const files = { '/proc/meminfo': timeline('00011', 'meminfo') };
    expect(diagnose(files).findings).toEqual([]);
    const strict = diagnoseSnapshot(parseBundle({ files }), { memory: { kernelHeldRatio: 0.01 } });
    expect(strict.findings.map((f) => f.kind)).toEqual(['memory_gap']);
  });
});
