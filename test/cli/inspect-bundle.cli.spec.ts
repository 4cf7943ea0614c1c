import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotBundleSchema, type SnapshotBundle } from '@memfleet/procfs';
import { TIMELINE, timelineBundle } from './fixture-bundle';
import { runCli, runCliOnTty } from './run-cli';

interface Report {
  [key: string]: unknown;
  accounting: Record<string, number | null> & { gap: Record<string, unknown> };
  slab: Record<string, number> & { caches: Record<string, number | string | null>[] };
  fragmentation: {
    zones: {
      node: number;
      zone: string;
      freeBlocks: number[];
      unusableIndex: number[];
      fragmentationIndex: number[];
    }[];
  };
  sections: Record<string, { available: boolean; reason?: string }>;
  findings: {
    kind: string;
    severity: string;
    summary: string;
    advice: string;
    evidence: unknown[];
  }[];
  vmstat: Record<string, number>;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memfleet-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bundleFile(name: string, bundle: SnapshotBundle): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(bundle, null, 2));
  return path;
}

/** kB value of a meminfo line, as the kernel printed it. */
const kb = (meminfo: string, field: string): number => {
  const m = new RegExp(`^${field.replace(/[()]/g, '\\$&')}:\\s+(\\d+) kB$`, 'm').exec(meminfo);
  if (!m) throw new Error(`${field} not in meminfo`);
  return Number(m[1]);
};

describe('memfleet inspect --bundle (timeline snapshot 00017, the big-slab moment)', () => {
  const bundle = timelineBundle('00017');
  const meminfo = bundle.files['/proc/meminfo'] ?? '';
  let report: Report;

  beforeAll(async () => {
    const r = await runCli(['inspect', '--json', '--bundle', bundleFile('00017.json', bundle)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    report = JSON.parse(r.stdout) as Report;
  });

  it('reports the free -w columns in bytes from the captured meminfo', () => {
    const a = report.accounting;
    expect(a['totalBytes']).toBe(kb(meminfo, 'MemTotal') * 1024);
    expect(a['freeBytes']).toBe(kb(meminfo, 'MemFree') * 1024);
    expect(a['availableBytes']).toBe(kb(meminfo, 'MemAvailable') * 1024);
    expect(a['usedBytes']).toBe((kb(meminfo, 'MemTotal') - kb(meminfo, 'MemAvailable')) * 1024);
    expect(a['cacheBytes']).toBe((kb(meminfo, 'Cached') + kb(meminfo, 'SReclaimable')) * 1024);
    expect(a['sharedBytes']).toBe(kb(meminfo, 'Shmem') * 1024);
    expect(a['legacyUsedBytes']).toBe(
      (kb(meminfo, 'MemTotal') -
        kb(meminfo, 'MemFree') -
        kb(meminfo, 'Buffers') -
        kb(meminfo, 'Cached')) *
        1024,
    );
  });

  it('sums the RSS of the captured ps lines', () => {
    const rssKb = (bundle.ps ?? '')
      .trim()
      .split('\n')
      .reduce((s, l) => s + Number(l.trim().split(/\s+/)[1]), 0);
    expect(report.accounting['processRssBytes']).toBe(rssKb * 1024);
    expect(report.accounting.gap).toHaveProperty('unexplainedBytes');
  });

  it('lists the 10 largest slab caches with slabtop sizes, ext4_inode_cache first', () => {
    const caches = report.slab.caches;
    expect(caches).toHaveLength(10);
    expect(caches[0]?.['name']).toBe('ext4_inode_cache');
    const line = (bundle.files['/proc/slabinfo'] ?? '')
      .split('\n')
      .find((l) => l.startsWith('ext4_inode_cache '));
    const cols = (line ?? '').trim().split(/\s+/);
    // name active num objsize objperslab pagesperslab : tunables a b c : slabdata active num shared
    expect(caches[0]).toMatchObject({
      activeObjs: Number(cols[1]),
      numObjs: Number(cols[2]),
      objSize: Number(cols[3]),
      objPerSlab: Number(cols[4]),
      pagesPerSlab: Number(cols[5]),
      activeSlabs: Number(cols[13]),
      numSlabs: Number(cols[14]),
      sizeBytes: Number(cols[14]) * Number(cols[5]) * 4096,
    });
    const sizes = caches.map((c) => Number(c['sizeBytes']));
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(report.slab['activeObjBytes']).toBeGreaterThan(0);
    expect(report.slab['totalObjBytes']).toBeGreaterThanOrEqual(report.slab['activeObjBytes'] ?? 0);
  });

  it('writes every vmstat counter with its exact value', () => {
    const vmstat = bundle.files['/proc/vmstat'] ?? '';
    const dropSlab = /^drop_slab (\d+)$/m.exec(vmstat)?.[1];
    expect(report.vmstat['drop_slab']).toBe(Number(dropSlab));
    expect(Object.keys(report.vmstat)).toHaveLength(vmstat.trim().split('\n').length);
  });

  it('marks the sections a timeline capture lacks (zoneinfo, tunables) and keeps the rest', () => {
    expect(report.sections['accounting']).toEqual({ available: true });
    expect(report.sections['slab']).toEqual({ available: true });
    expect(report.sections['fragmentation']).toEqual({ available: true });
    expect(report.sections['tunables']?.available).toBe(false);
    expect(report.sections['tunables']?.reason).toBeTruthy();
  });

  it('gives each finding a kind, severity, summary, advice and evidence', () => {
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['kind', 'severity', 'summary', 'advice', 'evidence']),
      );
    }
  });
});

describe('vmstat counters past 2^53', () => {
  it('are written with all their digits', async () => {
    // Real capture, one counter raised to 2^64 - 1 as on a host that has run for years.
    const b = timelineBundle('00017');
    const vmstat = (b.files['/proc/vmstat'] ?? '').replace(
      /^pgpgin \d+$/m,
      'pgpgin 18446744073709551615',
    );
    const path = bundleFile('big.json', { ...b, files: { ...b.files, '/proc/vmstat': vmstat } });
    const r = await runCli(['inspect', '--json', '--bundle', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"pgpgin": 18446744073709551615');
  });
});

describe('fragmentation indexes', () => {
  // In these snapshots buddyinfo2 == buddyinfo3: the kernel's index files were computed from it.
  it.each(['00012', '00024', '00049'])(
    'equal the kernel debugfs unusable_index and extfrag_index of snapshot %s',
    async (snap) => {
      const b = timelineBundle(snap);
      const buddy2 = readFileSync(join(TIMELINE, snap, 'buddyinfo2'), 'utf8');
      const bundle = { ...b, files: { ...b.files, '/proc/buddyinfo': buddy2 } };
      const r = await runCli([
        'inspect',
        '--json',
        '--bundle',
        bundleFile(`frag-${snap}.json`, bundle),
      ]);
      const zones = (JSON.parse(r.stdout) as Report).fragmentation.zones;
      const kernel = (file: string): number[][] =>
        readFileSync(join(TIMELINE, snap, file), 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.trim().split(/\s+/).slice(4).map(Number));
      expect(zones.map((z) => z.unusableIndex)).toEqual(kernel('unusable_index'));
      expect(zones.map((z) => z.fragmentationIndex)).toEqual(kernel('extfrag_index'));
      expect(zones.map((z) => `${z.node}/${z.zone}`)).toEqual(['0/DMA', '0/DMA32', '0/Normal']);
    },
  );
});

describe('memfleet inspect human output', () => {
  it('prints free, slabtop and per-zone tables with IEC units, findings last', async () => {
    const r = await runCli(['inspect', '--bundle', bundleFile('h.json', timelineBundle('00017'))]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).not.toContain('\u001b[');
    expect(out).toMatch(/total\s+used\s+free\s+shared\s+buffers\s+cache\s+available/);
    expect(out).toMatch(/OBJS\s+ACTIVE\s+USE\s+OBJ SIZE\s+SLABS\s+OBJ\/SLAB\s+CACHE SIZE\s+NAME/);
    expect(out).toMatch(/ext4_inode_cache/);
    expect(out).toMatch(/\d GiB/);
    expect(out).toMatch(/unusable\s+0\.000/);
    expect(out).toMatch(/extfrag\s+-1\.000/);
    expect(out.indexOf('Findings')).toBeGreaterThan(out.indexOf('Fragmentation'));
    expect(out).toMatch(/legacy used/);
    expect(out).toMatch(/unexplained/);
  });

  it('uses colour on a terminal only, and never with --no-color or NO_COLOR', async () => {
    const path = bundleFile('tty.json', timelineBundle('00017'));
    const ESC = '\u001b[';
    expect((await runCliOnTty(['inspect', '--bundle', path])).stdout).toContain(ESC);
    expect((await runCliOnTty(['inspect', '--no-color', '--bundle', path])).stdout).not.toContain(
      ESC,
    );
    expect(
      (await runCliOnTty(['inspect', '--bundle', path], { NO_COLOR: '1' })).stdout,
    ).not.toContain(ESC);
    // Piped (not a terminal): plain text.
    expect((await runCli(['inspect', '--bundle', path])).stdout).not.toContain(ESC);
  });

  it('shows as many caches as --top asks', async () => {
    const path = bundleFile('top.json', timelineBundle('00017'));
    const r = await runCli(['inspect', '--json', '--top', '3', '--bundle', path]);
    expect((JSON.parse(r.stdout) as Report).slab.caches).toHaveLength(3);
  });

  it('reads the bundle from stdin with --bundle -', async () => {
    const r = await runCli(
      ['inspect', '--json', '--bundle', '-'],
      JSON.stringify(timelineBundle('00030')),
    );
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Report).accounting['totalBytes']).toBeGreaterThan(0);
  });
});

describe('--save-bundle and capture', () => {
  it('save the inspected bundle in the shared format, and inspecting it again gives the same report', async () => {
    const src = bundleFile('src.json', timelineBundle('00017'));
    const saved = join(dir, 'saved.json');
    const first = await runCli(['inspect', '--json', '--bundle', src, '--save-bundle', saved]);
    const parsed = snapshotBundleSchema.safeParse(JSON.parse(readFileSync(saved, 'utf8')));
    expect(parsed.success).toBe(true);
    const second = await runCli(['inspect', '--json', '--bundle', saved]);
    const strip = (s: string): unknown => ({ ...(JSON.parse(s) as object), source: null });
    expect(strip(second.stdout)).toEqual(strip(first.stdout));
  });
});
