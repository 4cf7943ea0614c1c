import type { Finding } from './finding';
import {
  auditTunables,
  defaultMinFreeKbytes,
  DROP_CACHES_ADVICE,
  TUNABLE_DEFAULTS,
} from './tunables-audit';
import { meminfoFromKb } from './test-helpers';

const GiB_KB = 1024 * 1024;
const meminfo = meminfoFromKb({
  MemTotal: 16 * GiB_KB,
  SwapTotal: 4 * GiB_KB,
  CommitLimit: 12 * GiB_KB,
  Committed_AS: 4 * GiB_KB,
});
const bySubject = (fs: Finding[], subject: string) => fs.filter((f) => f.subject === subject);

describe('auditTunables', () => {
  it('is silent about kernel defaults', () => {
    const findings = auditTunables(
      { ...TUNABLE_DEFAULTS, min_free_kbytes: 67584, overcommit_ratio: 50 },
      meminfo,
    );
    expect(findings).toEqual([]);
  });

  it('calls vfs_cache_pressure 0 critical and cites vm.rst, with value and default as evidence', () => {
    const [f] = auditTunables({ vfs_cache_pressure: 0 });
    expect(f).toMatchObject({
      kind: 'tunable_risk',
      severity: 'critical',
      subject: 'vm.vfs_cache_pressure',
    });
    expect(f!.advice).toContain('Documentation/admin-guide/sysctl/vm.rst');
    expect(f!.evidence).toEqual([
      { name: 'vm.vfs_cache_pressure', value: 0, unit: 'percent' },
      { name: 'default vm.vfs_cache_pressure', value: 100, unit: 'percent' },
    ]);
  });

  it('notes vfs_cache_pressure below and above 100 at info level', () => {
    expect(auditTunables({ vfs_cache_pressure: 50 })[0]!.summary).toMatch(/prefers to keep/);
    expect(auditTunables({ vfs_cache_pressure: 200 })[0]!.summary).toMatch(/prefers to reclaim/);
  });

  it('flags min_free_kbytes below 1024 kB and above 5 % / 15 % of RAM', () => {
    expect(auditTunables({ min_free_kbytes: 512 })[0]!.severity).toBe('critical');
    const high = auditTunables({ min_free_kbytes: 1024 * 1024 }, meminfo)[0]!; // 1 GiB of 16
    expect(high.severity).toBe('warning');
    expect(high.evidence).toContainEqual({
      name: 'min_free_kbytes share of MemTotal',
      value: 6.25,
      unit: 'percent',
    });
    expect(auditTunables({ min_free_kbytes: 3 * GiB_KB }, meminfo)[0]!.severity).toBe('critical');
  });

  it('computes the boot-time min_free_kbytes like calculate_min_free_kbytes', () => {
    expect(defaultMinFreeKbytes(16 * 1024 ** 3)).toBe(16384); // sqrt(16 GiB in kB * 16)
    expect(defaultMinFreeKbytes(1024 ** 4)).toBe(131072);
    expect(defaultMinFreeKbytes(64 * 1024 ** 4)).toBe(262144); // clamped
  });

  it('mentions swappiness only when swap exists', () => {
    expect(auditTunables({ swappiness: 0 }, meminfoFromKb({ MemTotal: 1, SwapTotal: 0 }))).toEqual(
      [],
    );
    expect(auditTunables({ swappiness: 0 }, meminfo)[0]!.subject).toBe('vm.swappiness');
  });

  it('states overcommit modes correctly and warns when strict mode is nearly full', () => {
    expect(auditTunables({ overcommit_memory: 0 }, meminfo)).toEqual([]);
    expect(auditTunables({ overcommit_memory: 1 })[0]!.summary).toMatch(/never refuses/);
    expect(auditTunables({ overcommit_memory: 2 }, meminfo)).toEqual([]);
    const full = meminfoFromKb({
      MemTotal: 16 * GiB_KB,
      CommitLimit: 8 * GiB_KB,
      Committed_AS: 7.5 * GiB_KB,
    });
    const f = auditTunables({ overcommit_memory: 2, overcommit_ratio: 50 }, full)[0]!;
    expect(f.severity).toBe('warning');
    expect(f.advice).toMatch(/swap \+ overcommit_ratio % of \(RAM - hugetlb pages\)/);
    expect(f.evidence).toContainEqual({ name: 'vm.overcommit_ratio', value: 50, unit: 'percent' });
  });

  it('warns about zone_reclaim_mode, extreme extfrag_threshold and disabled proactive compaction', () => {
    const fs = auditTunables({
      zone_reclaim_mode: 1,
      extfrag_threshold: 1000,
      compaction_proactiveness: 0,
    });
    expect(bySubject(fs, 'vm.zone_reclaim_mode')[0]!.severity).toBe('warning');
    expect(bySubject(fs, 'vm.extfrag_threshold')[0]!.severity).toBe('warning');
    expect(bySubject(fs, 'vm.compaction_proactiveness')[0]!.severity).toBe('info');
  });

  it('flags a watermark_scale_factor that keeps over 5 % of memory free', () => {
    expect(auditTunables({ watermark_scale_factor: 10 })).toEqual([]);
    expect(auditTunables({ watermark_scale_factor: 1000 })[0]!.summary).toMatch(/10\.0 %/);
  });

  it('gives drop_caches advice that says what echo 2 and echo 3 free, with sources', () => {
    expect(DROP_CACHES_ADVICE).toMatch(/band-aid/);
    expect(DROP_CACHES_ADVICE).toMatch(/echo 2.*not inodes that still hold page cache/s);
    expect(DROP_CACHES_ADVICE).toMatch(/fs\/drop_caches\.c/);
  });
});
