import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { COLLECT_COMMAND, COLLECT_COMMAND_SUDO, SECTION_ORDER, collectCommand } from './command';
import { splitOutput } from './split-output';
import { toBundle } from './to-bundle';

const memTotal = (text: string | undefined) => /^MemTotal:\s+(\d+) kB$/m.exec(text ?? '')?.[1];

function runLocally(shell: string, command: string) {
  const out = execFileSync(shell, ['-c', command], { maxBuffer: 64 * 1024 * 1024 });
  const split = splitOutput(out);
  if (!split.ok) throw new Error(split.reason);
  const built = toBundle(split.sections);
  if (!built.ok) throw new Error(built.reason);
  return built;
}

describe('collection command', () => {
  it('is one quoted sh -c word, so the login shell parses nothing of the script', () => {
    for (const cmd of [COLLECT_COMMAND, COLLECT_COMMAND_SUDO]) {
      expect(cmd.startsWith("sh -c '")).toBe(true);
      expect(cmd.endsWith("'")).toBe(true);
      expect(cmd.slice(7, -1)).not.toContain("'");
    }
  });

  it('uses sudo -n only in the sudo variant, and only for slabinfo and pagetypeinfo', () => {
    expect(COLLECT_COMMAND).not.toContain('sudo');
    expect(COLLECT_COMMAND_SUDO.match(/sudo/g)).toHaveLength(1);
    expect(COLLECT_COMMAND_SUDO.match(/\$R [^;]+/g)).toEqual([
      '$R cat /proc/slabinfo',
      '$R cat /proc/pagetypeinfo',
    ]);
    expect(collectCommand(true)).toBe(COLLECT_COMMAND_SUDO);
    expect(collectCommand(false)).toBe(COLLECT_COMMAND);
  });

  it('asks for no pty-only or interactive features', () => {
    expect(COLLECT_COMMAND).not.toMatch(/\bread\b|stty|tty/);
  });

  it.each(['dash', 'bash'])(
    'runs under %s and emits every section with this host’s /proc',
    (shell) => {
      const { bundle, sectionErrors } = runLocally(shell, COLLECT_COMMAND);
      expect(memTotal(bundle.files['/proc/meminfo'])).toBe(
        memTotal(readFileSync('/proc/meminfo', 'utf8')),
      );
      expect(bundle.kernelRelease).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
      expect(bundle.pageSize).toBe(
        Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })),
      );
      expect(Math.abs(Date.parse(bundle.collectedAt ?? '') - Date.now())).toBeLessThan(60_000);
      expect(bundle.ps).toMatch(/^\s*1\s+\d+\s+\S+/m);
      expect(bundle.files['/proc/sys/vm/swappiness']).toBe(
        readFileSync('/proc/sys/vm/swappiness', 'utf8'),
      );
      const emitted = [
        ...Object.keys(bundle.files),
        'clock',
        'ps',
        'pagesize',
        'kernel',
        ...Object.keys(sectionErrors),
      ];
      for (const name of SECTION_ORDER) expect(emitted).toContain(name);
    },
  );

  it('reads the root-only files without sudo when the login is root', () => {
    // Replace sudo with a command that always fails: as root it must not be called at all.
    const { bundle, sectionErrors } = runLocally(
      'dash',
      COLLECT_COMMAND_SUDO.replace('R="sudo -n"', 'R=false'),
    );
    if (process.getuid?.() === 0) {
      expect(bundle.files['/proc/slabinfo']).toMatch(/^slabinfo - version/);
      expect(sectionErrors).toEqual({});
    } else {
      expect(sectionErrors['/proc/slabinfo']).toBe('exit status 1');
    }
  });

  it('reports a file the kernel lacks as a section error, not a failure', () => {
    // Run as-is: every listed tunable exists here, so fake a missing one by renaming it in a copy.
    const cmd = COLLECT_COMMAND.replace(
      '/proc/sys/vm/$t cat /proc/sys/vm/$t',
      '/proc/sys/vm/$t cat /proc/sys/vm/no_such_$t',
    );
    const { bundle, sectionErrors } = runLocally('dash', cmd);
    expect(bundle.files['/proc/sys/vm/swappiness']).toBeUndefined();
    expect(sectionErrors['/proc/sys/vm/swappiness']).toMatch(
      /^exit status 1: cat: .*No such file or directory/,
    );
    expect(bundle.files['/proc/meminfo']).toBeDefined();
  });
});
