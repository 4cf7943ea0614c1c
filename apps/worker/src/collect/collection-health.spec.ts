import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundle, type SnapshotBundle } from '@memfleet/procfs';
import { assessSnapshot, summarizeReasons } from './collection-health';

const FIXTURES = join(__dirname, '../../../../test/fixtures/procfs');
const fixture = (kind: string, name: string) => readFileSync(join(FIXTURES, kind, name), 'utf8');

/** A complete bundle of one real machine (rhcos 4.18 master node). */
function rhcosBundle(): SnapshotBundle {
  return {
    files: {
      '/proc/meminfo': fixture('meminfo', 'rhcos-4.18-el8-master.txt'),
      '/proc/slabinfo': fixture('slabinfo', 'rhcos-4.18-el8-master-slub.txt'),
      '/proc/buddyinfo': fixture('buddyinfo', 'rhcos-4.18-el8-master-trailing-space.txt'),
      '/proc/zoneinfo': fixture('zoneinfo', 'rhcos-4.18-el8-master.txt'),
      '/proc/pagetypeinfo': fixture('pagetypeinfo', 'rhcos-4.18-el8-master.txt'),
      '/proc/vmstat': fixture('vmstat', 'rhcos-4.18-el8-master.txt'),
      '/proc/sys/vm/swappiness': '60\n',
    },
    ps: '    1 12345 systemd\n  812  4096 sshd\n',
  };
}

describe('assessSnapshot', () => {
  it('calls a snapshot ok when every section parsed', () => {
    expect(assessSnapshot(parseBundle(rhcosBundle()))).toEqual({ state: 'ok', reasons: [] });
  });

  it('calls a snapshot degraded, naming the section, when slabinfo was unreadable without root', () => {
    const bundle = rhcosBundle();
    bundle.files['/proc/slabinfo'] = fixture('slabinfo', 'debian11-5.10-2g-vm-EMPTY-nonroot.txt');
    const health = assessSnapshot(parseBundle(bundle));
    expect(health.state).toBe('degraded');
    expect(health.reasons).toHaveLength(1);
    expect(health.reasons[0]).toMatch(/^slabinfo: unavailable \(/);
  });

  it('reports a section the kernel would never print as invalid, with file and line', () => {
    const bundle = rhcosBundle();
    bundle.files['/proc/zoneinfo'] = 'this is not zoneinfo\n';
    const health = assessSnapshot(parseBundle(bundle));
    expect(health.state).toBe('degraded');
    expect(health.reasons.join('\n')).toMatch(/^zoneinfo: invalid \(\/proc\/zoneinfo:1: /m);
  });

  it('reports the collector reason for a section it could not read', () => {
    const bundle = rhcosBundle();
    delete bundle.files['/proc/slabinfo'];
    const health = assessSnapshot(parseBundle(bundle), {
      '/proc/slabinfo': 'exit status 1: cat: /proc/slabinfo: Permission denied',
      '/proc/sys/vm/compaction_proactiveness': 'exit status 1: No such file or directory',
    });
    expect(health.reasons).toEqual([
      'slabinfo: unreadable (exit status 1: cat: /proc/slabinfo: Permission denied)',
    ]);
  });

  it('lists every missing section, in bundle order', () => {
    const health = assessSnapshot(parseBundle({ files: {} }));
    expect(health.reasons.map((r) => r.split(':')[0])).toEqual([
      'meminfo',
      'slabinfo',
      'buddyinfo',
      'zoneinfo',
      'pagetypeinfo',
      'vmstat',
      'tunables',
      'ps',
    ]);
  });
});

describe('summarizeReasons', () => {
  it('is null when there is nothing to report', () => {
    expect(summarizeReasons([])).toBeNull();
  });

  it('joins reasons into one line no longer than 500 characters', () => {
    const line = summarizeReasons(['a: x\ny', 'b: '.padEnd(900, 'z')]);
    expect(line).not.toMatch(/\n/);
    expect(line?.startsWith('a: x y; b: ')).toBe(true);
    expect(line?.length).toBe(500);
  });
});
