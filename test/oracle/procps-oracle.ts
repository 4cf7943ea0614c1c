import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

/**
 * procps itself as the judge of our numbers. A captured /proc file is bind-mounted over the live
 * one inside a private mount namespace (`unshare -m`), then the real `free` or `slabtop` runs and
 * reads the capture. Needs root (CAP_SYS_ADMIN for unshare and mount) and procps-ng 4.
 */

export type OracleStatus = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function run(cmd: string, args: readonly string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function procpsVersion(tool: string): string {
  return run(tool, ['--version']).trim();
}

/** Whether the oracle can run here, and if not, why (the specs skip with that message). */
export function oracleStatus(): OracleStatus {
  if (process.platform !== 'linux') return { ok: false, reason: 'not Linux' };
  if (process.getuid?.() !== 0)
    return { ok: false, reason: 'not root: unshare -m and mount need it' };
  for (const tool of ['free', 'slabtop']) {
    let version: string;
    try {
      version = procpsVersion(tool);
    } catch {
      return { ok: false, reason: `${tool} not installed (Debian package procps)` };
    }
    if (!/procps-ng 4\./.test(version)) {
      return { ok: false, reason: `${tool} is "${version}", the oracle needs procps-ng 4.x` };
    }
  }
  try {
    run('unshare', ['-m', 'true']);
  } catch (e) {
    return { ok: false, reason: `unshare -m failed: ${firstLine(e)}` };
  }
  return { ok: true };
}

function firstLine(e: unknown): string {
  return ((e as Error).message ?? String(e)).split('\n')[0] ?? '';
}

/** Runs `tool args` with `file` bind-mounted over `target`; the path goes in as $1, never quoted into the script. */
function withBoundFile(target: string, file: string, command: string): string {
  const script = `mount --bind "$1" ${target} && exec ${command}`;
  return run('unshare', ['-m', 'sh', '-c', script, 'procps-oracle', realpathSync(file)]);
}

export interface FreeOracle {
  /** `free -k -w`, Mem: row, kB. */
  readonly total: number;
  readonly used: number;
  readonly free: number;
  readonly shared: number;
  readonly buffers: number;
  readonly cache: number;
  readonly available: number;
  readonly raw: string;
}

export function freeOracle(meminfoFile: string): FreeOracle {
  const raw = withBoundFile('/proc/meminfo', meminfoFile, 'free -k -w');
  const mem = raw.split('\n').find((l) => l.startsWith('Mem:'));
  const n = mem?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  if (n.length !== 7 || n.some((v) => !Number.isSafeInteger(v))) {
    throw new Error(`unexpected free -k -w output:\n${raw}`);
  }
  const [total, used, free, shared, buffers, cache, available] = n as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { total, used, free, shared, buffers, cache, available, raw };
}

export interface SlabtopCacheRow {
  readonly name: string;
  readonly objs: number;
  readonly active: number;
  /** CACHE SIZE column: cache_size / 1024, integer division. */
  readonly cacheSizeK: number;
}

export interface SlabtopOracle {
  readonly activeObjs: number;
  readonly totalObjs: number;
  /** "Active / Total Size" as printed: `%.2fK` of bytes / 1024.0. */
  readonly activeSizeText: string;
  readonly totalSizeText: string;
  readonly caches: readonly SlabtopCacheRow[];
  readonly raw: string;
}

/** Throws (with slabtop's stderr) when slabtop rejects the file. */
export function slabtopOracle(slabinfoFile: string): SlabtopOracle {
  const raw = withBoundFile('/proc/slabinfo', slabinfoFile, 'slabtop -o');
  const objects = /Active \/ Total Objects \(% used\)\s*: (\d+) \/ (\d+)/.exec(raw);
  const size = /Active \/ Total Size \(% used\)\s*: ([\d.]+)K \/ ([\d.]+)K/.exec(raw);
  if (!objects || !size) throw new Error(`unexpected slabtop -o output:\n${raw}`);
  const lines = raw.split('\n');
  const heading = lines.findIndex((l) => l.includes('OBJS ACTIVE  USE OBJ SIZE'));
  // Row: "%6u %6u %3u%% %7.2fK %6u %8u %9luK %-23s"; wide numbers push columns, so split on blanks.
  const caches = lines
    .slice(heading + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      const name = f.slice(7).join(' ');
      return {
        name,
        objs: Number(f[0]),
        active: Number(f[1]),
        cacheSizeK: Number(f[6]?.replace(/K$/, '')),
      };
    });
  return {
    activeObjs: Number(objects[1]),
    totalObjs: Number(objects[2]),
    activeSizeText: size[1] ?? '',
    totalSizeText: size[2] ?? '',
    caches,
    raw,
  };
}

/**
 * glibc's printf("%.2f", bytes / 1024.0) for an integer byte count: the double is exact, and
 * glibc rounds its exact decimal value half to even (JS toFixed would round half up).
 */
export function cKibFixed2(bytes: number): string {
  const scaled = BigInt(bytes) * 100n;
  let hundredths = scaled / 1024n;
  const rest = scaled % 1024n;
  if (rest * 2n > 1024n || (rest * 2n === 1024n && hundredths % 2n === 1n)) hundredths += 1n;
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0');
  return `${whole}.${frac}`;
}
