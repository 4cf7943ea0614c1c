import { snapshotBundleSchema } from '@memfleet/procfs';
import { SECTION_ORDER } from './command';
import type { SplitSection } from './split-output';
import { parseClock, toBundle } from './to-bundle';

function sections(over: Record<string, Partial<SplitSection>> = {}, drop: string[] = []) {
  const m = new Map<string, SplitSection>();
  for (const name of SECTION_ORDER) {
    if (drop.includes(name)) continue;
    m.set(name, { name, status: 0, reason: '', content: `${name} text\n`, ...over[name] });
  }
  return m;
}

const good = {
  clock: { content: '1795589269.926868605\n' },
  pagesize: { content: '4096\n' },
  kernel: { content: '6.1.0-18-amd64\n' },
};

describe('toBundle', () => {
  it('builds a bundle the shared schema accepts', () => {
    const r = toBundle(sections(good));
    if (!r.ok) throw new Error(r.reason);
    expect(snapshotBundleSchema.parse(r.bundle)).toEqual(r.bundle);
    expect(r.bundle.collectedAt).toBe('2026-11-25T06:47:49.926Z');
    expect(r.bundle.pageSize).toBe(4096);
    expect(r.bundle.kernelRelease).toBe('6.1.0-18-amd64');
    expect(r.bundle.files['/proc/meminfo']).toBe('/proc/meminfo text\n');
    expect(r.bundle.ps).toBe('ps text\n');
    expect(r.sectionErrors).toEqual({});
  });

  it('leaves a failed file out of the bundle and says why, keeping the rest', () => {
    const r = toBundle(
      sections({
        ...good,
        '/proc/slabinfo': { status: 1, reason: 'sudo: a password is required', content: '' },
      }),
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.bundle.files['/proc/slabinfo']).toBeUndefined();
    expect(r.sectionErrors).toEqual({
      '/proc/slabinfo': 'exit status 1: sudo: a password is required',
    });
    expect(r.bundle.files['/proc/meminfo']).toBeDefined();
  });

  it('refuses output with a section missing', () => {
    const r = toBundle(sections(good, ['/proc/vmstat']));
    expect(r).toEqual({ ok: false, reason: 'sections missing: /proc/vmstat' });
  });

  it('refuses output with a section the command never prints', () => {
    const m = sections(good);
    m.set('/etc/shadow', { name: '/etc/shadow', status: 0, reason: '', content: 'x' });
    expect(toBundle(m)).toEqual({ ok: false, reason: 'unknown sections: /etc/shadow' });
  });

  it('rejects a page size that is not a power of two', () => {
    const r = toBundle(sections({ ...good, pagesize: { content: '4095\n' } }));
    if (!r.ok) throw new Error(r.reason);
    expect(r.bundle.pageSize).toBeUndefined();
    expect(r.sectionErrors.pagesize).toBe('not a power-of-two page size');
  });
});

describe('parseClock', () => {
  it('reads seconds with nanoseconds', () => {
    expect(parseClock('1700000000.123456789\n')).toBe('2023-11-14T22:13:20.123Z');
  });
  it('reads busybox output that lacks %N', () => {
    expect(parseClock('1700000000.N\n')).toBe('2023-11-14T22:13:20.000Z');
  });
  it('returns undefined for text that is no clock', () => {
    expect(parseClock('date: invalid\n')).toBeUndefined();
  });
});
