import { execFile } from 'node:child_process';
import { release } from 'node:os';
import { DEFAULT_PAGE_SIZE, type SnapshotBundle } from '@memfleet/procfs';
import { readProcTree } from './proc-tree.source';
import type { SnapshotInput } from './snapshot-input';

/** The exact command the bundle's `ps` field documents; the parser expects its three columns. */
const PS_ARGS = ['-eo', 'pid=,rss=,comm='];
const COMMAND_TIMEOUT_MS = 10_000;
// 300k processes of ~40 bytes each: far beyond real hosts, small enough to never exhaust memory.
const PS_MAX_BYTES = 16 * 1024 * 1024;

/** A snapshot of this machine, as the SSH collector would take it from a remote one. */
export async function captureLive(now: Date = new Date()): Promise<SnapshotInput> {
  const [tree, ps, pageSize] = await Promise.all([readProcTree('/'), runPs(), readPageSize()]);
  const notes: string[] = [];
  const missing = tree.missing;
  if (typeof ps !== 'string') missing.set('ps', ps.reason);
  if (typeof pageSize !== 'number') notes.push(pageSize.reason);
  const bundle: SnapshotBundle = {
    collectedAt: now.toISOString(),
    files: tree.files,
    ...(typeof ps === 'string' ? { ps } : {}),
    pageSize: typeof pageSize === 'number' ? pageSize : DEFAULT_PAGE_SIZE,
    kernelRelease: release(),
  };
  return { bundle, missing, notes, displayName: (path) => path };
}

function run(cmd: string, args: string[], maxBuffer: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: COMMAND_TIMEOUT_MS, maxBuffer }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

async function runPs(): Promise<string | { reason: string }> {
  try {
    return await run('ps', PS_ARGS, PS_MAX_BYTES);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { reason: 'ps: command not found (install procps)' };
    return { reason: `ps ${PS_ARGS.join(' ')} failed: ${(e as Error).message.trim()}` };
  }
}

async function readPageSize(): Promise<number | { reason: string }> {
  const fallback = `page size assumed ${DEFAULT_PAGE_SIZE} bytes`;
  try {
    const n = Number((await run('getconf', ['PAGESIZE'], 4096)).trim());
    if (Number.isInteger(n) && n >= 1024 && (n & (n - 1)) === 0) return n;
    return { reason: `${fallback}: getconf PAGESIZE printed no power of two` };
  } catch (e) {
    return { reason: `${fallback}: getconf PAGESIZE failed (${(e as Error).message.trim()})` };
  }
}
