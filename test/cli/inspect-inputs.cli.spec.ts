import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROCFS, RHCOS_TREE, timelineBundle } from './fixture-bundle';
import { runCli } from './run-cli';

type Json = Record<string, unknown> & {
  accounting: Record<string, unknown> | null;
  slab: Record<string, unknown> | null;
  fragmentation: { zones: unknown[] } | null;
  sections: Record<string, { available: boolean; reason?: string }>;
  inputs: Record<string, { available: boolean; reason?: string }>;
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memfleet-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sosreport-like tree of the real RHCOS capture, minus the files listed in `without`. */
function rhcosTree(name: string, without: string[] = []): string {
  const root = join(dir, name);
  for (const [target, source] of Object.entries(RHCOS_TREE)) {
    if (without.includes(target)) continue;
    mkdirSync(dirname(join(root, target)), { recursive: true });
    copyFileSync(join(PROCFS, source), join(root, target));
  }
  mkdirSync(join(root, 'proc/sys/vm'), { recursive: true });
  mkdirSync(join(root, 'proc/sys/kernel'), { recursive: true });
  writeFileSync(join(root, 'proc/sys/vm/swappiness'), '60\n');
  writeFileSync(join(root, 'proc/sys/kernel/osrelease'), '4.18.0-80.11.2.el8_0.x86_64\n');
  return root;
}

describe('memfleet inspect --root (a real RHCOS sosreport tree)', () => {
  it('reads DIR/proc, DIR/proc/sys/vm and DIR/ps', async () => {
    const root = rhcosTree('full');
    const r = await runCli(['inspect', '--json', '--root', root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    const memTotalKb = Number(
      /^MemTotal:\s+(\d+)/m.exec(readFileSync(join(root, 'proc/meminfo'), 'utf8'))?.[1],
    );
    expect(j.accounting?.['totalBytes']).toBe(memTotalKb * 1024);
    expect(j.accounting?.['processCount']).toBe(132);
    expect(j['kernelRelease']).toBe('4.18.0-80.11.2.el8_0.x86_64');
    expect(j['tunables']).toEqual({ swappiness: 60 });
    expect(j.inputs['zoneinfo']).toEqual({ available: true });
    expect(j.inputs['pagetypeinfo']).toEqual({ available: true });
    expect(j.fragmentation?.zones).toHaveLength(3);
    expect(j['notes']).toEqual([expect.stringContaining('page size assumed 4096')]);
  });

  it('without slabinfo reports slab as null with the reason, and everything else', async () => {
    const root = rhcosTree('noslab', ['proc/slabinfo']);
    const r = await runCli(['inspect', '--json', '--root', root]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.slab).toBeNull();
    expect(j.sections['slab']?.available).toBe(false);
    expect(j.sections['slab']?.reason).toContain(join(root, 'proc/slabinfo'));
    expect(j.sections['slab']?.reason).toContain('no such file');
    expect(j.accounting).not.toBeNull();
    expect(j.fragmentation).not.toBeNull();
    const human = await runCli(['inspect', '--root', root]);
    expect(human.stdout).toMatch(/Slab\n\s+unavailable: .*no such file/);
  });

  it('without ps leaves the RSS sum and the unexplained gap null', async () => {
    const root = rhcosTree('nops', ['ps']);
    const j = JSON.parse((await runCli(['inspect', '--json', '--root', root])).stdout) as Json;
    expect(j.accounting?.['processRssBytes']).toBeNull();
    expect((j.accounting?.['gap'] as Record<string, unknown>)['unexplainedBytes']).toBeNull();
    expect(j.inputs['ps']?.reason).toContain('no such file');
  });
});

describe('memfleet inspect on this machine', () => {
  it('reports the live MemTotal of /proc/meminfo and the running kernel', async () => {
    const r = await runCli(['inspect', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    // MemTotal does not change while a machine runs, unlike MemFree.
    const memTotalKb = Number(
      /^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1],
    );
    expect(j.accounting?.['totalBytes']).toBe(memTotalKb * 1024);
    expect(j['kernelRelease']).toBe(release());
    expect(j.source).toEqual({ kind: 'live', path: null });
    expect(Number(j.accounting?.['processCount'])).toBeGreaterThan(1);
    expect(j.fragmentation?.zones.length).toBeGreaterThan(0);
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it : it.skip)(
    'run by an unprivileged user, reports slabinfo as unreadable and everything else',
    async () => {
      const r = await runCli(['inspect', '--json'], undefined, { asUser: 'nobody' });
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as Json;
      expect(j.slab).toBeNull();
      expect(j.sections['slab']?.reason).toMatch(/^\/proc\/slabinfo: permission denied/);
      expect(j.accounting).not.toBeNull();
      expect(j.fragmentation).not.toBeNull();
    },
  );

  it('without ps and getconf on PATH, leaves ps out with the reason and assumes 4 KiB pages', async () => {
    const r = await runCli(['inspect', '--json'], undefined, {
      env: { PATH: join(dir, 'empty-path') },
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.inputs['ps']).toEqual({
      available: false,
      reason: expect.stringContaining('ps: command not found'),
    });
    expect(j.accounting?.['processRssBytes']).toBeNull();
    expect(j['pageSize']).toBe(4096);
    expect(j['notes']).toEqual([
      expect.stringMatching(/^page size assumed 4096 bytes: getconf PAGESIZE failed/),
    ]);
    expect(j.slab).not.toBeNull();
  });

  it('captures a bundle that inspect --bundle reads back', async () => {
    const out = join(dir, 'live.json');
    const c = await runCli(['capture', '--output', out]);
    expect(c.code).toBe(0);
    const r = await runCli(['inspect', '--json', '--bundle', out]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Json).source).toEqual({ kind: 'bundle', path: out });
  });
});

describe('exit codes', () => {
  it.each([
    [['inspect', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['inspect', '--root', '/', '--bundle', 'x.json'], /exclusive/],
    [['inspect', '--top', 'many'], /--top/],
    [['frob'], /unknown command 'frob'/],
  ])('%j exits 2 with the problem on stderr', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('exits 3 naming the file and line of invalid bundle JSON', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "files": {\n    "/proc/meminfo": "MemTotal: 1 kB\\n",\n  }\n}\n');
    const r = await runCli(['inspect', '--bundle', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^memfleet: ${path}:4: not valid JSON`));
  });

  it('exits 3 naming the meminfo line it cannot parse, and still reports the rest', async () => {
    const b = timelineBundle('00017');
    const lines = (b.files['/proc/meminfo'] ?? '').split('\n');
    lines[2] = 'MemAvailable:   lots kB';
    const path = join(dir, 'badmeminfo.json');
    writeFileSync(
      path,
      JSON.stringify({ ...b, files: { ...b.files, '/proc/meminfo': lines.join('\n') } }),
    );
    const r = await runCli(['inspect', '--json', '--bundle', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^memfleet: ${path}: /proc/meminfo:3: `));
    const j = JSON.parse(r.stdout) as Json;
    expect(j.accounting).toBeNull();
    expect(j.sections['accounting']?.reason).toContain('/proc/meminfo:3:');
    expect(j.slab).not.toBeNull();
  });

  it('exits 3 naming DIR/proc/vmstat and its line when a --root file is not what the kernel prints', async () => {
    const root = rhcosTree('badvmstat');
    const lines = readFileSync(join(root, 'proc/vmstat'), 'utf8').split('\n');
    lines[4] = `${(lines[4] ?? '').split(' ')[0]} 12ab`;
    writeFileSync(join(root, 'proc/vmstat'), lines.join('\n'));
    const r = await runCli(['inspect', '--json', '--root', root]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^memfleet: ${join(root, 'proc/vmstat')}:5: `));
    const j = JSON.parse(r.stdout) as Json;
    expect(j['vmstat']).toBeNull();
    expect(j.accounting).not.toBeNull();
  });

  it('exits 3 for a --root that does not exist', async () => {
    const r = await runCli(['inspect', '--root', join(dir, 'nowhere')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no such directory');
  });

  it('--help and --version exit 0', async () => {
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('memfleet inspect');
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^memfleet \d+\.\d+\.\d+\n$/);
  });
});
