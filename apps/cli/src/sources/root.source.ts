import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_PAGE_SIZE, type SnapshotBundle } from '@memfleet/procfs';
import { InputError } from '../errors';
import { readOptional, readProcTree } from './proc-tree.source';
import type { SnapshotInput } from './snapshot-input';

/**
 * A snapshot from a copied tree (a sosreport, a rescue image, a test fixture): `DIR/proc/...`
 * as on the machine, plus `DIR/ps` holding `ps -eo pid=,rss=,comm=` output when it was saved.
 * The kernel release comes from `DIR/proc/sys/kernel/osrelease` when present. A tree carries no
 * page size, so the report assumes 4096 bytes and says so.
 */
export async function readRootTree(dir: string): Promise<SnapshotInput> {
  await assertDirectory(dir);
  const [tree, ps, osrelease] = await Promise.all([
    readProcTree(dir),
    readOptional(join(dir, 'ps')),
    readOptional(join(dir, 'proc/sys/kernel/osrelease')),
  ]);
  const missing = tree.missing;
  if (typeof ps !== 'string') missing.set('ps', ps.reason);
  const bundle: SnapshotBundle = {
    files: tree.files,
    ...(typeof ps === 'string' ? { ps } : {}),
    ...(typeof osrelease === 'string' && osrelease.trim() !== ''
      ? { kernelRelease: osrelease.trim().slice(0, 256) }
      : {}),
  };
  return {
    bundle,
    missing,
    notes: [`page size assumed ${DEFAULT_PAGE_SIZE} bytes: a --root tree does not record it`],
    displayName: (path) => (path === 'ps' ? join(dir, 'ps') : join(dir, path)),
  };
}

async function assertDirectory(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch {
    throw new InputError(dir, undefined, '--root: no such directory');
  }
  throw new InputError(dir, undefined, '--root: not a directory');
}
