import { readTimeline, sampleBundle, timelineSnapshots } from '../testing/fixtures';
import { BundleDecodeError, decodeBundle, parseBundle } from './bundle.parser';
import { BUNDLE_FILES, type SnapshotBundle } from './bundle';
import { ProcfsParseError } from './parse-result';

describe('parseBundle', () => {
  it('parses every section of a full real bundle', () => {
    const s = parseBundle(sampleBundle(250, 300));
    for (const k of [
      'meminfo',
      'slabinfo',
      'buddyinfo',
      'zoneinfo',
      'pagetypeinfo',
      'vmstat',
      'tunables',
      'ps',
    ] as const) {
      expect([k, s[k].kind]).toEqual([k, 'ok']);
    }
    expect(s.slabinfo.kind === 'ok' && s.slabinfo.value.caches).toHaveLength(250);
    expect(s.ps.kind === 'ok' && s.ps.value.processes).toHaveLength(300);
    expect(s.tunables.kind === 'ok' && s.tunables.value.swappiness).toBe(60);
    expect(s.collectedAt).toEqual(new Date('2026-11-25T09:00:00Z'));
    expect(s.pageSize).toBe(4096);
    expect(s.kernelRelease).toBe('6.18.0');
  });

  it('reports each missing file as unavailable "not collected" and defaults the page size', () => {
    const s = parseBundle({ files: { '/proc/meminfo': 'MemTotal: 1 kB\nMemFree: 1 kB\n' } });
    expect(s.meminfo.kind).toBe('ok');
    for (const k of [
      'slabinfo',
      'buddyinfo',
      'zoneinfo',
      'pagetypeinfo',
      'vmstat',
      'tunables',
      'ps',
    ] as const) {
      expect(s[k]).toEqual({ kind: 'unavailable', reason: 'not collected' });
    }
    expect(s.pageSize).toBe(4096);
    expect(s.collectedAt).toBeUndefined();
  });

  it('keeps good sections when one file is broken, and an empty slabinfo is unavailable', () => {
    const b = sampleBundle(10, 5);
    const s = parseBundle({
      ...b,
      files: { ...b.files, [BUNDLE_FILES.zoneinfo]: 'garbage\n', [BUNDLE_FILES.slabinfo]: '' },
    });
    expect(s.zoneinfo.kind).toBe('error');
    expect(s.zoneinfo.kind === 'error' && s.zoneinfo.error.file).toBe('/proc/zoneinfo');
    expect(s.slabinfo.kind).toBe('unavailable');
    expect(s.meminfo.kind).toBe('ok');
    expect(s.vmstat.kind).toBe('ok');
  });

  it.each(timelineSnapshots())('parses timeline snapshot %s as a bundle', (snap) => {
    const files: Record<string, string> = {};
    for (const f of ['meminfo', 'slabinfo', 'buddyinfo', 'vmstat'])
      files[`/proc/${f}`] = readTimeline(snap, f);
    const ts = Number(readTimeline(snap, 'ts').trim());
    const decoded = decodeBundle(
      JSON.parse(
        JSON.stringify({
          collectedAt: new Date(ts * 1000).toISOString(),
          files,
          ps: readTimeline(snap, 'ps'),
        }),
      ),
    );
    expect(decoded.kind).toBe('ok');
    const s = parseBundle((decoded as { value: SnapshotBundle }).value);
    expect([s.meminfo.kind, s.slabinfo.kind, s.buddyinfo.kind, s.vmstat.kind, s.ps.kind]).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(s.zoneinfo.kind).toBe('unavailable');
    expect(s.collectedAt?.getTime()).toBe(Math.floor(ts * 1000));
  });
});

describe('decodeBundle', () => {
  it('accepts a valid bundle as is', () => {
    const b = sampleBundle(5, 5);
    expect(decodeBundle(JSON.parse(JSON.stringify(b)))).toEqual({ kind: 'ok', value: b });
  });

  it('lists every bad field in one typed error', () => {
    const r = decodeBundle({
      files: { '/etc/passwd': 'x', '/proc/meminfo': 5 },
      pageSize: 3000,
      extra: 1,
      collectedAt: 'yesterday',
    });
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.error).toBeInstanceOf(BundleDecodeError);
    expect(r.error).toBeInstanceOf(ProcfsParseError);
    expect(r.error.file).toBe('bundle');
    const issues = (r.error as BundleDecodeError).issues.map((i) => i.path).sort();
    expect(issues).toEqual([
      '',
      'collectedAt',
      'files./etc/passwd',
      'files./proc/meminfo',
      'pageSize',
    ]);
    expect(r.error.message).toMatch(/pageSize must be a power of two/);
  });

  it.each([null, 'text', 42, [], {}])('rejects %p without throwing', (json) => {
    expect(decodeBundle(json).kind).toBe('error');
  });
});
