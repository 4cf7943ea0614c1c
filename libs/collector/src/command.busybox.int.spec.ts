import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSshd } from '../../../test/sshd/ensure-sshd';
import { COLLECT_COMMAND } from './command';
import { splitOutput } from './split-output';
import { toBundle } from './to-bundle';

/**
 * A busybox-only host (Alpine, embedded): busybox ash runs the script and every tool it calls is a
 * busybox applet. The harness script installs busybox; a PATH holding only applet links stands in
 * for a system that has nothing else.
 */
describe('collection command on a busybox-only system', () => {
  let applets: string;
  beforeAll(() => {
    ensureSshd();
    applets = mkdtempSync(join(tmpdir(), 'memfleet-busybox-'));
    execFileSync('busybox', ['--install', '-s', applets]);
  }, 300_000);
  afterAll(() => rmSync(applets, { recursive: true, force: true }));

  it('frames every section; a missing getconf is one section error with a readable reason', () => {
    const cmd = COLLECT_COMMAND.replace(
      'PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH',
      `PATH=${applets}`,
    );
    expect(cmd).not.toBe(COLLECT_COMMAND);
    const out = execFileSync(join(applets, 'sh'), ['-c', cmd], {
      env: { PATH: applets },
      maxBuffer: 64 << 20,
    });
    const split = splitOutput(out);
    if (!split.ok) throw new Error(split.reason);
    const built = toBundle(split.sections);
    if (!built.ok) throw new Error(built.reason);

    const memTotal = (t?: string) => /^MemTotal:\s+(\d+) kB$/m.exec(t ?? '')?.[1];
    expect(memTotal(built.bundle.files['/proc/meminfo'])).toBe(
      memTotal(readFileSync('/proc/meminfo', 'utf8')),
    );
    expect(built.bundle.kernelRelease).toBe(
      readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    );
    expect(Math.abs(Date.parse(built.bundle.collectedAt ?? '') - Date.now())).toBeLessThan(60_000);
    expect(built.bundle.ps).toMatch(/^\s*1\s/m);
    expect(built.sectionErrors).toEqual({ pagesize: 'exit status 127: sh: getconf: not found' });
  });
});
