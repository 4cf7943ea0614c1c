import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_FILES, TUNABLE_NAMES, TUNABLES_DIR } from '@memfleet/procfs';

/** Every bundle path a snapshot reads from a /proc tree. */
export const PROC_TREE_PATHS: readonly string[] = [
  ...Object.values(BUNDLE_FILES),
  ...TUNABLE_NAMES.map((name) => `${TUNABLES_DIR}${name}`),
];

export interface ProcTreeRead {
  readonly files: Record<string, string>;
  readonly missing: Map<string, string>;
}

/**
 * Reads the snapshot files under `base` (`/` for this machine, a copied tree otherwise). A file
 * that cannot be read is left out of the bundle and its reason kept: an unreadable slabinfo
 * must not stop the rest of the report.
 */
export async function readProcTree(base: string): Promise<ProcTreeRead> {
  const files: Record<string, string> = {};
  const missing = new Map<string, string>();
  await Promise.all(
    PROC_TREE_PATHS.map(async (path) => {
      const text = await readOptional(join(base, path));
      if (typeof text === 'string') files[path] = text;
      else missing.set(path, text.reason);
    }),
  );
  // Promise.all settles in any order; a stable key order keeps saved bundles diffable.
  const ordered: Record<string, string> = {};
  for (const path of PROC_TREE_PATHS) {
    const text = files[path];
    if (text !== undefined) ordered[path] = text;
  }
  return { files: ordered, missing };
}

/** The text of a file, or why it could not be read (never throws for a missing file). */
export async function readOptional(file: string): Promise<string | { reason: string }> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    return { reason: describeReadError(file, e) };
  }
}

export function describeReadError(file: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EACCES' || code === 'EPERM') {
    return `${file}: permission denied (root-only on most kernels; run as root or with sudo)`;
  }
  if (code === 'EISDIR') return `${file}: is a directory`;
  return `${file}: ${e instanceof Error ? e.message : String(e)}`;
}
